"""Changing your own password: a fresh code first, then the current password; others end."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import UserSession
from orderwatch.accounts.services.passwords import user_password_change
from orderwatch.accounts.services.sessions import user_sign_in_record
from orderwatch.accounts.tests.factories import TEST_PASSWORD
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-pebble-91"


def fresh(user) -> StepUp:
    return StepUp(user_id=user.pk, verified_at=timezone.now())


def session_for(user, key: str) -> None:
    Session.objects.create(
        session_key=key, session_data="", expire_date=timezone.now() + dt.timedelta(minutes=30)
    )
    user_sign_in_record(
        user=user, session_key=key, user_agent="Mozilla/5.0 (X11; Linux) Firefox/140.0"
    )


def change(user, *, current=TEST_PASSWORD, new=NEW_PASSWORD, step_up=None, keep="this-session"):
    return user_password_change(
        actor=user,
        current_password=current,
        new_password=new,
        step_up=step_up or fresh(user),
        keep_session_key=keep,
    )


def test_the_password_changes_and_every_other_session_ends(practitioner):
    session_for(practitioner, "this-session")
    session_for(practitioner, "other-session")
    stamp = practitioner.security_stamp

    change(practitioner)

    practitioner.refresh_from_db()
    assert practitioner.check_password(NEW_PASSWORD)
    assert practitioner.security_stamp != stamp
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["this-session"]
    assert not Session.objects.filter(session_key="other-session").exists()
    event = AuditEvent.objects.get(verb=Verb.PASSWORD_CHANGED)
    assert event.actor == practitioner
    assert "lantern" not in str(event.payload)


def test_a_wrong_current_password_changes_nothing(practitioner):
    session_for(practitioner, "other-session")
    with pytest.raises(ValidationError) as refused:
        change(practitioner, current="not-my-password")
    assert "current password is not right" in str(refused.value)
    practitioner.refresh_from_db()
    assert practitioner.check_password(TEST_PASSWORD)
    assert UserSession.objects.filter(session_key="other-session").exists()
    assert not AuditEvent.objects.filter(verb=Verb.PASSWORD_CHANGED).exists()


def test_a_stale_or_missing_code_is_refused(practitioner):
    stale = StepUp(user_id=practitioner.pk, verified_at=timezone.now() - dt.timedelta(minutes=3))
    with pytest.raises(PermissionDenied):
        change(practitioner, step_up=stale)
    practitioner.refresh_from_db()
    assert practitioner.check_password(TEST_PASSWORD)


def test_someone_elses_code_is_refused(practitioner, colleague):
    with pytest.raises(PermissionDenied):
        change(practitioner, step_up=fresh(colleague))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (TEST_PASSWORD, "not your current one"),
        ("short-1", "12 characters or more"),
        ("qwertyuiop123", "common passwords"),
    ],
)
def test_a_password_that_breaks_the_rules_changes_nothing(practitioner, password, message):
    with pytest.raises(ValidationError) as refused:
        change(practitioner, new=password)
    assert message in str(refused.value)
    practitioner.refresh_from_db()
    assert practitioner.check_password(TEST_PASSWORD)
