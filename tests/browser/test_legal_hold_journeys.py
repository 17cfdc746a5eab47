"""Legal holds in Chromium (issue 20, ADR 0038): a team manager on the case team places a hold
from the case page, and the team sees it there; the police's agency administrator, who sees no
case content, finds the case by its reference and lifts the hold with a reason. Every new page
is checked with axe-core (WCAG 2.2 A/AA)."""

import pytest
from playwright.sync_api import expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.retention.models import LegalHold
from tests.browser.pages import expect_error_summary, expect_heading, success_banner


@pytest.mark.browser
def test_a_hold_placed_from_the_case_page_and_lifted_by_an_agency_administrator(
    page, browser, live_server, idva_service, police, case, sign_in, assert_accessible
):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER, display_name="Tam M")
    CaseTeamMembershipFactory(case=case, user=manager, capacity="Team manager")
    officer = UserFactory(agency=police)
    CaseTeamMembershipFactory(case=case, user=officer, capacity="Investigating officer")
    admin = UserFactory(agency=police, role=User.Role.AGENCY_ADMIN, display_name="Kit Mercer")

    # The team manager places a hold from the case page; a reason is needed for "another".
    sign_in(page, live_server, manager)
    page.goto(live_server.url + case.get_absolute_url())
    expect_heading(page, case.reference)
    expect(page.get_by_test_id("case-retention")).to_contain_text("kept while it is open")
    page.get_by_role("link", name="Legal holds on this case").click()
    expect_heading(page, "Legal holds")
    expect(page.get_by_test_id("no-holds")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Place the hold").click()
    expect_error_summary(page, "Select why the records must be kept")
    assert_accessible(page)
    page.get_by_label("Another reason", exact=True).check()
    page.get_by_role("button", name="Place the hold").click()
    expect_error_summary(page, "Enter why the records must be kept")
    page.get_by_label("Criminal or civil proceedings").check()
    page.get_by_role("button", name="Place the hold").click()
    expect(success_banner(page)).to_contain_text(f"Case {case.reference} is now under legal hold")
    expect(page.get_by_test_id("legal-holds")).to_contain_text("Criminal or civil proceedings")
    assert_accessible(page)
    page.goto(live_server.url + case.get_absolute_url())
    expect_heading(page, case.reference)
    expect(page.get_by_test_id("case-retention")).to_contain_text("This case is under legal hold.")
    expect(page.get_by_test_id("case-retention")).to_contain_text(
        "Criminal or civil proceedings: placed"
    )
    assert_accessible(page)

    # The police's administrator finds the case by its reference, sees nothing else of it,
    # and lifts the hold with a reason.
    admin_page = browser.new_context(
        base_url=live_server.url, locale="en-GB", bypass_csp=True
    ).new_page()
    sign_in(admin_page, live_server, admin)
    admin_page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Legal holds"
    ).click()
    expect_heading(admin_page, "Legal holds")
    expect(admin_page.get_by_test_id("holds-in-force")).to_contain_text(case.reference)
    assert_accessible(admin_page)
    admin_page.get_by_label("Case reference").fill("OW-000000")
    admin_page.get_by_role("button", name="Find the case").click()
    expect_error_summary(admin_page, "No case with that reference that you can place a hold on.")
    assert_accessible(admin_page)
    admin_page.get_by_label("Case reference").fill(case.reference.lower())
    admin_page.get_by_role("button", name="Find the case").click()
    expect_heading(admin_page, "Legal holds")
    victim = case.people.get(role="victim_survivor")
    expect(admin_page.get_by_text(victim.given_name)).to_have_count(0)
    admin_page.get_by_role("link", name="Lift").click()
    expect_heading(admin_page, "Lift a legal hold")
    assert_accessible(admin_page)
    admin_page.get_by_role("button", name="Lift the hold").click()
    expect_error_summary(admin_page, "Enter why the hold is no longer needed")
    assert_accessible(admin_page)
    admin_page.get_by_label("Why is the hold no longer needed?").fill("The trial has ended.")
    admin_page.get_by_role("button", name="Lift the hold").click()
    expect(success_banner(admin_page)).to_contain_text("has been lifted")
    expect(admin_page.get_by_test_id("no-holds")).to_be_visible()
    hold = LegalHold.objects.get()
    assert (hold.lifted_by, hold.lift_reason) == (admin, "The trial has ended.")

    # The team sees the case is no longer held.
    page.goto(live_server.url + case.get_absolute_url())
    expect_heading(page, case.reference)
    expect(page.get_by_test_id("case-retention")).not_to_contain_text("legal hold")
