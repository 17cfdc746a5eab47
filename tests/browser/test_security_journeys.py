"""Sign-in security journeys in Chromium: two-factor set-up and sign-in, recovery codes,
replay protection and lockout, each new page checked with axe-core (WCAG 2.2 A/AA)."""

import base64
import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from orderwatch.accounts.mfa import RECOVERY_CODE_COUNT, WRONG_CODE
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tests.browser.pages import enter_authenticator_code, expect_error_summary, expect_heading

SET_UP_HEADING = "Set up two-factor authentication"
ENTER_CODE_HEADING = "Enter the code from your authenticator app"
CODE_LABEL = "Code from your authenticator app"
WRONG_PASSWORD = "Enter a correct email address and password"
LOCKED_HEADING = "Sign in is paused"
UNKNOWN_EMAIL = "nobody-here@agency.example"
THROTTLE_WAIT_MS = 1_100  # after a wrong code, django-otp makes the next one wait 1 s


def app_code(setup_key: str, *, steps_ahead: int = 0) -> str:
    """Return the code an authenticator app set up with `setup_key` shows now (or later)."""
    secret = setup_key.replace(" ", "")
    secret += "=" * (-len(secret) % 8)
    totp = TOTP(base64.b32decode(secret), step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def a_wrong_code(setup_key: str) -> str:
    """Return "000000", unless (one time in 300,000) the server would accept it just now."""
    accepted = {app_code(setup_key, steps_ahead=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111") if code not in accepted)


def click_continue_and_wait_for(page: Page, heading: str) -> None:
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, heading)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect_heading(page, "You have signed out")


def enrol(page: Page, live_server, sign_in_attempt, assert_accessible, user: User) -> list[str]:
    """Sign a user without an authenticator in, set one up; return the recovery codes shown."""
    sign_in_attempt(page, live_server, email=user.email, password=TEST_PASSWORD)
    expect_heading(page, SET_UP_HEADING)
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:mfa-setup")) + "$"))

    qr_code = page.get_by_role("img", name="QR code to add OrderWatch to your authenticator app")
    expect(qr_code).to_be_visible()
    assert (qr_code.get_attribute("src") or "").startswith("data:image/svg+xml")
    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 0")

    cannot_scan = page.locator("details").filter(has_text="I cannot scan the QR code")
    setup_key = cannot_scan.get_by_test_id("setup-key")
    expect(setup_key).to_be_hidden()
    cannot_scan.get_by_text("I cannot scan the QR code").click()
    expect(setup_key).to_be_visible()
    expect(setup_key).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$"))
    key = setup_key.inner_text()
    assert_accessible(page)

    page.get_by_label(CODE_LABEL).fill(a_wrong_code(key))
    page.get_by_role("button", name="Confirm code").click()
    expect_error_summary(page, WRONG_CODE)
    expect_heading(page, SET_UP_HEADING)
    expect(page.get_by_role("img", name=re.compile("^QR code"))).to_be_visible()
    assert_accessible(page)

    page.wait_for_timeout(THROTTLE_WAIT_MS)
    page.get_by_label(CODE_LABEL).fill(app_code(key))
    page.get_by_role("button", name="Confirm code").click()
    expect_heading(page, "Your recovery codes")
    expect(page.get_by_text("Two-factor authentication is set up.")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").get_by_role("listitem")
    expect(codes).to_have_count(RECOVERY_CODE_COUNT)
    recovery_codes = codes.all_inner_texts()
    assert len(set(recovery_codes)) == RECOVERY_CODE_COUNT
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in recovery_codes)
    assert_accessible(page)

    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect_heading(page, "My cases")
    expect(page.get_by_text(f"Signed in as {user.display_name}")).to_be_visible()
    assert_accessible(page)
    return recovery_codes


@pytest.mark.browser
def test_first_sign_in_sets_up_the_authenticator_app(
    page, live_server, idva_service, sign_in_attempt, assert_accessible
):
    user = UserFactory(agency=idva_service, authenticator=False)

    recovery_codes = enrol(page, live_server, sign_in_attempt, assert_accessible, user)

    assert len(recovery_codes) == RECOVERY_CODE_COUNT


def session_key(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


@pytest.mark.browser
def test_a_code_already_used_is_refused(
    page, browser, live_server, practitioner, sign_in, sign_in_attempt, assert_accessible
):
    used_code = sign_in(page, live_server, practitioner)
    expect_heading(page, "My cases")
    assert_accessible(page)
    sign_out(page)
    assert_accessible(page)

    sign_in_attempt(page, live_server, email=practitioner.email, password=TEST_PASSWORD)
    expect_heading(page, ENTER_CODE_HEADING)
    assert_accessible(page)
    enter_authenticator_code(page, practitioner, used_code)
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, WRONG_CODE)
    expect_heading(page, ENTER_CODE_HEADING)
    assert_accessible(page)

    # The refused replay used up no time step: this is only the second code in 30 seconds.
    page.wait_for_timeout(THROTTLE_WAIT_MS)
    fresh_code = enter_authenticator_code(page, practitioner)
    assert fresh_code != used_code
    before_code = session_key(page)
    click_continue_and_wait_for(page, "My cases")
    expect(page.get_by_text(f"Signed in as {practitioner.display_name}")).to_be_visible()

    # The session key from before the code opens nothing now (ADR 0024).
    assert session_key(page) != before_code
    old = browser.new_context(base_url=live_server.url, locale="en-GB")
    old.add_cookies([{"name": "sessionid", "value": before_code, "url": live_server.url}])
    old_page = old.new_page()
    old_page.goto(live_server.url + reverse("cases:list"))
    expect_heading(old_page, "Sign in to OrderWatch")
    old.close()


@pytest.mark.browser
def test_a_recovery_code_signs_in_once(
    page, live_server, idva_service, sign_in_attempt, assert_accessible
):
    user = UserFactory(agency=idva_service, authenticator=False)
    recovery_code = enrol(page, live_server, sign_in_attempt, assert_accessible, user)[0]
    sign_out(page)

    sign_in_attempt(page, live_server, email=user.email, password=TEST_PASSWORD)
    expect_heading(page, ENTER_CODE_HEADING)
    assert_accessible(page)
    page.get_by_label(CODE_LABEL).fill(recovery_code)
    click_continue_and_wait_for(page, "My cases")
    expect(page.get_by_text(f"Signed in as {user.display_name}")).to_be_visible()
    sign_out(page)

    sign_in_attempt(page, live_server, email=user.email, password=TEST_PASSWORD)
    expect_heading(page, ENTER_CODE_HEADING)
    page.get_by_label(CODE_LABEL).fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, WRONG_CODE)
    expect_heading(page, ENTER_CODE_HEADING)
    expect(page.get_by_role("heading", name="My cases")).to_have_count(0)
    assert_accessible(page)


def attempt_sign_in(page: Page, live_server, sign_in_attempt, *, email: str, password: str):
    """Send the sign-in form; return the HTTP status of the answer to it."""
    sign_in_path = reverse("accounts:sign-in")
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith(sign_in_path)
    ) as answer:
        sign_in_attempt(page, live_server, email=email, password=password)
    return answer.value.status


