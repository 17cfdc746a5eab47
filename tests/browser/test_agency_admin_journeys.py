"""Agency administration in Chromium (issue 15): an administrator makes a police officer's
account, the officer sets it up from the emailed link and joins a case (the address hidden
until the lead allows it), then is removed; and a practitioner who lost their phone and their
recovery codes is reset by their administrator and sets up a new app. Every new page is
checked with axe-core (WCAG 2.2 A/AA)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from orderwatch.accounts.models import AuthenticatorApp, User
from orderwatch.accounts.tests.factories import UserFactory, authenticator_code
from tests.browser.pages import expect_error_summary, expect_heading, success_banner
from tests.browser.test_security_journeys import app_code

OFFICER_PASSWORD = "lantern-orchard-pebble-91"
PROTECTED_ADDRESS = "1 Test Street, Testtown, TT1 1TT"
REASON = "To plan a safe visit with the victim-survivor"


def open_menu(page: Page, name: str, heading: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()
    expect_heading(page, heading)


def set_up_authenticator(page: Page, assert_accessible) -> str:
    """On "Set up two-factor authentication": type the key into an 'app', confirm its code,
    and return the key (the new app)."""
    expect_heading(page, "Set up two-factor authentication")
    page.get_by_text("I cannot scan the QR code").click()
    key = page.get_by_test_id("setup-key").inner_text()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(app_code(key))
    page.get_by_role("button", name="Confirm code").click()
    expect_heading(page, "Your recovery codes")
    return key


@pytest.mark.browser
def test_an_officers_account_from_creation_to_removal_from_a_case(
    page, browser, live_server, police, practitioner, case, order, sign_in, assert_accessible
):
    admin = UserFactory(agency=police, role=User.Role.AGENCY_ADMIN, display_name="Kit Mercer")
    # The police administrator creates the officer's account.
    sign_in(page, live_server, admin)
    open_menu(page, "People", "People in your agency")
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").click()
    expect_heading(page, "Create an account")
    page.get_by_role("button", name="Create account and send the link").click()
    expect_error_summary(page, "Enter their full name", "Enter their work email address")
    assert_accessible(page)
    page.get_by_label("Full name").fill("PC Dana Cole")
    page.get_by_label("Work email address").fill("dana.cole@police.example")
    page.get_by_label("Practitioner", exact=True).check()
    page.get_by_role("button", name="Create account and send the link").click()
    expect_heading(page, "PC Dana Cole")
    expect(success_banner(page)).to_contain_text("We have emailed a link to set it up")
    expect(page.get_by_test_id("person")).to_contain_text("Not set up yet")
    expect(page.get_by_text("/set-up/")).to_have_count(0)
    assert_accessible(page)

    # The officer follows the emailed link: a password, then an authenticator app.
    (email,) = mail.outbox
    link = re.search(r"https?://\S+/set-up/\S+/", email.body).group(0)
    officer_page = browser.new_context(
        base_url=live_server.url, locale="en-GB", bypass_csp=True
    ).new_page()
    officer_page.goto(live_server.url + "/accounts/" + link.split("/accounts/", 1)[1])
    expect_heading(officer_page, "Choose a password")
    expect(officer_page).to_have_url(re.compile(re.escape(reverse("accounts:account-setup")) + "$"))
    assert_accessible(officer_page)
    officer_page.get_by_label("New password", exact=True).fill(OFFICER_PASSWORD)
    officer_page.get_by_role("button", name="Save password and continue").click()
    set_up_authenticator(officer_page, assert_accessible)
    officer = User.objects.get(email="dana.cole@police.example")
    AuthenticatorApp.objects.filter(user=officer).update(tolerance=5)

    # The IDVA lead adds the officer to the case as officer in the case.
    lead_page = browser.new_context(
        base_url=live_server.url, locale="en-GB", bypass_csp=True
    ).new_page()
    sign_in(lead_page, live_server, practitioner)
    lead_page.goto(live_server.url + case.get_absolute_url())
    lead_page.get_by_role("link", name="Add someone to the case team").click()
    lead_page.get_by_label("Which agency do they work for?").select_option(label=police.name)
    lead_page.get_by_role("button", name="Continue").click()
    expect_heading(lead_page, f"Add someone from {police.name}")
    lead_page.get_by_label("PC Dana Cole – Practitioner").check()
    lead_page.get_by_label("Officer in the case").check()
    assert_accessible(lead_page)
    lead_page.get_by_role("button", name="Add to the case team").click()
    expect(success_banner(lead_page)).to_contain_text("Added to the case team")

    # The officer sees the case and the order, but not the address.
    officer_page.goto(live_server.url + reverse("cases:list"))
    officer_page.get_by_role("link", name=case.reference).click()
    expect_heading(officer_page, case.reference)
    expect(officer_page.get_by_role("link", name=re.compile("^Reveal the address"))).to_have_count(
        0
    )
    expect(officer_page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)
    officer_page.get_by_role("link", name=order.order_type.name, exact=True).click()
    expect_heading(officer_page, order.order_type.name)
    expect(officer_page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)

    # The lead allows address access; the officer reveals it with a reason and a code.
    lead_page.get_by_role("link", name="Allow address access for PC Dana Cole").click()
    lead_page.get_by_label("Why?").fill("Officer in the case: visits are planned with her")
    lead_page.get_by_role("button", name="Allow access to the address").click()
    expect(success_banner(lead_page)).to_be_visible()
    officer_page.goto(live_server.url + case.get_absolute_url())
    officer_page.get_by_role("link", name=re.compile("^Reveal the address")).click()
    officer_page.get_by_label("Why do you need to see the address?").fill(REASON)
    officer_page.get_by_label("Code from your authenticator app").fill(authenticator_code(officer))
    officer_page.get_by_role("button", name="Show the address").click()
    expect(officer_page.get_by_test_id("protected-address")).to_have_text(PROTECTED_ADDRESS)

    # The lead removes the officer; the officer's next request for the case is 404.
    lead_page.get_by_role("link", name="Remove PC Dana Cole from the case team").click()
    lead_page.get_by_label("Why are they leaving the case team?").fill("Investigation closed")
    lead_page.get_by_role("button", name="Remove from the case team").click()
    expect(success_banner(lead_page)).to_contain_text("Removed from the case team")
    response = officer_page.goto(live_server.url + case.get_absolute_url())
    assert response.status == 404
    expect_heading(officer_page, "Page not found")


def old_app_code(device: AuthenticatorApp) -> str:
    """The code the lost phone's app would show now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.browser
