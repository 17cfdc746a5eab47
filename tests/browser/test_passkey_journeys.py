"""Passkeys in Chromium (ADR 0025), with its virtual authenticator (DevTools' WebAuthn domain):
a professional adds a passkey from their account after a fresh code, signs out, signs in with
their password and the passkey, and opens a case; a passkey the service does not accept, or
one removed meanwhile, gets a calm error and the code still works.

These pages run under the service's real CSP (no bypass), so the package's scripts are shown to
work without inline script; axe-core is put in through DevTools, as the CSP would refuse it.
"""

import base64
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Browser, CDPSession, Page, expect

from orderwatch.accounts.models import AuthenticatorApp
from orderwatch.accounts.tests.factories import TEST_PASSWORD
from orderwatch.accounts.tests.soft_authenticator import SoftAuthenticator
from orderwatch.audit.models import AuditEvent, Verb
from tests.browser.conftest import AXE_SCRIPT, AXE_TAGS, TIMEOUT_MS, _format_violations
from tests.browser.pages import (
    enter_authenticator_code,
    expect_error_summary,
    expect_heading,
    open_case,
    success_banner,
)
from tests.browser.test_security_journeys import ENTER_CODE_HEADING, sign_out

NOT_ACCEPTED = (
    "That passkey is not one you have added to OrderWatch. Try another passkey, "
    "or enter the code from your authenticator app"
)


@pytest.fixture
def passkeys_at_the_live_server(settings, live_server) -> None:
    """The live server is the relying party's origin (localhost, on its own port)."""
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


@pytest.fixture
def page(browser: Browser, live_server, passkeys_at_the_live_server) -> Iterator[Page]:
    """A page under the service's own Content-Security-Policy; CSP refusals fail the test."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not refused, refused


def virtual_authenticator(page: Page) -> tuple[CDPSession, str]:
    """Give the page a platform authenticator (like a laptop's fingerprint reader) that always
    finds its user present and verified."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable", {"enableUI": False})
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return devtools, added["authenticatorId"]


