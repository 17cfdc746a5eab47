"""Recording that the victim-survivor has moved, in Chromium, with axe-core (WCAG 2.2 A/AA).

The new address is confidential: after a move the case page shows only the agreed next step
for the orders, and the address itself is revealed only with a reason and a fresh code.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from orderwatch.accounts.mfa import WRONG_CODE
from orderwatch.accounts.models import AuthenticatorApp
from orderwatch.orders.models import AddressChange
from tests.browser.pages import (
    enter_authenticator_code,
    error_summary,
    expect_error_summary,
    expect_heading,
    open_case,
    success_banner,
)

OLD_ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's default
NEW_ADDRESS = "22 Willow Close, Newtown, NT2 2NT"
NEW_ADDRESS_FIRST_LINE = "22 Willow Close"
DISCLOSURE_RISK = "A varied exclusion zone would name the new street to the respondent."
DISCUSSION = "Discussed with the victim-survivor and her solicitor by phone."
NEXT_STEP = "Do not vary the order"
MOVE_REASON = "The current order already forbids all contact; varying it would reveal the area."
REVEAL_REASON = "To arrange a safe home visit at the new address"
MOVE_LINK = "Record that the victim-survivor has moved"
MOVES_TABLE = "Moves and the agreed next step for the orders"


# Helpers ------------------------------------------------------------------------------------


def open_move_form(page: Page) -> None:
    page.get_by_role("link", name=MOVE_LINK).click()
    expect_heading(page, MOVE_LINK)


def expect_no_address_shown(page: Page) -> None:
    """Neither the old nor the new address appears anywhere in the page, visible or not."""
    for text in (NEW_ADDRESS_FIRST_LINE, OLD_ADDRESS):
        expect(page.get_by_text(text)).to_have_count(0)
        assert text not in page.content()


# Journeys -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_recording_a_move_without_answers_explains_what_is_missing(
    page, live_server, practitioner, case, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    open_move_form(page)
    expect(page).to_have_title(re.compile(rf"^Record a move – case {case.reference}"))
    assert_accessible(page)

    page.get_by_role("button", name="Save", exact=True).click()
    expect_heading(page, MOVE_LINK)
    expect_error_summary(
        page,
        "Enter the new address",
        "Enter how varying the order could reveal the new address",
        "Enter what was discussed, and with whom",
        "Select the agreed next step",
        "Enter why this is the safe next step",
        "Enter the 6-digit code from your authenticator app",
    )
    # "Date they moved" is optional: no error for it.
    expect(error_summary(page).get_by_role("link")).to_have_count(6)
    assert_accessible(page)

    # Each error link takes the user to its field.
    error_summary(page).get_by_role("link", name="Select the agreed next step").click()
    expect(page.get_by_label(NEXT_STEP, exact=True)).to_be_in_viewport()
    assert not AddressChange.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.protected_address.reveal() == OLD_ADDRESS


@pytest.mark.browser
def test_practitioner_records_a_move_and_only_a_reveal_shows_the_new_address(
    page, live_server, practitioner, case, sign_in, assert_accessible
):
    # Signing in, recording the move and revealing the address each need a fresh code: three,
    # where the app's default tolerance of one step gives two per 30 seconds.
    AuthenticatorApp.objects.filter(user=practitioner).update(tolerance=2)
    sign_in_code = sign_in(page, live_server, practitioner)
    open_case(page, case)
    expect(page.get_by_role("table", name=MOVES_TABLE)).to_have_count(0)
    open_move_form(page)

    page.get_by_label("The new address", exact=True).fill(NEW_ADDRESS)
    page.get_by_label("Could changing the order reveal the new address to the respondent?").fill(
        DISCLOSURE_RISK
    )
    page.get_by_label("What was discussed, and with whom?").fill(DISCUSSION)
    page.get_by_label(NEXT_STEP, exact=True).check()
    page.get_by_label("Why is this the safe next step?").fill(MOVE_REASON)

    # The code used to sign in is not accepted again: recording the move needs a fresh one.
    enter_authenticator_code(page, practitioner, sign_in_code)
    page.get_by_role("button", name="Save", exact=True).click()
    expect_error_summary(page, WRONG_CODE)
    expect(page.get_by_label(NEXT_STEP, exact=True)).to_be_checked()
    expect(page.get_by_label("Why is this the safe next step?")).to_have_value(MOVE_REASON)
    assert not AddressChange.objects.filter(case=case).exists()

    page.wait_for_timeout(1_100)  # after a wrong code, django-otp makes the next one wait 1s
    enter_authenticator_code(page, practitioner)
    page.get_by_role("button", name="Save", exact=True).click()

    expect_heading(page, case.reference)
    expect(success_banner(page)).to_contain_text("The move and the agreed next step are recorded.")
    moves = page.get_by_role("table", name=MOVES_TABLE).locator("tbody tr")
    expect(moves).to_have_count(1)
    expect(moves.get_by_role("cell").nth(1)).to_have_text(NEXT_STEP)
    expect(moves.get_by_role("cell").nth(2)).to_have_text(MOVE_REASON)
    expect(
        page.get_by_text("The victim-survivor's address is recorded and hidden.")
    ).to_be_visible()
    expect_no_address_shown(page)
    assert_accessible(page)

    page.get_by_role("link", name="Reveal the address").click()
    expect_heading(page, "Reveal the protected address")
    page.get_by_label("Why do you need to see the address?").fill(REVEAL_REASON)
    enter_authenticator_code(page, practitioner)
    page.get_by_role("button", name="Show the address").click()

    expect_heading(page, "Protected address")
    expect(page.get_by_test_id("protected-address")).to_have_text(NEW_ADDRESS)
    expect(page.get_by_text(OLD_ADDRESS)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Back to case").click()
    expect_heading(page, case.reference)
    expect_no_address_shown(page)