def test_a_lost_authenticator_is_reset_by_the_administrator_and_set_up_again(
    page,
    browser,
    live_server,
    idva_service,
    practitioner,
    sign_in,
    sign_in_attempt,
    assert_accessible,
):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN, display_name="Jo Admin")
    lost = AuthenticatorApp.objects.get(user=practitioner)

    # The administrator finds the practitioner and resets, with a reason and their own code.
    sign_in(page, live_server, admin)
    open_menu(page, "People", "People in your agency")
    page.get_by_label("Name", exact=True).fill("Pat")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Pat Lead").click()
    expect_heading(page, "Pat Lead")
    page.get_by_role("link", name="Reset their authenticator app").click()
    expect_heading(page, "Reset their authenticator app")
    assert_accessible(page)
    page.get_by_label("Why are you resetting their authenticator app?").fill(
        "Lost their phone and recovery codes; confirmed in person"
    )
    page.get_by_label("Code from your own authenticator app").fill(authenticator_code(admin))
    page.get_by_role("button", name="Reset authenticator app").click()
    expect(success_banner(page)).to_contain_text("Their authenticator app has been reset")
    expect(page.get_by_test_id("person")).to_contain_text("Not set up")
    (email,) = mail.outbox
    assert email.to == [practitioner.email]

    # At their next sign-in the practitioner sets up a new app.
    other = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    own = other.new_page()
    sign_in_attempt(own, live_server, email=practitioner.email, password="a-long-test-password-42")
    set_up_authenticator(own, assert_accessible)
    own.get_by_role("button", name="Sign out", exact=True).click()
    expect_heading(own, "You have signed out")

    # The lost phone's code no longer works; the new app's does.
    sign_in_attempt(own, live_server, email=practitioner.email, password="a-long-test-password-42")
    expect_heading(own, "Enter the code from your authenticator app")
    own.get_by_label("Code from your authenticator app").fill(old_app_code(lost))
    own.get_by_role("button", name="Continue").click()
    expect_error_summary(own, re.compile("The code is not right"))
    own.wait_for_timeout(1_100)  # after a wrong code, django-otp makes the next one wait 1s
    own.get_by_label("Code from your authenticator app").fill(authenticator_code(practitioner))
    own.get_by_role("button", name="Continue").click()
    expect(own.get_by_text(f"Signed in as {practitioner.display_name}")).to_be_visible()
    expect_heading(own, "My cases")
