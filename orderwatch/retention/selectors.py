"""Reads: which cases are under legal hold (the disposal step keeps them out of every batch),
a case's holds and retention review, and the facts the retention rules need."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import (
    access_case_for_legal_hold,
    disposal_cases,
    legal_hold_cases,
)
from orderwatch.accounts.models import User
from orderwatch.breaches.models import Breach
from orderwatch.cases.models import Case, CasePerson
from orderwatch.evidence.models import EvidenceItem
from orderwatch.retention.models import CaseDisposal, CaseRetention, DisposalBatch, LegalHold
from orderwatch.retention.schedule import CaseFacts, Schedule, read_schedule, retention_for


def cases_under_legal_hold() -> QuerySet[Case]:
    """Return every case with a hold not yet lifted. For the disposal step, which acts for no
    one: exclude these from any batch (`Case.objects.exclude(pk__in=cases_under_legal_hold())`)."""
    return Case.objects.filter(
        pk__in=LegalHold.objects.filter(lifted_at__isnull=True).values("case_id")
    )


def case_is_held(case: Case) -> bool:
    """Return whether the case has a hold not yet lifted."""
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists()


@dataclass(frozen=True)
class CaseRetentionSummary:
    """What the case page says about keeping the case: its holds in force and its review."""

    holds: list[LegalHold]
    review: CaseRetention | None
    review_class_name: str


def case_retention_summary(*, case: Case, schedule: Schedule | None = None) -> CaseRetentionSummary:
    """Return the case's holds in force and its retention review, for its team (two queries)."""
    holds = case_legal_holds(case=case)
    review = CaseRetention.objects.filter(case=case).first()
    name = ""
    if review is not None:
        schedule = schedule or read_schedule()
        known = {each.code: each.name for each in schedule.classes}
        name = known.get(review.retention_class, review.retention_class)
    return CaseRetentionSummary(holds=holds, review=review, review_class_name=name)


def case_for_legal_hold(*, user: User, case_id: uuid.UUID | str) -> Case:
    """Return a case `user` may place or lift holds on: 404 outside, 403 for a team member
    who may not."""
    return access_case_for_legal_hold(user, case_id)


def case_for_legal_hold_by_reference(*, user: User, reference: str) -> Case | None:
    """Return the case with this reference if `user` may hold it; None otherwise, whether or
    not it exists, so the search discloses nothing."""
    return legal_hold_cases(user).filter(reference=reference.strip().upper()).first()


def case_legal_holds(*, case: Case) -> list[LegalHold]:
    """Return the holds in force on the case, oldest first."""
    return list(
        LegalHold.objects.filter(case=case, lifted_at__isnull=True).select_related("placed_by")
    )


def legal_hold_get(*, case: Case, hold_id: uuid.UUID | str) -> LegalHold:
    """Return a hold in force on the case, or 404."""
    hold = LegalHold.objects.filter(case=case, pk=hold_id, lifted_at__isnull=True).first()
    if hold is None:
        raise Http404
    return hold


def legal_holds_for(*, user: User) -> list[LegalHold]:
    """Return the holds in force on the cases `user` may hold, newest first (references only)."""
    return list(
        LegalHold.objects.filter(lifted_at__isnull=True, case__in=legal_hold_cases(user))
        .select_related("case", "placed_by")
        .order_by("-placed_at")
    )


def case_retention_facts(
    *, case: Case, closed_on: dt.date, evidence_may_be_relevant: bool | None = None
) -> CaseFacts:
    """Return what the retention rules need to know of a case that closed on `closed_on`: its
    children's dates of birth (sealed, so read in Python) and whether it holds evidence or
    breaches that may be needed in proceedings, unless the closer said."""
    children = CasePerson.objects.filter(case=case, role=CasePerson.Role.CHILD)
    if evidence_may_be_relevant is None:
        evidence_may_be_relevant = (
            EvidenceItem.objects.filter(case=case, removal__isnull=True).exists()
            or Breach.objects.filter(case=case).exists()
        )
    return CaseFacts(
        closed_on=closed_on,
        children_born_on=tuple(child.date_of_birth for child in children),
        evidence_may_be_relevant=evidence_may_be_relevant,
    )


def closed_cases_without_review() -> dict[uuid.UUID, dt.date]:
    """Return the closed cases that have no retention review yet, with the day each closed.

    Closing a case gives it one (the events table, ADR 0037); this finds any that missed it,
    so the report works them out by the rules too.
    """
    closed = Case.objects.filter(status=Case.Status.CLOSED, retention__isnull=True)
    return {
        case_id: timezone.localdate(closed_at)
        for case_id, closed_at in closed.values_list("pk", "closed_at")
    }


