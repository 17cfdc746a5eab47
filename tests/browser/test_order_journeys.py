"""Protective-order journeys in Chromium, each page checked with axe-core (WCAG 2.2 A/AA)."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from orderwatch.accounts.mfa import WRONG_CODE
from orderwatch.cases.models import CasePerson
from orderwatch.orders.tests.factories import PDF_BYTES, OrderFactory, order_type
from tests.browser.pages import (
    enter_authenticator_code,
    expect_error_summary,
    expect_heading,
    fill_date,
    open_case,
    success_banner,
)

PROTECTED_ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's default
ADDRESS_FIRST_LINE = "1 Test Street"
REASON = "For the school's safeguarding lead, who already knows the address"

DIRECT = "The respondent must not contact the applicant directly, by any means, in person."
INDIRECT = (
    "The respondent must not contact the applicant by letter, telephone, text message, "
    "email or social media."
)
THIRD_PARTY = "The respondent must not ask or encourage anyone else to contact the applicant."

DIRECT_Q = "Direct contact forbidden?"
INDIRECT_Q = "Indirect contact forbidden (letters, phone, messages, social media)?"
THIRD_PARTY_Q = "Contact through someone else forbidden?"
EXCLUSION_Q = "Kept away from an address or area?"


# Helpers ------------------------------------------------------------------------------------


def restriction(page: Page, question: str):
    """The row of the restrictions-at-a-glance table that answers `question`."""
    return (
        page.get_by_test_id("restrictions")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=question, exact=True))
    )


def expect_restriction(page: Page, question: str, answer: str, wording: str | None = None):
    row = restriction(page, question)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").first).to_have_text(answer)
    if wording is not None:
        expect(row).to_contain_text(f"“{wording}”")


def open_order(page: Page, order) -> None:
    page.goto(order.get_absolute_url())
    expect_heading(page, order.order_type.name)


def download_text(page: Page, click, assert_accessible=None) -> str:
    """Run `click` to ask for the PDF; on the page that says it is ready (checked with axe if
    `assert_accessible` is given), download it and return its text."""
    click()
    expect_heading(page, "Your document is ready")
    if assert_accessible is not None:
        assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download the order summary \(PDF")).click()
    download = download_info.value
    assert download.failure() is None
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def normalise(text: str) -> str:
    """Collapse the PDF's line wrapping so wordings can be found whole."""
    return re.sub(r"\s+", " ", text)


def victim_survivor(case) -> CasePerson:
    return case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)


def add_condition(page: Page, kind: str, wording: str, button: str) -> None:
    expect_heading(page, "Add a condition")
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Exact wording").fill(wording)
    page.get_by_role("button", name=button).click()


