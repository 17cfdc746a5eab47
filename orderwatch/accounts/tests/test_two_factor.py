import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from orderwatch.accounts.mfa import RECOVERY_CODE_COUNT
from orderwatch.accounts.models import AuthenticatorApp, RecoveryCode, UserSession
from orderwatch.accounts.tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    authenticator_code,
    recovery_codes_give,
    sign_in_with_two_factor,
)
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db


def _password_sign_in(client, user):
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD})


def _code_for(device: AuthenticatorApp) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def _recovery_codes_shown(page) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)


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


NEXT_OFF_SITE_OR_NOT_A_PATH = [
    "evil",
    "0",
    "-1",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
]


@pytest.mark.parametrize("target", NEXT_OFF_SITE_OR_NOT_A_PATH)
def test_next_must_be_a_path_on_this_site_or_the_home_page_is_used(client, practitioner, target):
    """Issue 17, item 4: `?next=evil` was a 500 (NoReverseMatch); nothing leaves the site."""
    _password_sign_in(client, practitioner)
    page = client.get(reverse("accounts:mfa-verify"), {"next": target})
    assert page.status_code == 200
    assert 'name="next" value="/"' in page.text
    response = client.post(
        reverse("accounts:mfa-verify"), {"code": authenticator_code(practitioner), "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    already = client.get(reverse("accounts:mfa-verify"), {"next": target})
    assert (already.status_code, already["Location"]) == (302, "/")


def test_next_on_this_site_is_followed(client, practitioner):
    _password_sign_in(client, practitioner)
    response = client.post(
        reverse("accounts:mfa-verify"),
        {"code": authenticator_code(practitioner), "next": "/cases/?page=2"},
    )
    assert response["Location"] == "/cases/?page=2"


@pytest.mark.parametrize("target", [*NEXT_OFF_SITE_OR_NOT_A_PATH, "/accounts/sign-in/"])
def test_signing_in_never_follows_next_off_site_nor_fails(client, practitioner, target):
    sign_in = reverse("accounts:sign-in")
    response = client.post(
        f"{sign_in}?{urlencode({'next': target})}",
        {"username": practitioner.email, "password": TEST_PASSWORD},
    )
    assert response["Location"] == reverse("cases:list")
    # Signed in already: the sign-in page sends them on (a `next` of itself was a 500).
    again = client.get(sign_in, {"next": target})
    assert (again.status_code, again["Location"]) == (302, reverse("cases:list"))


def test_the_session_key_changes_when_the_code_is_entered(client, practitioner):
    """Issue 17, item 3: the key seen before the code must open nothing after it."""
    _password_sign_in(client, practitioner)
    before_code = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:mfa-verify"), {"code": authenticator_code(practitioner)})
    after_code = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("cases:list")).status_code == 200

    assert after_code != before_code
    old = Client()
    old.cookies[settings.SESSION_COOKIE_NAME] = before_code
    assert old.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:sign-in"))
    assert old.get(reverse("api:case-list")).status_code in (401, 403)
    # The session list follows the session to its new key.
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [after_code]


def test_the_session_key_changes_when_a_recovery_code_is_entered(client, practitioner):
    recovery_codes_give(practitioner, "abcd2345")
    _password_sign_in(client, practitioner)
    before_code = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:mfa-verify"), {"code": "abcd2345"})
    assert client.get(reverse("cases:list")).status_code == 200
    old = Client()
    old.cookies[settings.SESSION_COOKIE_NAME] = before_code
    assert old.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:sign-in"))


def test_first_sign_in_enrols_an_authenticator_and_gives_recovery_codes(client, idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    _password_sign_in(client, user)
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:mfa-verify"))
    assert client.get(reverse("accounts:mfa-verify"))["Location"] == reverse("accounts:mfa-setup")
    page = client.get(reverse("accounts:mfa-setup"))
    assert 'src="data:image/svg+xml' in page.text
    device = AuthenticatorApp.objects.get(user=user, confirmed=False)

    response = client.post(reverse("accounts:mfa-setup"), {"code": _code_for(device)})
    assert "Your recovery codes" in response.text
    codes = _recovery_codes_shown(response)
    assert len(set(codes)) == RECOVERY_CODE_COUNT
    assert RecoveryCode.objects.filter(code_set__user=user).count() == RECOVERY_CODE_COUNT
    assert AuthenticatorApp.objects.get(user=user).confirmed
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.MFA_ENROLLED, actor=user).exists()


def test_reloading_set_up_keeps_the_same_key_until_confirmed(client, idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    _password_sign_in(client, user)
    first = client.get(reverse("accounts:mfa-setup"))
    second = client.get(reverse("accounts:mfa-setup"))
    assert AuthenticatorApp.objects.filter(user=user).count() == 1
    key = first.text.split('data-testid="setup-key">')[1].split("<")[0]
    assert key in second.text


def test_a_recovery_code_works_once(client, idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    _password_sign_in(client, user)
    client.get(reverse("accounts:mfa-setup"))
    device = AuthenticatorApp.objects.get(user=user)
    code = _recovery_codes_shown(
        client.post(reverse("accounts:mfa-setup"), {"code": _code_for(device)})
    )[3]
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
    new_device = AuthenticatorApp.objects.get(user=practitioner, confirmed=False)
    response = client.post(reverse("accounts:mfa-setup"), {"code": _code_for(new_device)})
    assert "Your recovery codes" in response.text

    assert client.get(reverse("cases:list")).status_code == 200
    assert other_browser.get(reverse("cases:list"))["Location"].startswith(
        reverse("accounts:sign-in")
    )
    assert AuthenticatorApp.objects.filter(user=practitioner).count() == 1