@pytest.mark.browser
def test_lockout_is_alike_for_real_and_unknown_accounts(
    page, live_server, practitioner, outsider, sign_in, sign_in_attempt, assert_accessible
):
    locked_pages = []
    for email, right_password in [
        (practitioner.email, TEST_PASSWORD),
        (UNKNOWN_EMAIL, TEST_PASSWORD),
    ]:
        for number in range(1, 5):
            status = attempt_sign_in(
                page, live_server, sign_in_attempt, email=email, password=f"wrong-{number}"
            )
            assert status == 200
            expect_error_summary(page, WRONG_PASSWORD)
            expect_heading(page, "Sign in to OrderWatch")
        assert_accessible(page)

        # django-axes locks the username + address at the 5th failure (AXES_FAILURE_LIMIT),
        # answering that failure itself with the lockout page, status 429.
        status = attempt_sign_in(
            page, live_server, sign_in_attempt, email=email, password="wrong-5"
        )
        assert status == 429
        expect_heading(page, LOCKED_HEADING)
        expect(page).to_have_title(f"{LOCKED_HEADING} – OrderWatch")

        # The 6th attempt is refused alike, even with the right password.
        status = attempt_sign_in(
            page, live_server, sign_in_attempt, email=email, password=right_password
        )
        assert status == 429
        expect_heading(page, LOCKED_HEADING)
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
        expect(page.get_by_label("Password")).to_have_count(0)
        locked_pages.append(page.locator("main").inner_text())
        assert_accessible(page)

    assert locked_pages[0] == locked_pages[1]
    assert practitioner.email not in locked_pages[0]

    # The lockout is for a username from an address: another user here can still sign in.
    sign_in(page, live_server, outsider)
    expect_heading(page, "My cases")


@pytest.mark.browser
def test_two_factor_is_required_before_any_page(
    page, live_server, practitioner, sign_in_attempt, assert_accessible
):
    sign_in_attempt(page, live_server, email=practitioner.email, password=TEST_PASSWORD)
    expect_heading(page, ENTER_CODE_HEADING)

    page.goto(live_server.url + reverse("cases:list"))
    expect(page).to_have_url(
        re.compile(re.escape(reverse("accounts:mfa-verify")) + r"\?next=(/|%2F)cases(/|%2F)$")
    )
    expect_heading(page, ENTER_CODE_HEADING)
    expect(page.get_by_label(CODE_LABEL)).to_be_visible()
    assert_accessible(page)

    sign_out(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)

    page.goto(live_server.url + reverse("cases:list"))
    expect_heading(page, "Sign in to OrderWatch")
