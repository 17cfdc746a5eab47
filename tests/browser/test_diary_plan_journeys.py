"""The victim-survivor's part of the safety plan, shown in their diary and taken away again.

The lead opens the page to choose what the diary shows, first sends it empty and is told what
is missing, then shows two of the plan's three items with a date to look at it again. On a
phone-sized screen the victim-survivor signs in and reads those two, in plain words, and
nothing else of the plan. The lead stops showing it, and the phone's next page is "Page not
found".
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from orderwatch.diary.services.sharing import PLAN_NOTHING_CHOSEN
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.safety.services import safety_action_add, safety_measure_add
from tests.browser.pages import (
    expect_error_summary,
    expect_heading,
    fill_date,
    sign_in_to_notes,
    success_banner,
)

THEIRS = "Keep your phone charged and with you when you go out"
OTHERS = "Ask the school who may collect the children"
WHO = "Pat Mason, Northshire Police"
LOCKS = "New locks on the front and back doors"
REVIEW_QUESTION = "Date it will be looked at again with them"


@pytest.mark.browser
def test_the_lead_shows_part_of_the_plan_in_the_diary_then_stops_showing_it(
    page: Page, phone: Page, live_server, practitioner, case, sign_in, assert_accessible
):
    review_on = timezone.localdate() + dt.timedelta(days=14)
    safety_action_add(actor=practitioner, case=case, what=THEIRS, who=WHO, due_on=None)
    safety_action_add(actor=practitioner, case=case, what=OTHERS, who=WHO, due_on=None)
    safety_measure_add(
        actor=practitioner, case=case, kind="locks", details=LOCKS, status="in_place"
    )
    keeper = DiaryAccessFactory(case=case).user
    form = live_server.url + reverse("diary-case:plan", kwargs={"case_id": case.pk})

    # The lead chooses; sent empty first, the page says what is missing and saves nothing.
    sign_in(page, live_server, practitioner)
    page.goto(form)
    expect_heading(page, "Show their part of the safety plan")
    expect(
        page.get_by_text("They will see these words exactly as they are written")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Show in their diary").click()
    expect_error_summary(page, PLAN_NOTHING_CHOSEN, f"Enter the {REVIEW_QUESTION.lower()}")
    assert_accessible(page)
    page.get_by_label(THEIRS).check()
    page.get_by_label(f"Locks or door security: {LOCKS}").check()
    fill_date(page, REVIEW_QUESTION, review_on)
    page.get_by_role("button", name="Show in their diary").click()
    expect_heading(page, "Victim-survivor's diary")
    expect(success_banner(page)).to_contain_text("Their part of the safety plan is now in")

    # On the phone: the two chosen items, in plain words, and nothing else of the plan.
    sign_in_to_notes(phone, live_server, keeper)
    phone.goto(live_server.url + reverse("diary:plan"))
    expect_heading(phone, "Your safety plan")
    expect(phone).to_have_title("Notes")
    expect(phone.get_by_test_id("danger-now")).to_contain_text(
        "If you are in danger now, call 999."
    )
    expect(phone.get_by_test_id("plan-actions")).to_contain_text(THEIRS)
    measures = phone.get_by_test_id("plan-measures")
    expect(measures).to_contain_text("Locks and doors")
    expect(measures).to_contain_text(LOCKS)
    expect(measures).to_contain_text("In place")
    expect(phone.get_by_test_id("plan-review")).to_contain_text(
        f"Your worker will look at this plan with you again by {review_on.day} "
    )
    content = phone.content()
    assert OTHERS not in content
    assert "Pat Mason" not in content
    assert case.reference not in content
    assert_accessible(phone)

    # The lead stops showing it: gone from the phone's next page.
    page.goto(form)
    expect(page.get_by_label(THEIRS)).to_be_checked()
    expect(page.get_by_label(OTHERS)).not_to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Stop showing the safety plan").click()
    expect_heading(page, "Victim-survivor's diary")
    expect(success_banner(page)).to_contain_text("no longer shown in their diary")
    phone.reload()
    expect_heading(phone, "Page not found")
    expect(phone).to_have_title("Notes")
    assert THEIRS not in phone.content()
    assert_accessible(phone)
