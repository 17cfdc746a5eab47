"""Changes to safety plans and risk levels: one transaction, a permission check, an audit event.

Events elsewhere (a breach, a move, an order ending) add a reason to the case's one open
review through `safety_review_open`; recording the review completes it for all its reasons.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from orderwatch.access.policy import access_case, case_lock_for_change
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.core.submissions import submission_claim
from orderwatch.safety.models import (
    RiskAssessment,
    SafetyAction,
    SafetyAgreement,
    SafetyMeasure,
    SafetyPlan,
    SafetyReview,
)
from orderwatch.tasks.models import Task, TaskReason
from orderwatch.tasks.services import (
    case_task_owner,
    task_finish,
    task_open,
    working_days_from_today,
)

REVIEW_TITLES = {
    Task.Origin.BREACH: "Review the safety plan after a breach",
    Task.Origin.INCIDENT: "Review the safety plan after an incident",
    Task.Origin.ADDRESS_CHANGE: "Review the safety plan after a move",
    Task.Origin.ORDER_ENDED: "Review the safety plan: an order has ended",
    Task.Origin.PATTERN: "Review risk and the safety plan: the pattern of incidents has changed",
}


def _plan(case: Case, actor: User | None) -> SafetyPlan:
    plan, _ = SafetyPlan.objects.get_or_create(case=case, defaults={"created_by": actor})
    return plan


def _required(**values: str) -> dict[str, str]:
    return {name: message for name, (value, message) in values.items() if not value.strip()}


def review_title(origins: list[str]) -> str:
    """Return the title of a review gathering reasons of these origins, oldest first."""
    if len(origins) == 1:
        return REVIEW_TITLES[origins[0]]
    start = (
        "Review risk and the safety plan"
        if Task.Origin.PATTERN in origins
        else "Review the safety plan"
    )
    return f"{start}: {len(origins)} things have happened"


def safety_review_open(*, actor: User | None, case: Case, origin: str, origin_id) -> Task:
    """Add the event as a reason to the case's one open safety-plan review, opening one for the
    lead if none is open; inside the caller's work, with the case row locked (ADR 0030).

    Once per event: an event already a reason returns its review. A review already open keeps
    its due date, the earliest, so no later event puts off a review that is due (ADR 0030).
    Raises ValueError when nobody on the case team can take it and no one is acting.
    """
    known = TaskReason.objects.filter(origin=origin, origin_id=origin_id).select_related("task")
    if (reason := known.first()) is not None:
        return reason.task
    review = (
        case.tasks.select_for_update()
        .filter(kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True)
        .first()
    )
    if review is None:
        assignee = case_task_owner(case) or actor
        if assignee is None:
            raise ValueError("A review needs someone on the case team to assign it to")
        review = task_open(
            actor=actor,
            case=case,
            kind=Task.Kind.SAFETY_REVIEW,
            title=REVIEW_TITLES[origin],
            assignee=assignee,
            due_on=working_days_from_today(settings.ORDERWATCH_SAFETY_REVIEW_WORKING_DAYS),
            origin=origin,
            origin_id=origin_id,
            alert_when_overdue=True,
        )
        TaskReason.objects.create(task=review, origin=origin, origin_id=origin_id, created_by=actor)
        return review
    TaskReason.objects.create(task=review, origin=origin, origin_id=origin_id, created_by=actor)
    review.title = review_title(list(review.reasons.values_list("origin", flat=True)))
    review.save(update_fields=["title", "modified_at"])
    audit_record(
        actor=actor,
        verb=Verb.TASK_REASON_ADDED,
        target=review,
        case=case,
        payload={"origin": origin},
    )
    return review


@transaction.atomic(durable=True)
def safety_plan_open(*, actor: User, case_id) -> Case:
    """Return a case whose safety plan the actor may see, recording that they viewed it.

    The plan says where the victim-survivor is safe and how (a safe room, pick-up times), so
    reading it is audited like viewing the case.
    """
    case = access_case(actor, case_id)
    audit_record(
        actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case, payload={"page": "safety_plan"}
    )
    return case


@transaction.atomic(durable=True)
def safety_action_add(
    *,
    actor: User,
    case: Case,
    what: str,
    who: str,
    due_on: dt.date | None,
    submission_key: uuid.UUID | None = None,
) -> SafetyAction:
    """Add an action to the case's safety plan (making the plan if it has none yet)."""
    case = case_lock_for_change(actor, case.pk)
    errors = _required(what=(what, "Enter what will be done"), who=(who, "Enter who will do it"))
    if due_on and due_on < timezone.localdate():
        errors["due_on"] = "The date it is due must be today or in the future"
    if errors:
        raise ValidationError(errors)
    action = SafetyAction.objects.create(
        plan=_plan(case, actor), what=what.strip(), who=who.strip(), due_on=due_on, created_by=actor
    )
    submission_claim(
        key=submission_key, actor=actor, url=reverse("safety:plan", kwargs={"case_id": case.pk})
    )
    audit_record(actor=actor, verb=Verb.SAFETY_ACTION_ADDED, target=action, case=case)
    return action


