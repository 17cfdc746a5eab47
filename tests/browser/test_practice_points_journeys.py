"""Issue 18's practice points in Chromium, with axe-core (WCAG 2.2 A/AA): an incident named and
counted apart from breaches, one safety-plan review gathering its reasons, written agreements
in the plan and its review, and "My cases" and the evidence log a page at a time."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.evidence.selectors import EVIDENCE_LOG_PAGE
from orderwatch.evidence.tests.factories import EvidenceItemFactory
from orderwatch.safety.models import SafetyAgreement, SafetyReview
from tests.browser.pages import expect_heading, fill_date, success_banner

AGREEMENT_SAYS = "Handovers of the children happen only at the family centre, never at home."
AGREEMENT_WITH = "Both parents, with Early Help"


def save(page: Page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()


@pytest.mark.browser
def test_an_incident_and_a_breach_share_one_review_that_asks_about_the_agreements(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    breach = breach_record(
        actor=practitioner, case=case, account=breach_account(order.conditions.get())
    )
    incident = breach_record(actor=practitioner, case=case, account=breach_account())
    sign_in(page, live_server, practitioner)

    # The case page counts them apart, and names each.
    page.goto(case.get_absolute_url())
    expect(page.get_by_test_id("breach-count")).to_contain_text("1 breach and 1 incident recorded")
    expect(page.get_by_test_id("pattern-counted")).to_have_text("Counted: 1 breach and 1 incident.")
    page.get_by_role("link", name=incident.occurrence.label()).first.click()
    expect_heading(page, f"Incident: {incident.occurrence.label()}")
    expect(page).to_have_title(f"Incident – case {case.reference} – OrderWatch")
    assert_accessible(page)

    # One review, with its reasons: the breach, the incident and the pattern they make.
    page.get_by_role("link", name="Go to the safety plan").click()
    expect_heading(page, "Safety plan")
    reviews = page.get_by_test_id("open-reviews").locator("tbody tr")
    expect(reviews).to_have_count(1)
    reasons = page.get_by_test_id("review-reasons").locator("li")
    expect(reasons).to_have_count(3)
    expect(reasons.nth(0)).to_contain_text("A breach was recorded, added")
    expect(page.get_by_test_id("review-reasons")).to_contain_text(
        "An incident that matches no condition was recorded"
    )
    expect(page.get_by_test_id("review-reasons")).to_contain_text(
        "The pattern of incidents has changed"
    )
    expect(page.get_by_text("No written agreements or statements of expectations")).to_be_visible()
    assert_accessible(page)

    # A statement of expectations with the family, with a wrong answer first.
    page.get_by_role("link", name="Add a written agreement or statement of expectations").click()
    expect_heading(page, "Add a written agreement or statement of expectations")
    assert_accessible(page)
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("Enter who the agreement is with")
    assert_accessible(page)
    page.get_by_label("Statement of expectations").check()
    page.get_by_label("Who is it with?").fill(AGREEMENT_WITH)
    fill_date(page, "Date it was agreed", timezone.localdate() - dt.timedelta(days=3))
    page.get_by_label("What does it say?").fill(AGREEMENT_SAYS)
    fill_date(page, "Date it will be reviewed", timezone.localdate() + dt.timedelta(days=90))
    save(page)
    expect(success_banner(page)).to_contain_text("Agreement added to the safety plan.")
    agreements = page.get_by_test_id("agreements").locator("tbody tr")
    expect(agreements).to_have_count(1)
    expect(agreements.first).to_contain_text(AGREEMENT_SAYS)
    expect(agreements.first).to_contain_text(AGREEMENT_WITH)
    assert_accessible(page)

    # The review asks whether the agreements are still right, and records the answer.
    page.get_by_role("link", name="Record a review of the safety plan").click()
    expect_heading(page, "Record a review of the safety plan")
    expect(page.get_by_role("checkbox")).to_be_checked()
    page.get_by_label("What changed in the plan?").fill("Handover arrangements confirmed.")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text(
        "Select whether the written agreements or statements of expectations are still right"
    )
    assert_accessible(page)
    page.get_by_label("No, they need to change").check()
    save(page)
    expect(success_banner(page)).to_contain_text("Safety plan review recorded.")
    expect(page.get_by_text("No reviews are due.")).to_be_visible()
    history = page.get_by_test_id("review-history").locator("tbody tr")
    expect(history.first).to_contain_text("No, they need to change")
    assert_accessible(page)
    review = SafetyReview.objects.get()
    assert review.agreements_still_right == "no"
    assert review.tasks.get().reasons.count() == 3
    assert SafetyAgreement.objects.get().says == AGREEMENT_SAYS
    assert breach.is_incident is False


@pytest.mark.browser
def test_my_cases_and_the_evidence_log_are_read_a_page_at_a_time(
    page, live_server, practitioner, case, sign_in, assert_accessible
):
    for n in range(26):
        other = CaseFactory()
        other.people.filter(role="victim_survivor").update(family_name=f"Zed{n:02}")
        CaseTeamMembershipFactory(case=other, user=practitioner, is_lead=True)
    EvidenceItemFactory.create_batch(EVIDENCE_LOG_PAGE + 2, case=case, created_by=practitioner)
    sign_in(page, live_server, practitioner)

    expect_heading(page, "My cases")
    expect(page.get_by_test_id("my-cases").locator("tbody tr")).to_have_count(25)
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(f"{live_server.url}/cases/?page=2")
    expect(page.get_by_text("Page 2 of 2", exact=True)).to_be_visible()
    expect(page.get_by_test_id("my-cases").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/cases/{case.pk}/evidence/?page=2")
    expect_heading(page, "Evidence log")
    expect(page.get_by_test_id("evidence-item")).to_have_count(2)
    expect(page.get_by_test_id("evidence-count")).to_have_text(
        f"{EVIDENCE_LOG_PAGE + 2} items, newest first: {EVIDENCE_LOG_PAGE + 1} to "
        f"{EVIDENCE_LOG_PAGE + 2}."
    )
    assert_accessible(page)
