"""Expiry reminders and the calendar link in Chromium, with axe-core (WCAG 2.2 A/AA).

The sweep reminds the lead that an order ends in 13 days; the lead opens the reminder from
"My tasks", sees the catalogue's alternatives, records that an alternative order will be
sought, and the task is done. Then they make a calendar link, use it, and revoke it.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from orderwatch.orders.tests.factories import OrderFactory
from orderwatch.reminders.services import reminders_sweep
from tests.browser.pages import expect_error_summary, expect_heading, success_banner

TASK = "Consider extension or an alternative protective order"
REASON = "She wants protection that can include positive requirements; police support a DAPO."


@pytest.fixture
def order_ending_in_13_days(case):
    today = timezone.localdate()
    order = OrderFactory(
        case=case, made_on=today - dt.timedelta(days=300), ends_on=today + dt.timedelta(days=13)
    )
    reminders_sweep(today=today)
    return order


@pytest.mark.browser
def test_lead_records_that_an_alternative_order_will_be_sought(
    page, live_server, practitioner, case, order_ending_in_13_days, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    expect_heading(page, "My cases")
    tasks = page.get_by_test_id("my-tasks").locator("tbody tr")
    expect(tasks).to_have_count(1)
    expect(tasks.first).to_contain_text(case.reference)
    expect(tasks.first).to_contain_text("An order is ending soon")
    assert_accessible(page)

    page.get_by_role("link", name=TASK).click()
    expect_heading(page, TASK)
    expect(page).to_have_title(
        f"Order ending: extension or an alternative – case {case.reference} – OrderWatch"
    )
    expect(page.get_by_test_id("order-ending")).to_contain_text("in 13 days")
    alternatives = page.get_by_test_id("alternatives")
    for name in order_ending_in_13_days.order_type.alternatives.values_list("name", flat=True):
        expect(alternatives).to_contain_text(name)
    assert_accessible(page)

    # Nothing chosen: clear errors, nothing saved.
    page.get_by_role("button", name="Record the decision").click()
    expect_error_summary(
        page, "Select what will happen as the order ends", "Enter why this is the right next step"
    )
    assert_accessible(page)

    # Seeking an alternative without saying which: the service says so beside the field.
    page.get_by_label("Seek an alternative protective order").check()
    page.get_by_label("Why is this the right next step?").fill(REASON)
    page.get_by_role("button", name="Record the decision").click()
    expect_error_summary(page, "Select which order to seek, from the options for this order")
    assert_accessible(page)

    page.get_by_label("Seek an alternative protective order").check()
    page.get_by_label("Domestic abuse protection order (DAPO)").check()
    page.get_by_role("button", name="Record the decision").click()
    expect_heading(page, "My cases")
    expect(success_banner(page)).to_contain_text("Decision recorded. The reminder is done.")
    expect(page.get_by_text("You have no open tasks.")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_lead_makes_uses_and_revokes_a_calendar_link(
    page, live_server, practitioner, case, order_ending_in_13_days, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    page.get_by_role("link", name="See your due dates in your own calendar app").click()
    expect_heading(page, "Calendar link")
    expect(page.get_by_test_id("feed-state")).to_have_text("You do not have a calendar link.")
    assert_accessible(page)

    page.get_by_role("button", name="Make a calendar link").click()
    expect_heading(page, "Your calendar link is ready")
    link = page.get_by_label("Your calendar link").input_value()
    assert link.startswith(live_server.url + "/calendar/feed/")
    assert_accessible(page)

    # A calendar app fetches it without signing in: a context with no cookies at all.
    calendar_app = page.context.browser.new_context()
    feed = calendar_app.request.get(link)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert f"Order ends – case {case.reference}" in feed.text()

    page.get_by_role("link", name="Back to calendar link").click()
    expect(page.get_by_test_id("feed-state")).to_contain_text("You have a calendar link")
    page.get_by_role("button", name="Revoke the calendar link").click()
    expect(success_banner(page)).to_contain_text("Your calendar link has been revoked.")
    assert_accessible(page)
    assert calendar_app.request.get(link).status == 404
    calendar_app.close()
    assert reverse("calendar_feed:manage") in page.url