@dataclass(frozen=True)
class ReportRow:
    reference: str
    closed_on: dt.date
    retention_class: str
    review_on: dt.date
    confirm_before_disposal: bool
    holds: tuple[str, ...]  # the kinds of the holds in force
    reviewed: bool  # False: worked out now from the schedule, not yet recorded on the case


def retention_report(*, schedule: Schedule | None = None) -> list[ReportRow]:
    """Return every closed case with its class, review date and holds in force, soonest review
    first: from its recorded review, or worked out now by the rules for a closed case without
    one. A dry run: nothing is written. In a fixed number of queries (plus one per case
    without a review, for its facts)."""
    schedule = schedule or read_schedule()
    holds: dict[uuid.UUID, list[str]] = {}
    for case_id, kind in LegalHold.objects.filter(lifted_at__isnull=True).values_list(
        "case_id", "kind"
    ):
        holds.setdefault(case_id, []).append(kind)
    rows = [
        ReportRow(
            reference=review.case.reference,
            closed_on=review.closed_on,
            retention_class=review.retention_class,
            review_on=review.review_on,
            confirm_before_disposal=review.confirm_before_disposal,
            holds=tuple(sorted(holds.get(review.case_id, []))),
            reviewed=True,
        )
        for review in CaseRetention.objects.exclude(
            case__status=Case.Status.DISPOSED
        ).select_related("case")
    ]
    unreviewed = closed_cases_without_review()
    for case in Case.objects.filter(pk__in=unreviewed):
        retention = retention_for(
            case_retention_facts(case=case, closed_on=unreviewed[case.pk]), schedule
        )
        rows.append(
            ReportRow(
                reference=case.reference,
                closed_on=unreviewed[case.pk],
                retention_class=retention.retention_class,
                review_on=retention.review_on,
                confirm_before_disposal=retention.confirm_before_disposal,
                holds=tuple(sorted(holds.get(case.pk, []))),
                reviewed=False,
            )
        )
    return sorted(rows, key=lambda row: (row.review_on, row.reference))


# -- Disposal (ADR 0041) --------------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    case_id: uuid.UUID
    reference: str
    closed_on: dt.date
    retention_class: str  # its name in the schedule
    review_on: dt.date
    confirm_before_disposal: bool


@dataclass(frozen=True)
class DisposalDue:
    """The closed cases an administrator may dispose of that are at or past their review date:
    those that may go now, and those kept by a legal hold."""

    due: list[DueRow]
    held: list[DueRow]


def disposal_due(*, user: User, on: dt.date | None = None) -> DisposalDue:
    """Return `user`'s cases due for disposal on `on` (today), soonest review first, in two
    queries however many there are."""
    on = on or timezone.localdate()
    names = {each.code: each.name for each in read_schedule().classes}
    reviews = (
        CaseRetention.objects.filter(case__in=disposal_cases(user), review_on__lte=on)
        .annotate(
            held=Exists(LegalHold.objects.filter(case=OuterRef("case"), lifted_at__isnull=True))
        )
        .select_related("case")
        .order_by("review_on", "case__reference")
    )
    due, held = [], []
    for review in reviews:
        row = DueRow(
            case_id=review.case_id,
            reference=review.case.reference,
            closed_on=review.closed_on,
            retention_class=names.get(review.retention_class, review.retention_class),
            review_on=review.review_on,
            confirm_before_disposal=review.confirm_before_disposal,
        )
        (held if review.held else due).append(row)
    return DisposalDue(due=due, held=held)


def disposal_batches(*, user: User) -> QuerySet[DisposalBatch]:
    """Return the batches confirmed for `user`'s agency, newest first, with their case counts."""
    if not user.has_perm("retention.dispose_of_records"):
        return DisposalBatch.objects.none()
    return (
        DisposalBatch.objects.filter(agency_id=user.agency_id)
        .select_related("confirmed_by")
        .annotate(case_count=Count("cases"))
        .order_by("-confirmed_at")
    )


def disposal_batch_get(*, user: User, batch_id: uuid.UUID | str) -> DisposalBatch:
    """Return one of `user`'s agency's batches, or 404."""
    batch = disposal_batches(user=user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def disposal_batch_cases(*, batch: DisposalBatch) -> list[CaseDisposal]:
    """Return the tombstones of the batch's cases, by reference, each with its class's name."""
    names = {each.code: each.name for each in read_schedule().classes}
    tombstones = list(batch.cases.order_by("reference"))
    for tombstone in tombstones:
        tombstone.retention_class_name = names.get(
            tombstone.retention_class, tombstone.retention_class
        )
    return tombstones
