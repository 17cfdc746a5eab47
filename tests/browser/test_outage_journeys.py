"""A database outage while a breach is being saved, in Chromium: the calm 503 page says nothing
has been saved, the answers are still kept in the session's draft, and "Try again" saves the
breach once, when the database is back."""

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from orderwatch.breaches.models import Breach
from tests.browser.pages import (
    BREACH_WHAT_HAPPENED,
    expect_heading,
    fill_breach_form,
    open_case,
    success_banner,
)

NOTHING_SAVED = "Nothing has been saved yet – try again in a few minutes."


@pytest.mark.browser
def test_an_outage_while_saving_a_breach_keeps_the_account_and_try_again_saves_it_once(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    condition = order.conditions.get()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    page.get_by_role("link", name="Record a breach").click()
    fill_breach_form(page, condition, happened_on=yesterday)

    with mock.patch(
        "orderwatch.breaches.services.audit_record",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        page.get_by_role("button", name="Save breach").click()
        expect_heading(page, "Sorry, there is a problem with the service")
    expect(page.get_by_text(NOTHING_SAVED)).to_be_visible()
    expect(page.get_by_text("If anyone is in immediate danger, call 999.")).to_be_visible()
    assert not Breach.objects.exists()
    assert_accessible(page)

    # The answers are kept in the session's draft: Check your answers still shows them all.
    check = page.context.new_page()
    check.goto(f"{live_server.url}/cases/{case.pk}/breaches/new/check/")
    expect(check.get_by_test_id("answers-record")).to_contain_text(BREACH_WHAT_HAPPENED)
    check.close()

    # The database is back: the save goes again, with the same key, and is saved once.
    page.get_by_role("button", name="Try again").click()
    expect(success_banner(page)).to_contain_text("Breach recorded")
    (breach,) = Breach.objects.all()
    assert breach.what_happened == BREACH_WHAT_HAPPENED
    assert list(breach.breached.values_list("condition", flat=True)) == [condition.pk]
