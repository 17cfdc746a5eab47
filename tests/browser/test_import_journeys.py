"""Importing cases from a CSV file in Chromium (issue 21, ADR 0043): an agency administrator
uploads a file with problems and sees them by row, nothing imported; uploads a corrected one,
checks what will be added, imports it and sees the new references. Every page is checked with
axe-core (WCAG 2.2 A/AA)."""

import pytest
from playwright.sync_api import expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.models import Case
from orderwatch.imports.tests.files import csv_text, order_row
from tests.browser.pages import expect_error_summary, expect_heading


def _file(text: str, name: str = "cases.csv") -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


@pytest.mark.browser
def test_an_administrator_corrects_a_file_then_imports_it(
    page, live_server, idva_service, sign_in, assert_accessible
):
    UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, email="lead@example.org")
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN, display_name="Ada A")
    sign_in(page, live_server, admin)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import cases").click()
    expect_heading(page, "Import cases from a spreadsheet")
    assert_accessible(page)
    page.get_by_label("Upload the file").set_input_files(_file("a,b\n", name="cases.xlsx"))
    page.get_by_role("button", name="Check the file").click()
    expect_error_summary(page, "The selected file must be a CSV file")
    assert_accessible(page)

    rows = [order_row(case_key="A"), order_row(case_key="B", made_on="31/01/2026")]
    page.get_by_label("Upload the file").set_input_files(_file(csv_text(*rows)))
    page.get_by_role("button", name="Check the file").click()
    expect_heading(page, "Problems in the file")
    expect(page.get_by_test_id("problems")).to_contain_text("Row 3")
    expect(page.get_by_test_id("problems")).to_contain_text(
        "Enter the date the order was made as YYYY-MM-DD"
    )
    assert_accessible(page)
    assert not Case.objects.exists()

    page.get_by_role("link", name="Upload a corrected file").click()
    rows[1]["made_on"] = "2026-01-31"
    page.get_by_label("Upload the file").set_input_files(_file(csv_text(*rows)))
    page.get_by_role("button", name="Check the file").click()
    expect_heading(page, "Check before importing")
    expect(page.get_by_text("2 cases, 6 people and 2 orders will be added")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import the cases").click()
    expect_heading(page, "Cases imported")
    for case in Case.objects.all():
        expect(page.get_by_test_id("references")).to_contain_text(case.reference)
    assert Case.objects.count() == 2
    assert_accessible(page)
