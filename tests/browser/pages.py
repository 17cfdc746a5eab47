"""What browser tests do and check on GOV.UK pages, shared by every journey."""

import re

from playwright.sync_api import Page, expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import authenticator_code


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
