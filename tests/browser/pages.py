"""What browser tests do and check on GOV.UK pages, shared by every journey."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import TEST_PASSWORD, authenticator_code
from orderwatch.core.govuk_dates import time_label


def error_summary(page: Page):
    return page.locator(".govuk-error-summary").filter(has_text="There is a problem")


def expect_error_summary(page: Page, *messages: str) -> None:
    """Expect the GOV.UK error summary, with each message linking to its field."""
    summary = error_summary(page)
    expect(summary).to_be_visible()
    expect(summary.get_by_role("alert")).to_be_attached()
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))


def expect_heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def success_banner(page: Page):
    return page.get_by_role("alert").filter(has_text="Success")


def open_case(page: Page, case) -> None:
    """From a page listing the case, open it by its reference."""
    page.get_by_role("link", name=case.reference).click()
    expect_heading(page, case.reference)


def enter_authenticator_code(page: Page, user: User, code: str | None = None) -> str:
    """Type `code`, or the code the user's authenticator app shows now; return what was typed."""
    code = code or authenticator_code(user)
    page.get_by_label("Code from your authenticator app").fill(code)
    return code


def sign_in_to_notes(phone: Page, live_server, keeper: User) -> None:
    """Sign a diary keeper in on their phone (no second step), at their notes."""
    phone.goto(live_server.url + "/notes/sign-in/")
    phone.get_by_label("Email address").fill(keeper.email)
    phone.get_by_label("Password").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect_heading(phone, "Your notes")


def fill_date(page: Page, label: str, date: dt.date) -> None:
    """Enter `date` in the Day, Month and Year boxes of the date question `label` (its legend)."""
    question = group(page, label)
    question.get_by_label("Day", exact=True).fill(str(date.day))
    question.get_by_label("Month", exact=True).fill(str(date.month))
    question.get_by_label("Year", exact=True).fill(str(date.year))


def fill_date_and_time(page: Page, label: str, moment: dt.datetime) -> None:
    """Enter `moment` (in UK time) in the date and time question `label`, as "9:30pm"."""
    local = timezone.localtime(moment)
    fill_date(page, label, local.date())
    group(page, label).get_by_label("Time", exact=True).fill(time_label(local.time()))


def group(page: Page, legend: str):
    return page.get_by_role("group", name=legend, exact=True)


def choose(page: Page, legend: str, option: str | re.Pattern) -> None:
    group(page, legend).get_by_label(option, exact=isinstance(option, str)).check()


BREACH_WHAT_HAPPENED = "He knocked on the door at about nine and shouted through the letterbox."
BREACH_HOW = "He came to her door and spoke to her."


def continue_to_next_question(page: Page, on_each_page=None) -> None:
    """Check the question page (with `on_each_page`, such as the axe check), then go on."""
    expect(page.get_by_test_id("in-the-moment")).to_be_visible()
    if on_each_page is not None:
        on_each_page(page)
    page.get_by_role("button", name="Continue").click()


def fill_breach_form(page: Page, condition, *, happened_on: dt.date, on_each_page=None) -> None:
    """From the start page, answer every question page of the breach form, up to Check your
    answers: a breach of `condition` at about 9pm, reported on 101."""
    page.get_by_role("button", name="Start now").click()
    # Report
    choose(page, "Has it been reported to the police?", "Yes")
    continue_to_next_question(page, on_each_page)
    fill_date(page, "Date it was reported to the police", happened_on)
    choose(page, "How was it reported?", "101")
    page.get_by_label("Police reference").fill("NP-26-5521")
    page.get_by_label("The officer is not known yet").check()
    continue_to_next_question(page, on_each_page)
    choose(page, "Is the respondent supervised by probation?", "Not known")
    continue_to_next_question(page, on_each_page)
    choose(page, "Have other agencies been told?", "No")
    continue_to_next_question(page, on_each_page)
    # Record
    fill_date_and_time(page, "When was it reported to you?", timezone.now())
    choose(page, "Who reported it to you?", "The victim-survivor")
    continue_to_next_question(page, on_each_page)
    choose(page, "How precisely is it known when it happened?", "At about a time (approximate)")
    continue_to_next_question(page, on_each_page)
    fill_date(page, "Date it happened", happened_on)
    page.get_by_label("Time it happened").fill("21:00")
    continue_to_next_question(page, on_each_page)
    choose(page, "Where did it happen?", "At the protected address")
    continue_to_next_question(page, on_each_page)
    page.get_by_label("What happened?").fill(BREACH_WHAT_HAPPENED)
    continue_to_next_question(page, on_each_page)
    choose(page, "What kind of behaviour was it?", "Direct contact in person")
    continue_to_next_question(page, on_each_page)
    choose(page, "How serious was it?", "High")
    continue_to_next_question(page, on_each_page)
    # Consider
    choose(page, "Was anyone else there?", "No")
    continue_to_next_question(page, on_each_page)
    choose(page, "Were there any witnesses?", "No")
    continue_to_next_question(page, on_each_page)
    page.get_by_label(f"No direct contact: “{condition.wording}”").check()
    page.get_by_label("How did the conduct breach it (No direct contact)?").fill(BREACH_HOW)
    continue_to_next_question(page, on_each_page)
    choose(page, "What was done as a result?", "Reported to the police")
    continue_to_next_question(page, on_each_page)
    expect_heading(page, "Check your answers before saving the breach")
