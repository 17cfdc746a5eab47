"""The case chronology as a PDF (WeasyPrint), fetching nothing from outside."""

from django.template.loader import render_to_string


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError("The chronology PDF fetches no external resources.")


def chronology_pdf(context: dict) -> bytes:
    """Render the printable chronology template to PDF bytes."""
    from weasyprint import HTML  # loaded on demand: it needs Pango from the system

    html = render_to_string("chronology/chronology_pdf.html", context)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()
