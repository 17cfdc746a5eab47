"""The case chronology in Chromium, checked with axe-core (WCAG 2.2 A/AA).

A breach, the safety-plan review it opened, the completed review and a change of risk level
all appear on one timeline, newest first; the filter narrows it to breaches, and the PDF
holds the same entries.
"""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import BreachFactory, breach_account
from orderwatch.safety.services import risk_level_set, safety_review_record
from orderwatch.tasks.models import Task
from tests.browser.pages import expect_heading

REVIEW_CHANGE = "Agreed a new school pick-up arrangement with the school."
RISK_REASON = "He came to the school gates despite the order."
PROTECTED_ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's default


def timeline_items(page: Page):
    return page.get_by_test_id("chronology").locator(".moj-timeline__item")


def item(page: Page, title: str):
    return timeline_items(page).filter(has=page.get_by_role("heading", name=title, exact=True))


def download_text(page: Page, click) -> str:
    """Run `click` to ask for the PDF; on the page that says it is ready, download it and
    return its text, line wrapping removed."""
    click()
    expect_heading(page, "Your document is ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download the chronology \(PDF")).click()
    download = download_info.value
    assert download.failure() is None
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.mark.browser
def test_practitioner_sees_a_breach_its_review_and_the_risk_change_on_the_chronology(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    breach = breach_record(
        actor=practitioner, case=case, account=breach_account(order.conditions.get())
    )
    task = Task.objects.get(origin=Task.Origin.BREACH, origin_id=breach.pk)
    safety_review_record(
        agreements_still_right="yes",
        actor=practitioner,
        case=case,
        what_changed=REVIEW_CHANGE,
        task_ids=[task.pk],
    )
    risk_level_set(actor=practitioner, case=case, level="high", reason=RISK_REASON)
    occurrence = breach.occurrence.label()  # yesterday "at about 3pm"

    sign_in(page, live_server, practitioner)
    page.goto(reverse("chronology:timeline", kwargs={"case_id": case.pk}))
    expect_heading(page, "Chronology")
    expect(page).to_have_title(f"Chronology – case {case.reference} – OrderWatch")
    expect(page.get_by_text(f"Case {case.reference}", exact=True)).to_be_visible()

    # Newest first: the risk change, the review, the review task, the breach, the order.
    expect(timeline_items(page).locator(".moj-timeline__title")).to_have_text(
        [
            "Risk level set to high",
            "Safety plan reviewed",
            "Safety plan review opened",
            "Breach of the non-molestation order",
            "Non-molestation order made",
        ]
    )
    breach_item = item(page, "Breach of the non-molestation order")
    expect(breach_item.locator("time")).to_have_text(occurrence)
    expect(breach_item).to_contain_text("How serious: Moderate")
    expect(breach_item).to_contain_text("Conditions breached: No direct contact")
    expect(breach_item).to_contain_text("recorded by Pat Lead")
    expect(item(page, "Safety plan review opened")).to_contain_text(
        "Opened because a breach was recorded."
    )
    expect(item(page, "Safety plan review opened")).to_contain_text("Done on")
    expect(item(page, "Safety plan reviewed")).to_contain_text(REVIEW_CHANGE)
    expect(item(page, "Risk level set to high")).to_contain_text(RISK_REASON)
    expect(page.get_by_text(PROTECTED_ADDRESS)).to_have_count(0)
    assert_accessible(page)

    # Filter to breaches only.
    page.get_by_label("Breaches", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"\?kind=breach$"))
    expect(page.get_by_label("Breaches", exact=True)).to_be_checked()
    expect(timeline_items(page)).to_have_count(1)
    expect(page.get_by_test_id("entry-count")).to_have_text("1 matching event")
    assert_accessible(page)

    # The filtered PDF holds the breach and nothing else.
    text = download_text(
        page, page.get_by_role("button", name="Download as PDF (the events shown)").click
    )
    assert f"Chronology: case {case.reference}" in text
    assert "by Pat Lead, Test IDVA Service" in text
    assert "Showing: Breaches." in text
    assert "Breach of the non-molestation order" in text
    assert occurrence in text
    assert RISK_REASON not in text
    assert PROTECTED_ADDRESS not in text

    # Back from the prepared document to the same filtered chronology.
    page.get_by_role("link", name="Back to the chronology").click()
    expect(page).to_have_url(re.compile(r"\?kind=breach$"))
    expect(timeline_items(page)).to_have_count(1)

    # The breach entry leads to the breach.
    page.get_by_role("link", name=re.compile("^View the breach")).click()
    expect(page).to_have_url(re.compile(re.escape(breach.get_absolute_url()) + "$"))

    # Back on the whole chronology, the unfiltered PDF has every entry.
    page.goto(reverse("chronology:timeline", kwargs={"case_id": case.pk}))
    text = download_text(page, page.get_by_role("button", name="Download as PDF").click)
    for words in (REVIEW_CHANGE, RISK_REASON, "Safety plan review opened", occurrence):
        assert words in text


@pytest.mark.browser
def test_a_long_record_is_read_a_page_at_a_time(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    BreachFactory.create_batch(60, case=case, created_by=practitioner, matches_no_condition=False)
    sign_in(page, live_server, practitioner)

    # Every breach, from the case page, 50 to a page.
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="View all breaches").click()
    expect_heading(page, "Breaches and incidents")
    expect(page.get_by_test_id("breach-count")).to_have_text("60 breaches recorded, latest first.")
    expect(page.locator("tbody tr")).to_have_count(50)
    assert_accessible(page)
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("tbody tr")).to_have_count(10)
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()

    # The chronology likewise: the 60 breaches and the order made.
    page.goto(reverse("chronology:timeline", kwargs={"case_id": case.pk}))
    expect(page.get_by_test_id("entry-count")).to_have_text("Events 1 to 50")
    expect(timeline_items(page)).to_have_count(50)
    assert_accessible(page)
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_test_id("entry-count")).to_have_text("Events 51 to 61")
    expect(timeline_items(page)).to_have_count(11)
    expect(page.get_by_role("link", name="Next page")).to_have_count(0)
    assert_accessible(page)
