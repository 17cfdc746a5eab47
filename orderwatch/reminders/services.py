"""The reminder sweep (expiry reminders, ended orders, overdue reviews) and expiry decisions.

The sweep visits only what is due: orders and open reviews carry the day it next has
something to do for them (`schedule`), indexed. It works one case at a time, each in its own
short transaction that locks the case row first like any other write, so pages and saves never
wait for the whole run. It is safe to run as often as you like, and concurrently: each task and
each alert is made once, guarded by unique constraints, and on PostgreSQL a session-level
advisory lock makes a second run at the same moment do nothing.
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from orderwatch.access.policy import CaseClosed, case_lock, case_lock_for_change
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.core import metrics
from orderwatch.events.services import case_event_record
from orderwatch.events.table import CaseEvent
from orderwatch.orders.models import Order
from orderwatch.orders.selectors import order_state
from orderwatch.orders.status import Status, ends_within
from orderwatch.reminders import schedule
from orderwatch.reminders.models import ExpiryDecision, TeamAlert
from orderwatch.reminders.selectors import ExpiryTaskPage, expiry_task_page
from orderwatch.tasks.models import Task
from orderwatch.tasks.services import case_task_owner, task_finish, task_open

logger = logging.getLogger(__name__)

EXPIRY_TASK_TITLE = "Consider extension or an alternative protective order"
# Any fixed number will do, as long as nothing else in the service uses it as a lock key.
SWEEP_LOCK_KEY = 0x0D_E7_5E_E9
# How far back an order's ending still counts as "just expired" (a sweep may have been down).
EXPIRED_LOOKING_BACK_DAYS = 14


@dataclass(frozen=True)
class SweepResult:
    """How much one sweep did: counts only, safe to log."""

    ran: bool  # False when another sweep held the lock
    reviews_opened: int = 0
    reminders_opened: int = 0
    reminders_skipped: int = 0  # cases with nobody on the team to take the task
    ending_alerts: int = 0
    expired_alerts: int = 0
    overdue_alerts: int = 0
    cases_failed: int = 0  # cases whose work was rolled back, to be tried again next run


def _expiry_due_on(ends_on: dt.date, today: dt.date) -> dt.date:
    due = ends_on - dt.timedelta(days=settings.ORDERWATCH_EXPIRY_DECISION_DUE_DAYS_BEFORE_END)
    return max(due, today)


def _first_time(*, event: CaseEvent, subject_id, key: str = "") -> bool:
    """Claim an event the sweep notices (an order ended, a reminder, an overdue review) once;
    True if this run is the first to notice it."""
    claim = {"kind": event.value, "subject_id": subject_id, "key": key}
    if TeamAlert.objects.filter(**claim).exists():
        return False
    try:
        with transaction.atomic():
            TeamAlert.objects.create(**claim)
    except IntegrityError:
        return False  # a concurrent sweep has just claimed it
    return True


def _order_visit(*, case: Case, order: Order, today: dt.date, decided: set, done: Counter):
    """Do what is due today for one order, then schedule its next visit."""
    weeks = settings.ORDERWATCH_EXPIRY_REMINDER_WEEKS
    state = order_state(order, today)
    ends_on = state.ends_on
    if state.status == Status.EXPIRED and ends_on is not None:
        recent = ends_on >= today - dt.timedelta(days=EXPIRED_LOOKING_BACK_DAYS)
        if recent and _first_time(
            event=CaseEvent.ORDER_EXPIRED, subject_id=order.pk, key=ends_on.isoformat()
        ):
            case_event_record(
                actor=None,
                case=case,
                event=CaseEvent.ORDER_EXPIRED,
                subject=order,
                link=order.get_absolute_url(),
            )
            done["reviews_opened"] += 1
            done["expired_alerts"] += 1
    elif weeks and ends_within(state, max(weeks) * 7) and (order.pk, ends_on) not in decided:
        offset = schedule.reminder_offset(state.days_to_end, weeks)
        assignee = case_task_owner(case) if offset is not None else None
        if offset is not None and assignee is None:
            done["reminders_skipped"] += 1
            return  # still due: looked at again once someone is on the team
        if offset is not None:
            task = task_open(
                actor=None,
                case=case,
                kind=Task.Kind.EXPIRY_DECISION,
                title=EXPIRY_TASK_TITLE,
                assignee=assignee,
                due_on=_expiry_due_on(ends_on, today),
                origin=Task.Origin.ORDER_ENDING,
                origin_id=order.pk,
                origin_key=schedule.expiry_task_key(ends_on, offset),
            )
            if _first_time(event=CaseEvent.ORDER_ENDING, subject_id=task.pk):
                case_event_record(
                    actor=None,
                    case=case,
                    event=CaseEvent.ORDER_ENDING,
                    subject=task,
                    link=task.get_absolute_url(),
                )
                done["reminders_opened"] += 1
                done["ending_alerts"] += 1
    order.next_reminder_on = (
        None
        if state.status == Status.DISCHARGED
        else schedule.next_order_visit(
            ends_on=ends_on, today=today, weeks=weeks, decided=(order.pk, ends_on) in decided
        )
    )
    order.save(update_fields=["next_reminder_on"])


def _review_visit(*, case: Case, task: Task, today: dt.date, done: Counter) -> None:
    """Alert the team about an overdue review once per repeat, then schedule the next alert."""
    repeat_days = settings.ORDERWATCH_OVERDUE_REVIEW_ALERT_REPEAT_DAYS
    if task.due_on < today:
        repeat = schedule.overdue_alert_repeat(
            due_on=task.due_on, today=today, repeat_days=repeat_days
        )
        key = str(repeat) if repeat_days > 0 else ""
        if _first_time(event=CaseEvent.REVIEW_OVERDUE, subject_id=task.pk, key=key):
            case_event_record(
                actor=None,
                case=case,
                event=CaseEvent.REVIEW_OVERDUE,
                subject=task,
                link=task.get_absolute_url(),
            )
            done["overdue_alerts"] += 1
        task.overdue_alert_on = schedule.next_overdue_alert(
            due_on=task.due_on, today=today, repeat_days=repeat_days
        )
    else:
        task.overdue_alert_on = task.due_on + schedule.DAY
    task.save(update_fields=["overdue_alert_on"])


def _case_visit(*, case_id, today: dt.date, done: Counter) -> None:
    """Do everything due today on one case, in one short transaction, the case row first."""
    with transaction.atomic(durable=True):
        try:
            case = case_lock(case_id)
        except CaseClosed:
            return  # closed since `_cases_due` read it: nothing is due on a closed case
        orders = list(
            Order.objects.filter(case=case, next_reminder_on__lte=today)
            .select_related("order_type")
            .prefetch_related("changes")
            .order_by("pk")
        )
        decided = set(
            ExpiryDecision.objects.filter(order__in=orders).values_list("order_id", "ends_on")
        )
        for order in orders:
            _order_visit(case=case, order=order, today=today, decided=decided, done=done)
        reviews = Task.objects.filter(
            case=case, overdue_alert_on__lte=today, done_at__isnull=True
        ).order_by("pk")
        for task in reviews:
            _review_visit(case=case, task=task, today=today, done=done)


def _cases_due(today: dt.date) -> list:
    """Return the open cases with an order or an open review due a visit today (two indexed
    reads). A closed case has no reminders or alerts (ADR 0037); what comes due while it is
    closed is visited once it is reopened."""
    open_cases = {"case__status": Case.Status.OPEN}
    orders = Order.objects.filter(next_reminder_on__lte=today, **open_cases).values_list(
        "case_id", flat=True
    )
    reviews = Task.objects.filter(
        overdue_alert_on__lte=today, done_at__isnull=True, **open_cases
    ).values_list("case_id", flat=True)
    return sorted(set(orders) | set(reviews))


@contextmanager
def _sweep_lock() -> Iterator[bool]:
    """Hold the sweep's advisory lock for the run; yield False if another sweep holds it."""
    if connection.vendor != "postgresql":
        yield True  # SQLite: IMMEDIATE transactions queue writers; unique constraints do the rest
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK_KEY])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK_KEY])


