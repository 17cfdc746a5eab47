"""The case chronology as a PDF (WeasyPrint), fetching nothing from outside."""

from collections.abc import Collection

from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.chronology.selectors import case_chronology
from orderwatch.chronology.timeline import KIND_LABELS, Kind, wanted
from orderwatch.core.pdf import pdf_from_template
from orderwatch.patterns.selectors import case_pattern

# The pattern is of breaches and evidence marked as incidents together: shown only when both
# are chosen, so a document filtered to one does not carry the other.
PATTERN_KINDS = (Kind.BREACH, Kind.EVIDENCE)


def chronology_pdf(context: dict) -> bytes:
    """Render the printable chronology template to PDF bytes."""
    return pdf_from_template("chronology/chronology_pdf.html", context)


def chronology_document(*, case: Case, kinds: Collection[Kind], made_by: User) -> bytes:
    """Return the PDF of a case's chronology (the kinds chosen; none: every kind), made now,
    ending with the pattern of incidents when both breaches and evidence are among the kinds.

    The caller has already been granted the case.
    """
    now = timezone.now()
    with_pattern = all(wanted(kind, kinds) for kind in PATTERN_KINDS)
    return chronology_pdf(
        {
            "case": case,
            "entries": case_chronology(case=case, kinds=kinds),
            "shown": [label for kind, label in KIND_LABELS.items() if kind in kinds],
            "pattern": case_pattern(case=case, now=now, title_id="chronology-pattern-chart")
            if with_pattern
            else None,
            "made_at": timezone.localtime(now),
            "made_by": made_by,
        }
    )
