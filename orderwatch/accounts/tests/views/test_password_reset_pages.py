"""The forgotten-password pages: the same answer for any address, a link used once."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.models import PasswordResetRequest
from orderwatch.accounts.services.passwords import RESETS_PER_EMAIL
from orderwatch.accounts.tests.factories import TEST_PASSWORD, authenticator_code

pytestmark = pytest.mark.django_db

REQUEST = reverse("accounts:password-reset")
SENT = reverse("accounts:password-reset-sent")
NEW = reverse("accounts:password-reset-new")
NEW_PASSWORD = "lantern-orchard-pebble-91"
UNKNOWN = "nobody-here@agency.example"


def ask(client: Client, email: str, **extra):
    """Post the form; what it queues runs as the request commits, as a worker would take it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(REQUEST, {"email": email}, **extra)


def emailed_link(client: Client, email: str) -> str:
    """Ask for a reset by the page; return the path of the emailed link."""
    assert ask(client, email)["Location"] == SENT
    body = mail.outbox[-1].body
    link = next(word for word in body.split() if "/password-reset/" in word)
    return link.removeprefix("https://orderwatch.test")


def test_the_sign_in_page_links_to_a_reset(client):
    assert (
        f'href="{REQUEST}">Forgotten your password?' in client.get(reverse("accounts:sign-in")).text
    )


def test_known_and_unknown_addresses_get_the_same_answer(client, practitioner):
    known = ask(client, practitioner.email)
    unknown = ask(client, UNKNOWN)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    sent = client.get(SENT).text
    assert "If that email address belongs to an OrderWatch account" in sent
    assert practitioner.email not in sent


def test_known_and_unknown_addresses_cost_the_request_the_same_work(
    client, practitioner, run_worker
):
    """With the real task queue the page only records and queues; the worker sends (or not)."""
    with CaptureQueriesContext(connection) as known:
        ask(client, practitioner.email, REMOTE_ADDR="203.0.113.1")
    with CaptureQueriesContext(connection) as unknown:
        ask(client, UNKNOWN, REMOTE_ADDR="203.0.113.2")
    assert len(known) == len(unknown)
    assert [q["sql"].split()[0] for q in known] == [q["sql"].split()[0] for q in unknown]
    assert mail.outbox == []
    run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-address", "Enter an email address in the correct format, like name@example.com"),
    ],
)
def test_a_missing_or_malformed_address_is_explained(client, email, message):
    response = ask(client, email)
    assert response.status_code == 200
    assert message in response.text
    assert PasswordResetRequest.objects.count() == 0


def test_too_many_requests_are_refused_with_a_message(client, practitioner):
    for _ in range(RESETS_PER_EMAIL):
        ask(client, practitioner.email)
    refused = ask(client, practitioner.email)
    assert refused.status_code == 429
    assert "You have asked for too many password reset emails" in refused.text
    assert "<title>Error: Reset your password" in refused.text
    assert len(mail.outbox) == RESETS_PER_EMAIL


def test_the_link_leads_to_a_new_password_then_to_signing_in_with_a_code(client, practitioner):
    other = Client()
    other.post(
        reverse("accounts:sign-in"), {"username": practitioner.email, "password": TEST_PASSWORD}
    )
    other.post(reverse("accounts:mfa-verify"), {"code": authenticator_code(practitioner)})
    link = emailed_link(client, practitioner.email)

    opened = client.get(link)
    assert opened["Location"] == NEW
    form = client.get(NEW)
    assert "Choose a new password" in form.text
    assert link.rstrip("/").split("/")[-1] not in form.text  # the token stays in the session
    done = client.post(NEW, {"new_password": NEW_PASSWORD})

    assert done["Location"] == reverse("accounts:sign-in")
    assert "Your password has been reset." in client.get(done["Location"]).text
    practitioner.refresh_from_db()
    assert practitioner.check_password(NEW_PASSWORD)
    assert other.get(reverse("cases:list")).status_code == 302  # every session ended
    # Signing in needs the code as ever: the link signed nobody in.
    client.post(
        reverse("accounts:sign-in"), {"username": practitioner.email, "password": NEW_PASSWORD}
    )
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:mfa-verify"))


def test_a_used_link_no_longer_works(client, practitioner):
    link = emailed_link(client, practitioner.email)
    client.get(link)
    client.post(NEW, {"new_password": NEW_PASSWORD})
    again = Client().get(link)
    assert again.status_code == 404
    assert "This link no longer works" in again.text


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link[:-3] + "x/",
        lambda link: link.replace("/password-reset/", "/password-reset/A"),
    ],
)
def test_a_tampered_link_does_not_work(client, practitioner, tamper):
    link = emailed_link(client, practitioner.email)
    response = client.get(tamper(link))
    assert response.status_code == 404
    assert "This link no longer works" in response.text
    assert client.get(NEW).status_code == 404


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter a new password"),
        ("short-1", "Password must be 12 characters or more"),
        ("password1234", "on a list of common passwords"),
    ],
)
def test_a_weak_new_password_is_explained_and_nothing_changes(
    client, practitioner, password, message
):
    client.get(emailed_link(client, practitioner.email))
    response = client.post(NEW, {"new_password": password})
    assert response.status_code == 200
    assert message in response.text
    practitioner.refresh_from_db()
    assert practitioner.check_password(TEST_PASSWORD)
    # The link still works for a better password.
    assert client.post(NEW, {"new_password": NEW_PASSWORD})["Location"] == reverse(
        "accounts:sign-in"
    )


def test_a_deactivated_account_gets_no_email_and_the_same_answer(client, practitioner):
    practitioner.is_active = False
    practitioner.save()
    assert ask(client, practitioner.email)["Location"] == SENT
    assert mail.outbox == []
