"""Replacing an authenticator needs a code from it, or a recovery code (issue 17, item 2):
an open session alone must not be able to lock the real user out."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from orderwatch.accounts import mfa
from orderwatch.accounts.mfa_pages import REPLACEMENT_SESSION_KEY
from orderwatch.accounts.models import AuthenticatorApp, RecoveryCode
from orderwatch.accounts.tests.factories import (
    authenticator_code,
    recovery_codes_give,
    sign_in_with_two_factor,
)
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

SET_UP = reverse("accounts:mfa-setup")


def _code_for(device: AuthenticatorApp) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def _devices(user) -> list[tuple]:
    return list(AuthenticatorApp.objects.filter(user=user).values_list("pk", "key", "confirmed"))


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def test_an_open_session_is_asked_for_the_current_code_before_any_new_key(signed_in, practitioner):
    before = _devices(practitioner)
    page = signed_in.get(SET_UP)
    assert page.status_code == 200
    assert "Replace your authenticator app" in page.text
    assert "Code from the authenticator app you use now" in page.text
    assert "data:image/svg+xml" not in page.text  # no new secret made, none shown
    assert _devices(practitioner) == before


def test_a_code_from_a_new_app_alone_changes_nothing(signed_in, practitioner):
    """The attack in issue 17: post a code from an app the attacker set up."""
    before = _devices(practitioner)
    attacker_device = AuthenticatorApp.objects.create(user=practitioner, confirmed=False)
    response = signed_in.post(SET_UP, {"code": _code_for(attacker_device)})
    assert "There is a problem" in response.text
    assert "Your recovery codes" not in response.text
    assert AuthenticatorApp.objects.filter(user=practitioner, confirmed=True).count() == 1
    assert before[0] in _devices(practitioner)  # the real authenticator is still there
    assert not AuditEvent.objects.filter(verb=Verb.MFA_REPLACED).exists()


def test_the_service_refuses_a_replacement_without_proof(practitioner):
    device = AuthenticatorApp.objects.create(user=practitioner, confirmed=False)
    with pytest.raises(PermissionDenied):
        mfa.mfa_enrolment_confirm(user=practitioner, code=_code_for(device))
    stale = mfa.StepUp(
        user_id=practitioner.pk, verified_at=timezone.now() - dt.timedelta(minutes=11)
    )
    with pytest.raises(PermissionDenied):
        mfa.mfa_enrolment_confirm(user=practitioner, code=_code_for(device), replacement=stale)
    assert AuthenticatorApp.objects.filter(user=practitioner, confirmed=True).count() == 1


@pytest.mark.parametrize("wrong", ["000000", "abcdefgh"])
def test_a_wrong_current_code_or_recovery_code_is_refused(signed_in, practitioner, wrong):
    if wrong == "000000" and wrong == authenticator_code(practitioner):
        wrong = "111111"
    before = _devices(practitioner)
    response = signed_in.post(SET_UP, {"current_code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in response.text
    assert "data:image/svg+xml" not in response.text
    assert _devices(practitioner) == before
    # Still asked for the current code: nothing was unlocked.
    assert "Code from the authenticator app you use now" in signed_in.get(SET_UP).text


def test_a_used_code_is_refused(signed_in, practitioner):
    code = authenticator_code(practitioner)
    mfa.mfa_verify(user=practitioner, code=code)
    response = signed_in.post(SET_UP, {"current_code": code})
    assert "The code is not right" in response.text


def test_the_current_code_then_a_new_app_replaces_it(signed_in, practitioner):
    old = AuthenticatorApp.objects.get(user=practitioner)
    proven = signed_in.post(SET_UP, {"current_code": authenticator_code(practitioner)})
    assert proven["Location"] == SET_UP
    page = signed_in.get(SET_UP)
    assert "data:image/svg+xml" in page.text
    new = AuthenticatorApp.objects.get(user=practitioner, confirmed=False)

    with TestCase.captureOnCommitCallbacks(execute=True):
        done = signed_in.post(SET_UP, {"code": _code_for(new)})

    assert "Your recovery codes" in done.text
    assert list(
        AuthenticatorApp.objects.filter(user=practitioner).values_list("pk", flat=True)
    ) == [new.pk]
    assert not AuthenticatorApp.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(verb=Verb.MFA_REPLACED, actor=practitioner).exists()
    assert AuditEvent.objects.filter(
        verb=Verb.MFA_VERIFIED, payload__purpose="replace the authenticator app"
    ).exists()
    # The proof is used up: replacing again asks for a code again.
    assert "Code from the authenticator app you use now" in signed_in.get(SET_UP).text
    # The person is told, in an email that names no one and nothing of their work.
    [email] = mail.outbox
    assert email.to == [practitioner.email]
    assert email.subject == "OrderWatch: your authenticator app was replaced"
    assert "If you did not do this" in email.body
    assert practitioner.display_name not in email.body


def test_a_confirming_post_without_the_current_code_changes_nothing(signed_in, practitioner):
    """Issue 17, item 2, as found: an open session posts a code from a new app to the set-up
    page, first after making the new key itself, then straight away."""
    before = _devices(practitioner)
    signed_in.get(SET_UP)  # no new key is made for this session
    made = AuthenticatorApp.objects.create(user=practitioner, confirmed=False)
    for attempt in ({"code": _code_for(made)}, {"code": _code_for(made), "current_code": ""}):
        response = signed_in.post(SET_UP, attempt)
        assert "Your recovery codes" not in response.text
    assert AuthenticatorApp.objects.get(user=practitioner, confirmed=True).pk == before[0][0]
    assert not mail.outbox


def test_a_recovery_code_can_stand_in_for_a_lost_app_and_works_once(signed_in, practitioner):
    recovery_codes_give(practitioner, "abcd2345", "efgh2345")
    proven = signed_in.post(SET_UP, {"current_code": "abcd 2345"})
    assert proven["Location"] == SET_UP
    assert RecoveryCode.objects.filter(code_set__user=practitioner).count() == 1
    session = signed_in.session
    session.pop(REPLACEMENT_SESSION_KEY)
    session.save()
    again = signed_in.post(SET_UP, {"current_code": "abcd2345"})
    assert "The code is not right" in again.text


def test_the_proof_lasts_ten_minutes(signed_in, practitioner, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    signed_in.post(SET_UP, {"current_code": authenticator_code(practitioner)})
    signed_in.get(SET_UP)
    new = AuthenticatorApp.objects.get(user=practitioner, confirmed=False)
    time_machine.shift(dt.timedelta(minutes=11))

    late = signed_in.post(SET_UP, {"code": _code_for(new)})

    assert "Your recovery codes" not in late.text
    assert "Code from the authenticator app you use now" in late.text
    assert not AuthenticatorApp.objects.filter(pk=new.pk, confirmed=True).exists()


def test_a_first_set_up_needs_no_current_code(client, idva_service):
    from orderwatch.accounts.tests.factories import UserFactory

    user = UserFactory(agency=idva_service, authenticator=False)
    client.force_login(user)
    page = client.get(SET_UP)
    assert "data:image/svg+xml" in page.text
    device = AuthenticatorApp.objects.get(user=user, confirmed=False)
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(SET_UP, {"code": _code_for(device)})
    assert "Your recovery codes" in done.text
    assert AuditEvent.objects.filter(verb=Verb.MFA_ENROLLED, actor=user).exists()
    assert not mail.outbox  # nothing was replaced
