import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import TEST_PASSWORD, UserFactory, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db


def _error_summary(html: str) -> str:
    start = html.index('<div class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def test_sign_in_with_email_any_case_lands_on_my_cases_and_is_audited(client, practitioner):
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": practitioner.email.upper(), "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:list")
    assert AuditEvent.objects.get(verb=Verb.SIGNED_IN).actor == practitioner


def test_wrong_password_and_unknown_email_get_the_same_answer(client, practitioner):
    url = reverse("accounts:sign-in")
    known = client.post(url, {"username": practitioner.email, "password": "wrong-password-1"})
    unknown = client.post(url, {"username": "nobody@agency.example", "password": "wrong-pass-1"})
    assert known.status_code == unknown.status_code == 200
    for response in (known, unknown):
        assert "Enter a correct email address and password" in response.text
    assert _error_summary(known.text) == _error_summary(unknown.text)
    assert not AuditEvent.objects.filter(verb=Verb.SIGNED_IN).exists()


def test_disabled_account_cannot_sign_in_and_gets_the_same_message(client, idva_service):
    user = UserFactory(agency=idva_service, is_active=False)
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert "Enter a correct email address and password" in response.text


def test_empty_sign_in_form_says_what_to_enter(client):
    response = client.post(reverse("accounts:sign-in"), {})
    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text
    assert "<title>Error: Sign in – OrderWatch</title>" in response.text


def test_passwords_are_hashed_with_argon2(settings, idva_service):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user(
        "argon@agency.example", "a-long-test-password-42", display_name="A", agency=idva_service
    )
    assert identify_hasher(user.password).algorithm == "argon2"


def test_sign_out_is_a_post_that_clears_the_browser(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:signed-out")
    assert "storage" in response["Clear-Site-Data"]
    assert AuditEvent.objects.get(verb=Verb.SIGNED_OUT).actor == practitioner
    assert client.get(reverse("cases:list")).status_code == 302


def test_disabling_a_user_ends_their_open_session(client, practitioner, case):
    sign_in_with_two_factor(client, practitioner)
    practitioner.is_active = False
    practitioner.save()
    response = client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
