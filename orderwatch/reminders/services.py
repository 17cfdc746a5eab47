"""The reminder sweep (expiry reminders and team alerts) and recording an expiry decision.

The sweep is safe to run as often as you like, and concurrently: each task and each alert is
made once, guarded by unique constraints, and on PostgreSQL the whole sweep also holds a
transaction-level advisory lock so a second run at the same moment does nothing.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from orderwatch.access.policy import case_lock_for_change
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.notifications.models import Notification
from orderwatch.notifications.services import case_team_notify
from orderwatch.orders.models import Order
from orderwatch.orders.selectors import order_state
from orderwatch.orders.status import Status, ends_within
from orderwatch.reminders.models import ExpiryDecision, TeamAlert
from orderwatch.reminders.selectors import ExpiryTaskPage, expiry_task_page
from orderwatch.safety.services import safety_reviews_for_ended_orders
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


def reminder_offset(days_to_end: int, weeks: list[int]) -> int | None:
    """Return the smallest offset (in weeks) whose point the order has reached, or None.

    An order ending in 13 days has reached the 2-week point (and the 4- and 8-week ones), so
    its reminder is the 2-week one: a first run never opens a task for every larger offset.
    """
    reached = [w for w in weeks if 0 <= days_to_end <= w * 7]
    return min(reached, default=None)


def expiry_task_key(ends_on: dt.date, weeks: int) -> str:
    """Return the task's origin key: a new end date (an extension) restarts the reminders."""
    return f"{ends_on.isoformat()}:{weeks}w"


def _expiry_due_on(ends_on: dt.date, today: dt.date) -> dt.date:
    due = ends_on - dt.timedelta(days=settings.ORDERWATCH_EXPIRY_DECISION_DUE_DAYS_BEFORE_END)
    return max(due, today)


def _alert_once(*, kind: str, subject_id, key: str = "", case: Case, link: str) -> bool:
    """Notify the case team of an event unless it has been told already; True if told now."""
    event = {"kind": kind, "subject_id": subject_id, "key": key}
    if TeamAlert.objects.filter(**event).exists():
        return False
    try:
        with transaction.atomic():
            TeamAlert.objects.create(**event)
    except IntegrityError:
        return False  # a concurrent sweep has just told them
    case_team_notify(actor=None, case=case, kind=kind, link=link)
    return True


def _orders_with_an_end_between(start: dt.date, end: dt.date):
    return (
        Order.objects.filter(
            Q(ends_on__range=(start, end)) | Q(changes__new_ends_on__range=(start, end))
        )
        .distinct()
        .select_related("case")
        .prefetch_related("changes")
    )


def _expiry_reminders(*, today: dt.date) -> tuple[int, int, int]:
    weeks = settings.ORDERWATCH_EXPIRY_REMINDER_WEEKS
    if not weeks:
        return 0, 0, 0
    horizon = max(weeks) * 7
    orders = list(_orders_with_an_end_between(today, today + dt.timedelta(days=horizon)))
    decided = set(
        ExpiryDecision.objects.filter(order__in=orders).values_list("order_id", "ends_on")
    )
    opened = skipped = alerts = 0
    for order in orders:
        state = order_state(order, today)
        if not ends_within(state, horizon):
            continue
        if (order.pk, state.ends_on) in decided:
            continue  # the team has answered the question for this end date
        offset = reminder_offset(state.days_to_end, weeks)
        if offset is None:
            continue
        assignee = case_task_owner(order.case)
        if assignee is None:
            skipped += 1
            continue
        with transaction.atomic():
            task = task_open(
                actor=None,
                case=order.case,
                kind=Task.Kind.EXPIRY_DECISION,
                title=EXPIRY_TASK_TITLE,
                assignee=assignee,
                due_on=_expiry_due_on(state.ends_on, today),
                origin=Task.Origin.ORDER_ENDING,
                origin_id=order.pk,
                origin_key=expiry_task_key(state.ends_on, offset),
            )
            # The alert is made once per task: whichever sweep records it, notifies.
            if _alert_once(
                kind=Notification.Kind.ORDER_ENDING,
                subject_id=task.pk,
                case=order.case,
                link=task.get_absolute_url(),
            ):
                opened += 1
                alerts += 1
    return opened, skipped, alerts


def _expired_alerts(*, today: dt.date) -> int:
    cutoff = today - dt.timedelta(days=EXPIRED_LOOKING_BACK_DAYS)
    alerts = 0
    for order in _orders_with_an_end_between(cutoff, today - dt.timedelta(days=1)):
        state = order_state(order, today)
        if state.status != Status.EXPIRED or state.ends_on < cutoff:
            continue
        alerts += _alert_once(
            kind=Notification.Kind.ORDER_EXPIRED,
            subject_id=order.pk,
            key=state.ends_on.isoformat(),
            case=order.case,
            link=order.get_absolute_url(),
        )
    return alerts


def _overdue_review_alerts(*, today: dt.date) -> int:
    repeat_days = settings.ORDERWATCH_OVERDUE_REVIEW_ALERT_REPEAT_DAYS
    overdue = Task.objects.filter(
        kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True, due_on__lt=today
    ).select_related("case")
    alerts = 0
    for task in overdue:
        # The key is which repeat this is, so each one is sent once, however often we run.
        days_overdue = (today - task.due_on).days - 1
        key = str(days_overdue // repeat_days) if repeat_days > 0 else ""
        alerts += _alert_once(
            kind=Notification.Kind.REVIEW_OVERDUE,
            subject_id=task.pk,
            key=key,
            case=task.case,
            link=task.get_absolute_url(),
        )
    return alerts


def _sweep_lock() -> bool:
    """Take the sweep's advisory lock for this transaction; False if another sweep holds it."""
    if connection.vendor != "postgresql":
        return True  # SQLite: IMMEDIATE transactions queue writers; unique constraints do the rest
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])
        return cursor.fetchone()[0]


@transaction.atomic(durable=True)
def reminders_sweep(*, today: dt.date) -> SweepResult:
    """Do all scheduled work for `today`: reviews for ended orders, expiry reminders, alerts.

    Safe to run as often as you like, and concurrently. Logs counts only.
    """
    if not _sweep_lock():
        logger.info("Reminder sweep skipped: another sweep is running")
        return SweepResult(ran=False)
    reviews = safety_reviews_for_ended_orders(today=today)
    opened, skipped, ending_alerts = _expiry_reminders(today=today)
    result = SweepResult(
        ran=True,
        reviews_opened=len(reviews),
        reminders_opened=opened,
        reminders_skipped=skipped,
        ending_alerts=ending_alerts,
        expired_alerts=_expired_alerts(today=today),
        overdue_alerts=_overdue_review_alerts(today=today),
    )
    logger.info(
        "Reminder sweep: %d expiry reminders opened, %d skipped (no one on the team), "
        "%d ending, %d expired and %d overdue-review alerts",
        result.reminders_opened,
        result.reminders_skipped,
        result.ending_alerts,
        result.expired_alerts,
        result.overdue_alerts,
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
