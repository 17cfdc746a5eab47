"""Closing and reopening a case, in Chromium, with axe-core (WCAG 2.2 A/AA) on every page: the
checklist stops the closing until the open task and the order in force are each decided; the
case leaves My cases for "Closed cases", is reopened with a reason, and closed again."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orderwatch.cases.models import Case, CaseClosure
from orderwatch.tasks.tests.factories import TaskFactory
from tests.browser.pages import expect_error_summary, expect_heading, open_case, success_banner

TASK = "Call the school about pick-up"


def _decide(page, legend: re.Pattern, option: re.Pattern) -> None:
    page.get_by_role("group", name=legend).get_by_label(option).check()


@pytest.mark.browser
def test_close_a_case_see_it_leave_my_cases_reopen_it_and_close_it_again(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    TaskFactory(case=case, assignee=practitioner, title=TASK)
    order_legend = re.compile(rf"^The {re.escape(order.order_type.name)}")
    sign_in(page, live_server, practitioner)
    open_case(page, case)

    page.get_by_role("link", name="Close this case").click()
    expect_heading(page, "Close this case")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(
        page,
        f"Choose what happens to the task “{TASK}”",
        f"Choose what happens to the {order.order_type.name} (In force)",
    )
    assert_accessible(page)
    _decide(page, order_legend, re.compile("^Keep it on record as in force"))
    _decide(page, re.compile("^The task"), re.compile("^Not yet"))
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Finish the task first, then close the case")
    _decide(page, re.compile("^The task"), re.compile("^Close it with the case"))
    page.get_by_role("button", name="Continue").click()

    expect_heading(page, "Why is the case closing?")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Choose why the case is closing")
    assert_accessible(page)
    page.get_by_label("The orders have ended and no further order is needed").check()
    page.get_by_role("button", name="Continue").click()

    expect_heading(page, "Check your answers before closing the case")
    assert_accessible(page)
    assert not Case.objects.get(pk=case.pk).is_closed  # nothing saved before the last button
    page.get_by_role("button", name="Close the case").click()
    expect(success_banner(page)).to_contain_text(f"Case {case.reference} is closed.")
    expect(page.get_by_test_id("case-closed")).to_contain_text("This case is closed")
    expect(page.get_by_role("link", name="Record an order")).to_have_count(0)
    assert_accessible(page)
    # A change page reached anyway (an old tab) says calmly why not.
    page.goto(live_server.url + reverse("cases:person-new", kwargs={"case_id": case.pk}))
    expect(page.get_by_text("This case is closed, so it cannot be changed.")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="My cases", exact=True).first.click()
    expect(page.get_by_role("link", name=case.reference)).to_have_count(0)
    page.get_by_role("link", name="Closed cases").click()
    expect(page.get_by_test_id("my-cases")).to_contain_text(case.reference)
    assert_accessible(page)
    open_case(page, case)

    page.get_by_role("link", name="Reopen this case").click()
    expect_heading(page, "Reopen this case")
    assert_accessible(page)
    page.get_by_role("button", name="Reopen the case").click()
    expect_error_summary(page, "Enter why the case is being reopened")
    assert_accessible(page)
    page.get_by_label("Why is the case being reopened?").fill("A further incident was reported.")
    page.get_by_role("button", name="Reopen the case").click()
    expect(success_banner(page)).to_contain_text(f"Case {case.reference} is open again.")
    expect(page.get_by_test_id("case-closed")).to_have_count(0)

    # Closed again: the task went with the first closing; the order is still in force.
    page.get_by_role("link", name="Close this case").click()
    expect(page.get_by_role("group", name=re.compile("^The task"))).to_have_count(0)
    _decide(page, order_legend, re.compile("^Keep it on record as in force"))
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Another reason", exact=True).check()
    page.get_by_label("More about why").fill("Support moved to another service.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Support moved to another service.")).to_be_visible()
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_test_id("case-closed")).to_be_visible()
    kinds = list(CaseClosure.objects.filter(case=case).order_by("created_at").values_list("kind"))
    assert [kind for (kind,) in kinds] == ["closed", "reopened", "closed"]
