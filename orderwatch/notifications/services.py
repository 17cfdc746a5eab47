"""Telling the case team that something happened, without saying what in the message.

Each notification to someone who can sign in is also emailed, by a background task queued when
the event's transaction commits. Delivery is recorded on the notification itself, so a send that
fails is retried and stays visible (`manage.py send_pending_emails --report`) whatever the task
backend keeps.
"""

import datetime as dt
import logging
import smtplib
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import visible_cases
from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.notifications.emails import case_update_email
from orderwatch.notifications.models import Notification
from orderwatch.notifications.notify_backend import NotifyNotSent
from orderwatch.notifications.selectors import my_notifications
from orderwatch.tasks.services import case_task_owner
from orderwatch.worker.claims import claim_holder, claim_lapsed, claims_lapsed

logger = logging.getLogger(__name__)

EmailStatus = Notification.EmailStatus

# After this many failed attempts an alert email is marked failed and no longer retried.
EMAIL_MAX_ATTEMPTS = 5
# An attempt made outside the worker with no outcome after this long is taken to have died (one
# made by `run_worker` is taken over as soon as its task is no longer running: ADR 0019).
EMAIL_SEND_TIMEOUT = dt.timedelta(minutes=10)
# An email never attempted this long after its event is taken to have lost its queued task.
EMAIL_QUEUE_GRACE = dt.timedelta(minutes=15)


class EmailNotSent(Exception):
    """An alert email was not sent. The message holds ids and the kind of error only."""


def email_retry_delay(attempts: int) -> dt.timedelta:
    """Return how long to wait after the `attempts`-th failure: 1, 4, 16, 64 minutes."""
    return dt.timedelta(minutes=4 ** (attempts - 1))


# Without a savepoint: called inside the service's transaction, which any failure here fails
# whole, so a savepoint would only add two round trips while the case row is held.
@transaction.atomic(savepoint=False)
def case_team_notify(*, actor: User, case: Case, kind: str, link: str) -> list[Notification]:
    """Notify everyone on the case team now, except the person who did it.

    Everyone who can sign in is also emailed, once the caller's transaction commits: nothing is
    sent for an event that was rolled back. Call it from inside the service that records the
    event, which has checked permissions.
    """
    members = case.team_memberships.filter(left_at__isnull=True).exclude(user=actor)
    return _notify(actor=actor, case=case, kind=kind, link=link, members=members)


@transaction.atomic(savepoint=False)
def case_lead_notify(*, actor: User, case: Case, kind: str, link: str) -> list[Notification]:
    """Notify only whoever the case's tasks go to (the lead), as `case_team_notify` does."""
    owner = case_task_owner(case)
    members = case.team_memberships.filter(left_at__isnull=True, user=owner).exclude(user=actor)
    return _notify(actor=actor, case=case, kind=kind, link=link, members=members)


@transaction.atomic(savepoint=False)
def case_member_notify(
    *, actor: User, case: Case, kind: str, link: str, user: User
) -> list[Notification]:
    """Notify one member of the case team (someone just added), as `case_team_notify` does."""
    members = case.team_memberships.filter(left_at__isnull=True, user=user).exclude(user=actor)
    return _notify(actor=actor, case=case, kind=kind, link=link, members=members)


def _notify(*, actor, case, kind, link, members) -> list[Notification]:
    recipients = members.values_list("user_id", "user__is_active", "user__email")
    made = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            case=case,
            kind=kind,
            link=link,
            created_by=actor,
            email_status=EmailStatus.PENDING if is_active and email else EmailStatus.NOT_NEEDED,
        )
        for user_id, is_active, email in recipients
    )
    for notification in made:
        if notification.email_status == EmailStatus.PENDING:
            # robust: the event is saved whatever happens here; an email not queued now is
            # picked up by `send_pending_emails`.
            transaction.on_commit(_email_queuer(notification.pk), robust=True)
    return made


def _email_queuer(notification_id: uuid.UUID):
    """Return an on-commit hook that queues the notification's email."""

    def queue_email() -> None:
        notification_email_enqueue(notification_id=notification_id)

    return queue_email


def notification_email_enqueue(
    *, notification_id: uuid.UUID, delay: dt.timedelta | None = None
) -> bool:
    """Queue the email for a notification, now or after `delay`; return whether it was queued.

    A delay needs a backend that can defer (the database one can); without one, the retry is
    left to `send_pending_emails`.
    """
    from orderwatch.notifications.tasks import notification_email_send as send_task

    task = send_task
    if delay is not None:
        if not task.get_backend().supports_defer:
            return False
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(notification_id=str(notification_id))
    return True


def notification_email_send(*, notification_id: uuid.UUID | str) -> bool:
    """Email a notification's recipient that there is an update; return whether this sent it.

    Safe to run again, or twice at once: each attempt is claimed on the notification first, so
    only one runs, and a sent email is never sent again. A failure is counted and its kind
    recorded, a retry is queued after a growing delay, and `EmailNotSent` is raised so the task
    backend records the failure too.
    """
    now = timezone.now()
    with transaction.atomic(durable=True):
        notification = (
            Notification.objects.select_related("recipient")
            .filter(pk=notification_id, email_status=EmailStatus.PENDING)
            .first()
        )
        if notification is None or _being_sent(notification, now=now):
            return False
        recipient = notification.recipient
        still_needed = (
            recipient.is_active
            and recipient.email
            and visible_cases(recipient).filter(pk=notification.case_id).exists()
        )
        claim = Notification.objects.filter(
            pk=notification.pk,
            email_status=EmailStatus.PENDING,
            email_attempts=notification.email_attempts,
        )
        if not still_needed:
            # Someone who has left the team, or can no longer sign in, is not emailed.
            claim.update(email_status=EmailStatus.NOT_NEEDED, modified_at=now)
            return False
        attempt = notification.email_attempts + 1
        if not claim.update(
            email_attempts=F("email_attempts") + 1,
            email_attempted_at=now,
            email_attempt_task=claim_holder(),
            last_email_error="",
            modified_at=now,
        ):
            return False
    try:
        case_update_email(
            notification_id=notification.pk, kind=notification.kind, to=recipient.email
        ).send()
    except Exception as error:
        kind = _error_kind(error)
        _email_failed(notification_id=notification.pk, attempt=attempt, kind=kind)
        # from None: the original error's message may name the recipient's address.
        raise EmailNotSent(
            f"Notification {notification.pk} not emailed "
            f"(attempt {attempt} of {EMAIL_MAX_ATTEMPTS}): {kind}"
        ) from None
    sent_at = timezone.now()
    Notification.objects.filter(pk=notification.pk, email_attempts=attempt).update(
        email_status=EmailStatus.SENT, emailed_at=sent_at, modified_at=sent_at
    )
    return True


