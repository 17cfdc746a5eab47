"""Safety plan, risk level, tasks and notifications in Chromium, with axe-core (WCAG 2.2 A/AA).

After a breach the lead finds the review in "My tasks", re-assesses the risk, adds to the plan
and records the review; a colleague on the team finds the breach in their notifications.
"""

import datetime as dt
import uuid

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import Page, expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.notifications.models import Notification
from orderwatch.notifications.services import case_team_notify
from orderwatch.safety.models import SafetyAction, SafetyReview
from orderwatch.safety.services import safety_review_open
from orderwatch.tasks.models import Task
from tests.browser.pages import (
    error_summary,
    expect_error_summary,
    expect_heading,
    fill_date,
    success_banner,
)

REVIEW_TITLE = "Review the safety plan after a breach"
RISK_REASON = "He came to the school gate twice this week; she is frightened."
ACTION = "Ask the school to check who may collect the children"
ACTION_WHO = "Pat, IDVA"
MEASURE = "New locks on the front and back doors"
WHAT_CHANGED = "Added the school pick-up check and new locks; risk raised to high."


# Helpers ------------------------------------------------------------------------------------


def go_to_plan_from(page: Page, link: str) -> None:
    page.get_by_role("link", name=link).click()
    expect_heading(page, "Safety plan")