def reminders_sweep(*, today: dt.date) -> SweepResult:
    """Do all scheduled work due by `today`: expiry reminders, ended orders (a review, alerts,
    parties to update) and overdue-review alerts. Logs counts only.

    A case whose work fails is rolled back alone, logged by its id, and tried again next run.
    """
    with _sweep_lock() as held:
        if not held:
            logger.info("Reminder sweep skipped: another sweep is running")
            return SweepResult(ran=False)
        done: Counter = Counter()
        with metrics.SWEEP_SECONDS.time():
            for case_id in _cases_due(today):
                try:
                    _case_visit(case_id=case_id, today=today, done=done)
                except Exception:
                    logger.exception("Reminder sweep: the work due on case %s failed", case_id)
                    done["cases_failed"] += 1
    result = SweepResult(ran=True, **done)
    logger.info(
        "Reminder sweep: %d expiry reminders opened, %d skipped (no one on the team), "
        "%d ending, %d expired and %d overdue-review alerts, %d cases to try again",
        result.reminders_opened,
        result.reminders_skipped,
        result.ending_alerts,
        result.expired_alerts,
        result.overdue_alerts,
        result.cases_failed,
    )
    return result


@transaction.atomic(durable=True)
def expiry_task_open(*, actor: User, task_id) -> ExpiryTaskPage:
    """Return the reminder page's contents, recording that the actor viewed the case."""
    page = expiry_task_page(user=actor, task_id=task_id)
    audit_record(
        actor=actor,
        verb=Verb.CASE_VIEWED,
        target=page.task.case,
        case=page.task.case,
        payload={"page": "expiry_decision"},
    )
    return page