def _being_sent(notification: Notification, *, now: dt.datetime) -> bool:
    """Return whether another attempt at this email is under way (its claim has not lapsed)."""
    return (
        notification.email_attempted_at is not None
        and not notification.last_email_error
        and not claim_lapsed(
            holder=notification.email_attempt_task,
            claimed_at=notification.email_attempted_at,
            timeout=EMAIL_SEND_TIMEOUT,
            now=now,
        )
    )


def _error_kind(error: Exception) -> str:
    """Return the error's class, and an SMTP reply code or Notify's HTTP status (or why it gave
    none) if any; never its message."""
    kind = type(error).__name__
    if isinstance(error, smtplib.SMTPResponseException):
        kind = f"{kind} {error.smtp_code}"
    elif isinstance(error, NotifyNotSent):
        kind = f"{kind} {error.reason}"
    return kind[:200]


def _email_failed(*, notification_id: uuid.UUID, attempt: int, kind: str) -> None:
    """Record a failed attempt; queue a retry, or give up after the last attempt."""
    gave_up = attempt >= EMAIL_MAX_ATTEMPTS
    Notification.objects.filter(
        pk=notification_id, email_status=EmailStatus.PENDING, email_attempts=attempt
    ).update(
        email_status=EmailStatus.FAILED if gave_up else EmailStatus.PENDING,
        last_email_error=kind,
        modified_at=timezone.now(),
    )
    if gave_up:
        logger.error(
            "Notification %s email failed %d times (%s); giving up. "
            "`manage.py send_pending_emails --retry-failed` tries again.",
            notification_id,
            attempt,
            kind,
        )
        return
    delay = email_retry_delay(attempt)
    logger.warning(
        "Notification %s email failed (attempt %d of %d: %s); retrying in %s.",
        notification_id,
        attempt,
        EMAIL_MAX_ATTEMPTS,
        kind,
        delay,
    )
    notification_email_enqueue(notification_id=notification_id, delay=delay)


def notification_emails_requeue(*, retry_failed: bool = False) -> int:
    """Queue every alert email that is due a try but has no live task; return how many.

    That is: one never attempted long after its event (its task was lost), one whose attempt
    died with its worker, and one whose retry delay has passed. With `retry_failed`, emails that
    failed every attempt get a fresh set of attempts. Safe to run as often as you like: a
    second task for the same email finds it claimed or sent and does nothing.
    """
    now = timezone.now()
    if retry_failed:
        Notification.objects.filter(email_status=EmailStatus.FAILED).update(
            email_status=EmailStatus.PENDING, email_attempts=0, modified_at=now
        )
    retry_due = Q(pk__in=[])
    for attempts in range(1, EMAIL_MAX_ATTEMPTS):
        retry_due |= Q(
            email_attempts=attempts,
            email_attempted_at__lte=now - email_retry_delay(attempts),
        )
    due = (
        Q(email_attempted_at__isnull=True, created_at__lte=now - EMAIL_QUEUE_GRACE)
        | Q(email_attempted_at__isnull=False, last_email_error="")
        & claims_lapsed(
            holder_field="email_attempt_task",
            claimed_at_field="email_attempted_at",
            timeout=EMAIL_SEND_TIMEOUT,
            now=now,
        )
        | (~Q(last_email_error="") & retry_due)
        # Given a fresh set of attempts just now.
        | Q(email_attempts=0, email_attempted_at__isnull=False)
    )
    ids = list(
        Notification.objects.filter(due, email_status=EmailStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    for notification_id in ids:
        notification_email_enqueue(notification_id=notification_id)
    return len(ids)


@dataclass(frozen=True)
class EmailBacklog:
    waiting: int
    retrying: int
    failed: list[tuple[uuid.UUID, str]]


def notification_email_backlog() -> EmailBacklog:
    """Return how many alert emails wait for a first try or a retry, and which failed."""
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING)
    return EmailBacklog(
        waiting=pending.filter(last_email_error="").count(),
        retrying=pending.exclude(last_email_error="").count(),
        failed=list(
            Notification.objects.filter(email_status=EmailStatus.FAILED)
            .order_by("created_at")
            .values_list("pk", "last_email_error")
        ),
    )


@transaction.atomic(durable=True)
def notification_open(*, actor: User, notification_id) -> Notification:
    """Mark one of the actor's notifications read and return it (for its link)."""
    try:
        notification = my_notifications(user=actor).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError) as error:
        raise Http404 from error
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "modified_at"])
    return notification


@transaction.atomic(durable=True)
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark all the actor's unread notifications read; return how many."""
    return my_notifications(user=actor).filter(read_at__isnull=True).update(read_at=timezone.now())
