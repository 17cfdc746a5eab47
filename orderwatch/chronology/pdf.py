"""The case chronology as a PDF (WeasyPrint), fetching nothing from outside."""

from collections.abc import Collection

from django.template.loader import render_to_string
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.chronology.selectors import case_chronology
from orderwatch.chronology.timeline import KIND_LABELS, Kind


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError("The chronology PDF fetches no external resources.")


def chronology_pdf(context: dict) -> bytes:
    """Render the printable chronology template to PDF bytes."""
    from weasyprint import HTML  # loaded on demand: it needs Pango from the system

    html = render_to_string("chronology/chronology_pdf.html", context)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()


def chronology_document(*, case: Case, kinds: Collection[Kind], made_by: User) -> bytes:
    """Return the PDF of a case's chronology (the kinds chosen; none: every kind), made now.

    The caller has already been granted the case.
    """
    return chronology_pdf(
        {
            "case": case,
            "entries": case_chronology(case=case, kinds=kinds),
            "shown": [label for kind, label in KIND_LABELS.items() if kind in kinds],
            "made_at": timezone.localtime(),
            "made_by": made_by,
        }
    )
