"""Documents as PDFs (WeasyPrint): tagged for screen readers, and fetching nothing from outside.

Every document is built from a template and its context alone: no image, font or stylesheet
is fetched by URL, so nothing about a case leaks through a request and nothing from outside
ends up in a document. Every page of every document carries the protective marking at its top
and bottom (ADR 0029).
"""

from django.template.loader import render_to_string

from orderwatch.core.information import protective_marking


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError("Documents fetch no external resources.")


def marking_css(marking: str) -> str:
    """Return the page rules that print `marking` at the top and bottom of every page.

    Given as a user stylesheet with `!important`, so no document's own page rules can drop it.
    """
    box = (
        f'content: "{marking}" !important; font-family: "DejaVu Sans", Arial, sans-serif;'
        " font-size: 9pt; font-weight: bold;"
    )
    return f"@page {{ @top-center {{ {box} }} @bottom-center {{ {box} }} }}"


def pdf_from_template(template_name: str, context: dict) -> bytes:
    """Render the template to a tagged PDF (PDF/UA-1), so a screen reader can follow it."""
    from weasyprint import CSS, HTML  # loaded on demand: it needs Pango from the system

    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        pdf_variant="pdf/ua-1", stylesheets=[CSS(string=marking_css(protective_marking()))]
    )
