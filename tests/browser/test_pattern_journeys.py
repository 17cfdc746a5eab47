"""A second breach, and the pattern: the prompt, the chart and the manager's view, with axe.

One breach is on the case. The lead records a second through the form, sees the case page
prompt that this may amount to harassment and the chart grow from one incident to two, finds
the review in "My tasks"; the team manager sees the case under "Cases to look at".
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from tests.browser.pages import expect_heading, fill_breach_form, open_case, success_banner

COURSE_OF_CONDUCT = "May be a course of conduct (harassment)"
MAY_BE_HARASSMENT = "This may amount to harassment, a separate offence"


@pytest.mark.browser
def test_a_second_breach_prompts_a_course_of_conduct_and_the_chart_grows(
    page, browser, live_server, practitioner, idva_service, case, order, sign_in, assert_accessible
):
    condition = order.conditions.get()
    first_day = timezone.localdate() - dt.timedelta(days=6)
    breach_record(
        actor=practitioner,
        case=case,
        account=breach_account(
            condition,
            occurrence=Occurrence(Precision.DATE, first_day),
            police_reported_on=first_day,
        ),
    )
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER, display_name="Mo Ger")
    CaseTeamMembershipFactory(case=case, user=manager, capacity="Team manager")

    sign_in(page, live_server, practitioner)
    open_case(page, case)
    chart = page.get_by_test_id("pattern-chart")
    expect(chart.locator("[data-incident]")).to_have_count(1)
    expect(page.get_by_test_id("pattern-flag")).to_have_count(0)
    expect(page.get_by_test_id("pattern-counts")).to_contain_text("Last 7 days")
    expect(chart.get_by_role("img")).to_have_accessible_name(
        re.compile(r"^Timeline of incidents by date and severity 1 incident between")
    )
    assert_accessible(page)

    page.get_by_role("link", name="Record a breach").click()
    expect_heading(page, "Record a breach")
    fill_breach_form(page, condition, happened_on=timezone.localdate() - dt.timedelta(days=1))
    page.get_by_role("button", name="Save breach").click()
    expect(success_banner(page)).to_contain_text("Breach recorded")

    page.goto(case.get_absolute_url())
    expect_heading(page, case.reference)
    flag = page.get_by_test_id("pattern-flag").filter(has_text=COURSE_OF_CONDUCT)
    expect(flag).to_contain_text(MAY_BE_HARASSMENT)
    expect(flag.get_by_role("link")).to_have_count(2)
    expect(chart.locator("[data-incident]")).to_have_count(2)
    expect(chart.locator("desc")).to_contain_text("2 incidents between")
    page.get_by_text("Show the timeline as a table").click()
    expect(page.get_by_test_id("pattern-table").locator("tbody tr")).to_have_count(4)
    assert_accessible(page)

    # The lead is asked, once, to review risk and the safety plan: the one open review gathers
    # both breaches and the pattern they make (ADR 0030).
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My cases").click()
    reviews = page.get_by_test_id("my-tasks").get_by_role(
        "link", name=re.compile(r"^Review (risk and )?the safety plan")
    )
    expect(reviews).to_have_count(1)
    expect(reviews).to_have_text("Review risk and the safety plan: 3 things have happened")

    manager_context = browser.new_context(bypass_csp=True, base_url=live_server.url)
    manager_page = manager_context.new_page()
    sign_in(manager_page, live_server, manager)
    manager_page.get_by_role("link", name="Cases to look at").click()
    expect_heading(manager_page, "Cases to look at")
    escalations = manager_page.get_by_test_id("escalations")
    expect(escalations).to_contain_text(case.reference)
    expect(escalations).to_contain_text(COURSE_OF_CONDUCT)
    assert_accessible(manager_page)
    manager_context.close()
