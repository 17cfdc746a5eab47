"""Your passkeys' pages (ADR 0025): the list, adding one after a fresh code, removing one, the
row on "Your account" and the passkey offered beside the code at sign-in; each works without
JavaScript (saying a passkey needs it) and runs only scripts from files, under the CSP."""

import re
from unittest.mock import ANY

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from orderwatch.accounts.tests.factories import (
    TEST_PASSWORD,
    authenticator_code,
    sign_in_with_two_factor,
)
from orderwatch.accounts.tests.soft_authenticator import SoftAuthenticator
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

PASSKEYS = reverse("accounts:passkeys")
ADD = reverse("accounts:passkey-add")
CREATE = reverse("accounts:passkey-create")


@pytest.fixture
def client() -> Client:
    """A browser at the relying party's own address (localhost in tests), where passkeys work."""
    return Client(HTTP_HOST="localhost")


def remove_url(passkey: WebAuthnCredential) -> str:
    return reverse("accounts:passkey-remove", kwargs={"passkey_id": passkey.pk})


def scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html)


def test_the_list_shows_your_passkeys_only(client, practitioner, outsider):
    SoftAuthenticator().passkey_for(practitioner, name="Work laptop")
    SoftAuthenticator().passkey_for(outsider, name="Someone else's key")
    sign_in_with_two_factor(client, practitioner)
    page = client.get(PASSKEYS)
    assert page.status_code == 200
    assert "Work laptop" in page.text
    assert "Not used yet" in page.text
    assert "Someone else" not in page.text
    assert f'href="{ADD}"' in page.text


def test_the_list_takes_the_same_queries_however_many_passkeys(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    SoftAuthenticator().passkey_for(practitioner)
    with CaptureQueriesContext(connection) as one:
        client.get(PASSKEYS)
    for _ in range(3):
        SoftAuthenticator().passkey_for(practitioner)
    with CaptureQueriesContext(connection) as four:
        page = client.get(PASSKEYS)
    assert page.text.count("Not used yet") == 4
    assert len(four) == len(one)


def test_with_none_the_list_says_so_and_offers_to_add_one(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    page = client.get(PASSKEYS)
    assert "You have not added a passkey." in page.text
    assert "Add a passkey" in page.text


def test_at_another_address_the_list_says_where_passkeys_work(practitioner):
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in_with_two_factor(client, practitioner)
    page = client.get(PASSKEYS)
    assert "Passkeys work only at http://localhost" in page.text
    assert f'href="{ADD}"' not in page.text


def test_your_account_has_a_passkeys_row(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    assert "None added" in client.get(reverse("accounts:account")).text
    SoftAuthenticator().passkey_for(practitioner)
    SoftAuthenticator().passkey_for(practitioner)
    page = client.get(reverse("accounts:account"))
    assert "2 passkeys" in page.text
    assert f'href="{PASSKEYS}"' in page.text


def test_adding_asks_for_a_name_and_a_code(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    page = client.post(ADD, {"name": "", "code": ""})
    assert page.status_code == 200
    assert "Enter a name for this passkey" in page.text
    assert "Enter the 6-digit code from your authenticator app" in page.text
    assert page.text.count("govuk-error-summary__list") == 1
    wrong = client.post(ADD, {"name": "Work laptop", "code": "000000"})
    assert "The code is not right" in wrong.text
    assert client.get(CREATE)["Location"] == ADD


def test_a_name_too_long_is_refused(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    page = client.post(ADD, {"name": "x" * 65, "code": authenticator_code(practitioner)})
    assert "Name must be 64 characters or fewer" in page.text


def test_after_the_code_the_create_page_works_without_inline_scripts(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    response = client.post(ADD, {"name": "Work laptop", "code": authenticator_code(practitioner)})
    assert response["Location"] == CREATE
    page = client.get(CREATE)
    assert page.status_code == 200
    assert "Passkey name: Work laptop" in page.text
    # Without JavaScript: it says so, and the code still signs you in.
    assert "To add a passkey, turn on JavaScript in your browser." in page.text
    assert 'id="passkey-register-button"' in page.text
    assert 'id="otp_webauthn_config" type="application/json"' in page.text
    # Every script is a file (the package's, ours) or data; the CSP allows no inline script.
    for tag in scripts(page.text):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/django_otp_webauthn/otp_webauthn_register.js" in page.text
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_removing_asks_first_then_removes_and_audits(client, practitioner):
    passkey = SoftAuthenticator().passkey_for(practitioner, name="Old phone")
    sign_in_with_two_factor(client, practitioner)
    confirm = client.get(remove_url(passkey))
    assert "Remove the passkey ‘Old phone’?" in confirm.text
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()

    response = client.post(remove_url(passkey), follow=True)

    assert response.redirect_chain[-1][0] == PASSKEYS
    assert "Passkey removed: Old phone" in response.text
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    event = AuditEvent.objects.get(verb=Verb.PASSKEY_REMOVED)
    assert event.actor == practitioner
    assert event.payload == {"passkey": passkey.pk, "notes": {"name": ANY}}
    assert event.notes.get(name="name").text == "Old phone"


def test_someone_elses_passkey_cannot_be_seen_or_removed(client, practitioner, outsider):
    theirs = SoftAuthenticator().passkey_for(outsider)
    sign_in_with_two_factor(client, practitioner)
    assert client.get(remove_url(theirs)).status_code == 404
    assert client.post(remove_url(theirs)).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()
    assert not AuditEvent.objects.filter(verb=Verb.PASSKEY_REMOVED).exists()


def password_only(client: Client, user) -> Client:
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD})
    return client


def test_the_code_page_offers_your_passkey_beside_the_code(client, practitioner):
    SoftAuthenticator().passkey_for(practitioner)
    page = password_only(client, practitioner).get(reverse("accounts:mfa-verify"))
    assert "Enter the code from your authenticator app" in page.text
    assert "Or use your passkey" in page.text
    assert 'id="passkey-verification-button"' in page.text
    assert "To use your passkey, turn on JavaScript in your browser." in page.text
    assert "/static/django_otp_webauthn/otp_webauthn_auth.js" in page.text
    for tag in scripts(page.text):
        assert " src=" in tag or 'type="application/json"' in tag, tag


def test_the_code_page_offers_no_passkey_to_someone_without_one(client, practitioner):
    page = password_only(client, practitioner).get(reverse("accounts:mfa-verify"))
    assert "Or use your passkey" not in page.text
    assert "otp_webauthn" not in page.text


def test_the_code_page_offers_no_passkey_where_it_cannot_work(practitioner):
    SoftAuthenticator().passkey_for(practitioner)
    client = password_only(Client(HTTP_HOST="127.0.0.1"), practitioner)
    page = client.get(reverse("accounts:mfa-verify"))
    assert "Or use your passkey" not in page.text


def test_removing_the_passkey_this_session_used_asks_for_the_code_again(client, practitioner):
    authenticator = SoftAuthenticator()
    passkey = authenticator.passkey_for(practitioner)
    password_only(client, practitioner)
    options = client.post(reverse("accounts:passkey-sign-in-begin")).json()
    client.post(
        reverse("accounts:passkey-sign-in-complete"),
        authenticator.get(options),
        content_type="application/json",
    )
    assert client.get(PASSKEYS).status_code == 200
    response = client.post(remove_url(passkey))
    assert response["Location"] == PASSKEYS
    after = client.get(PASSKEYS)
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("accounts:mfa-verify"))
