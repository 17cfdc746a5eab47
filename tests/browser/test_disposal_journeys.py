"""Disposal in Chromium (issue 20, ADR 0041): an agency administrator chooses the cases due,
is stopped until they say no proceedings are possible for one whose class asks, checks the batch,
confirms it and sees what is kept; the case is gone for its former team. Every page is checked
with axe-core (WCAG 2.2 A/AA)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import Case
from orderwatch.cases.tests.closing import closed
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.retention.models import CaseRetention, LegalHold
from orderwatch.retention.tests.factories import LegalHoldFactory
from tests.browser.pages import expect_error_summary, expect_heading


def _closed_long_ago(lead, case=None) -> Case:
    """Close a case today, then date its closing back to 2018 so its review date has passed."""
    if case is None:
        case = CaseFactory()
        CaseTeamMembershipFactory(case=case, user=lead, is_lead=True)
    closed(lead, case)
    past = dt.date(2018, 5, 1)
    CaseRetention.objects.filter(case=case).update(closed_on=past, review_on=past.replace(2024))
    return case


@pytest.mark.browser
def test_an_administrator_disposes_of_a_batch_and_the_case_is_gone(
    page, browser, live_server, idva_service, practitioner, case, order, sign_in, assert_accessible
):
    breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.first()))
    proceedings = _closed_long_ago(practitioner, case)  # a breach: it asks for confirmation
    plain = _closed_long_ago(practitioner)
    held = _closed_long_ago(practitioner)
    LegalHoldFactory(case=held, kind=LegalHold.Kind.INQUIRY, placed_at=timezone.now())
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN, display_name="Ada A")

    sign_in(page, live_server, admin)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Disposal").click()
    expect_heading(page, "Records due for disposal")
    expect(page.get_by_test_id("held-cases")).to_contain_text(held.reference)
    expect(page.get_by_label(held.reference)).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Select the cases whose records are to be disposed of")
    assert_accessible(page)
    page.get_by_label(plain.reference).check()
    page.get_by_label(proceedings.reference + ":").check()
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(
        page, f"Confirm that no proceedings are possible for case {proceedings.reference}"
    )
    assert_accessible(page)
    page.get_by_label(f"No proceedings are possible any more for {proceedings.reference}").check()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check before disposing of records")
    expect(page.get_by_test_id("batch")).to_contain_text(plain.reference)
    expect(page.get_by_test_id("batch")).to_contain_text(proceedings.reference)
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Dispose of these records").click()
    expect_heading(page, "Records disposed of")
    expect(page.get_by_test_id("tombstones")).to_contain_text(plain.reference)
    expect(page.get_by_test_id("tombstones")).to_contain_text("Adult case record")
    assert_accessible(page)
    page.get_by_role("link", name="Records due for disposal").click()
    expect(page.get_by_test_id("batches")).to_contain_text("2 cases")
    expect(page.get_by_test_id("nothing-due")).to_be_visible()
    assert_accessible(page)

    # The lead practitioner who worked on it finds nothing there any more.
    lead_page = browser.new_context(
        base_url=live_server.url, locale="en-GB", bypass_csp=True
    ).new_page()
    sign_in(lead_page, live_server, practitioner)
    response = lead_page.goto(live_server.url + proceedings.get_absolute_url())
    assert response.status == 404
    assert Case.objects.get(pk=held.pk).status == Case.Status.CLOSED
