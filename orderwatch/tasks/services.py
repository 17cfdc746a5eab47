"""Opening and completing tasks. Other services open tasks through `task_open`."""

import datetime as dt
from functools import cache

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import case_lock_for_change, visible_cases
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.tasks.models import Task
from orderwatch.tasks.working_days import add_working_days


@cache
def _bank_holidays(country: str, subdivision: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision)


def working_days_from_today(days: int) -> dt.date:
    """Return the date `days` working days from today, skipping weekends and bank holidays."""
    return add_working_days(
        timezone.localdate(), days, _bank_holidays(*settings.ORDERWATCH_BANK_HOLIDAYS)
    )


def case_task_owner(case: Case) -> User | None:
    """Return who the case's tasks go to: the lead, or while there is none, the longest-serving
    practitioner or team manager on the team, so no task is left with nobody."""
    membership = (
        case.team_memberships.filter(
            left_at__isnull=True,
            user__is_active=True,
            user__role__in=[User.Role.PRACTITIONER, User.Role.TEAM_MANAGER],
        )
        .select_related("user")
        .order_by("-is_lead", "created_at")
        .first()
    )
    return membership.user if membership else None


# Without a savepoint of its own (the one below is for a concurrent duplicate): called inside
# the service's transaction, which any other failure fails whole.
@transaction.atomic(savepoint=False)
def task_open(
    *,
    actor: User | None,
    case: Case,
    kind: str,
    title: str,
    assignee: User,
    due_on: dt.date,
    origin: str,
    origin_id,
    origin_key: str = "",
    alert_when_overdue: bool = False,
) -> Task:
    """Open a task for an event, once: a second call for the same event returns the first task.

    `origin_key` tells apart several events of one record (an order's 8- and 4-week
    reminders). With `alert_when_overdue`, the reminder sweep alerts the case team the day
    after it is due if it is still open. Call it from inside the service that records the
    event, which has checked permissions.
    """
    event = {"kind": kind, "origin": origin, "origin_id": origin_id, "origin_key": origin_key}
    existing = Task.objects.filter(**event).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            task = Task.objects.create(
                case=case,
                title=title,
                assignee=assignee,
                due_on=due_on,
                overdue_alert_on=due_on + dt.timedelta(days=1) if alert_when_overdue else None,
                created_by=actor,
                **event,
            )
    except IntegrityError:
        # Opened meanwhile by a concurrent call: that task is the one.
        return Task.objects.get(**event)
    audit_record(
        actor=actor,
        verb=Verb.TASK_OPENED,
        target=task,
        case=case,
        payload={"kind": kind, "origin": origin},
    )
    return task


def tasks_hand_on(*, actor: User, case: Case, leaver: User) -> list[Task]:
    """Give the open tasks of someone leaving the case team to whoever now owns its tasks.

    Call it from inside the service that takes them off the team. With nobody left to take
    them, the tasks stay as they are.
    """
    owner = case_task_owner(case)
    if owner is None or owner == leaver:
        return []
    tasks = list(case.tasks.select_for_update().filter(assignee=leaver, done_at__isnull=True))
    for task in tasks:
        task.assignee = owner
        task.save(update_fields=["assignee", "modified_at"])
        audit_record(
            actor=actor,
            verb=Verb.TASK_REASSIGNED,
            target=task,
            case=case,
            fields=["assignee"],
            payload={"to": str(owner.pk)},
        )
    return tasks


def task_finish(*, actor: User, task: Task) -> Task:
    """Mark an open task done inside the caller's transaction (e.g. a review completing it)."""
    task.done_at, task.done_by = timezone.now(), actor
    task.save(update_fields=["done_at", "done_by", "modified_at"])
    audit_record(actor=actor, verb=Verb.TASK_DONE, target=task, case=task.case)
    return task


@transaction.atomic(durable=True)
def task_complete(*, actor: User, task_id) -> Task:
    """Mark a general task done. Tasks with their own record (a review) are done by making it."""
    try:
        case_id = Task.objects.values_list("case_id", flat=True).get(
            pk=task_id, case__in=visible_cases(actor)
        )
    except (Task.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
    case = case_lock_for_change(actor, case_id)
    task = Task.objects.select_for_update().get(pk=task_id, case=case)
    if task.kind != Task.Kind.GENERAL:
        raise ValidationError(f"{task.get_kind_display()} is done by recording it")
    if task.is_done:
        return task
    return task_finish(actor=actor, task=task)
