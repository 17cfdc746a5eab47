"""The shareable one-page order summary as a PDF (WeasyPrint), fetching nothing from outside."""

from orderwatch.core.pdf import pdf_from_template


def summary_pdf(context: dict) -> bytes:
    """Render the printable summary template to PDF bytes."""
    return pdf_from_template("orders/summary_pdf.html", context)