@transaction.atomic(durable=True)
def safety_action_mark_done(*, actor: User, case: Case, action_id) -> SafetyAction:
    """Mark an action on the case's plan done, once; 404 for an action on any other plan."""
    case = case_lock_for_change(actor, case.pk)
    try:
        action = SafetyAction.objects.select_for_update().get(pk=action_id, plan__case=case)
    except (SafetyAction.DoesNotExist, ValueError) as error:
        raise Http404 from error
    if action.done_at is None:
        action.done_at, action.done_by = timezone.now(), actor
        action.save(update_fields=["done_at", "done_by", "modified_at"])
        audit_record(actor=actor, verb=Verb.SAFETY_ACTION_DONE, target=action, case=case)
    return action


@transaction.atomic(durable=True)
def safety_measure_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    details: str,
    status: str,
    submission_key: uuid.UUID | None = None,
) -> SafetyMeasure:
    """Add a practical safety measure (planned or in place) to the case's plan."""
    case = case_lock_for_change(actor, case.pk)
    errors = _required(details=(details, "Enter what the measure is and where"))
    if errors:
        raise ValidationError(errors)
    measure = SafetyMeasure(
        plan=_plan(case, actor), kind=kind, details=details.strip(), status=status, created_by=actor
    )
    measure.full_clean()
    measure.save()
    submission_claim(
        key=submission_key, actor=actor, url=reverse("safety:plan", kwargs={"case_id": case.pk})
    )
    audit_record(actor=actor, verb=Verb.SAFETY_MEASURE_ADDED, target=measure, case=case)
    return measure


@transaction.atomic(durable=True)
def safety_agreement_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    made_with: str,
    agreed_on: dt.date | None,
    says: str,
    review_on: dt.date | None,
    submission_key: uuid.UUID | None = None,
) -> SafetyAgreement:
    """Add a written agreement or statement of expectations with the family to the plan."""
    case = case_lock_for_change(actor, case.pk)
    errors = _required(
        made_with=(made_with, "Enter who the agreement is with"),
        says=(says, "Enter what the agreement says"),
    )
    if kind not in SafetyAgreement.Kind.values:
        errors["kind"] = "Select whether it is a written agreement or a statement of expectations"
    if agreed_on is None:
        errors["agreed_on"] = "Enter the date it was agreed"
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = "The date it was agreed must be today or in the past"
    elif review_on is not None and review_on < agreed_on:
        errors["review_on"] = "The date it will be reviewed must be on or after the date agreed"
    if errors:
        raise ValidationError(errors)
    agreement = SafetyAgreement(
        plan=_plan(case, actor),
        kind=kind,
        made_with=made_with.strip(),
        agreed_on=agreed_on,
        says=says.strip(),
        review_on=review_on,
        created_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    submission_claim(
        key=submission_key, actor=actor, url=reverse("safety:plan", kwargs={"case_id": case.pk})
    )
    audit_record(
        actor=actor,
        verb=Verb.SAFETY_AGREEMENT_ADDED,
        target=agreement,
        case=case,
        payload={"kind": kind},
    )
    return agreement


@transaction.atomic(durable=True)
def safety_review_record(
    *,
    actor: User,
    case: Case,
    what_changed: str,
    task_ids: list,
    agreements_still_right: str,
    submission_key: uuid.UUID | None = None,
) -> SafetyReview:
    """Record a review of the whole plan, with whether the written agreements or statements
    of expectations are still right; it completes the review tasks it answers."""
    case = case_lock_for_change(actor, case.pk)
    errors = _required(
        what_changed=(what_changed, "Enter what changed in the plan, or that nothing needed to")
    )
    if agreements_still_right not in SafetyReview.AgreementsAnswer.values:
        errors["agreements_still_right"] = (
            "Select whether the written agreements or statements of expectations are still right"
        )
    tasks = list(
        Task.objects.select_for_update().filter(
            pk__in=task_ids, case=case, kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True
        )
    )
    if len(tasks) != len(set(map(str, task_ids))):
        errors["tasks"] = "Select reviews that are still open on this case"
    if errors:
        raise ValidationError(errors)
    review = SafetyReview.objects.create(
        plan=_plan(case, actor),
        what_changed=what_changed.strip(),
        agreements_still_right=agreements_still_right,
        created_by=actor,
    )
    review.tasks.set(tasks)
    for task in tasks:
        task_finish(actor=actor, task=task)
    submission_claim(
        key=submission_key, actor=actor, url=reverse("safety:plan", kwargs={"case_id": case.pk})
    )
    audit_record(
        actor=actor,
        verb=Verb.SAFETY_REVIEWED,
        target=review,
        case=case,
        payload={
            "tasks": sorted(str(t.pk) for t in tasks),
            "agreements_still_right": agreements_still_right,
        },
    )
    return review


@transaction.atomic(durable=True)
def risk_level_set(
    *,
    actor: User,
    case: Case,
    level: str,
    reason: str,
    submission_key: uuid.UUID | None = None,
) -> RiskAssessment:
    """Record the case's risk level now, who set it and why; earlier levels stay as history."""
    case = case_lock_for_change(actor, case.pk)
    errors = _required(reason=(reason, "Enter why this is the risk level now"))
    if level not in RiskAssessment.Level.values:
        errors["level"] = "Select the risk level"
    if errors:
        raise ValidationError(errors)
    assessment = RiskAssessment.objects.create(
        case=case, level=level, reason=reason.strip(), created_by=actor
    )
    submission_claim(
        key=submission_key, actor=actor, url=reverse("safety:plan", kwargs={"case_id": case.pk})
    )
    audit_record(
        actor=actor,
        verb=Verb.RISK_LEVEL_SET,
        target=assessment,
        case=case,
        payload={"level": level},
    )
    return assessment
