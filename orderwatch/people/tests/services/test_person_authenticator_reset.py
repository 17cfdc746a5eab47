"""Resetting a lost authenticator: the administrator's own fresh code and a reason; the
person's devices and recovery codes go, their sessions end, and they are told by email."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client, TestCase
from django.urls import reverse

from orderwatch.accounts.mfa import StepUp, mfa_step_up
from orderwatch.accounts.models import AuthenticatorApp, RecoveryCode, RecoveryCodeSet
from orderwatch.accounts.tests.factories import (
    UserFactory,
    authenticator_code,
    recovery_codes_give,
    sign_in_with_two_factor,
)
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.people.services import person_authenticator_reset
from orderwatch.people.tests.factories import agency_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(idva_service):
    return agency_admin(idva_service)


@pytest.fixture
def person(idva_service):
    person = UserFactory(agency=idva_service)
    recovery_codes_give(person, "abcd1234")
    return person


def reset(admin, person, reason="Lost their phone and recovery codes", step_up=None):
    step_up = step_up or mfa_step_up(user=admin, code=authenticator_code(admin))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return person_authenticator_reset(
            actor=admin, person_id=person.pk, reason=reason, step_up=step_up
        )


def devices(user) -> int:
    return (
        AuthenticatorApp.objects.filter(user=user).count()
        + RecoveryCodeSet.objects.filter(user=user).count()
    )


def test_devices_and_recovery_codes_go_and_every_session_ends(admin, person):
    signed_in = sign_in_with_two_factor(Client(), person)
    reset(admin, person)
    assert devices(person) == 0
    assert not RecoveryCode.objects.filter(code_set__user=person).exists()
    assert signed_in.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:sign-in"))
    event = AuditEvent.objects.get(verb=Verb.MFA_RESET)
    assert (event.actor, event.notes.get(name="reason").text) == (
        admin,
        "Lost their phone and recovery codes",
    )
    assert "Lost their phone" not in str(event.chain_body())


def test_the_person_is_emailed_that_it_happened_and_nothing_more(admin, person):
    reset(admin, person)
    (email,) = mail.outbox
    assert email.to == [person.email]
    assert email.subject == "OrderWatch: your two-factor authentication was reset"
    assert "set up an authenticator app again" in email.body
    assert person.display_name not in email.body
    assert admin.display_name not in email.body
    assert "Lost their phone" not in email.body


def test_at_the_next_sign_in_they_set_up_an_authenticator_again(admin, person):
    reset(admin, person)
    person.refresh_from_db()  # its security stamp changed
    client = Client()
    client.force_login(person)
    response = client.get(reverse("accounts:mfa-verify"))
    assert response["Location"] == reverse("accounts:mfa-setup")
    assert client.get(reverse("accounts:mfa-setup")).status_code == 200


def test_a_stale_or_someone_elses_proof_changes_nothing(admin, person):
    stale = StepUp(user_id=admin.pk, verified_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(PermissionDenied):
        reset(admin, person, step_up=stale)
    with pytest.raises(PermissionDenied):
        reset(admin, person, step_up=mfa_step_up(user=person, code=authenticator_code(person)))
    assert devices(person) == 2
    assert mail.outbox == []


def test_a_wrong_code_from_the_administrator_changes_nothing(admin, person):
    with pytest.raises(ValidationError):
        reset(admin, person, step_up=mfa_step_up(user=admin, code="000000"))
    assert devices(person) == 2


def test_a_reason_is_needed(admin, person):
    with pytest.raises(ValidationError) as error:
        reset(admin, person, reason=" ")
    assert error.value.message_dict["reason"] == [
        "Enter why their authenticator app is being reset"
    ]
    assert devices(person) == 2
    assert mail.outbox == []


def test_another_agencys_administrator_gets_404_and_nothing_changes(police, person):
    with pytest.raises(Http404):
        reset(agency_admin(police), person)
    assert devices(person) == 2


def test_an_administrator_cannot_reset_their_own_this_way(admin):
    with pytest.raises(ValidationError):
        reset(admin, admin)
    assert devices(admin) == 1


def test_an_account_without_an_authenticator_is_refused(admin, idva_service):
    person = UserFactory(agency=idva_service, authenticator=False)
    with pytest.raises(ValidationError):
        reset(admin, person)
    assert mail.outbox == []
