"""The public information pages, reached from every page's footer, and printing (ADR 0029), in
Chromium with axe-core (WCAG 2.2 A/AA)."""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from orderwatch.accounts.tests.factories import TEST_PASSWORD
from orderwatch.core.tests.pdf_pages import marking_places
from orderwatch.diary.tests.factories import DiaryAccessFactory
from tests.browser.pages import expect_heading, open_case

MARKING = "OFFICIAL-SENSITIVE"


def footer(page: Page):
    return page.get_by_role("contentinfo")


def listed_cookies(page: Page) -> set[str]:
    return set(page.get_by_test_id("cookie-table").locator("tbody code").all_inner_texts())


@pytest.mark.browser
def test_the_services_information_pages_from_the_footer(
    page, live_server, practitioner, sign_in, assert_accessible
):
    page.goto(live_server.url + "/accounts/sign-in/")
    for link, heading in (
        ("Accessibility statement", "Accessibility statement for OrderWatch"),
        ("Privacy notice", "Privacy notice"),
        ("Cookies", "Cookies"),
    ):
        footer(page).get_by_role("link", name=link).click()
        expect_heading(page, heading)
        expect(page).to_have_title(f"{link} – OrderWatch")
        assert_accessible(page)
    assert listed_cookies(page) == {"sessionid", "csrftoken", "messages"}

    footer(page).get_by_role("link", name="Privacy notice").click()
    page.get_by_role("link", name="separate notice for victim-survivors who keep notes").click()
    expect_heading(page, "How your notes are looked after")
    expect(page).to_have_title("Notes")

    sign_in(page, live_server, practitioner)
    footer(page).get_by_role("link", name="Cookies").click()
    expect_heading(page, "Cookies")
    assert_accessible(page)
    set_by_the_service = {cookie["name"] for cookie in page.context.cookies()}
    assert {"sessionid", "csrftoken"} <= set_by_the_service <= listed_cookies(page)


@pytest.mark.browser
def test_the_notes_own_information_pages_stay_discreet(page, live_server, case, assert_accessible):
    keeper = DiaryAccessFactory(case=case).user
    page.goto(live_server.url + "/notes/sign-in/")
    page.get_by_label("Email address").fill(keeper.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_heading(page, "Your notes")
    for link, heading in (
        ("How your notes are looked after", "How your notes are looked after"),
        ("Accessibility", "Accessibility"),
        ("Cookies", "Cookies"),
    ):
        footer(page).get_by_role("link", name=link).click()
        expect_heading(page, heading)
        expect(page).to_have_title("Notes")
        expect(page.get_by_test_id("exit-this-page")).to_be_visible()
        assert "OrderWatch" not in page.content()
        assert_accessible(page)
    set_by_the_service = {cookie["name"] for cookie in page.context.cookies()}
    assert {"sessionid", "csrftoken"} <= set_by_the_service <= listed_cookies(page)


@pytest.mark.browser
def test_a_printed_case_page_has_the_marking_and_no_navigation(
    page, live_server, practitioner, case, sign_in, tmp_path
):
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    navigation = page.get_by_role("navigation", name="Menu")
    sign_out = page.get_by_role("button", name="Sign out")
    marking = page.get_by_test_id("protective-marking")
    expect(navigation).to_be_visible()
    expect(sign_out).to_be_visible()
    expect(marking).to_be_hidden()

    page.emulate_media(media="print")
    expect(navigation).to_be_hidden()
    expect(sign_out).to_be_hidden()
    expect(page.locator(".govuk-skip-link")).to_be_hidden()
    expect(footer(page)).to_be_hidden()
    expect(marking).to_be_visible()
    expect(marking).to_have_text(MARKING)
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    page.screenshot(path=tmp_path / "printed-case-page.png", full_page=True)
    assert (tmp_path / "printed-case-page.png").stat().st_size > 0

    # What Chromium prints: the marking in the top and bottom margin of every page.
    printed = page.pdf(format="A4")
    for number, places in enumerate(marking_places(printed, MARKING), start=1):
        assert {"top", "bottom"} <= places, f"page {number}"
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(printed)).pages)
    assert case.reference in text
    assert "Sign out" not in text
    assert "My cases" not in text
