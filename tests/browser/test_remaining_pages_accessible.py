"""The pages no other journey reaches, in Chromium with axe-core (WCAG 2.2 A/AA): the first
protected address, an administrator's pages about one person, and the page a team manager uses
to choose a new lead for a case whose lead's account was deactivated."""

import pytest
from playwright.sync_api import expect

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.models import Case
from orderwatch.people.services import person_deactivate
from orderwatch.people.tests.factories import agency_admin
from tests.browser.pages import (
    enter_authenticator_code,
    expect_error_summary,
    expect_heading,
    open_case,
    success_banner,
)


@pytest.mark.browser
def test_the_lead_records_the_first_protected_address(
    page, live_server, practitioner, case, sign_in, assert_accessible
):
    Case.objects.filter(pk=case.pk).update(protected_address="")
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    page.get_by_role("link", name="Record the protected address").click()
    expect_heading(page, "Record the protected address")
    assert_accessible(page)
    page.get_by_role("button", name="Record the address").click()
    expect_error_summary(page, "Enter the address", "Enter why you are recording the address")
    assert_accessible(page)
    page.get_by_label("The victim-survivor's address").fill("4 Quiet Lane, Testtown")
    page.get_by_label("Why are you recording it?").fill("Needed for the police marker")
    enter_authenticator_code(page, practitioner)
    page.get_by_role("button", name="Record the address").click()
    expect(success_banner(page)).to_contain_text("The address is recorded")
    assert "4 Quiet Lane" not in page.content()


@pytest.mark.browser
def test_an_administrators_pages_about_one_person_and_the_new_lead_page(
    page, live_server, idva_service, practitioner, case, sign_in, assert_accessible
):
    admin = agency_admin(idva_service)
    sign_in(page, live_server, admin)
    base = f"{live_server.url}/people/{practitioner.pk}/"
    for path, heading in (
        ("", practitioner.display_name),
        ("role/", "Change their role"),
        ("deactivate/", "Deactivate this account?"),
    ):
        page.goto(base + path)
        expect_heading(page, heading)
        assert_accessible(page)

    manager = UserFactory(
        agency=idva_service, role=User.Role.TEAM_MANAGER, display_name="Tam Manager"
    )
    person_deactivate(actor=admin, person_id=practitioner.pk, reason="Left the service")
    page.goto(base + "reactivate/")
    expect_heading(page, "Reactivate this account?")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/cases/{case.pk}/new-lead-needed/")
    expect_heading(page, "A new lead is needed")
    assert_accessible(page)
