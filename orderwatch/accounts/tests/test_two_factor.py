import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from orderwatch.accounts.mfa import RECOVERY_CODE_COUNT
from orderwatch.accounts.tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    authenticator_code,
    sign_in_with_two_factor,
)
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db


def _password_sign_in(client, user):
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD})


def _code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def test_after_the_password_every_page_waits_for_the_code(client, practitioner, case):
    _password_sign_in(client, practitioner)
    response = client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa-verify"))
    api = client.get(reverse("api:case-list"))
    assert api.status_code == 403


def test_the_right_code_opens_the_service_and_is_audited(client, practitioner):
    _password_sign_in(client, practitioner)
    response = client.post(
        reverse("accounts:mfa-verify"),
        {"code": authenticator_code(practitioner), "next": reverse("cases:list")},
    )
    assert response["Location"] == reverse("cases:list")
    assert client.get(reverse("cases:list")).status_code == 200
    event = AuditEvent.objects.get(verb=Verb.MFA_VERIFIED)
    assert event.payload == {"method": "authenticator app"}


def test_a_wrong_code_is_refused_and_throttles_the_next_try(client, practitioner):
    _password_sign_in(client, practitioner)
    wrong = client.post(reverse("accounts:mfa-verify"), {"code": "000000"})
    assert "The code is not right" in wrong.text
    right_but_too_soon = client.post(
        reverse("accounts:mfa-verify"), {"code": authenticator_code(practitioner)}
    )
    assert "Wait a few seconds" in right_but_too_soon.text
    assert client.get(reverse("cases:list")).status_code == 302


def test_next_must_stay_on_this_site(client, practitioner):
    _password_sign_in(client, practitioner)
    response = client.post(
        reverse("accounts:mfa-verify"),
        {"code": authenticator_code(practitioner), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_first_sign_in_enrols_an_authenticator_and_gives_recovery_codes(client, idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    _password_sign_in(client, user)
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:mfa-verify"))
    assert client.get(reverse("accounts:mfa-verify"))["Location"] == reverse("accounts:mfa-setup")
    page = client.get(reverse("accounts:mfa-setup"))
    assert 'src="data:image/svg+xml' in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(reverse("accounts:mfa-setup"), {"code": _code_for(device)})
    assert "Your recovery codes" in response.text
    codes = list(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    assert len(codes) == RECOVERY_CODE_COUNT
    assert all(code in response.text for code in codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.MFA_ENROLLED, actor=user).exists()


def test_reloading_set_up_keeps_the_same_key_until_confirmed(client, idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    _password_sign_in(client, user)
    first = client.get(reverse("accounts:mfa-setup"))
    second = client.get(reverse("accounts:mfa-setup"))
    assert TOTPDevice.objects.filter(user=user).count() == 1
    key = first.text.split('data-testid="setup-key">')[1].split("<")[0]
    assert key in second.text


def test_a_recovery_code_works_once(client, idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    _password_sign_in(client, user)
    client.get(reverse("accounts:mfa-setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:mfa-setup"), {"code": _code_for(device)})
    code = StaticDevice.objects.get(user=user).token_set.first().token
    client.post(reverse("accounts:sign-out"))

    _password_sign_in(client, user)
    client.post(reverse("accounts:mfa-verify"), {"code": code})
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.MFA_VERIFIED, payload__method="recovery code")
    client.post(reverse("accounts:sign-out"))

    _password_sign_in(client, user)
    again = client.post(reverse("accounts:mfa-verify"), {"code": code})
    assert "The code is not right" in again.text


def test_replacing_the_authenticator_ends_every_other_session(client, practitioner):
    other_browser = sign_in_with_two_factor(type(client)(), practitioner)
    sign_in_with_two_factor(client, practitioner)
    client.post(reverse("accounts:mfa-setup"), {"current_code": authenticator_code(practitioner)})
    client.get(reverse("accounts:mfa-setup"))
    new_device = TOTPDevice.objects.get(user=practitioner, confirmed=False)
    response = client.post(reverse("accounts:mfa-setup"), {"code": _code_for(new_device)})
    assert "Your recovery codes" in response.text

    assert client.get(reverse("cases:list")).status_code == 200
    assert other_browser.get(reverse("cases:list"))["Location"].startswith(
        reverse("accounts:sign-in")
    )
    assert TOTPDevice.objects.filter(user=practitioner).count() == 1
