"""Documents as PDFs (WeasyPrint): tagged for screen readers, and fetching nothing from outside.

Every document is built from a template and its context alone: no image, font or stylesheet
is fetched by URL, so nothing about a case leaks through a request and nothing from outside
ends up in a document.
"""

from django.template.loader import render_to_string


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError("Documents fetch no external resources.")


def pdf_from_template(template_name: str, context: dict) -> bytes:
    """Render the template to a tagged PDF (PDF/UA-1), so a screen reader can follow it."""
    from weasyprint import HTML  # loaded on demand: it needs Pango from the system

    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(pdf_variant="pdf/ua-1")
