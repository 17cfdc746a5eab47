"""Resetting a forgotten password: one answer for every address, throttled, links used once."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase

from orderwatch.accounts.models import PasswordResetRequest, User
from orderwatch.accounts.selectors import password_reset_user
from orderwatch.accounts.services.passwords import (
    RESETS_PER_CLIENT,
    RESETS_PER_EMAIL,
    ResetLinkNotUsable,
    password_reset_request,
    user_password_reset,
)
from orderwatch.accounts.tests.factories import TEST_PASSWORD, UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.diary.tests.factories import DiaryAccessFactory

pytestmark = pytest.mark.django_db

CLIENT = "203.0.113.7"
NEW_PASSWORD = "lantern-orchard-pebble-91"


def link_parts(message) -> tuple[str, str]:
    """Return (uidb64, token) from the link in a reset email."""
    link = next(word for word in message.body.split() if "/password-reset/" in word)
    uidb64, token = link.rstrip("/").split("/")[-2:]
    return uidb64, token


def request_reset(email: str, client: str = CLIENT):
    """Ask for a reset; the email task runs as the request commits, as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return password_reset_request(email=email, client_address=client)


def test_a_known_address_is_emailed_a_link_that_names_nobody(practitioner):
    request_reset(practitioner.email.upper())

    (message,) = mail.outbox
    assert message.to == [practitioner.email]
    assert "https://orderwatch.test/accounts/password-reset/" in message.body
    assert practitioner.display_name not in message.body + message.subject
    assert practitioner.agency.name not in message.body + message.subject
    assert password_reset_user(uidb64=link_parts(message)[0], token=link_parts(message)[1])
    assert AuditEvent.objects.filter(verb=Verb.PASSWORD_RESET_EMAILED, object_id=practitioner.pk)


def test_an_unknown_address_is_recorded_alike_and_sent_nothing(db):
    reset = request_reset("nobody-here@agency.example")

    assert mail.outbox == []
    assert reset.user is None
    assert PasswordResetRequest.objects.count() == 1


def test_neither_address_nor_client_is_stored_readably(practitioner):
    reset = request_reset(practitioner.email)
    stored = f"{reset.email_digest} {reset.client_digest}"
    assert practitioner.email not in stored
    assert CLIENT not in stored
    assert len(reset.email_digest) == 64


@pytest.mark.parametrize(
    "who",
    [
        lambda agency: UserFactory(agency=agency, is_active=False),
        lambda agency: DiaryAccessFactory().user,
    ],
    ids=["deactivated", "diary account"],
)
def test_deactivated_and_diary_accounts_are_sent_nothing(idva_service, who):
    user = who(idva_service)
    request_reset(user.email)
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(verb=Verb.PASSWORD_RESET_EMAILED).exists()


@pytest.mark.parametrize("email", ["known", "nobody-here@agency.example"])
def test_an_address_is_throttled_alike_whether_or_not_it_has_an_account(practitioner, email):
    email = practitioner.email if email == "known" else email
    for number in range(RESETS_PER_EMAIL):
        request_reset(email, client=f"203.0.113.{number}")
    with pytest.raises(ValidationError) as refused:
        request_reset(email, client="198.51.100.1")
    assert "too many password reset emails" in str(refused.value)
    assert PasswordResetRequest.objects.count() == RESETS_PER_EMAIL
    assert len(mail.outbox) == (RESETS_PER_EMAIL if email == practitioner.email else 0)


def test_a_client_is_throttled_across_addresses_and_others_are_not(db):
    for number in range(RESETS_PER_CLIENT):
        request_reset(f"someone{number}@agency.example")
    with pytest.raises(ValidationError):
        request_reset("someone-else@agency.example")
    request_reset("someone-else@agency.example", client="198.51.100.1")


def test_the_throttle_forgets_after_an_hour(practitioner, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False)
    for _ in range(RESETS_PER_EMAIL):
        request_reset(practitioner.email)
    time_machine.shift(dt.timedelta(minutes=61))
    request_reset(practitioner.email)
    time_machine.shift(dt.timedelta(days=1, minutes=1))
    request_reset(practitioner.email)
    assert PasswordResetRequest.objects.count() == 1  # older requests are deleted


def test_a_link_sets_the_password_once(practitioner):
    request_reset(practitioner.email)
    uidb64, token = link_parts(mail.outbox[0])

    user_password_reset(uidb64=uidb64, token=token, new_password=NEW_PASSWORD)

    practitioner.refresh_from_db()
    assert practitioner.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(verb=Verb.PASSWORD_RESET, actor=practitioner).exists()
    with pytest.raises(ResetLinkNotUsable):
        user_password_reset(uidb64=uidb64, token=token, new_password="another-" + NEW_PASSWORD)
    practitioner.refresh_from_db()
    assert practitioner.check_password(NEW_PASSWORD)


def test_a_link_expires_after_an_hour(practitioner, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False)
    request_reset(practitioner.email)
    uidb64, token = link_parts(mail.outbox[0])
    time_machine.shift(dt.timedelta(minutes=61))
    assert password_reset_user(uidb64=uidb64, token=token) is None
    with pytest.raises(ResetLinkNotUsable):
        user_password_reset(uidb64=uidb64, token=token, new_password=NEW_PASSWORD)
    practitioner.refresh_from_db()
    assert practitioner.check_password(TEST_PASSWORD)


def test_a_tampered_link_or_another_account_is_refused(practitioner, colleague):
    request_reset(practitioner.email)
    uidb64, token = link_parts(mail.outbox[0])
    request_reset(colleague.email)
    other_uidb64, _ = link_parts(mail.outbox[1])
    assert password_reset_user(uidb64=uidb64, token=token[:-1] + "x") is None
    assert password_reset_user(uidb64=other_uidb64, token=token) is None
    assert password_reset_user(uidb64="not-base64!", token=token) is None


def test_deactivating_the_account_voids_a_link_already_sent(practitioner):
    request_reset(practitioner.email)
    uidb64, token = link_parts(mail.outbox[0])
    User.objects.filter(pk=practitioner.pk).update(is_active=False)
    assert password_reset_user(uidb64=uidb64, token=token) is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-1", "Password must be 12 characters or more"),
        ("password1234", "on a list of common passwords"),
        ("user0@agency.example", "not like your email address or name"),
        ("938475629384", "not just numbers"),
    ],
)
def test_a_weak_password_is_refused_and_the_link_still_works(practitioner, password, message):
    User.objects.filter(pk=practitioner.pk).update(email="user0@agency.example")
    practitioner.refresh_from_db()
    request_reset(practitioner.email)
    uidb64, token = link_parts(mail.outbox[0])
    with pytest.raises(ValidationError) as refused:
        user_password_reset(uidb64=uidb64, token=token, new_password=password)
    assert message in str(refused.value)
    practitioner.refresh_from_db()
    assert practitioner.check_password(TEST_PASSWORD)
    assert password_reset_user(uidb64=uidb64, token=token) is not None