def save(page: Page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()


def table_rows(page: Page, test_id: str):
    return page.get_by_test_id(test_id).locator("tbody tr")


@pytest.fixture
def review_after_breach(case, practitioner):
    """A breach recorded on the case, and the review it opened for the lead."""
    breach = BreachFactory(case=case)
    with transaction.atomic():  # inside the caller's work, as the events table runs it
        return safety_review_open(
            actor=practitioner, case=case, origin=Task.Origin.BREACH, origin_id=breach.pk
        )


# Journeys -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_lead_reassesses_risk_adds_to_the_plan_and_records_the_review(
    page, live_server, practitioner, case, review_after_breach, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    expect_heading(page, "My cases")
    tasks = table_rows(page, "my-tasks")
    expect(tasks).to_have_count(1)
    expect(tasks.first).to_contain_text(case.reference)
    expect(tasks.first).to_contain_text("A breach was recorded")
    assert_accessible(page)

    # The review task leads to the safety plan.
    go_to_plan_from(page, REVIEW_TITLE)
    expect(page).to_have_title(f"Safety plan – case {case.reference} – OrderWatch")
    expect(table_rows(page, "open-reviews")).to_have_count(1)
    expect(table_rows(page, "open-reviews").first).to_contain_text(practitioner.display_name)
    expect(page.get_by_test_id("risk-reassess")).to_contain_text(
        "A breach may mean the risk has increased. Re-assess the risk level."
    )
    expect(page.get_by_text("No actions have been agreed yet.")).to_be_visible()
    assert_accessible(page)

    # Risk level: nothing chosen is explained, then it is set.
    page.get_by_role("link", name="Set the risk level").click()
    expect_heading(page, "Set the risk level")
    expect(page.get_by_text("No risk level has been set on this case yet.")).to_be_visible()
    assert_accessible(page)
    save(page)
    expect_error_summary(page, "Select the risk level", "Enter why this is the risk level now")
    assert_accessible(page)
    error_summary(page).get_by_role("link", name="Select the risk level").click()
    expect(page.get_by_label("High", exact=True)).to_be_in_viewport()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Why is this the risk level now?").fill(RISK_REASON)
    save(page)

    expect_heading(page, "Safety plan")
    expect(success_banner(page)).to_contain_text("Risk level recorded.")
    risk = page.get_by_test_id("risk-level")
    expect(risk).to_contain_text("High")
    expect(risk).to_contain_text(RISK_REASON)
    expect(risk).to_contain_text(practitioner.display_name)
    expect(page.get_by_test_id("risk-reassess")).to_have_count(0)
    assert_accessible(page)

    # An action: a date in the past is explained and nothing is saved.
    page.get_by_role("link", name="Add an action").click()
    expect_heading(page, "Add an action to the safety plan")
    assert_accessible(page)
    page.get_by_label("What will be done?").fill(ACTION)
    page.get_by_label("Who will do it?").fill(ACTION_WHO)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    fill_date(page, "Date it should be done by", yesterday)
    save(page)
    expect_error_summary(page, "Date it should be done by must be today or in the future")
    expect(page.get_by_label("What will be done?")).to_have_value(ACTION)
    assert_accessible(page)
    assert not SafetyAction.objects.exists()
    next_week = timezone.localdate() + dt.timedelta(days=7)
    fill_date(page, "Date it should be done by", next_week)
    save(page)

    expect(success_banner(page)).to_contain_text("Action added to the safety plan.")
    actions = table_rows(page, "actions")
    expect(actions).to_have_count(1)
    expect(actions.first).to_contain_text(ACTION)
    expect(actions.first).to_contain_text("Not done")
    assert_accessible(page)

    # A practical measure.
    page.get_by_role("link", name="Add a practical safety measure").click()
    expect_heading(page, "Add a practical safety measure")
    assert_accessible(page)
    page.get_by_label("Locks or door security", exact=True).check()
    page.get_by_label("Describe the measure").fill(MEASURE)
    page.get_by_label("In place", exact=True).check()
    save(page)

    expect(success_banner(page)).to_contain_text("Safety measure added to the plan.")
    measures = table_rows(page, "measures")
    expect(measures).to_have_count(1)
    expect(measures.first).to_contain_text(MEASURE)
    expect(measures.first).to_contain_text("In place")
    assert_accessible(page)

    # The action is done.
    actions.first.get_by_role("button", name="Mark as done").click()
    expect(success_banner(page)).to_contain_text("Action marked as done.")
    expect(actions.first).to_contain_text("Done")
    expect(actions.first).to_contain_text(practitioner.display_name)
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(0)
    assert_accessible(page)

    # The review answers the one review due, which is chosen already.
    page.get_by_role("link", name="Record a review of the safety plan").click()
    expect_heading(page, "Record a review of the safety plan")
    expect(page.get_by_label("A breach was recorded")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("What changed in the plan?").fill(WHAT_CHANGED)
    page.get_by_label("There are none with this family").check()
    save(page)

    expect(success_banner(page)).to_contain_text("Safety plan review recorded.")
    expect(page.get_by_text("No reviews are due.")).to_be_visible()
    history = table_rows(page, "review-history")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text(WHAT_CHANGED)
    expect(history.first).to_contain_text("A breach was recorded")
    assert_accessible(page)
    review = SafetyReview.objects.get()
    assert list(review.tasks.all()) == [review_after_breach]

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My cases").click()
    expect_heading(page, "My cases")
    expect(page.get_by_text("You have no open tasks.")).to_be_visible()


@pytest.mark.browser
def test_colleague_sees_the_unread_count_and_opens_the_notification(
    page, live_server, practitioner, case, police, sign_in, assert_accessible
):
    colleague = UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Col League")
    CaseTeamMembershipFactory(case=case, user=colleague, capacity="Officer in the case")
    case_team_notify(
        actor=practitioner,
        case=case,
        kind=Notification.Kind.BREACH_RECORDED,
        link=f"/cases/{case.pk}/safety-plan/",
    )
    # A general task with a date already past, to see how "My tasks" marks it.
    Task.objects.create(
        case=case,
        kind=Task.Kind.GENERAL,
        title="Send the order summary to the school",
        assignee=colleague,
        due_on=timezone.localdate() - dt.timedelta(days=1),
        origin=Task.Origin.BREACH,
        origin_id=uuid.uuid4(),
    )

    sign_in(page, live_server, colleague)
    expect_heading(page, "My cases")
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    tasks = table_rows(page, "my-tasks")
    expect(tasks.first.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)

    tasks.first.get_by_role("button", name="Mark as done").click()
    expect(success_banner(page)).to_contain_text("Task marked as done.")
    expect(page.get_by_text("You have no open tasks.")).to_be_visible()

    nav.get_by_role("link", name="Notifications 1 unread").click()
    expect_heading(page, "Notifications")
    message = f"A breach was recorded on case {case.reference}"
    expect(page.get_by_test_id("notifications")).to_contain_text("Unread")
    assert_accessible(page)

    page.get_by_role("link", name=message).click()
    expect_heading(page, "Safety plan")
    expect(nav.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_accessible(page)
