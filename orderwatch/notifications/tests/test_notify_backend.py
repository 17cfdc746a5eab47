"""Email through GOV.UK Notify (ADR 0034): each kind of email as its own template, filled in
with a link at most, checked by a stand-in for Notify's API that is as strict as Notify; a
refusal, a timeout or an outage is a failed attempt, retried as an SMTP refusal is."""

import io
import json
import logging
import socket
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from orderwatch.accounts.emails import (
    account_setup_email,
    authenticator_replaced_email,
    authenticator_reset_email,
    password_reset_email,
)
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import CasePerson
from orderwatch.diary.emails import diary_address_in_use_email, diary_setup_email
from orderwatch.notifications.email_kinds import EmailKind, ServiceEmail, template_setting_name
from orderwatch.notifications.emails import case_update_email
from orderwatch.notifications.models import Notification
from orderwatch.notifications.notify_backend import NotifyEmailBackend, NotifyNotSent
from orderwatch.notifications.services import (
    EmailNotSent,
    case_team_notify,
    email_retry_delay,
    notification_email_send,
)
from orderwatch.notifications.tests.email_privacy import case_data_strings, personal_data_in_emails
from orderwatch.notifications.tests.notify_stub import REPLY_TO_ID, SERVICE_ID

pytestmark = pytest.mark.django_db

TO = "someone@example.org"
LINK = "https://orderwatch.test/a/one-time/link/"
NOTIFICATION_ID = "0b7c6c1e-7d1c-4d55-9d8a-3a0a3c9b7b4e"
NOTIFICATION_LINK = f"https://orderwatch.test/notifications/{NOTIFICATION_ID}/"

# One of each kind of email, and the personalisation Notify must be sent for it.
EXAMPLES = {
    EmailKind.CASE_UPDATE: (
        lambda: case_update_email(notification_id=NOTIFICATION_ID, kind="breach_recorded", to=TO),
        {"link": NOTIFICATION_LINK},
    ),
    EmailKind.CASE_MEMBER_ADDED: (
        lambda: case_update_email(notification_id=NOTIFICATION_ID, kind="member_added", to=TO),
        {"link": NOTIFICATION_LINK},
    ),
    EmailKind.PASSWORD_RESET: (
        lambda: password_reset_email(to=TO, link=LINK),
        {"link": LINK},
    ),
    EmailKind.ACCOUNT_SETUP: (
        lambda: account_setup_email(to=TO, link=LINK, hours=72),
        {"link": LINK, "hours": "72"},
    ),
    EmailKind.AUTHENTICATOR_RESET: (lambda: authenticator_reset_email(to=TO), {}),
    EmailKind.AUTHENTICATOR_REPLACED: (
        lambda: authenticator_replaced_email(to=TO, diary=False),
        {},
    ),
    EmailKind.DIARY_SETUP: (
        lambda: diary_setup_email(to=TO, link=LINK, hours=48),
        {"link": LINK, "hours": "48"},
    ),
    EmailKind.DIARY_ADDRESS_IN_USE: (lambda: diary_address_in_use_email(to=TO), {}),
    EmailKind.DIARY_AUTHENTICATOR_REPLACED: (
        lambda: authenticator_replaced_email(to=TO, diary=True),
        {},
    ),
}


@pytest.mark.parametrize("kind", list(EmailKind))
def test_each_kind_of_email_reaches_notify_as_its_template_with_the_link_only(
    kind, notify, settings
):
    build, personalisation = EXAMPLES[kind]
    message = build()
    assert message.kind == kind

    assert message.send() == 1

    (taken,) = notify.taken
    expected = {
        "email_address": TO,
        "template_id": settings.ORDERWATCH_NOTIFY_TEMPLATES[kind],
        "email_reply_to_id": REPLY_TO_ID,
    }
    if personalisation:
        expected["personalisation"] = personalisation
    # No reference: Notify is told nothing about anyone beyond the address it sends to.
    assert taken.body == expected
    assert mail.outbox == []


def test_the_key_is_read_as_its_name_the_service_id_and_the_secret(notify, settings):
    password_reset_email(to=TO, link=LINK).send()
    (taken,) = notify.taken
    assert taken.claims["iss"] == SERVICE_ID

    # The same service id with another secret: Notify refuses the token's signature.
    settings.ORDERWATCH_NOTIFY_API_KEY = (
        f"orderwatch-{SERVICE_ID}-{'0' * 8}-0000-0000-0000-{'0' * 12}"
    )
    with pytest.raises(NotifyNotSent) as raised:
        password_reset_email(to=TO, link=LINK).send()
    assert raised.value.reason == "403"
    assert notify.refused == [403]


def test_a_case_alert_through_notify_holds_no_name_address_reference_or_detail(
    practitioner, colleague, case, order, notify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.get()))

    (taken,) = notify.taken
    notification = Notification.objects.get(recipient=colleague)
    assert notification.email_status == Notification.EmailStatus.SENT
    assert taken.body["email_address"] == colleague.email
    assert taken.personalisation == {
        "link": f"https://orderwatch.test/notifications/{notification.pk}/"
    }
    assert "reference" not in taken.body
    sent = {key: value for key, value in taken.body.items() if key != "email_address"}
    victim = case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)
    forbidden = case_data_strings()
    assert victim.given_name in forbidden
    assert case.reference in forbidden
    assert case.protected_address.reveal() in forbidden
    as_email = mail.EmailMessage(subject="", body=json.dumps(sent))
    assert personal_data_in_emails([as_email], forbidden) == []


