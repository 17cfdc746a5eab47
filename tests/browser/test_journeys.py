"""End-to-end journeys in Chromium, each page checked with axe-core (WCAG 2.2 A/AA)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orderwatch.accounts.mfa import WRONG_CODE
from orderwatch.audit.models import NOTE_ERASED
from orderwatch.audit.services import audit_notes_erase
from tests.browser.pages import enter_authenticator_code, expect_error_summary, fill_date

PROTECTED_ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's default
REASON = "To arrange a safe home visit"


@pytest.mark.browser
def test_sign_in_page_is_accessible(page, live_server, assert_accessible):
    page.goto(live_server.url + reverse("accounts:sign-in"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OrderWatch")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.browser
def test_wrong_password_shows_error_summary(
    page, live_server, practitioner, sign_in_attempt, assert_accessible
):
    sign_in_attempt(page, live_server, email=practitioner.email, password="not-the-password-1")

    expect_error_summary(page, "Enter a correct email address and password")
    expect(page.get_by_text(f"Signed in as {practitioner.display_name}")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.browser
def test_practitioner_reveals_address_and_auditor_sees_it_in_the_log(
    page, live_server, practitioner, case, auditor, sign_in, assert_accessible
):
    sign_in_code = sign_in(page, live_server, practitioner)
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
    assert_accessible(page)

    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    expect(page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Reveal the address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reveal the protected address")
    page.get_by_role("button", name="Show the address").click()
    expect_error_summary(
        page,
        "Enter why you need to see the address",
        "Enter the 6-digit code from your authenticator app",
    )
    expect(page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)
    assert_accessible(page)

    # The code used to sign in is not accepted again: the reveal needs a fresh one.
    page.get_by_label("Why do you need to see the address?").fill(REASON)
    enter_authenticator_code(page, practitioner, sign_in_code)
    page.get_by_role("button", name="Show the address").click()
    expect_error_summary(page, WRONG_CODE)
    expect(page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)

    page.wait_for_timeout(1_100)  # after a wrong code, django-otp makes the next one wait 1s
    enter_authenticator_code(page, practitioner)
    page.get_by_role("button", name="Show the address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protected address")
    expect(page.get_by_test_id("protected-address")).to_have_text(PROTECTED_ADDRESS)
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)

    sign_in(page, live_server, auditor)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    reveal = page.get_by_role("row").filter(has_text="Revealed a protected address")
    expect(reveal).to_have_count(1)
    expect(reveal).to_contain_text(practitioner.display_name)
    expect(reveal).to_contain_text(case.reference)
    expect(reveal).to_contain_text(f"Reason given: {REASON}")
    expect(page.get_by_role("row").filter(has_text="Viewed a case")).not_to_have_count(0)

    page.get_by_label("What happened").select_option(label="Revealed a protected address")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"verb=case\.protected_address_revealed"))
    expect(page.get_by_label("What happened")).to_have_value("case.protected_address_revealed")
    expect(reveal).to_have_count(1)
    expect(reveal).to_contain_text(practitioner.display_name)
    expect(reveal).to_contain_text(REASON)
    expect(page.get_by_role("row").filter(has_text="Viewed a case")).to_have_count(0)
    assert_accessible(page)

    # Disposing of the case's records erases the reason; the event stays, saying so.
    audit_notes_erase(case_id=case.pk)
    page.reload()
    expect(reveal).to_contain_text(f"Reason given: {NOTE_ERASED}")
    expect(reveal).not_to_contain_text(REASON)
    assert_accessible(page)


@pytest.mark.browser
def test_practitioner_outside_the_case_team_gets_not_found(
    page, live_server, case, outsider, sign_in, assert_accessible
):
    sign_in(page, live_server, outsider)

    response = page.goto(live_server.url + case.get_absolute_url())

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert case.reference not in page.content()
    assert_accessible(page)


@pytest.mark.browser
def test_practitioner_opens_a_case_and_adds_a_respondent(
    page, live_server, practitioner, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    page.get_by_role("button", name="Open a new case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a new case")

    page.get_by_role("button", name="Open case").click()
    expect_error_summary(
        page, "Enter the victim-survivor's first name", "Enter your role on this case"
    )
    assert_accessible(page)

    page.get_by_label("Victim-survivor's first name").fill("Alex")
    page.get_by_label("Victim-survivor's last name").fill("Example")
    fill_date(page, "Victim-survivor's date of birth", dt.date(1988, 4, 12))
    page.get_by_label("Your role on this case").fill("Allocated IDVA")
    page.get_by_role("button", name="Open case").click()

    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    reference = page.get_by_role("heading", level=1).inner_text()
    assert re.fullmatch(r"OW-[0-9A-Z]{6}", reference)
    banner = page.get_by_role("alert").filter(has_text="Success")
    expect(banner).to_contain_text(f"Case {reference} opened. You are its lead.")
    expect(page.get_by_text("Alex Example")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    page.get_by_label("Who is this person?").select_option(label="Respondent")
    page.get_by_label("First name", exact=True).fill("Sam")
    page.get_by_label("Last name", exact=True).fill("Respondent-Person")
    page.get_by_label("Other names they are known by").fill("Sammy\nS. R. Person")
    assert_accessible(page)
    page.get_by_role("button", name="Add person").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text(
        "Person added to the case."
    )
    respondent = page.locator(".govuk-summary-list__row").filter(
        has=page.get_by_role("term").filter(has_text=re.compile(r"^Respondent$"))
    )
    expect(respondent).to_contain_text("Sam Respondent-Person")
    expect(respondent).to_contain_text("Also known as Sammy, S. R. Person")
    assert_accessible(page)


@pytest.mark.browser
def test_not_found_page_is_accessible(page, live_server, assert_accessible):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


@pytest.mark.browser
def test_signed_out_page_is_accessible(page, live_server, assert_accessible):
    page.goto(live_server.url + reverse("accounts:signed-out"))

    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert_accessible(page)
