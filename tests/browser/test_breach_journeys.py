"""Recording a breach in Chromium, from the case page to the chronology, with axe on each page.

The lead records a breach of a specific condition at an approximate time, sees the 999 / 101
guidance first, finds the safety-plan review in "My tasks", records the review, and sees the
breach, the review opened and the review done on the chronology. An officer from another
agency on the case team is told in-app.
"""

import datetime as dt
import re

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
    fill_date,
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

    # Every question page in turn, each checked with axe.
    fill_breach_form(page, condition, happened_on=yesterday, on_each_page=assert_accessible)
    expect(page.get_by_test_id("in-the-moment")).to_contain_text(IN_THE_MOMENT)
    expect(page.get_by_test_id("answers-record")).to_contain_text(WHAT_HAPPENED)
    expect(page.get_by_test_id("answers-consider")).to_contain_text(HOW)
    expect(page.get_by_test_id("answers-report")).to_contain_text("NP-26-5521")
    assert_accessible(page)

    # Away to the case page and back: nothing typed is lost.
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Continue the breach you started").click()
    expect_heading(page, "Record a breach")
    expect(page.get_by_test_id("breach-draft")).to_contain_text("Nothing has been saved yet")
    assert_accessible(page)
    page.get_by_role("button", name="Continue the breach you started").click()
    expect_heading(page, "Check your answers before saving the breach")

    # Change when it happened: tomorrow is refused, clearly, on its own page.
    page.get_by_role("link", name="Change date it happened").click()
    expect(page.get_by_role("link", name="Back")).to_have_attribute(
        "href", f"/cases/{case.pk}/breaches/new/check/"
    )
    fill_date(page, "Date it happened", yesterday + dt.timedelta(days=2))
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Date it happened must be today or in the past")
    expect(page.get_by_label("Time it happened")).to_have_value("21:00")
    assert_accessible(page)
    fill_date(page, "Date it happened", yesterday)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers before saving the breach")

    # Change how serious it was, and come back to Check your answers.
    page.get_by_role("link", name="Change how serious was it?").click()
    expect(group(page, "How serious was it?").get_by_label("High")).to_be_checked()
    choose(page, "How serious was it?", "Severe")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers before saving the breach")
    severity = (
        page.get_by_test_id("answers-record")
        .locator(".govuk-summary-list__row")
        .filter(has_text="How serious was it?")
    )
    expect(severity).to_contain_text("Severe")
    page.get_by_role("button", name="Save breach").click()

    when = f"{yesterday.day} {yesterday:%B %Y} at about 9pm"
    expect_heading(page, f"Breach: {when}")
    expect(success_banner(page)).to_contain_text("Breach recorded")
    expect(page.get_by_test_id("in-the-moment")).to_contain_text(IN_THE_MOMENT)
    expect(page.get_by_test_id("breached-conditions")).to_contain_text(condition.wording)
    expect(page.get_by_test_id("breached-conditions")).to_contain_text(HOW)
    expect(page.locator("main")).to_contain_text("Severe")
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
    fill_date(page, "Date it was reported to the police", timezone.localdate())
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


@pytest.mark.browser
def test_changed_answers_ask_their_follow_ups_and_conduct_matching_no_condition_is_recorded(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    condition = order.conditions.get()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    page.get_by_role("link", name="Record a breach").click()
    fill_breach_form(page, condition, happened_on=yesterday)

    def change(question: str, answer: str) -> None:
        """Change a yes/no answer from Check your answers; its follow-up page comes next."""
        page.get_by_role("link", name=f"Change {question.lower()}").click()
        expect(page.get_by_role("link", name="Back")).to_have_attribute(
            "href", f"/cases/{case.pk}/breaches/new/check/"
        )
        choose(page, question, answer)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_test_id("in-the-moment")).to_be_visible()

    # Not reported after all: why not is asked, and refused blank.
    change("Has it been reported to the police?", "No")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Enter why it has not been reported to the police")
    assert_accessible(page)
    page.get_by_label("If it has not been reported to the police, why not?").fill(
        "She wants to talk it through with her IDVA first."
    )
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers before saving the breach")
    expect(page.get_by_test_id("answers-report")).not_to_contain_text("NP-26-5521")

    change("Is the respondent supervised by probation?", "Yes")
    expect_heading(page, "When was probation told?")
    assert_accessible(page)
    fill_date(page, "Date probation was told", yesterday)
    page.get_by_role("button", name="Continue").click()

    change("Have other agencies been told?", "Yes")
    assert_accessible(page)
    page.get_by_label("Which agencies, and when?").fill("Children's social care, this morning.")
    page.get_by_role("button", name="Continue").click()

    change("Was anyone else there?", "Yes")
    assert_accessible(page)
    page.get_by_label("Who else was there?").fill("Her younger brother.")
    page.get_by_role("button", name="Continue").click()

    change("Were there any witnesses?", "Yes")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Enter the witnesses' names and how to contact them")
    assert_accessible(page)
    page.get_by_label("Witnesses' names and how to contact them").fill(
        "Sam Neighbour, 07700 900555"
    )
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers before saving the breach")

    # It matches no condition of the order.
    page.get_by_role("link", name=re.compile(r"^Change no direct contact")).click()
    page.get_by_label(f"No direct contact: “{condition.wording}”").uncheck()
    page.get_by_label("It does not match any condition of an order in force").check()
    page.get_by_role("button", name="Continue").click()
    consider = page.get_by_test_id("answers-consider")
    expect(consider).to_contain_text("It does not match any condition of an order in force")
    expect(consider).to_contain_text("Sam Neighbour, 07700 900555")
    expect(page.get_by_test_id("answers-report")).to_contain_text("Children's social care")
    assert_accessible(page)
    page.get_by_role("button", name="Save breach").click()

    expect(success_banner(page)).to_contain_text("Breach recorded")
    expect(page.get_by_test_id("police-report-outstanding")).to_be_visible()
    expect(page.get_by_test_id("no-condition")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("07700 900555")  # hidden until revealed
    assert_accessible(page)

    # A breach started and then discarded saves nothing.
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Record a breach").click()
    page.get_by_role("button", name="Start now").click()
    choose(page, "Has it been reported to the police?", "Yes")
    page.get_by_role("button", name="Continue").click()
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Continue the breach you started").click()
    page.get_by_role("button", name="Discard it").click()
    expect(page.get_by_text("The breach you started has been discarded.")).to_be_visible()
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
    assert_accessible(page)
    assert case.breaches.count() == 1
