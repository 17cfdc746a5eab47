"""The case record in Chromium (issue 21, ADR 0044): asked for from the case page, refused
with a clear message until a format, a reason and a fresh code are given for the address, then
prepared in both formats and downloaded. Every page is checked with axe-core (WCAG 2.2 A/AA)."""

import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.pages import enter_authenticator_code, expect_error_summary, expect_heading

PROTECTED_ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's default


def download(page: Page, name: str) -> bytes:
    button = page.get_by_test_id("export-download")
    expect(button).to_contain_text(f"Download the case record ({name}")
    with page.expect_download() as download_info:
        button.click()
    assert download_info.value.failure() is None
    return Path(download_info.value.path()).read_bytes()


@pytest.mark.browser
def test_a_practitioner_exports_the_case_record_with_the_address_in_both_formats(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    page.goto(case.get_absolute_url())
    assert_accessible(page)  # the case page, with its new link
    page.get_by_role("link", name="Export the case record").click()
    expect_heading(page, "Export the case record")
    assert_accessible(page)

    page.get_by_role("checkbox", name="Include the protected address").check()
    page.get_by_role("button", name="Prepare the case record").click()
    expect_error_summary(
        page,
        "Select the formats you need",
        "Enter why the record needs these details",
        "Enter the 6-digit code from your authenticator app",
    )
    expect(page.get_by_role("checkbox", name="Include the protected address")).to_be_checked()
    assert_accessible(page)

    page.get_by_role("checkbox", name=re.compile("^PDF")).check()
    page.get_by_role("checkbox", name=re.compile("^JSON")).check()
    page.get_by_label("Why does the record need these details?").fill("Moving to another area")
    enter_authenticator_code(page, practitioner)
    page.get_by_role("button", name="Prepare the case record").click()
    expect_heading(page, "Your document is ready")
    expect(page.get_by_text("with the protected address")).to_be_visible()
    assert_accessible(page)

    pdf = download(page, "PDF")
    page.get_by_test_id("export-companions").get_by_role("link", name="Case record (JSON)").click()
    expect_heading(page, "Your document is ready")
    data = download(page, "JSON")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Case record: case {case.reference}" in text
    assert PROTECTED_ADDRESS in text
    record = json.loads(data)
    assert record["format"] == "orderwatch-case-record/1"
    assert record["case"]["protected_address"] == PROTECTED_ADDRESS
    assert record["orders"][0]["id"] == str(order.pk)