def assert_accessible(page: Page, devtools: CDPSession) -> None:
    """Run axe-core (WCAG 2.2 A/AA), put in through DevTools: the page's CSP refuses inline
    script, and this page keeps it."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        devtools.send("Runtime.evaluate", {"expression": AXE_SCRIPT.read_text(encoding="utf-8")})
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    if results["violations"]:
        pytest.fail(_format_violations(page.url, results["violations"]), pytrace=False)


def password_then_code_page(page: Page, live_server, sign_in_attempt, user) -> None:
    sign_in_attempt(page, live_server, email=user.email, password=TEST_PASSWORD)
    expect_heading(page, ENTER_CODE_HEADING)


def passkey_problem(page: Page):
    return page.get_by_test_id("passkey-error-summary")


@pytest.mark.browser
def test_add_a_passkey_then_sign_in_with_it_and_open_a_case(
    page, live_server, practitioner, case, sign_in, sign_in_attempt
):
    # Three codes in this test, maybe within a minute: let the test's app accept a few steps
    # ahead (each code is still used once).
    AuthenticatorApp.objects.filter(user=practitioner).update(tolerance=5)
    devtools, authenticator_id = virtual_authenticator(page)
    sign_in(page, live_server, practitioner)

    # Your account: no passkey yet; add one, with a name and a fresh code.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your account").click()
    expect_heading(page, "Your account")
    page.get_by_role("link", name="Add a passkey").click()
    expect_heading(page, "Passkeys")
    expect(page.get_by_text("You have not added a passkey.")).to_be_visible()
    assert_accessible(page, devtools)
    page.get_by_role("button", name="Add a passkey").click()
    expect_heading(page, "Add a passkey")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(
        page,
        "Enter a name for this passkey",
        "Enter the 6-digit code from your authenticator app",
    )
    assert_accessible(page, devtools)
    page.get_by_label("Name for this passkey").fill("Work laptop")
    enter_authenticator_code(page, practitioner)
    assert_accessible(page, devtools)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Create your passkey")
    expect(page.get_by_text("turn on JavaScript")).to_have_count(0)  # the script took over
    assert_accessible(page, devtools)
    page.get_by_role("button", name="Create passkey").click()

    expect_heading(page, "Passkeys")
    expect(success_banner(page)).to_contain_text("Passkey added: Work laptop")
    expect(page.get_by_test_id("passkeys")).to_contain_text("Work laptop")
    assert_accessible(page, devtools)
    credentials = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1
    passkey = WebAuthnCredential.objects.get(user=practitioner)
    assert passkey.name == "Work laptop"

    # Signed out, in again: the password, then the passkey instead of the code.
    sign_out(page)
    password_then_code_page(page, live_server, sign_in_attempt, practitioner)
    expect(page.get_by_role("heading", name="Or use your passkey")).to_be_visible()
    assert_accessible(page, devtools)
    page.get_by_role("button", name="Use your passkey").click()

    expect_heading(page, "My cases")
    expect(page.get_by_text(f"Signed in as {practitioner.display_name}")).to_be_visible()
    open_case(page, case)
    event = AuditEvent.objects.filter(verb=Verb.MFA_VERIFIED).order_by("sequence").last()
    assert event.payload == {"method": "passkey", "passkey": passkey.pk}
    assert AuditEvent.objects.filter(verb=Verb.PASSKEY_ADDED, actor=practitioner).count() == 1

    # Removing it: this session used it, so the next page asks for the code.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Change your passkeys").click()
    page.get_by_role("link", name="Remove Work laptop").click()
    expect_heading(page, "Remove the passkey ‘Work laptop’?")
    assert_accessible(page, devtools)
    page.get_by_role("button", name="Remove passkey").click()
    expect_heading(page, ENTER_CODE_HEADING)
    expect(success_banner(page)).to_contain_text("Passkey removed: Work laptop")
    expect(page.get_by_role("heading", name="Or use your passkey")).to_have_count(0)
    enter_authenticator_code(page, practitioner)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Passkeys")
    expect(page.get_by_text("You have not added a passkey.")).to_be_visible()
    assert AuditEvent.objects.filter(verb=Verb.PASSKEY_REMOVED, actor=practitioner).count() == 1


def _add_a_credential_with_another_key(devtools, authenticator_id, server_side) -> None:
    """Put the passkey the service knows (same id) in the authenticator, but with another
    private key: the browser uses it, and the service cannot check its signature."""
    other_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    devtools.send(
        "WebAuthn.addCredential",
        {
            "authenticatorId": authenticator_id,
            "credential": {
                "credentialId": base64.b64encode(server_side.credential_id).decode(),
                "isResidentCredential": False,
                "rpId": "localhost",
                "privateKey": base64.b64encode(other_key).decode(),
                "signCount": 0,
            },
        },
    )


@pytest.mark.browser
def test_a_passkey_not_accepted_or_removed_gets_a_calm_error_and_the_code_still_works(
    page, live_server, practitioner, sign_in_attempt
):
    devtools, authenticator_id = virtual_authenticator(page)
    server_side = SoftAuthenticator()
    server_side.passkey_for(practitioner, name="Work laptop")
    _add_a_credential_with_another_key(devtools, authenticator_id, server_side)

    password_then_code_page(page, live_server, sign_in_attempt, practitioner)
    page.get_by_role("button", name="Use your passkey").click()
    expect(passkey_problem(page)).to_be_visible()
    expect(passkey_problem(page).get_by_role("link")).to_have_text(NOT_ACCEPTED)
    expect(passkey_problem(page)).to_be_focused()
    expect(page).to_have_title("Error: Enter your code – OrderWatch")
    assert_accessible(page, devtools)

    # Removed meanwhile (say, from another browser): the same calm answer.
    WebAuthnCredential.objects.filter(user=practitioner).delete()
    page.get_by_role("button", name="Use your passkey").click()
    expect(passkey_problem(page).get_by_role("link")).to_have_text(NOT_ACCEPTED)
    expect(page.locator("[data-testid='passkey-error-summary']")).to_have_count(1)

    # The code still signs in.
    enter_authenticator_code(page, practitioner)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "My cases")
    assert not AuditEvent.objects.filter(verb=Verb.MFA_VERIFIED, payload__method="passkey").exists()
