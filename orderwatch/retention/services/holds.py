"""Writes: placing and lifting legal holds, and a closed case's retention review. Each is
audited in the same transaction; the case row is locked first (ADR 0012)."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from orderwatch.access.policy import case_lock_for_legal_hold
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.core.submissions import submission_claim
from orderwatch.retention.models import CaseRetention, LegalHold
from orderwatch.retention.schedule import read_schedule, retention_for
from orderwatch.retention.selectors import case_retention_facts

REASON_MAX = 500


def legal_holds_url(case: Case) -> str:
    """Return the page of a case's holds (its id only: no words in the address)."""
    return reverse("retention:place", kwargs={"case_id": case.pk})


def _reason_text(value: str, *, field: str, missing: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationError({field: missing})
    if len(text) > REASON_MAX:
        raise ValidationError({field: f"Reason must be {REASON_MAX} characters or fewer"})
    return text


@transaction.atomic(durable=True)
def legal_hold_place(
    *,
    actor: User,
    case: Case,
    kind: LegalHold.Kind | str,
    other_reason: str = "",
    submission_key: uuid.UUID | None = None,
) -> LegalHold:
    """Stop the case's records being disposed of until the hold is lifted."""
    case = case_lock_for_legal_hold(actor, case.pk)
    if not actor.has_perm("retention.place_legal_hold", case):
        raise PermissionDenied
    if kind not in LegalHold.Kind.values:
        raise ValidationError({"kind": "Select why the records must be kept"})
    if kind == LegalHold.Kind.OTHER:
        other_reason = _reason_text(
            other_reason, field="other_reason", missing="Enter why the records must be kept"
        )
    else:
        other_reason = ""
    submission_claim(key=submission_key, actor=actor, url=legal_holds_url(case))
    hold = LegalHold.objects.create(
        case=case,
        kind=kind,
        other_reason=other_reason,
        placed_by=actor,
        placed_at=timezone.now(),
        created_by=actor,
    )
    # The kind only: the text of another reason is sealed on the hold, never in the audit log.
    audit_record(
        actor=actor, verb=Verb.LEGAL_HOLD_PLACED, target=hold, case=case, payload={"kind": kind}
    )
    return hold


@transaction.atomic(durable=True)
def legal_hold_lift(*, actor: User, case: Case, hold: LegalHold, reason: str) -> LegalHold:
    """Lift a hold, with the reason it is no longer needed; other holds on the case stay."""
    case = case_lock_for_legal_hold(actor, case.pk)
    if not actor.has_perm("retention.lift_legal_hold", case):
        raise PermissionDenied
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk, case=case)
    if hold.is_lifted:
        raise ValidationError("This hold has already been lifted")
    hold.lift_reason = _reason_text(
        reason, field="reason", missing="Enter why the hold is no longer needed"
    )
    hold.lifted_by = actor
    hold.lifted_at = timezone.now()
    hold.save(update_fields=["lift_reason", "lifted_by", "lifted_at", "modified_at"])
    audit_record(
        actor=actor,
        verb=Verb.LEGAL_HOLD_LIFTED,
        target=hold,
        case=case,
        payload={"kind": hold.kind},
    )
    return hold


@transaction.atomic
def case_retention_review_set(
    *,
    actor: User | None,
    case: Case,
    closed_on: dt.date,
    evidence_may_be_relevant: bool | None = None,
) -> CaseRetention:
    """Give a closed case its retention class and review date, from the schedule in force.

    Called by the close flow inside its own transaction, with the case row already locked
    (`case_lock_for_change`). `evidence_may_be_relevant` is what the closer said, if asked;
    left None, it is read from the case (any evidence kept, or any breach recorded). A case
    closed again gets a fresh review in place of the old one.
    """
    if not getattr(case, "row_locked", False):
        raise RuntimeError("Lock the case row before setting its retention review")
    facts = case_retention_facts(
        case=case, closed_on=closed_on, evidence_may_be_relevant=evidence_may_be_relevant
    )
    retention = retention_for(facts, read_schedule())
    values = {
        "closed_on": closed_on,
        "retention_class": retention.retention_class,
        "classes": list(retention.classes),
        "review_on": retention.review_on,
        "confirm_before_disposal": retention.confirm_before_disposal,
        "schedule_version": retention.schedule_version,
    }
    review, _ = CaseRetention.objects.update_or_create(
        case=case, defaults=values, create_defaults={**values, "created_by": actor}
    )
    review.full_clean()
    audit_record(
        actor=actor,
        verb=Verb.RETENTION_REVIEW_SET,
        target=review,
        case=case,
        payload={
            "retention_class": retention.retention_class,
            "review_on": retention.review_on.isoformat(),
            "schedule_version": retention.schedule_version,
        },
    )
    return review


@transaction.atomic
def case_retention_review_clear(*, actor: User | None, case: Case) -> None:
    """Remove a reopened case's retention review: an open case is kept while it is worked on.
    Called by the reopen flow in its transaction, with the case row locked."""
    if not getattr(case, "row_locked", False):
        raise RuntimeError("Lock the case row before clearing its retention review")
    review = CaseRetention.objects.filter(case=case).first()
    if review is None:
        return
    audit_record(actor=actor, verb=Verb.RETENTION_REVIEW_CLEARED, target=review, case=case)
    review.delete()
