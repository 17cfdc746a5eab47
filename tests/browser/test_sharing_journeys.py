"""Who needs to know, in Chromium, with axe on every page visited.

The lead adds the school's safeguarding lead as an external contact, records that the order
summary was shared with them, why, and without the protected address, and sees them turn to
"Informed"; after the order is varied they turn to "Needs updating" and a task says so.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.pages import (
    choose,
    expect_error_summary,
    expect_heading,
    fill_date,
    group,
    open_case,
    success_banner,
)

NAME = "Sam Teacher"
CONTACT = "dsl@oakfield.example, 01632 960123"
PROTECTED_ADDRESS = "1 Test Street"  # CaseFactory's address
PURPOSE = "So the school knows who may not collect the children at home time"


def school_row(page: Page):
    return page.get_by_test_id("party").filter(has_text=NAME)


@pytest.mark.browser
def test_lead_tells_the_school_then_sees_it_needs_updating_after_a_variation(
    page, live_server, practitioner, case, order, sign_in, assert_accessible
):
    today = timezone.localdate()
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    section = page.get_by_test_id("sharing-outstanding")
    expect(section).to_contain_text("No one has been added yet")
    assert_accessible(page)

    page.get_by_role("link", name="Go to who needs to know and the sharing log").click()
    expect_heading(page, "Who needs to know")
    expect(page).to_have_title(f"Who needs to know – case {case.reference} – OrderWatch")
    assert_accessible(page)

    # Add the school's safeguarding lead, after a first try that leaves out the organisation.
    page.get_by_role("link", name="Add someone who needs to know").click()
    expect_heading(page, "Add someone who needs to know")
    assert_accessible(page)
    choose(page, "What kind of service are they from?", "School or nursery")
    page.get_by_label("Their name").fill(NAME)
    page.get_by_label("Their role (optional)").fill("Designated safeguarding lead")
    page.get_by_label("Secure contact details (optional)").fill(CONTACT)
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter the organisation they work for")
    expect(page.get_by_label("Their name")).to_have_value(NAME)
    assert_accessible(page)
    page.get_by_label("Organisation").fill("Oakfield Primary School")
    page.get_by_role("button", name="Save").click()

    expect_heading(page, "Who needs to know")
    expect(success_banner(page)).to_contain_text("Added to who needs to know")
    expect(school_row(page).get_by_test_id("party-state")).to_have_text("Not yet informed")
    expect(page.locator("main")).not_to_contain_text(CONTACT)
    assert_accessible(page)

    # Record that the order summary was shared with them, without the address.
    school_row(page).get_by_role("link", name=f"Record a share with {NAME}").click()
    expect_heading(page, "Record a share")
    expect(group(page, "Who did you share it with?").get_by_role("radio")).to_be_checked()
    address = group(page, "Did you include the protected address?")
    expect(address.get_by_label("No", exact=True)).to_be_checked()
    assert_accessible(page)
    group(page, "What did you share?").get_by_label("Order summary", exact=True).check()
    fill_date(page, "Date you shared it", today)
    choose(page, "How did you share it?", "Secure email")
    choose(
        page,
        "What was the lawful basis for sharing?",
        re.compile(r"^Safeguarding: Data Protection Act 2018, Schedule 1, paragraph 18"),
    )
    choose(page, "Did you tell them what to do if the order is breached?", "Yes")
    page.get_by_role("button", name="Save the share").click()
    expect_error_summary(page, "Enter why you shared it")
    assert_accessible(page)
    page.get_by_label("Why did you share it?").fill(PURPOSE)
    page.get_by_role("button", name="Save the share").click()

    expect_heading(page, "Who needs to know")
    expect(success_banner(page)).to_contain_text("Sharing recorded")
    expect(school_row(page).get_by_test_id("party-state")).to_have_text("Informed")
    log = page.get_by_test_id("sharing-log")
    expect(log.locator("tbody tr")).to_have_count(1)
    expect(log).to_contain_text("Order summary")
    expect(log).to_contain_text("Secure email")
    expect(log).to_contain_text("Not included")
    expect(log).to_contain_text(PURPOSE)
    expect(page.locator("main")).not_to_contain_text(PROTECTED_ADDRESS)
    assert_accessible(page)

    page.get_by_role("link", name="Back to case").click()
    expect(page.get_by_test_id("sharing-outstanding")).to_contain_text(
        "Everyone on the list has been told about the latest changes"
    )
    assert_accessible(page)

    # The court varies the order: the school needs updating.
    page.get_by_role("link", name=order.order_type.name, exact=True).click()
    page.get_by_role("link", name="Record a variation, extension or discharge").click()
    expect_heading(page, "Record a variation, extension or discharge")
    assert_accessible(page)
    page.get_by_label("Varied", exact=True).check()
    fill_date(page, "Date the court made the change", today)
    page.get_by_label("What changed").fill("The exclusion zone now includes the school gates.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(success_banner(page)).to_contain_text("Change recorded.")
    expect(page.get_by_test_id("who-needs-to-know-prompt")).to_contain_text(
        "1 of 1 still to be told about this order, or about its latest changes."
    )
    assert_accessible(page)

    page.goto(case.get_absolute_url())
    expect_heading(page, case.reference)
    section = page.get_by_test_id("sharing-outstanding")
    expect(section).to_contain_text("1 of 1 still to be told")
    expect(page.locator("#sharing ~ table").first).to_contain_text("Needs updating")
    assert_accessible(page)

    page.get_by_role("link", name="Go to who needs to know and the sharing log").click()
    expect(school_row(page).get_by_test_id("party-state")).to_have_text("Needs updating")
    assert_accessible(page)

    # The update is in the lead's tasks, and leads back to the list.
    page.get_by_role("link", name="My cases").click()
    tasks = page.get_by_test_id("my-tasks")
    expect(tasks).to_contain_text(case.reference)
    expect(tasks).not_to_contain_text(NAME)
    assert_accessible(page)
    tasks.get_by_role("link", name=re.compile("^Update someone who needs to know")).click()
    expect_heading(page, "Who needs to know")
