"""Managing the case team, in Chromium, with axe-core (WCAG 2.2 A/AA): the lead adds an
officer from another agency, allows them to see the address, hands over the lead and removes
them, each with what the page asks for."""

import re

import pytest
from playwright.sync_api import expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.models import CaseTeamMembership
from tests.browser.pages import expect_error_summary, expect_heading, open_case, success_banner


@pytest.mark.browser
def test_the_lead_adds_an_officer_allows_the_address_and_removes_them(
    page, live_server, practitioner, case, police, colleague, sign_in, assert_accessible
):
    UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Offi Cer")
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    team = page.get_by_test_id("case-team")
    expect(team).to_contain_text("Can see it")  # the lead, by default

    page.get_by_role("link", name="Add someone to the case team").click()
    expect_heading(page, "Add someone to the case team")
    assert_accessible(page)
    page.get_by_label("Which agency do they work for?").select_option(label=police.name)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, f"Add someone from {police.name}")
    page.get_by_role("button", name="Add to the case team").click()
    expect_error_summary(
        page, "Choose who to add to the case team", "Choose their role on this case"
    )
    assert_accessible(page)
    page.get_by_label("Offi Cer – Practitioner").check()
    page.get_by_label("Officer in the case").check()
    page.get_by_role("button", name="Add to the case team").click()
    expect(success_banner(page)).to_contain_text("Added to the case team")
    officer_row = page.get_by_test_id("case-team").get_by_role("row", name=re.compile("Offi Cer"))
    expect(officer_row).to_contain_text("Officer in the case")
    expect(officer_row).to_contain_text("Cannot see it")

    officer_row.get_by_role("link", name=re.compile("Allow address access")).click()
    expect_heading(page, "Allow Offi Cer to see the protected address")
    assert_accessible(page)
    page.get_by_label("Why?").fill("Arranging a joint home visit")
    page.get_by_role("button", name="Allow access to the address").click()
    expect(success_banner(page)).to_contain_text("They can now see the protected address")
    expect(officer_row).to_contain_text("Can see it")

    colleague_row = page.get_by_test_id("case-team").get_by_role(
        "row", name=re.compile(colleague.display_name)
    )
    colleague_row.get_by_role("link", name=re.compile("Make lead")).click()
    expect_heading(page, f"Make {colleague.display_name} the case lead?")
    assert_accessible(page)
    page.get_by_role("button", name="Hand over the lead").click()
    expect(success_banner(page)).to_contain_text("The lead has been handed over")
    # No longer the lead: a practitioner who is not the lead manages no one.
    expect(page.get_by_role("link", name="Add someone to the case team")).to_have_count(0)
    assert CaseTeamMembership.objects.get(case=case, is_lead=True).user == colleague


@pytest.mark.browser
def test_removing_someone_asks_why_and_the_lead_needs_a_successor(
    page, live_server, practitioner, case, colleague, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    lead_row = page.get_by_test_id("case-team").get_by_role(
        "row", name=re.compile(practitioner.display_name)
    )
    lead_row.get_by_role("link", name=re.compile("Remove")).click()
    expect_heading(page, f"Remove {practitioner.display_name} from the case team")
    page.get_by_role("button", name="Remove from the case team").click()
    expect_error_summary(
        page, "Choose who will lead the case instead", "Enter why they are leaving the case team"
    )
    assert_accessible(page)
    page.get_by_label(colleague.display_name).check()
    page.get_by_label("Why are they leaving the case team?").fill("Moving to another team")
    page.get_by_role("button", name="Remove from the case team").click()
    expect_heading(page, "My cases")
    expect(page.get_by_text(case.reference)).to_have_count(0)
    assert CaseTeamMembership.objects.get(case=case, is_lead=True).user == colleague