# Journeys -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_practitioner_records_an_order_checks_it_against_a_copy_and_shares_a_summary(
    page, live_server, practitioner, case, sign_in, assert_accessible
):
    victim = victim_survivor(case)
    today = timezone.localdate()
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    expect(page.get_by_text("No orders have been recorded on this case.")).to_be_visible()
    assert_accessible(page)

    # The respondent is not on the case yet: add them first.
    page.get_by_role("link", name="Add a person").click()
    expect_heading(page, "Add a person")
    page.get_by_label("Who is this person?").select_option(label="Respondent")
    page.get_by_label("First name", exact=True).fill("Sam")
    page.get_by_label("Last name", exact=True).fill("Respondent-Person")
    page.get_by_role("button", name="Add person").click()
    expect_heading(page, case.reference)
    expect(success_banner(page)).to_contain_text("Person added to the case.")

    page.get_by_role("link", name="Record an order").click()
    expect_heading(page, "Record an order")
    assert_accessible(page)
    page.get_by_label("Type of order").select_option(label="Non-molestation order")
    page.get_by_label("Court", exact=True).fill("Northtown Family Court")
    page.get_by_label("Court case number").fill("NT26F00999")
    page.get_by_label("Respondent", exact=True).select_option(label="Sam Respondent-Person")
    page.get_by_label(f"{victim.full_name} (victim-survivor)").check()
    fill_date(page, "Date the order was made", today - dt.timedelta(days=1))
    fill_date(page, "Date it starts", today)
    fill_date(page, "Date it ends", today + dt.timedelta(days=182))
    page.get_by_role("button", name="Save and add conditions").click()

    expect_heading(page, "Add a condition")
    expect(success_banner(page)).to_contain_text(
        "Order recorded. Now add its conditions, then tell everyone who needs to know."
    )
    assert_accessible(page)
    add_condition(page, "No direct contact", DIRECT, "Save and add another")
    expect(success_banner(page)).to_contain_text("Condition added.")
    add_condition(
        page,
        "No indirect contact (letters, phone, messages, social media)",
        INDIRECT,
        "Save and add another",
    )
    add_condition(page, "No contact through someone else", THIRD_PARTY, "Save and finish")

    # Without a copy, the conditions are as reported.
    expect_heading(page, "Non-molestation order")
    expect(page.get_by_test_id("order-status")).to_have_text("In force")
    expect(page.get_by_text("Ask to see a copy of the order.")).to_be_visible()
    expect(page.get_by_text("as reported, not verified").first).to_be_visible()
    expect_restriction(page, DIRECT_Q, "Yes", DIRECT)
    expect_restriction(page, INDIRECT_Q, "Yes", INDIRECT)
    expect_restriction(page, THIRD_PARTY_Q, "Yes", THIRD_PARTY)
    expect_restriction(page, EXCLUSION_Q, "Not stated")
    expect(page.get_by_text("No copy has been stored.")).to_be_visible()
    # Saved: the page points to who needs to know, naming the services around the family.
    prompt = page.get_by_test_id("who-needs-to-know-prompt")
    expect(prompt).to_contain_text("Tell everyone who needs to know about this order.")
    for service in ("children's social care", "Early Help", "probation", "housing"):
        expect(prompt).to_contain_text(service)
    expect(prompt).to_contain_text(
        "Ensure any safety plans are clear and included in Early Help or Children's Social Care."
    )
    expect(
        prompt.get_by_role("link", name="Go to who needs to know and record what you shared")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Upload a copy of the order").click()
    expect_heading(page, "Upload a copy of the order")
    assert_accessible(page)
    page.get_by_label("Upload the sealed order").set_input_files(
        {"name": "sealed-order.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Upload", exact=True).click()

    expect_heading(page, "Non-molestation order")
    expect(success_banner(page)).to_contain_text("Copy uploaded.")
    expect(
        page.get_by_text("The conditions have not been checked against the copy yet.")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"^Download the copy uploaded"))
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="I have checked these conditions against the copy").click()
    expect(page.get_by_test_id("copy-checked")).to_be_visible()
    expect(page.get_by_test_id("copy-checked")).to_contain_text(practitioner.display_name)
    expect(page.get_by_text("Ask to see a copy of the order")).to_have_count(0)
    expect(page.get_by_text("as reported, not verified")).to_have_count(0)
    expect_restriction(page, DIRECT_Q, "Yes", DIRECT)
    expect_restriction(page, EXCLUSION_Q, "No")
    assert_accessible(page)

    page.get_by_role("link", name="Order summary to print or share").click()
    expect_heading(page, "Order summary")
    expect_restriction(page, INDIRECT_Q, "Yes", INDIRECT)
    expect(page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)
    people = page.locator("main")
    expect(people).to_contain_text("Sam Respondent-Person")
    expect(people).to_contain_text(victim.full_name)
    assert_accessible(page)

    text = normalise(
        download_text(
            page,
            page.get_by_role("button", name="Download the summary (PDF, address withheld)").click,
            assert_accessible,
        )
    )
    for wording in (DIRECT, INDIRECT, THIRD_PARTY, "Sam Respondent-Person", victim.full_name):
        assert wording in text
    assert "call 999" in text
    assert "101" in text
    assert ADDRESS_FIRST_LINE not in text


