"""GOV.UK date inputs in Chromium with axe-core: their errors, and what was typed kept."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from orderwatch.cases.models import Case
from tests.browser.pages import error_summary, expect_error_summary, expect_heading, group

DATE_OF_BIRTH = "Victim-survivor's date of birth"


def box(page: Page, name: str):
    return group(page, DATE_OF_BIRTH).get_by_label(name, exact=True)


def enter_date_of_birth(page: Page, day: str, month: str, year: str) -> None:
    box(page, "Day").fill(day)
    box(page, "Month").fill(month)
    box(page, "Year").fill(year)


def expect_boxes_in_error(page: Page, *names: str) -> None:
    """Expect exactly the boxes `names` to be shown in error, and the others not."""
    for name in ("Day", "Month", "Year"):
        error = re.compile(r"\bgovuk-input--error\b")
        if name in names:
            expect(box(page, name)).to_have_class(error)
        else:
            expect(box(page, name)).not_to_have_class(error)


@pytest.mark.browser
def test_a_date_is_asked_the_govuk_way_and_its_errors_say_what_to_fix(
    page, live_server, practitioner, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    page.get_by_role("button", name="Open a new case").click()
    expect_heading(page, "Open a new case")
    question = group(page, DATE_OF_BIRTH)
    expect(question).to_contain_text("For example, 31 3 1980")
    for name in ("Day", "Month", "Year"):
        expect(box(page, name)).to_have_attribute("inputmode", "numeric")
        expect(box(page, name)).to_have_attribute("type", "text")
    assert_accessible(page)

    # No month: said in the summary and beside the question; only the month box in error.
    page.get_by_label("Victim-survivor's first name").fill("Robin")
    page.get_by_label("Your role on this case").fill("Allocated IDVA")
    enter_date_of_birth(page, "12", "", "1988")
    page.get_by_role("button", name="Open case").click()
    message = "Victim-survivor's date of birth must include a month"
    expect_error_summary(page, message)
    expect(question.locator(".govuk-error-message")).to_have_text(f"Error: {message}")
    expect_boxes_in_error(page, "Month")
    expect(box(page, "Day")).to_have_value("12")
    expect(box(page, "Year")).to_have_value("1988")
    expect(page.get_by_label("Victim-survivor's first name")).to_have_value("Robin")
    assert_accessible(page)
    # The summary's link goes to the box with the problem.
    error_summary(page).get_by_role("link", name=message).click()
    expect(box(page, "Month")).to_be_focused()

    # A date of birth still to come: the whole date is in error.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    enter_date_of_birth(page, str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    page.get_by_role("button", name="Open case").click()
    expect_error_summary(page, "Victim-survivor's date of birth must be in the past")
    expect_boxes_in_error(page, "Day", "Month", "Year")
    assert_accessible(page)

    # A day the month does not have, and a year of 2 numbers, each named.
    enter_date_of_birth(page, "31", "4", "1988")
    page.get_by_role("button", name="Open case").click()
    expect_error_summary(page, "Victim-survivor's date of birth must be a real date")
    expect_boxes_in_error(page, "Day")
    enter_date_of_birth(page, "12", "4", "88")
    page.get_by_role("button", name="Open case").click()
    expect_error_summary(page, "Year must include 4 numbers")
    expect_boxes_in_error(page, "Year")
    assert not Case.objects.exists()

    # As people write it: a leading zero, a month's short name, spaces around.
    enter_date_of_birth(page, "03", " Apr ", "1988")
    page.get_by_role("button", name="Open case").click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    expect(page.get_by_text("Born 3 April 1988")).to_be_visible()
    assert_accessible(page)
    victim = Case.objects.get().people.get()
    assert victim.date_of_birth == dt.date(1988, 4, 3)
