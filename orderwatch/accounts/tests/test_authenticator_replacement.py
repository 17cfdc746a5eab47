"""Replacing an authenticator needs a code from it, or a recovery code (issue 17, item 2):
an open session alone must not be able to lock the real user out."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from orderwatch.accounts import mfa
from orderwatch.accounts.tests.factories import authenticator_code, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

SET_UP = reverse("accounts:mfa-setup")


def _code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def _devices(user) -> list[tuple]:
    return list(TOTPDevice.objects.filter(user=user).values_list("pk", "key", "confirmed"))


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
    attacker_device = TOTPDevice.objects.create(user=practitioner, confirmed=False)
    response = signed_in.post(SET_UP, {"code": _code_for(attacker_device)})
    assert "There is a problem" in response.text
    assert "Your recovery codes" not in response.text
    assert TOTPDevice.objects.filter(user=practitioner, confirmed=True).count() == 1
    assert before[0] in _devices(practitioner)  # the real authenticator is still there
    assert not AuditEvent.objects.filter(verb=Verb.MFA_REPLACED).exists()


def test_the_service_refuses_a_replacement_without_proof(practitioner):
    device = TOTPDevice.objects.create(user=practitioner, confirmed=False)
    with pytest.raises(PermissionDenied):
        mfa.mfa_enrolment_confirm(user=practitioner, code=_code_for(device))
    stale = mfa.StepUp(
        user_id=practitioner.pk, verified_at=timezone.now() - dt.timedelta(minutes=11)
    )
    with pytest.raises(PermissionDenied):
        mfa.mfa_enrolment_confirm(user=practitioner, code=_code_for(device), replacement=stale)
    assert TOTPDevice.objects.filter(user=practitioner, confirmed=True).count() == 1


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
    old = TOTPDevice.objects.get(user=practitioner)
    proven = signed_in.post(SET_UP, {"current_code": authenticator_code(practitioner)})
    assert proven["Location"] == SET_UP
    page = signed_in.get(SET_UP)
    assert "data:image/svg+xml" in page.text
    new = TOTPDevice.objects.get(user=practitioner, confirmed=False)

    done = signed_in.post(SET_UP, {"code": _code_for(new)})

    assert "Your recovery codes" in done.text
    assert list(TOTPDevice.objects.filter(user=practitioner).values_list("pk", flat=True)) == [
        new.pk
    ]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(verb=Verb.MFA_REPLACED, actor=practitioner).exists()
    assert AuditEvent.objects.filter(
        verb=Verb.MFA_VERIFIED, payload__purpose="replace the authenticator app"
    ).exists()
    # The proof is used up: replacing again asks for a code again.
    assert "Code from the authenticator app you use now" in signed_in.get(SET_UP).text


def test_a_recovery_code_can_stand_in_for_a_lost_app_and_works_once(signed_in, practitioner):
    recovery = StaticDevice.objects.create(user=practitioner, name="Recovery codes")
    StaticToken.objects.create(device=recovery, token="abcd2345")
    proven = signed_in.post(SET_UP, {"current_code": "abcd 2345"})
    assert proven["Location"] == SET_UP
    assert not StaticToken.objects.filter(token="abcd2345").exists()


def test_the_proof_lasts_ten_minutes(signed_in, practitioner, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    signed_in.post(SET_UP, {"current_code": authenticator_code(practitioner)})
    signed_in.get(SET_UP)
    new = TOTPDevice.objects.get(user=practitioner, confirmed=False)
    time_machine.shift(dt.timedelta(minutes=11))

    late = signed_in.post(SET_UP, {"code": _code_for(new)})

    assert "Your recovery codes" not in late.text
    assert "Code from the authenticator app you use now" in late.text
    assert not TOTPDevice.objects.filter(pk=new.pk, confirmed=True).exists()


def test_a_first_set_up_needs_no_current_code(client, idva_service):
    from orderwatch.accounts.tests.factories import UserFactory

    user = UserFactory(agency=idva_service, authenticator=False)
    client.force_login(user)
    page = client.get(SET_UP)
    assert "data:image/svg+xml" in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "Your recovery codes" in client.post(SET_UP, {"code": _code_for(device)}).text
    assert AuditEvent.objects.filter(verb=Verb.MFA_ENROLLED, actor=user).exists()
