"""The pattern panel on the case page, and the team manager's "Cases to look at"."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.orders.tests.factories import OrderFactory
from orderwatch.patterns.services import pattern_escalations_note

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("patterns:dashboard")


@pytest.fixture
def manager(idva_service):
    return UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER, display_name="Man Ager")


@pytest.fixture
def managed(client, manager):
    return sign_in_with_two_factor(client, manager)


def managed_case(manager, **breach_fields):
    """A case with an order, the manager on its team, and two breaches (one unreported)."""
    order = OrderFactory()
    CaseTeamMembershipFactory(case=order.case, user=manager)
    BreachFactory(case=order.case, **breach_fields)
    BreachFactory(
        case=order.case,
        police_reported=True,
        police_reported_on=timezone.localdate(),
        police_method="101",
        police_reference="NP-1",
        not_reported_reason="",
    )
    return order.case


def test_the_case_page_shows_the_prompt_and_the_incidents_behind_it(client, practitioner, order):
    BreachFactory.create_batch(2, case=order.case)
    response = sign_in_with_two_factor(client, practitioner).get(order.case.get_absolute_url())
    text = response.text
    assert "Pattern of incidents" in text
    assert "May be a course of conduct (harassment)" in text
    assert "This may amount to harassment, a separate offence" in text
    assert text.count('href="/cases/') >= 2
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text
    assert "Show the timeline as a table" in text


def test_a_case_with_no_incidents_says_so_without_a_chart(client, practitioner, order):
    response = sign_in_with_two_factor(client, practitioner).get(order.case.get_absolute_url())
    assert "No incidents yet." in response.text
    assert "<svg" not in response.text


def test_a_manager_sees_escalations_on_their_cases_only(managed, manager, practitioner):
    mine = managed_case(manager)
    pattern_escalations_note(actor=manager, case=mine)
    not_mine = OrderFactory().case
    CaseTeamMembershipFactory(case=not_mine, user=practitioner)
    BreachFactory.create_batch(2, case=not_mine)
    pattern_escalations_note(actor=practitioner, case=not_mine)
    text = managed.get(DASHBOARD).text
    assert mine.reference in text
    assert not_mine.reference not in text
    assert "May be a course of conduct (harassment)" in text


def test_the_manager_sees_whether_the_review_is_due_overdue_or_done(managed, manager):
    case = managed_case(manager)
    (escalation,) = pattern_escalations_note(actor=manager, case=case)
    review = escalation.review
    row = managed.get(DASHBOARD).text
    assert f"Due by {review.due_on:%-d %b %Y} (Man Ager)" in row
    assert "Overdue" not in row

    review.due_on = timezone.localdate() - dt.timedelta(days=1)
    review.save()
    assert "Overdue" in managed.get(DASHBOARD).text

    review.done_at, review.done_by = timezone.now(), manager
    review.save()
    assert f"Done {timezone.localdate():%-d %b %Y}" in managed.get(DASHBOARD).text


def test_escalations_older_than_30_days_drop_off(managed, manager):
    with time_machine.travel(timezone.now() - dt.timedelta(days=31)):
        old = managed_case(manager, happened_on=timezone.localdate())
        pattern_escalations_note(actor=manager, case=old)
    response = managed.get(DASHBOARD)
    assert "No pattern on your cases has changed in the last 30 days." in response.text
    assert old.reference in response.text  # still listed for its unreported breach


def test_cases_with_two_breaches_and_one_unreported_are_listed(managed, manager):
    case = managed_case(manager)
    reported = OrderFactory().case
    CaseTeamMembershipFactory(case=reported, user=manager)
    BreachFactory.create_batch(
        2,
        case=reported,
        police_reported=True,
        police_reported_on=timezone.localdate(),
        police_method="101",
        police_reference="NP-2",
        not_reported_reason="",
    )
    single = OrderFactory().case
    CaseTeamMembershipFactory(case=single, user=manager)
    BreachFactory(case=single)
    text = managed.get(DASHBOARD).text
    assert case.reference in text
    assert reported.reference not in text
    assert single.reference not in text


@pytest.mark.parametrize("role", [User.Role.PRACTITIONER, User.Role.AUDITOR])
def test_only_team_managers_have_the_dashboard(client, idva_service, role):
    user = UserFactory(agency=idva_service, role=role)
    signed_in = sign_in_with_two_factor(client, user)
    assert signed_in.get(DASHBOARD).status_code == 403
    assert "Cases to look at" not in signed_in.get(reverse("cases:list")).text


def test_the_manager_has_the_dashboard_in_the_menu(managed):
    assert 'href="/patterns/"' in managed.get(reverse("cases:list")).text


def test_dashboard_queries_stay_fixed_as_cases_grow(managed, manager, django_assert_num_queries):
    for _ in range(2):
        pattern_escalations_note(actor=manager, case=managed_case(manager))
    with CaptureQueriesContext(connection) as few:
        managed.get(DASHBOARD)
    for _ in range(8):
        pattern_escalations_note(actor=manager, case=managed_case(manager))
    with django_assert_num_queries(len(few.captured_queries)):
        response = managed.get(DASHBOARD)
    assert response.text.count('data-testid="escalations"') == 1
