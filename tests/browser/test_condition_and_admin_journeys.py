"""Ending a condition, and the service administration pages, in Chromium with axe-core."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from orderwatch.accounts.tests.factories import UserFactory
from tests.browser.pages import fill_date


@pytest.mark.browser
def test_a_condition_that_no_longer_applies_leaves_the_restrictions(
    page, live_server, practitioner, order, sign_in, assert_accessible
):
    sign_in(page, live_server, practitioner)
    page.goto(live_server.url + order.get_absolute_url())
    restrictions = page.get_by_test_id("restrictions")
    expect(restrictions).to_contain_text("The respondent must not contact the applicant directly.")

    page.get_by_role("link", name="This condition no longer applies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This condition no longer applies")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the condition no longer applies"
    )
    assert_accessible(page)

    fill_date(page, "Date it stopped applying", order.made_on)
    page.get_by_label("Why does it no longer apply?").fill("Removed when the order was varied")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Condition marked as no longer applying.")).to_be_visible()
    expect(restrictions).not_to_contain_text("must not contact the applicant directly")
    page.get_by_text("Conditions that no longer apply (1)").click()
    expect(page.get_by_text("Removed when the order was varied")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_a_service_administrator_reaches_the_catalogue_after_two_factor(
    page, live_server, idva_service, sign_in, assert_accessible
):
    staff = UserFactory(agency=idva_service, is_staff=True, display_name="Sam Admin")
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["view_ordertype", "change_ordertype"])
    )
    page.goto(live_server.url + "/service-admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OrderWatch")
    sign_in(page, live_server, staff)
    page.goto(live_server.url + "/service-admin/")
    expect(page.get_by_role("link", name="Order types")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/service-admin/orders/ordertype/")
    expect(page.get_by_role("link", name="Non-molestation order")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Non-molestation order").click()
    expect(page.get_by_label("Max penalty")).to_be_visible()
    assert_accessible(page)
