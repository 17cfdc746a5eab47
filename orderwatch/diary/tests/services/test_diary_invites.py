"""Inviting a victim-survivor to a diary, and setting it up from the link, once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.diary.models import DiaryAccess, DiaryInvite
from orderwatch.diary.services import (
    diary_end,
    diary_invite_create,
    diary_invite_is_usable,
    diary_start,
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


def test_the_link_sets_up_one_diary_account_with_no_agency(practitioner, case):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    user = diary_start(secret=secret, email="Me@Mail.example", password=PASSWORD)
    assert user.role == User.Role.VICTIM_SURVIVOR
    assert user.agency is None
    assert user.email == "me@mail.example"
    assert user.check_password(PASSWORD)
    assert DiaryAccess.objects.get(user=user).case == case
    assert AuditEvent.objects.filter(verb=Verb.DIARY_STARTED, actor=user).exists()


def test_the_link_works_once(practitioner, case):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    diary_start(secret=secret, email="me@mail.example", password=PASSWORD)
    with pytest.raises(ValidationError) as error:
        diary_start(secret=secret, email="other@mail.example", password=PASSWORD)
    assert error.value.code == "link_not_usable"
    assert User.objects.filter(role=User.Role.VICTIM_SURVIVOR).count() == 1


def test_an_expired_link_sets_up_nothing(practitioner, case, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False)
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    time_machine.shift(dt.timedelta(hours=73))
    with pytest.raises(ValidationError, match="expired or has already been used"):
        diary_start(secret=secret, email="me@mail.example", password=PASSWORD)
    assert not DiaryAccess.objects.exists()
    assert not User.objects.filter(role=User.Role.VICTIM_SURVIVOR).exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "too short"), ("password1234", "too common")],
)
def test_a_weak_password_is_refused_and_the_link_still_works(practitioner, case, password, message):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    with pytest.raises(ValidationError, match=message):
        diary_start(secret=secret, email="me@mail.example", password=password)
    assert diary_invite_is_usable(secret=secret)
    assert not User.objects.filter(email="me@mail.example").exists()


def test_an_email_already_in_use_is_refused_without_saying_whose(practitioner, case):
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    with pytest.raises(ValidationError) as error:
        diary_start(secret=secret, email=practitioner.email, password=PASSWORD)
    assert error.value.message_dict == {"email": ["Choose a different email address"]}
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
