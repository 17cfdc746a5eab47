import pytest
from django.urls import reverse

from orderwatch.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _attempt(client, email: str, password: str):
    return client.post(reverse("accounts:sign-in"), {"username": email, "password": password})


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_five_failures_lock_real_and_unknown_usernames_alike(client, practitioner):
    answers = {}
    for email in (practitioner.email, "nobody-here@agency.example"):
        for _ in range(5):
            _attempt(client, email, "wrong-password-123")
        answers[email] = _attempt(client, email, TEST_PASSWORD)
    real, unknown = answers.values()
    assert real.status_code == unknown.status_code == 429
    assert "Sign in is paused" in real.text
    assert _main(real.text) == _main(unknown.text)
    assert "_auth_user_id" not in client.session


def test_lockout_ignores_how_the_email_is_capitalised(client, practitioner):
    for email in (practitioner.email.upper(), practitioner.email.title()) * 3:
        _attempt(client, email, "wrong-password-123")
    assert _attempt(client, practitioner.email, TEST_PASSWORD).status_code == 429


def test_four_failures_then_the_right_password_still_signs_in(client, practitioner):
    for _ in range(4):
        assert "Enter a correct email address and password" in (
            _attempt(client, practitioner.email, "wrong-password-123").text
        )
    response = _attempt(client, practitioner.email, TEST_PASSWORD)
    assert response.status_code == 302


def test_a_locked_username_does_not_lock_others_from_the_same_address(
    client, practitioner, outsider
):
    for _ in range(6):
        _attempt(client, practitioner.email, "wrong-password-123")
    assert _attempt(client, outsider.email, TEST_PASSWORD).status_code == 302
