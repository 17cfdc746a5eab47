"""Alert emails: each other team member is emailed, with no details, once, and never lost."""

import datetime as dt
import re
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.services import AuditChainUnavailable
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.notifications.models import Notification
from orderwatch.notifications.services import (
    EMAIL_MAX_ATTEMPTS,
    EmailNotSent,
    case_team_notify,
    email_retry_delay,
    notification_email_send,
)
from orderwatch.notifications.tests.email_privacy import case_data_strings, personal_data_in_emails
from orderwatch.orders.models import OrderChange
from orderwatch.orders.services import order_change_record
from orderwatch.sharing.tests.factories import SCHOOL_CONTACT, ShareFactory

pytestmark = pytest.mark.django_db

SUBJECT = "OrderWatch: an update on a case you work on"
BODY = re.compile(
    r"There is an update on a case you work on\. Sign in to see it: "
    r"https://orderwatch\.test/notifications/(?P<id>[0-9a-f-]{36})/\n"
)
FAILING = "orderwatch.notifications.tests.services.test_alert_emails.RefusingBackend"


class RefusingBackend(LocmemBackend):
    """A mail server that refuses every recipient, naming them in the error, as SMTP does."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {m.to[0]: (550, f"No such user {m.to[0]}".encode()) for m in messages}
        )


@pytest.fixture
def second_colleague(case, police):
    user = UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Sec Ond")
    CaseTeamMembershipFactory(case=case, user=user, capacity="Probation officer")
    return user


@pytest.fixture
def inactive_member(case, police):
    user = UserFactory(agency=police, is_active=False, display_name="In Active")
    CaseTeamMembershipFactory(case=case, user=user)
    return user


def assert_only_the_update_and_link(message) -> Notification:
    """Check the email says nothing but the fixed words and a link; return its notification."""
    assert message.subject == SUBJECT
    match = BODY.fullmatch(message.body)
    assert match, message.body
    assert not getattr(message, "alternatives", None)
    assert not message.attachments
    notification = Notification.objects.get(pk=match["id"])
    assert message.to == [notification.recipient.email]
    return notification


def record_breach(actor, case, order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return breach_record(actor=actor, case=case, account=breach_account(order.conditions.get()))


def test_a_breach_emails_each_other_team_member_once_with_only_a_link(
    practitioner,
    colleague,
    second_colleague,
    removed,
    inactive_member,
    outsider,
    case,
    order,
    django_capture_on_commit_callbacks,
):
    record_breach(practitioner, case, order, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([colleague.email, second_colleague.email])
    for message in mail.outbox:
        notification = assert_only_the_update_and_link(message)
        assert notification.kind == Notification.Kind.BREACH_RECORDED
        assert notification.email_status == Notification.EmailStatus.SENT
        assert notification.emailed_at == timezone.now()
        assert notification.email_attempts == 1
        assert case.reference not in message.subject + message.body
    # The inactive member still has the in-app notification, but no email.
    assert Notification.objects.get(recipient=inactive_member).email_status == "not_needed"
    assert not Notification.objects.filter(recipient__in=[practitioner, removed, outsider])


def test_varying_an_order_emails_the_rest_of_the_team(
    practitioner, colleague, removed, case, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order_change_record(
            actor=practitioner,
            order=order,
            kind=OrderChange.Kind.VARIED,
            made_on=timezone.localdate(),
            what_changed="The exclusion zone now covers Elm Road.",
        )

    (message,) = mail.outbox
    notification = assert_only_the_update_and_link(message)
    assert (notification.recipient, notification.kind) == (colleague, "order_varied")
    assert "Elm Road" not in message.body


def test_a_refused_send_stays_pending_counted_and_a_retry_sends_it_once(
    practitioner, colleague, case, order, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    record_breach(practitioner, case, order, django_capture_on_commit_callbacks)

    notification = Notification.objects.get(recipient=colleague)
    assert mail.outbox == []
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_attempts == 1
    assert notification.emailed_at is None
    # The kind of failure and the SMTP code; never the refused address.
    assert notification.last_email_error == "SMTPRecipientsRefused"
    assert colleague.email not in notification.last_email_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_emails")
    assert mail.outbox == [], "a retry waits for its delay"

    time_machine.shift(email_retry_delay(1))
    call_command("send_pending_emails")
    call_command("send_pending_emails")
    assert notification_email_send(notification_id=notification.pk) is False

    (message,) = mail.outbox
    assert assert_only_the_update_and_link(message) == notification
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.email_attempts == 2
    assert notification.last_email_error == ""


def test_the_error_raised_for_the_task_backend_names_no_address(
    practitioner, colleague, case, settings
):
    (notification,) = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    settings.EMAIL_BACKEND = FAILING
    with pytest.raises(EmailNotSent) as raised:
        notification_email_send(notification_id=notification.pk)
    assert colleague.email not in str(raised.value)
    assert str(notification.pk) in str(raised.value)
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


def test_after_the_last_attempt_it_is_failed_reported_and_can_be_retried(
    practitioner, colleague, case, settings, time_machine, capsys
):
    (notification,) = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    settings.EMAIL_BACKEND = FAILING
    for attempt in range(1, EMAIL_MAX_ATTEMPTS + 1):
        with pytest.raises(EmailNotSent):
            notification_email_send(notification_id=notification.pk)
        time_machine.shift(email_retry_delay(attempt))
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert notification.email_attempts == EMAIL_MAX_ATTEMPTS
    assert notification_email_send(notification_id=notification.pk) is False

    capsys.readouterr()
    call_command("send_pending_emails", "--report")
    report = capsys.readouterr().out
    assert "1 failed every attempt" in report
    assert f"notification {notification.pk} (SMTPRecipientsRefused)" in report
    assert colleague.email not in report

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_emails")
    assert mail.outbox == [], "failed emails wait for --retry-failed"
    call_command("send_pending_emails", "--retry-failed")
    (message,) = mail.outbox
    assert assert_only_the_update_and_link(message) == notification


def test_an_email_whose_task_was_lost_is_queued_again_after_a_while(
    practitioner, colleague, case, time_machine
):
    # Notified without the transaction's on-commit hooks running: the task was never queued.
    case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    call_command("send_pending_emails")
    assert mail.outbox == []
    time_machine.shift(dt.timedelta(minutes=15))
    call_command("send_pending_emails")
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_someone_who_left_the_team_before_the_send_is_not_emailed(practitioner, colleague, case):
    (notification,) = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    case.team_memberships.filter(user=colleague).update(left_at=timezone.now())
    assert notification_email_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.NOT_NEEDED
    assert mail.outbox == []


def test_nothing_is_sent_for_a_breach_that_fails_validation(
    practitioner, colleague, case, order, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        breach_record(
            actor=practitioner,
            case=case,
            account=breach_account(order.conditions.get(), what_happened=""),
        )
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_nothing_is_sent_when_the_transaction_rolls_back_after_notifying(
    practitioner, colleague, case, order, monkeypatch, django_capture_on_commit_callbacks
):
    def audit_fails(**kwargs):
        raise AuditChainUnavailable("The audit event could not be written.")

    monkeypatch.setattr("orderwatch.breaches.services.audit_record", audit_fails)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(AuditChainUnavailable),
    ):
        breach_record(actor=practitioner, case=case, account=breach_account())
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_privacy_check_finds_a_planted_name_address_or_reference(
    practitioner, colleague, case, order, django_capture_on_commit_callbacks
):
    record_breach(practitioner, case, order, django_capture_on_commit_callbacks)
    forbidden = case_data_strings()
    assert personal_data_in_emails(mail.outbox, forbidden) == []

    victim = case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)
    planted = mail.EmailMessage(subject=SUBJECT, body=f"Update for {victim.given_name}.")
    address = mail.EmailMultiAlternatives(subject=SUBJECT, body="There is an update.")
    address.attach_alternative("<p>At 1 test street</p>", "text/html")
    reference = mail.EmailMessage(subject=f"Case {case.reference}", body="")
    detail = mail.EmailMessage(subject=SUBJECT, body="Seen OUTSIDE the school gates and shouting")

    problems = personal_data_in_emails([planted, address, reference, detail], forbidden)
    assert problems == sorted(
        [
            f"email 0 holds {victim.given_name!r}",
            "email 1 holds '1 Test Street'",
            f"email 2 holds {case.reference!r}",
            "email 3 holds 'outside the school gates and'",
        ]
    )


def test_the_privacy_check_finds_who_was_told_and_how_to_reach_them(
    practitioner, colleague, case, order, django_capture_on_commit_callbacks
):
    share = ShareFactory(party__case=case, how_details="Sent to the head's own inbox")
    record_breach(practitioner, case, order, django_capture_on_commit_callbacks)
    forbidden = case_data_strings()
    assert personal_data_in_emails(mail.outbox, forbidden) == []

    school = mail.EmailMessage(subject=SUBJECT, body=f"{share.party.organisation} was told.")
    contact = mail.EmailMessage(subject=SUBJECT, body=f"Write to {SCHOOL_CONTACT}")
    problems = personal_data_in_emails([school, contact], forbidden)
    assert f"email 0 holds {share.party.organisation!r}" in problems
    assert "email 1 holds 'dsl@oakfield.example'" in problems
    assert "email 1 holds '01632 960123'" in problems


def test_a_queue_that_fails_after_the_commit_loses_nothing(
    practitioner,
    colleague,
    case,
    order,
    monkeypatch,
    time_machine,
    django_capture_on_commit_callbacks,
):
    def queue_down(**kwargs):
        raise ConnectionError("queue unavailable")

    with monkeypatch.context() as patched:
        patched.setattr("orderwatch.notifications.services.notification_email_enqueue", queue_down)
        breach = record_breach(practitioner, case, order, django_capture_on_commit_callbacks)
    assert breach.pk is not None
    assert mail.outbox == []

    time_machine.shift(dt.timedelta(minutes=15))
    call_command("send_pending_emails")
    (message,) = mail.outbox
    assert assert_only_the_update_and_link(message).recipient == colleague


def test_an_email_another_worker_is_sending_is_left_to_it_unless_that_worker_died(
    practitioner, colleague, case, time_machine
):
    (notification,) = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    # As another worker leaves it while its send is under way.
    Notification.objects.filter(pk=notification.pk).update(
        email_attempts=1, email_attempted_at=timezone.now()
    )
    assert notification_email_send(notification_id=notification.pk) is False
    call_command("send_pending_emails")
    assert mail.outbox == []

    time_machine.shift(dt.timedelta(minutes=10, seconds=1))
    call_command("send_pending_emails")
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == ("sent", 2)
