"""Your own account in Chromium: change your password (another browser is signed out), reset
a forgotten one from the emailed link, and replace the authenticator app, which needs a code
from the current one. Each new page is checked with axe-core (WCAG 2.2 A/AA)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from orderwatch.accounts.mfa_pages import WRONG_CURRENT_CODE
from orderwatch.accounts.models import AuthenticatorApp
from orderwatch.accounts.tests.factories import TEST_PASSWORD, authenticator_code
from tests.browser.pages import expect_error_summary, expect_heading, success_banner
from tests.browser.test_security_journeys import THROTTLE_WAIT_MS, app_code

CHANGED_PASSWORD = "lantern-orchard-pebble-91"
RESET_PASSWORD = "harbour-thistle-copper-27"


def open_your_account(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your account").click()
    expect_heading(page, "Your account")


@pytest.mark.browser
def test_change_reset_and_replace_the_authenticator(
    page, browser, live_server, practitioner, sign_in, assert_accessible
):
    # Five codes in this test, well within a minute: let the test's app accept a few steps
    # ahead (each code is still used once: replay protection is unchanged).
    AuthenticatorApp.objects.filter(user=practitioner).update(tolerance=5)
    other = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in(other, live_server, practitioner)
    sign_in(page, live_server, practitioner)

    # Your account lists both sessions; change the password there.
    open_your_account(page)
    expect(page.get_by_test_id("sessions").get_by_role("row")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("link", name="Change your password").click()
    expect_heading(page, "Change your password")
    page.get_by_label("Current password").fill(TEST_PASSWORD)
    page.get_by_label("New password", exact=True).fill(CHANGED_PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(practitioner))
    assert_accessible(page)
    page.get_by_role("button", name="Change password").click()
    expect_heading(page, "Your account")
    expect(success_banner(page)).to_contain_text("Your password has been changed.")
    expect(page.get_by_test_id("sessions").get_by_role("row")).to_have_count(2)

    # The other browser is signed out.
    other.reload()
    expect_heading(other, "Sign in to OrderWatch")
    other.context.close()

    # Forgotten: reset it from the emailed link, then sign in with the new one (and a code).
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect_heading(page, "You have signed out")
    page.goto(live_server.url + reverse("accounts:sign-in"))
    page.get_by_role("link", name="Forgotten your password?").click()
    expect_heading(page, "Reset your password")
    assert_accessible(page)
    page.get_by_label("Email address").fill(practitioner.email)
    page.get_by_role("button", name="Send the link").click()
    expect_heading(page, "Check your email")
    assert_accessible(page)
    (email,) = mail.outbox
    link = re.search(r"https?://\S+/password-reset/\S+/", email.body).group(0)
    page.goto(live_server.url + "/accounts/" + link.split("/accounts/", 1)[1])
    expect_heading(page, "Choose a new password")
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:password-reset-new")) + "$"))
    page.get_by_label("New password", exact=True).fill(RESET_PASSWORD)
    assert_accessible(page)
    page.get_by_role("button", name="Save new password").click()
    expect_heading(page, "Sign in to OrderWatch")
    expect(success_banner(page)).to_contain_text("Your password has been reset.")
    sign_in(page, live_server, practitioner, password=RESET_PASSWORD)

    # Replacing the authenticator asks for a code from the current one first.
    open_your_account(page)
    page.get_by_role("link", name="Replace your authenticator app").click()
    expect_heading(page, "Replace your authenticator app")
    expect(page.get_by_role("img", name=re.compile("^QR code"))).to_have_count(0)
    current_code = page.get_by_label("Code from the authenticator app you use now")
    current_code.fill("000000" if authenticator_code(practitioner) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, WRONG_CURRENT_CODE)
    assert_accessible(page)
    page.wait_for_timeout(THROTTLE_WAIT_MS)
    current_code.fill(authenticator_code(practitioner))
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Set up two-factor authentication")
    page.get_by_text("I cannot scan the QR code").click()
    key = page.get_by_test_id("setup-key").inner_text()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(app_code(key))
    page.get_by_role("button", name="Confirm code").click()
    expect_heading(page, "Your recovery codes")
    assert AuthenticatorApp.objects.filter(user=practitioner).count() == 1
    assert mail.outbox[-1].subject == "OrderWatch: your authenticator app was replaced"
