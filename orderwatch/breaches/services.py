"""Recording breaches. What follows one (a review, the pattern, alerts) is `events`' table."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import access_case, case_lock_for_change
from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.breaches import answers
from orderwatch.breaches.models import Breach, BreachedCondition, Known
from orderwatch.breaches.occurrence import Occurrence
from orderwatch.breaches.selectors import breach_get
from orderwatch.cases.models import Case
from orderwatch.confidential.fields import Confidential
from orderwatch.core.submissions import submission_claim
from orderwatch.events.services import case_event_record
from orderwatch.events.table import CaseEvent
from orderwatch.orders.models import Condition, Order
from orderwatch.orders.selectors import order_state


@dataclass(frozen=True)
class BreachAccount:
    """Everything the practitioner was asked, as answered on the breach form."""

    reported_to_practitioner_at: dt.datetime
    reported_by: str
    occurrence: Occurrence
    location: str
    what_happened: str
    behaviours: list[str]
    severity: int
    police_reported: bool
    respondent_supervised: str
    other_agencies: str
    others_present: str
    witnesses: str
    actions: list[str]
    reported_by_details: str = ""
    location_details: str = ""
    police_reported_on: dt.date | None = None
    police_method: str = ""
    police_reference: str = ""
    police_officer: str = ""
    police_officer_not_known: bool = False
    not_reported_reason: str = ""
    probation_informed_on: dt.date | None = None
    other_agencies_details: str = ""
    others_present_details: str = ""
    witness_details: str = ""
    action_details: str = ""
    # Condition id -> how the conduct breached it.
    breached: dict[str, str] = field(default_factory=dict)
    matches_no_condition: bool = False


def _breached_conditions(
    case: Case, account: BreachAccount, errors: dict
) -> list[tuple[Condition, str]]:
    """Return the picked conditions, checked: on this case, in force then, and said how."""
    try:
        # However the caller spells an id, look it up and key it the same way.
        ids = {key: uuid.UUID(str(key)) for key in account.breached}
    except ValueError:
        errors["conditions"] = "Select conditions from the orders on this case"
        return []
    found = {
        c.pk: c
        for c in Condition.objects.filter(pk__in=ids.values(), order__case=case)
        .select_related("order__order_type")
        .prefetch_related("order__changes")
    }
    if len(found) != len(ids):
        errors["conditions"] = "Select conditions from the orders on this case"
        return []
    conditions = {key: found[pk] for key, pk in ids.items()}
    errors |= answers.conditions_picked_problems(
        account.breached, matches_no_condition=account.matches_no_condition
    )
    first, last = account.occurrence.first_day, account.occurrence.last_day
    picked = []
    for condition_id, how in account.breached.items():
        condition = conditions[condition_id]
        order = condition.order
        if not _in_force_between(order, first, last):
            errors["conditions"] = (
                f"The {order.order_type.name.lower()} was not in force when this happened"
            )
        elif condition.ended_on is not None and condition.ended_on <= first:
            errors["conditions"] = f"“{condition.wording}” no longer applied when this happened"
        picked.append((condition, how.strip()))
    return picked


def _in_force_between(order: Order, first: dt.date, last: dt.date) -> bool:
    """Return True if the order was in force on any day from `first` to `last`.

    An order is in force over one unbroken stretch of days, so it was in force during the
    range if it was on the first or the last day, or on the day it started, inside the range.
    """
    days = (first, last, order.starts_on) if first < order.starts_on < last else (first, last)
    return any(order_state(order, day).in_force for day in days)


@transaction.atomic(durable=True)
def breach_record(
    *, actor: User, case: Case, account: BreachAccount, submission_key: uuid.UUID | None = None
) -> Breach:
    """Record a breach, then run what follows a breach (a safety-plan review for the lead, a
    look at the pattern, alerts to the case team, parties needing an update).

    The answers are checked and the witnesses encrypted before the case row is locked, so other
    saves on the case wait only for what must see theirs (the conditions, the pattern).
    """
    errors = answers.problems(account, now=timezone.localtime())
    witness_details = Confidential.from_plaintext(
        _given(account.witnesses, account.witness_details)
    )
    case = case_lock_for_change(actor, case.pk, keeps_sources=True)
    picked = _breached_conditions(case, account, errors)
    if errors:
        raise ValidationError(errors)
    occurrence = account.occurrence
    reported = account.police_reported
    breach = Breach.objects.create(
        case=case,
        reported_to_practitioner_at=account.reported_to_practitioner_at,
        reported_by=account.reported_by,
        reported_by_details=account.reported_by_details.strip(),
        happened_precision=occurrence.precision,
        happened_on=occurrence.on,
        happened_at_time=occurrence.at if occurrence.precision in answers.TIMED else None,
        happened_until=occurrence.until if occurrence.precision == "range" else None,
        location=account.location,
        location_details=account.location_details.strip(),
        what_happened=account.what_happened.strip(),
        behaviours=sorted(set(account.behaviours)),
        severity=account.severity,
        police_reported=reported,
        police_reported_on=account.police_reported_on if reported else None,
        police_method=account.police_method if reported else "",
        police_reference=account.police_reference.strip() if reported else "",
        police_officer=account.police_officer.strip() if reported else "",
        not_reported_reason="" if reported else account.not_reported_reason.strip(),
        respondent_supervised=account.respondent_supervised,
        probation_informed_on=account.probation_informed_on
        if account.respondent_supervised == Known.GIVEN
        else None,
        other_agencies=account.other_agencies,
        other_agencies_details=_given(account.other_agencies, account.other_agencies_details),
        others_present=account.others_present,
        others_present_details=_given(account.others_present, account.others_present_details),
        witnesses=account.witnesses,
        witness_details=witness_details,
        matches_no_condition=account.matches_no_condition,
        actions=sorted(set(account.actions)),
        action_details=account.action_details.strip(),
        created_by=actor,
    )
    submission_claim(key=submission_key, actor=actor, url=breach.get_absolute_url())
    BreachedCondition.objects.bulk_create(
        BreachedCondition(breach=breach, condition=condition, how=how) for condition, how in picked
    )
    audit_record(
        actor=actor,
        verb=Verb.BREACH_RECORDED,
        target=breach,
        case=case,
        fields=["witness_details"] if account.witnesses == Known.GIVEN else [],
        payload={"conditions": sorted(str(c.pk) for c, _ in picked)},
    )
    case_event_record(
        actor=actor,
        case=case,
        event=CaseEvent.INCIDENT_RECORDED if breach.is_incident else CaseEvent.BREACH_RECORDED,
        subject=breach,
        link=breach.get_absolute_url(),
    )
    return breach


def _given(answer: str, details: str) -> str:
    return details.strip() if answer == Known.GIVEN else ""


@transaction.atomic(durable=True)
def breach_open(*, actor: User, case_id, breach_id) -> Breach:
    """Return a breach the actor may see, recording that they viewed it."""
    breach = breach_get(user=actor, case_id=case_id, breach_id=breach_id)
    audit_record(actor=actor, verb=Verb.BREACH_VIEWED, target=breach, case=breach.case)
    return breach


def _breach_for_change(
    actor: User, case: Case, breach_id, expected_version: int | None = None
) -> Breach:
    case = case_lock_for_change(actor, case.pk, expected_version=expected_version)
    try:
        return Breach.objects.select_for_update().get(pk=breach_id, case=case)
    except (Breach.DoesNotExist, ValueError) as error:
        raise Http404 from error


@transaction.atomic(durable=True)
def breach_police_report_update(
    *,
    actor: User,
    case: Case,
    breach_id,
    now_reported: bool,
    reported_on: dt.date | None = None,
    method: str = "",
    reference: str = "",
    officer: str = "",
    officer_not_known: bool = False,
    resolution: str = "",
    expected_version: int | None = None,
) -> Breach:
    """Resolve an unreported breach: it has now been reported, or why it will not be.

    A decision not to report can still be followed by a report: people change their minds.
    `expected_version`: the case's version the writer last read (an API `If-Match`).
    """
    breach = _breach_for_change(actor, case, breach_id, expected_version)
    if breach.police_reported or (not now_reported and breach.not_reported_resolution):
        raise ValidationError("The police report for this breach has already been recorded")
    if now_reported:
        errors = answers.police_report_problems(
            reported_on=reported_on,
            method=method,
            reference=reference,
            officer=officer,
            officer_not_known=officer_not_known,
            happened_on=breach.happened_on,
            today=timezone.localdate(),
        )
    else:
        errors = {} if resolution.strip() else {"resolution": "Enter why it will not be reported"}
    if errors:
        raise ValidationError(errors)
    if now_reported:
        breach.police_reported = True
        breach.police_reported_on, breach.police_method = reported_on, method
        breach.police_reference, breach.police_officer = reference.strip(), officer.strip()
    else:
        breach.not_reported_resolution = resolution.strip()
    breach.save()
    audit_record(
        actor=actor,
        verb=Verb.BREACH_POLICE_REPORT,
        target=breach,
        case=breach.case,
        payload={"now_reported": now_reported},
    )
    return breach


@transaction.atomic(durable=True)
def breach_witnesses_reveal(
    *, actor: User, case: Case, breach_id, reason: str, step_up: StepUp
) -> str:
    """Return the witnesses' names and contact details, with the reason recorded."""
    case = access_case(actor, case.pk)
    if not actor.has_perm("breaches.reveal_witness_details", case):
        raise PermissionDenied
    if not step_up.is_fresh_for(actor):
        raise PermissionDenied
    try:
        breach = Breach.objects.get(pk=breach_id, case=case)
    except (Breach.DoesNotExist, ValueError) as error:
        raise Http404 from error
    if len(reason.strip()) < settings.ORDERWATCH_REVEAL_MIN_REASON_LENGTH:
        raise ValidationError({"reason": "Enter why you need the witness details, in a few words"})
    audit_record(
        actor=actor,
        verb=Verb.WITNESSES_REVEALED,
        target=breach,
        case=case,
        fields=["witness_details"],
        notes={"reason": reason.strip()},
    )
    return breach.witness_details.reveal()