@pytest.mark.parametrize("status", [400, 403, 429, 500])
def test_a_refusal_is_a_failed_attempt_retried_after_its_delay(
    status, practitioner, colleague, case, notify, time_machine
):
    (notification,) = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    notify.fail_next(status)

    with pytest.raises(EmailNotSent) as raised:
        notification_email_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_attempts == 1
    assert notification.last_email_error == f"NotifyNotSent {status}"
    assert colleague.email not in str(raised.value)
    assert notify.taken == []

    call_command("send_pending_emails")
    assert notify.taken == [], "a retry waits for its delay"
    time_machine.shift(email_retry_delay(1))
    call_command("send_pending_emails")

    (taken,) = notify.taken
    assert taken.body["email_address"] == colleague.email
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert (notification.email_attempts, notification.last_email_error) == (2, "")


def test_notify_left_unanswering_is_a_timed_out_attempt(
    practitioner, colleague, case, notify, settings
):
    (notification,) = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    settings.EMAIL_TIMEOUT = 0.2
    notify.hold()

    with pytest.raises(EmailNotSent):
        notification_email_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.last_email_error == "NotifyNotSent timeout"
    assert notification.email_status == Notification.EmailStatus.PENDING


def test_notify_out_of_reach_is_a_failed_attempt(practitioner, colleague, case, notify, settings):
    (notification,) = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.ORDERWATCH_NOTIFY_BASE_URL = f"http://127.0.0.1:{port}"

    with pytest.raises(EmailNotSent):
        notification_email_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.last_email_error == "NotifyNotSent unreachable"


def test_notify_error_text_reaches_no_log_and_no_error(notify, caplog):
    notify.fail_next(400)  # Notify's answer quotes canary@example.org
    caplog.set_level(logging.DEBUG)

    with pytest.raises(NotifyNotSent) as raised:
        password_reset_email(to="canary@example.org", link=LINK).send()

    assert notify.refused == [400]
    assert str(raised.value) == "GOV.UK Notify did not take the email: 400"
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "canary" not in logged
    assert "team-only" not in logged


def test_fail_silently_counts_only_what_was_sent(notify):
    notify.fail_next(500)
    backend = NotifyEmailBackend(fail_silently=True)
    messages = [password_reset_email(to=TO, link=LINK), authenticator_reset_email(to=TO)]

    assert backend.send_messages(messages) == 1
    assert [taken.body["email_address"] for taken in notify.taken] == [TO]


def test_an_email_of_no_known_kind_is_not_sent(notify):
    with pytest.raises(NotifyNotSent) as raised:
        mail.EmailMessage(subject="Hello", body="Free text", to=[TO]).send()
    assert raised.value.reason == "not a kind of email with a template"
    assert notify.taken == notify.refused == []


def test_an_email_carries_only_its_kinds_placeholders():
    with pytest.raises(ValueError, match="nothing else"):
        ServiceEmail(
            kind=EmailKind.PASSWORD_RESET,
            personalisation={"link": LINK, "name": "Jo"},
            subject="OrderWatch: reset your password",
            body="",
            to=TO,
        )


def test_other_backends_send_the_same_email_as_before(settings):
    message = password_reset_email(to=TO, link=LINK)
    stream = io.StringIO()
    console = mail.get_connection("django.core.mail.backends.console.EmailBackend", stream=stream)

    assert console.send_messages([message]) == 1
    assert "Subject: OrderWatch: reset your password" in stream.getvalue()
    assert LINK in stream.getvalue()
    # The kind and personalisation stay in the process: SMTP sends standard headers only.
    assert sorted(message.message().keys()) == sorted(
        [
            "Content-Type",
            "MIME-Version",
            "Content-Transfer-Encoding",
            "Subject",
            "From",
            "To",
            "Date",
            "Message-ID",
        ]
    )


@pytest.mark.parametrize("kind", list(EmailKind))
def test_the_readme_gives_each_templates_wording_as_the_service_sends_it(kind):
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    message = EXAMPLES[kind][0]()
    body = message.body.strip()
    for name, value in message.personalisation.items():
        body = body.replace(value, f"(({name}))")
    placeholders = ", ".join(f"(({name}))" for name in message.personalisation) or "none"

    row = f"| `{kind}` | `{template_setting_name(kind)}` | {message.subject} | {placeholders} |"
    assert row in readme
    assert f"#### `{kind}`\n\n```text\n{body}\n```\n" in readme


def test_no_api_key_is_a_failed_send_not_a_crash(notify, settings):
    settings.ORDERWATCH_NOTIFY_API_KEY = ""
    with pytest.raises(NotifyNotSent) as raised:
        authenticator_reset_email(to=TO).send()
    assert raised.value.reason == "no API key"
    assert authenticator_reset_email(to=TO).send(fail_silently=True) == 0
    assert notify.taken == notify.refused == []