@pytest.mark.browser
def test_wrong_input_on_an_order_is_explained(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    page.get_by_role("link", name="Record an order").click()
    expect_heading(page, "Record an order")

    page.get_by_role("button", name="Save and add conditions").click()
    expect_heading(page, "Record an order")
    expect_error_summary(page, "Select the type of order", "Select who the order protects")
    assert_accessible(page)

    open_order(page, order)
    page.get_by_role("link", name="Upload a copy of the order").click()
    expect_heading(page, "Upload a copy of the order")
    page.get_by_label("Upload the sealed order").set_input_files(
        {"name": "copy.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00not a pdf"}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect_error_summary(page, "The selected file must be a PDF, JPG or PNG")
    assert_accessible(page)
    assert order.copies.count() == 1  # only the fixture's copy: nothing half-saved


@pytest.mark.browser
def test_a_copy_too_large_to_send_is_refused_calmly_with_a_way_back(
    page, live_server, practitioner, case, order, sign_in, assert_accessible, settings
):
    settings.ORDERWATCH_ORDER_COPY_MAX_BYTES = 100 * 1024  # the page then takes about 2.6 MB
    sign_in(page, live_server, practitioner)
    open_order(page, order)
    page.get_by_role("link", name="Upload a copy of the order").click()
    page.get_by_label("Upload the sealed order").set_input_files(
        {"name": "copy.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES * 60_000}
    )
    page.get_by_role("button", name="Upload", exact=True).click()

    expect_heading(page, "What you sent is too large")
    expect(page.get_by_text("Nothing has been saved.")).to_be_visible()
    assert_accessible(page)
    assert order.copies.count() == 1
    page.get_by_role("link", name="Go back to the page").click()
    expect_heading(page, "Upload a copy of the order")


@pytest.mark.browser
def test_orders_ending_soon_lists_an_order_with_how_to_extend_it(
    page, live_server, practitioner, case, sign_in, assert_accessible
):
    today = timezone.localdate()
    ending = OrderFactory(
        case=case, made_on=today - dt.timedelta(days=100), ends_on=today + dt.timedelta(days=20)
    )
    OrderFactory(case=case, made_on=today - dt.timedelta(days=10))  # ends in about a year
    sign_in(page, live_server, practitioner)

    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Orders ending soon"
    ).click()
    expect_heading(page, "Orders ending soon")
    rows = page.get_by_role("table", name="Orders ending soon").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(case.reference)
    expect(rows).to_contain_text("Non-molestation order")
    expect(rows).to_contain_text("In 20 days")
    expect(rows).to_contain_text(order_type("non_molestation_order").extension_and_variation)
    assert_accessible(page)

    rows.get_by_role("link", name=case.reference).click()
    expect_heading(page, "Non-molestation order")
    expect(page).to_have_url(re.compile(re.escape(ending.get_absolute_url()) + "$"))


@pytest.mark.browser
def test_practitioner_records_an_extension(
    page, live_server, practitioner, order, sign_in, assert_accessible
):
    today = timezone.localdate()
    new_end = order.ends_on + dt.timedelta(days=180)
    sign_in(page, live_server, practitioner)
    open_order(page, order)
    expect(page.get_by_test_id("order-status")).to_have_text("In force")
    expect(page.get_by_text("No variations, extensions or discharges recorded.")).to_be_visible()

    page.get_by_role("link", name="Record a variation, extension or discharge").click()
    expect_heading(page, "Record a variation, extension or discharge")
    assert_accessible(page)
    page.get_by_label("Extended", exact=True).check()
    fill_date(page, "Date the court made the change", today)
    fill_date(page, "New end date", new_end)
    page.get_by_label("What changed").fill("Extended for a further six months on application.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect_heading(page, order.order_type.name)
    expect(success_banner(page)).to_contain_text(
        "Change recorded. Now tell everyone who needs to know."
    )
    expect(page.get_by_test_id("order-status")).to_have_text("In force (extended)")
    changes = page.get_by_role("table", name="Variations, extensions and discharges")
    change = changes.locator("tbody tr")
    expect(change).to_have_count(1)
    expect(change).to_contain_text(date_format(today, "j M Y"))
    expect(change).to_contain_text(f"Extended to {date_format(new_end, 'j M Y')}")
    expect(change).to_contain_text("Extended for a further six months on application.")
    ends = page.locator(".govuk-summary-list__row").filter(
        has=page.get_by_role("term").filter(has_text=re.compile(r"^Ends$"))
    )
    expect(ends.get_by_role("definition")).to_have_text(date_format(new_end, "j F Y"))
    assert_accessible(page)

    # From the prompt straight to who needs to know.
    page.get_by_test_id("who-needs-to-know-prompt").get_by_role(
        "link", name="Go to who needs to know and record what you shared"
    ).click()
    expect_heading(page, "Who needs to know")
    assert_accessible(page)


@pytest.mark.browser
def test_including_the_address_in_a_summary_needs_a_reason_and_a_fresh_code(
    page, live_server, practitioner, order, sign_in, assert_accessible
):
    sign_in_code = sign_in(page, live_server, practitioner)
    open_order(page, order)
    page.get_by_role("link", name="Order summary to print or share").click()
    expect_heading(page, "Order summary")

    page.locator("details summary").filter(has_text="Include the protected address").click()
    include = page.get_by_role("checkbox", name="Include the protected address")
    expect(include).to_be_visible()
    assert_accessible(page)
    include.check()
    page.get_by_role("button", name="Download with the address").click()

    expect_error_summary(
        page,
        "Enter why the summary needs the address",
        "Enter the 6-digit code from your authenticator app",
    )
    expect(page.get_by_role("checkbox", name="Include the protected address")).to_be_checked()
    expect(page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)
    assert_accessible(page)

    # The code used to sign in is not accepted again: including the address needs a fresh one.
    page.get_by_label("Why does the summary need the address?").fill(REASON)
    enter_authenticator_code(page, practitioner, sign_in_code)
    page.get_by_role("button", name="Download with the address").click()
    expect_error_summary(page, WRONG_CODE)
    expect(page.get_by_label("Why does the summary need the address?")).to_have_value(REASON)
    expect(page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)

    page.wait_for_timeout(1_100)  # after a wrong code, django-otp makes the next one wait 1s
    enter_authenticator_code(page, practitioner)
    text = normalise(
        download_text(page, page.get_by_role("button", name="Download with the address").click)
    )
    assert PROTECTED_ADDRESS in text
    assert order.conditions.get().wording in text
