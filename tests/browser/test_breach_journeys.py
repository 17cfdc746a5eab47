"""Recording a breach in Chromium, from the case page to the chronology, with axe on each page.

The lead records a breach of a specific condition at an approximate time, sees the 999 / 101
guidance first, finds the safety-plan review in "My tasks", records the review, and sees the
breach, the review opened and the review done on the chronology. An officer from another
agency on the case team is told in-app.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.breaches.models import Known
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from tests.browser.pages import (
    BREACH_HOW,
    BREACH_WHAT_HAPPENED,
    choose,
    enter_authenticator_code,
    expect_error_summary,
    expect_heading,
    fill_breach_form,
    group,
    open_case,
    success_banner,
)

IN_THE_MOMENT = (
    "If anyone is in immediate danger, call 999. Otherwise report to the police on 101 or online."
)
WHAT_HAPPENED = BREACH_WHAT_HAPPENED
HOW = BREACH_HOW
REVIEW = "Agreed a door camera and a new route to school."


@pytest.mark.browser
def test_lead_records_a_breach_reviews_the_plan_and_sees_it_all_on_the_chronology(
    page, browser, live_server, practitioner, police, case, order, sign_in, assert_accessible
):
    condition = order.conditions.get()
    officer = UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="PC Officer")
    CaseTeamMembershipFactory(case=case, user=officer, capacity="Officer in the case")
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    sign_in(page, live_server, practitioner)
    open_case(page, case)
    page.get_by_role("link", name="Record a breach").click()
    expect_heading(page, "Record a breach")
    guidance = page.get_by_test_id("in-the-moment")
    expect(guidance).to_contain_text(IN_THE_MOMENT)
    # The guidance comes before anything else in the page's main content.
    expect(page.locator("main > :not(.govuk-notification-banner)").first).to_contain_text(
        "call 999"
    )
    assert_accessible(page)

    # Saying it happened tomorrow is refused, clearly, and nothing is lost from the form.
    fill_breach_form(page, condition, happened_on=yesterday)
    page.get_by_label("Date it happened").fill((yesterday + dt.timedelta(days=2)).isoformat())
    choose(page, "How precisely is it known when it happened?", "On a known day, time not known")
    page.get_by_role("button", name="Save the breach").click()
    expect_error_summary(page, "The date it happened cannot be in the future")
    expect(page.get_by_label("What happened?")).to_have_value(WHAT_HAPPENED)
    assert_accessible(page)

    fill_breach_form(page, condition, happened_on=yesterday)
    page.get_by_role("button", name="Save the breach").click()

    when = f"{yesterday.day} {yesterday:%B %Y} at about 9pm"
    expect_heading(page, f"Breach: {when}")
    expect(success_banner(page)).to_contain_text("Breach recorded")
    expect(page.get_by_test_id("in-the-moment")).to_contain_text(IN_THE_MOMENT)
    expect(page.get_by_test_id("breached-conditions")).to_contain_text(condition.wording)
    expect(page.get_by_test_id("breached-conditions")).to_contain_text(HOW)
    review = page.get_by_test_id("breach-review")
    expect(review).to_contain_text("A review of the safety plan is due by")
    expect(review).to_contain_text(f"for {practitioner.display_name}")
    assert_accessible(page)

    # The review is in the lead's tasks.
    page.get_by_role("link", name="My cases").click()
    tasks = page.get_by_test_id("my-tasks")
    expect(tasks).to_contain_text(case.reference)
    tasks.get_by_role("link", name="Review the safety plan after a breach").click()
    expect_heading(page, "Safety plan")
    expect(page.get_by_test_id("risk-reassess")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record a review of the safety plan").click()
    expect_heading(page, "Record a review of the safety plan")
    review_choice = group(page, "Which reviews does this answer?").get_by_role("checkbox")
    expect(review_choice).to_have_count(1)
    review_choice.check()
    page.get_by_label("What changed in the plan?").fill(REVIEW)
    page.get_by_label("Yes, they are still right").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect_heading(page, "Safety plan")
    expect(page.get_by_test_id("open-reviews")).to_have_count(0)
    expect(page.get_by_text(REVIEW)).to_be_visible()

    # All of it is on the chronology.
    page.get_by_role("link", name="Back to case").click()
    page.get_by_role("link", name="View the full chronology").click()
    expect_heading(page, "Chronology")
    timeline = page.get_by_test_id("chronology")
    expect(timeline).to_contain_text(when)
    for title in ("Safety plan review opened", "Safety plan reviewed"):
        expect(timeline.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(timeline).to_contain_text(REVIEW)
    assert_accessible(page)

    # The officer from another agency on the team is told, without details.
    officer_page = browser.new_context(
        bypass_csp=True, base_url=live_server.url, locale="en-GB"
    ).new_page()
    sign_in(officer_page, live_server, officer)
    officer_page.get_by_role("link", name="Notifications").click()
    notice = officer_page.get_by_role(
        "link", name=f"A breach was recorded on case {case.reference}"
    )
    expect(notice).to_be_visible()
    expect(officer_page.locator("main")).not_to_contain_text(WHAT_HAPPENED)
    assert_accessible(officer_page)
    notice.click()
    expect_heading(officer_page, f"Breach: {when}")
    officer_page.context.close()


@pytest.mark.browser
def test_lead_follows_up_an_unreported_breach_and_reveals_the_witnesses(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    breach = breach_record(
        actor=practitioner,
        case=case,
        account=breach_account(
            order.conditions.get(),
            police_reported=False,
            not_reported_reason="She wants to talk it through with her IDVA first.",
            witnesses=Known.GIVEN,
            witness_details="Sam Neighbour, 07700 900555",
        ),
    )
    sign_in(page, live_server, practitioner)
    page.goto(breach.get_absolute_url())
    expect(page.get_by_test_id("police-report-outstanding")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("07700 900555")
    assert_accessible(page)

    page.get_by_role(
        "link", name="Record the police report, or why it will not be reported"
    ).click()
    expect_heading(page, "Police report for the breach")
    choose(page, "Has it now been reported to the police?", "Yes")
    page.get_by_role("button", name="Save").click()
    expect_error_summary(
        page, "Enter the police reference. If there is none yet, answer no and say why"
    )
    assert_accessible(page)
    page.get_by_label("Date it was reported to the police").fill(timezone.localdate().isoformat())
    choose(page, "How was it reported?", "Online")
    page.get_by_label("Police reference").fill("ONLINE-4410")
    page.get_by_label("The officer is not known yet").check()
    page.get_by_role("button", name="Save").click()
    expect(success_banner(page)).to_contain_text("Police report recorded")
    expect(page.get_by_test_id("police-report-outstanding")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("ONLINE-4410")

    page.get_by_role("link", name="Show the witness details").click()
    expect_heading(page, "Show the witness details")
    assert_accessible(page)
    page.get_by_label("Why do you need the witness details?").fill(
        "To pass them to the officer in the case"
    )
    enter_authenticator_code(page, practitioner)
    page.get_by_role("button", name="Show the witness details").click()
    expect_heading(page, "Witness details")
    expect(page.get_by_test_id("witness-details")).to_have_text("Sam Neighbour, 07700 900555")
    assert_accessible(page)
