"""Adding evidence in Chromium: the lead adds a photo, links it to a breach, marks it as an
incident and checks the log; then corrects one item and removes another, added by mistake.
Axe runs on every page visited.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.evidence.tests.factories import PNG, item_added
from tests.browser.pages import (
    expect_error_summary,
    expect_heading,
    fill_date,
    open_case,
    success_banner,
)

DESCRIPTION = "Photo of his car parked across the road from the house."


def choose(page: Page, legend: str, option: str) -> None:
    page.get_by_role("group", name=legend, exact=True).get_by_label(option, exact=True).check()


@pytest.mark.browser
def test_lead_adds_a_photo_links_it_to_a_breach_and_checks_the_log(
    page, live_server, practitioner, case, sign_in, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    breach = breach_record(actor=practitioner, case=case, account=breach_account())
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    sign_in(page, live_server, practitioner)
    open_case(page, case)
    page.get_by_role("link", name="Evidence log").click()
    expect_heading(page, "Evidence log")
    expect(page).to_have_title("Evidence – OrderWatch")
    expect(page.get_by_text("No evidence has been added yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add evidence").click()
    expect_heading(page, "Add evidence")
    assert_accessible(page)

    # Without a file, a photo is refused, and the answers given are kept.
    choose(page, "What kind of evidence is it?", "Photo")
    choose(page, "How precisely is it known when it happened?", "At about a time (approximate)")
    fill_date(page, "Date it happened", yesterday)
    page.get_by_label("Time it happened").fill("19:30")
    page.get_by_label("Describe the evidence").fill(DESCRIPTION)
    page.get_by_role("button", name="Add to the evidence log").click()
    expect_error_summary(page, "Select at least one file")
    expect(page.get_by_label("Describe the evidence")).to_have_value(DESCRIPTION)
    assert_accessible(page)

    page.get_by_label("Upload files").set_input_files(
        {"name": "IMG_2041.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_role("button", name="Add to the evidence log").click()
    expect_heading(page, "Photo")
    expect(page).to_have_title("Evidence item – OrderWatch")
    expect(success_banner(page)).to_contain_text("Evidence added to the log.")
    expect(page.get_by_text(DESCRIPTION)).to_be_visible()
    expect(page.get_by_role("link", name="Download IMG_2041.png")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Link to a breach").click()
    expect_heading(page, "Link evidence to a breach")
    assert_accessible(page)
    page.get_by_label(breach.occurrence.label(), exact=False).check()
    page.get_by_role("button", name="Link to the breach").click()
    expect(success_banner(page)).to_contain_text("Evidence linked to the breach.")
    expect(page.get_by_role("link", name=f"Incident: {breach.occurrence.label()}")).to_be_visible()
    assert_accessible(page)

    # Marking it as an incident: it is linked to the breach, so it is not counted twice.
    expect(page.get_by_test_id("incident-row")).to_contain_text("Not marked as an incident")
    page.get_by_role("link", name="Change whether it is an incident").click()
    expect_heading(page, "Is this an incident?")
    expect(page).to_have_title("Is this an incident? – Evidence – OrderWatch")
    expect(page.get_by_test_id("counted-as-breach")).to_contain_text("not twice")
    assert_accessible(page)
    choose(page, "Does this item record an incident?", "Yes")
    page.get_by_role("button", name="Save").click()
    expect_error_summary(
        page, "Select at least one kind of behaviour", "Select how serious it was, or Not rated"
    )
    expect(
        page.get_by_role("group", name="Does this item record an incident?").get_by_label("Yes")
    ).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Following or watching").check()
    choose(page, "How serious was it?", "Moderate")
    page.get_by_role("button", name="Save").click()
    expect_heading(page, "Photo")
    expect(success_banner(page)).to_contain_text("Evidence marked as an incident.")
    expect(page.get_by_test_id("incident-row")).to_contain_text(
        "Yes: Following or watching, Moderate"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Back to the evidence log").click()
    expect_heading(page, "Evidence log")
    item = page.get_by_test_id("evidence-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(DESCRIPTION)
    expect(item).to_contain_text(f"Incident: {breach.occurrence.label()}")
    expect(item.locator(".govuk-tag")).to_have_text("Incident")
    assert_accessible(page)

    page.get_by_role("button", name="Check the evidence log").click()
    expect_heading(page, "Evidence log check")
    expect(page.get_by_test_id("chain-intact")).to_contain_text("No inconsistencies found")
    assert_accessible(page)


@pytest.mark.browser
def test_lead_corrects_one_item_and_removes_another_and_the_records_stay(
    page, live_server, practitioner, case, sign_in, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    kept = item_added(actor=practitioner, case=case, description="Photo of the car.")
    mistake = item_added(actor=practitioner, case=case, description="Photo for another case.")
    sign_in(page, live_server, practitioner)

    page.goto(live_server.url + kept.get_absolute_url())
    page.get_by_role("link", name="Add a correction").click()
    expect_heading(page, "Correct an evidence item")
    assert_accessible(page)
    choose(page, "What kind of evidence is it?", "Note")
    choose(page, "How precisely is it known when it happened?", "On a known day, time not known")
    fill_date(page, "Date it happened", timezone.localdate())
    page.get_by_label("Describe the evidence").fill("The car in the photo is blue, not black.")
    page.get_by_role("button", name="Add the correction").click()
    expect(success_banner(page)).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + mistake.get_absolute_url())
    page.get_by_role("link", name="Remove").click()
    expect_heading(page, "Remove this evidence item?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove the item").click()
    expect_error_summary(page, "Enter why the item is being removed")
    assert_accessible(page)
    page.get_by_label("Why is it being removed?").fill("Added to the wrong case.")
    page.get_by_role("button", name="Remove the item").click()
    expect_heading(page, "Evidence log")
    expect(success_banner(page)).to_contain_text("The record of it stays in the log.")
    assert_accessible(page)
    expect(page.get_by_test_id("evidence-item")).to_have_count(3)
    expect(page.get_by_text("(removed)")).to_have_count(1)
    page.get_by_role("button", name="Check the evidence log").click()
    expect(page.get_by_test_id("chain-intact")).to_contain_text("No inconsistencies found")
