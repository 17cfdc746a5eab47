"""API clients in Chromium (issue 21, ADR 0042): an agency administrator registers their case
system, is shown its secret once, the system reads its agency's cases with a token, gets a
webhook (ADR 0045) that is sent a case event, and the administrator revokes it; the token stops
working at once. Every page is checked with axe-core (WCAG 2.2 A/AA)."""

import base64
import datetime as dt
import json
import urllib.request

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.events.models import CaseEventEntry
from orderwatch.events.table import CaseEvent
from orderwatch.webhooks.tests.receiver import receiver_serve
from tests.browser.pages import expect_error_summary, expect_heading, fill_date


def _token(base: str, client_id: str, secret: str) -> str:
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{base}/api/v1/token/",
        data=b"grant_type=client_credentials",
        headers={"Authorization": f"Basic {credentials}"},
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        return json.load(answer)["access_token"]


def _cases_status(base: str, token: str) -> int:
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/v1/cases/", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request) as answer:  # noqa: S310
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def receiver(settings):
    """A webhook receiver on loopback, which ORDERWATCH_WEBHOOK_ALLOW_PRIVATE allows."""
    settings.ORDERWATCH_WEBHOOK_ALLOW_PRIVATE = True
    receiver, server = receiver_serve([200])
    yield receiver
    server.shutdown()
    server.server_close()


def _event_sent(case) -> None:
    """Record an event on `case`, settled, and run the scheduled job that delivers it."""
    entry = CaseEventEntry.objects.create(
        case=case, kind=CaseEvent.BREACH_RECORDED, subject_id=case.pk
    )
    settled = timezone.now() - dt.timedelta(seconds=11)
    CaseEventEntry.objects.filter(pk=entry.pk).update(recorded_at=settled)
    call_command("send_webhooks")


def _webhook_added(page, receiver, case, assert_accessible) -> None:
    """Add a webhook on the system's page, see it listed, and see a delivery in its log."""
    expect(page.get_by_test_id("no-webhook")).to_be_visible()
    page.get_by_role("link", name="Add a webhook").click()
    expect_heading(page, "Add a webhook")
    assert_accessible(page)
    page.get_by_role("button", name="Add the webhook").click()
    expect_error_summary(page, "Enter the web address")
    assert_accessible(page)
    page.get_by_label("Web address").fill(receiver.url)
    page.get_by_role("button", name="Add the webhook").click()
    expect_heading(page, "Webhook added")
    assert_accessible(page)
    secret = page.get_by_test_id("webhook-secret").inner_text()
    assert secret.startswith("whsec_")
    page.get_by_role("link", name="Go to the system's page").click()
    expect(page.get_by_test_id("webhook")).to_contain_text(receiver.url)
    expect(page.get_by_test_id("no-deliveries")).to_be_visible()

    _event_sent(case)
    assert len(receiver.received) == 1
    page.reload()
    expect(page.get_by_test_id("webhook-log")).to_contain_text("A breach was recorded")
    expect(page.get_by_test_id("webhook-log")).to_contain_text("Delivered")
    expect(page.locator("main")).not_to_contain_text(secret)
    assert_accessible(page)
    page.get_by_role("link", name="Remove the webhook").click()
    expect_heading(page, "Remove the webhook?")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()


@pytest.mark.browser
def test_an_administrator_registers_a_system_that_reads_cases_until_revoked(
    page, live_server, idva_service, case, sign_in, assert_accessible, receiver
):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN, display_name="Ada A")
    sign_in(page, live_server, admin)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="API clients").click()
    expect_heading(page, "API clients")
    expect(page.get_by_test_id("no-clients")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Register a system").click()
    page.get_by_role("button", name="Register the system").click()
    expect_error_summary(
        page,
        "Enter a name for the system",
        "Select what the system may do",
        "Enter the date access ends",
    )
    assert_accessible(page)
    page.get_by_label("Name of the system").fill("Force case system")
    page.get_by_label("Read the cases your agency works on").check()
    fill_date(page, "When does its access end?", timezone.localdate() + dt.timedelta(days=90))
    page.get_by_role("button", name="Register the system").click()
    expect_heading(page, "System registered")
    assert_accessible(page)
    client_id = page.get_by_test_id("client-id").inner_text()
    secret = page.get_by_test_id("client-secret").inner_text()

    token = _token(live_server.url, client_id, secret)
    assert _cases_status(live_server.url, token) == 200

    page.get_by_role("link", name="Go to the system's page").click()
    expect_heading(page, "Force case system")
    expect(page.get_by_test_id("client")).not_to_contain_text(secret)
    assert_accessible(page)
    _webhook_added(page, receiver, case, assert_accessible)
    page.get_by_role("link", name="Revoke access").click()
    expect_heading(page, "Revoke this system's access?")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke access").click()
    expect(page.get_by_test_id("client")).to_contain_text("Revoked")
    expect(page.locator("main")).to_contain_text("Nothing more is sent")
    assert_accessible(page)
    assert _cases_status(live_server.url, token) == 401
    _event_sent(case)
    assert len(receiver.received) == 1, "a revoked system is sent nothing more"
    page.get_by_role("link", name="API clients").first.click()
    expect(page.get_by_test_id("clients")).to_contain_text("Force case system")
    assert_accessible(page)