@transaction.atomic(durable=True)
def expiry_decision_record(
    *,
    actor: User,
    case: Case,
    task_id,
    decision: str,
    alternative_code: str = "",
    reason: str = "",
) -> ExpiryDecision:
    """Record what will happen as an order ends, and why; it closes the order's open reminders.

    Nothing is saved unless the whole decision is valid.
    """
    case = case_lock_for_change(actor, case.pk)
    try:
        task = Task.objects.select_for_update().get(
            pk=task_id, case=case, kind=Task.Kind.EXPIRY_DECISION
        )
    except (Task.DoesNotExist, ValueError, ValidationError) as error:
        raise ValidationError({"task": "Select a reminder about an order on this case"}) from error
    if task.is_done:
        raise ValidationError({"task": "A decision has already been recorded for this reminder"})
    order = (
        Order.objects.select_related("order_type")
        .prefetch_related("changes", "order_type__alternatives")
        .get(pk=task.origin_id, case=case)
    )
    errors = {}
    if decision not in ExpiryDecision.Decision.values:
        errors["decision"] = "Select what will happen as the order ends"
    alternative = None
    if decision == ExpiryDecision.Decision.ALTERNATIVE:
        options = {t.code: t for t in order.order_type.alternatives.all()}
        alternative = options.get(alternative_code)
        if alternative is None:
            errors["alternative"] = "Select which order to seek, from the options for this order"
    elif alternative_code:
        errors["alternative"] = "Only choose an order to seek if seeking an alternative order"
    if decision == ExpiryDecision.Decision.EXTEND and order.order_type.fixed_maximum_days:
        errors["decision"] = (
            f"A {order.order_type.name[0].lower()}{order.order_type.name[1:]} cannot be "
            "extended; choose an alternative order or no further order"
        )
    if not reason.strip():
        errors["reason"] = "Enter why this is the right next step"
    if errors:
        raise ValidationError(errors)
    state = order_state(order)
    record = ExpiryDecision.objects.create(
        order=order,
        ends_on=state.ends_on or order.ends_on,
        decision=decision,
        alternative=alternative,
        reason=reason.strip(),
        created_by=actor,
    )
    # Every open reminder about this order asks the same question: one answer closes them all.
    tasks = list(
        Task.objects.select_for_update().filter(
            case=case,
            kind=Task.Kind.EXPIRY_DECISION,
            origin_id=order.pk,
            done_at__isnull=True,
        )
    )
    record.tasks.set(tasks)
    for open_task in tasks:
        task_finish(actor=actor, task=open_task)
    audit_record(
        actor=actor,
        verb=Verb.EXPIRY_DECISION_RECORDED,
        target=record,
        case=case,
        fields=["decision", "alternative", "reason"],
        payload={
            "decision": decision,
            "alternative": alternative.code if alternative else "",
            "tasks": sorted(str(t.pk) for t in tasks),
        },
    )
    return record
