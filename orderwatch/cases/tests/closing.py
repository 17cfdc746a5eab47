"""Test helpers: close a case with every open item decided the way that lets it close."""

from orderwatch.cases.models import CaseClosure
from orderwatch.cases.selectors import closing_items
from orderwatch.cases.services import case_close


def all_decided(case) -> dict[str, str]:
    """Return a decision that lets the case close for everything still open on it."""
    return {item.field: item.question.close_code for item in closing_items(case=case)}


def closed(actor, case, reason=CaseClosure.Reason.ORDERS_ENDED, reason_text="") -> CaseClosure:
    return case_close(
        actor=actor,
        case_id=case.pk,
        reason=reason,
        reason_text=reason_text,
        decisions=all_decided(case),
    )
