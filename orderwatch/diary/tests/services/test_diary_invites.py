"""Inviting a victim-survivor to a diary, and setting it up from the link, once."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase

from orderwatch.accounts.models import User
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.diary.models import DiaryAccess, DiaryInvite
from orderwatch.diary.services import (
    diary_end,
    diary_invite_create,
    diary_invite_is_usable,
    diary_setup_confirm,
    diary_setup_email_send,
    diary_setup_is_usable,
    diary_setup_request,
    diary_setup_token,
    secret_hash,
)
from orderwatch.diary.tests.factories import DiaryAccessFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_an_invitation_keeps_only_a_hash_of_its_secret_and_is_audited(practitioner, case):
    invite, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    assert len(secret) >= 40
    assert invite.secret_hash == secret_hash(secret)
    assert secret not in str(DiaryInvite.objects.values().get())
    event = AuditEvent.objects.get(verb=Verb.DIARY_INVITED)
    assert (event.actor, event.case_id) == (practitioner, case.pk)


def test_a_new_invitation_stops_the_old_link(practitioner, case):
    _, first = diary_invite_create(actor=practitioner, case_id=case.pk)
    _, second = diary_invite_create(actor=practitioner, case_id=case.pk)
    assert not diary_invite_is_usable(secret=first)
    assert diary_invite_is_usable(secret=second)


def test_outsiders_cannot_invite_and_auditors_may_not(outsider, auditor, case):
    with pytest.raises(Http404):
        diary_invite_create(actor=outsider, case_id=case.pk)
    CaseTeamMembershipFactory(case=case, user=auditor)
    with pytest.raises(PermissionDenied):
        diary_invite_create(actor=auditor, case_id=case.pk)
    assert not DiaryInvite.objects.exists()


def request_setup(secret: str, email: str, password: str = PASSWORD):
    """Answer from the invitation link; the email task runs as it commits, as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return diary_setup_request(secret=secret, email=email, password=password)


def set_up(secret: str, email: str = "me@mail.example", password: str = PASSWORD) -> User:
    """Answer from the invitation link, then confirm from the emailed link, as the pages do."""
    invite = request_setup(secret, email, password)
    return diary_setup_confirm(invite_id=invite.pk, token=diary_setup_token(invite))


def test_the_link_sets_up_one_diary_account_with_no_agency(practitioner, case):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    user = set_up(secret, email="Me@Mail.example")
    assert user.role == User.Role.VICTIM_SURVIVOR
    assert user.agency is None
    assert user.email == "me@mail.example"
    assert user.check_password(PASSWORD)
    assert DiaryAccess.objects.get(user=user).case == case
    assert AuditEvent.objects.filter(verb=Verb.DIARY_STARTED, actor=user).exists()
    invite = DiaryInvite.objects.get()
    assert (invite.setup_email, invite.setup_password) == ("", "")  # nothing kept once used


def test_nothing_is_set_up_until_the_emailed_link_is_used(practitioner, case):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    invite = diary_setup_request(secret=secret, email="me@mail.example", password=PASSWORD)
    assert not User.objects.filter(email="me@mail.example").exists()
    assert PASSWORD not in str(DiaryInvite.objects.values().get())  # a hash only
    with pytest.raises(ValidationError) as error:
        diary_setup_confirm(invite_id=invite.pk, token="0" * 64)
    assert error.value.code == "link_not_usable"


def test_the_link_works_once(practitioner, case):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    set_up(secret)
    with pytest.raises(ValidationError) as error:
        diary_setup_request(secret=secret, email="other@mail.example", password=PASSWORD)
    assert error.value.code == "link_not_usable"
    assert User.objects.filter(role=User.Role.VICTIM_SURVIVOR).count() == 1


def test_an_expired_link_sets_up_nothing(practitioner, case, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False)
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    time_machine.shift(dt.timedelta(hours=73))
    with pytest.raises(ValidationError, match="expired or has already been used"):
        diary_setup_request(secret=secret, email="me@mail.example", password=PASSWORD)
    assert not DiaryAccess.objects.exists()
    assert not User.objects.filter(role=User.Role.VICTIM_SURVIVOR).exists()


def test_an_emailed_link_stops_working_after_the_invitation_hours(practitioner, case, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False)
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    invite = diary_setup_request(secret=secret, email="me@mail.example", password=PASSWORD)
    time_machine.shift(dt.timedelta(hours=73))
    assert not diary_setup_is_usable(invite_id=invite.pk, token=diary_setup_token(invite))
    assert diary_setup_email_send(invite_id=invite.pk) is False


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "too short"), ("password1234", "too common")],
)
def test_a_weak_password_is_refused_and_the_link_still_works(practitioner, case, password, message):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    with pytest.raises(ValidationError, match=message):
        diary_setup_request(secret=secret, email="me@mail.example", password=password)
    assert diary_invite_is_usable(secret=secret)
    assert DiaryInvite.objects.get().attempts == 1
    assert not mail.outbox


def test_an_email_already_in_use_is_taken_like_any_other_and_told_by_email(practitioner, case):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    invite = request_setup(secret, practitioner.email)
    (message,) = mail.outbox
    assert message.to == [practitioner.email]
    assert "already used to sign in" in message.body
    assert diary_setup_token(invite) not in message.body
    with pytest.raises(ValidationError):  # even with the token, the address stays theirs
        diary_setup_confirm(invite_id=invite.pk, token=diary_setup_token(invite))
    assert not DiaryAccess.objects.exists()
    assert diary_invite_is_usable(secret=secret)


def test_no_second_invitation_while_a_diary_is_open(practitioner, case):
    DiaryAccessFactory(case=case)
    with pytest.raises(ValidationError, match="already has a diary"):
        diary_invite_create(actor=practitioner, case_id=case.pk)


def test_ending_a_diary_stops_its_sign_in_and_keeps_the_record(practitioner, case):
    access = DiaryAccessFactory(case=case)
    stamp = access.user.security_stamp
    diary_end(actor=practitioner, case_id=case.pk)
    access.refresh_from_db()
    access.user.refresh_from_db()
    assert access.ended_at is not None
    assert access.ended_by == practitioner
    assert not access.user.is_active
    assert access.user.security_stamp != stamp  # every open session ends
    assert AuditEvent.objects.filter(verb=Verb.DIARY_ENDED).exists()
    # A new invitation may follow.
    diary_invite_create(actor=practitioner, case_id=case.pk)
