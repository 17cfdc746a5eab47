"""The calendar feed: references only, scoped to the owner's cases now, and a dead link is 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.calendar_feed.services import calendar_feed_create, calendar_feed_revoke
from orderwatch.cases.services import case_team_member_remove
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.orders.tests.factories import OrderFactory
from orderwatch.safety.services import safety_review_open
from orderwatch.tasks.models import Task
from orderwatch.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


@pytest.fixture
def token(practitioner):
    return calendar_feed_create(actor=practitioner)[1]


@pytest.fixture
def feed_url(token):
    return reverse("calendar_feed:feed", kwargs={"token": token})


@pytest.fixture
def busy_case(case, practitioner):
    """An order in force, a free-text task for the lead and a review for a colleague."""
    order = OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=40))
    TaskFactory(case=case, assignee=practitioner, title="Ring Given0 at 1 Test Street")
    colleague = CaseTeamMembershipFactory(case=case).user
    TaskFactory(case=case, assignee=colleague, kind=Task.Kind.SAFETY_REVIEW)
    TaskFactory(case=case, assignee=colleague, title="A colleague's own task")
    return order


def _events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_works_without_signing_in_and_is_never_cached(client, feed_url, busy_case):
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_the_feed_holds_due_tasks_order_ends_and_reviews_by_reference_only(
    client, feed_url, case, busy_case
):
    response = client.get(feed_url)
    summaries = sorted(str(e["summary"]) for e in _events(response))
    assert summaries == sorted(
        [
            f"Task – case {case.reference}",
            f"Order ends – case {case.reference}",
            f"Review the safety plan (for someone else on the team) – case {case.reference}",
        ]
    )
    ends = next(e for e in _events(response) if "Order ends" in str(e["summary"]))
    assert ends.decoded("dtstart") == busy_case.ends_on
    text = response.content.decode()
    # Never a name, an address, a free-text title or a detail of the order.
    for person in case.people.all():
        assert person.given_name not in text
        assert person.family_name not in text
    assert "Test Street" not in text
    assert "Ring" not in text
    assert busy_case.court not in text
    assert busy_case.court_reference not in text
    assert "Pat Lead" not in text
    assert "colleague" not in text


def test_ended_orders_and_done_tasks_are_left_out(client, feed_url, case, practitioner):
    OrderFactory(case=case, ends_on=TODAY - dt.timedelta(days=1))
    OrderFactory(case=case, ends_on=None, until_further_order=True)
    TaskFactory(case=case, assignee=practitioner, done_at=timezone.now(), done_by=practitioner)
    assert _events(client.get(feed_url)) == []


def test_another_users_cases_are_absent(client, feed_url, outsider):
    other = CaseTeamMembershipFactory(user=outsider, is_lead=True).case
    OrderFactory(case=other, ends_on=TODAY + dt.timedelta(days=10))
    TaskFactory(case=other, assignee=outsider)
    text = client.get(feed_url).content.decode()
    assert other.reference not in text
    assert _events(client.get(feed_url)) == []


def test_leaving_the_case_team_removes_the_case_from_the_feed_at_once(
    client, case, practitioner, busy_case, idva_service
):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    CaseTeamMembershipFactory(case=case, user=manager)
    _, token = calendar_feed_create(actor=practitioner)
    url = reverse("calendar_feed:feed", kwargs={"token": token})
    assert case.reference in client.get(url).content.decode()
    case_team_member_remove(
        actor=manager,
        case=case,
        user=practitioner,
        reason="Moved to another team",
        new_lead=manager,
    )
    assert case.reference not in client.get(url).content.decode()


def test_a_wrong_link_is_404(client, token):
    response = client.get(reverse("calendar_feed:feed", kwargs={"token": token[:-1] + "x"}))
    assert response.status_code == 404


def test_a_revoked_link_is_404(client, feed_url, practitioner, case):
    assert client.get(feed_url).status_code == 200
    calendar_feed_revoke(actor=practitioner)
    response = client.get(feed_url)
    assert response.status_code == 404
    assert case.reference not in response.text


def test_only_get_is_allowed(client, feed_url):
    assert client.post(feed_url).status_code == 405


def test_the_feed_queries_do_not_grow_with_the_data(
    client, feed_url, practitioner, case, django_assert_num_queries
):
    OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=30))
    TaskFactory(case=case, assignee=practitioner)
    with CaptureQueriesContext(connection) as few:
        client.get(feed_url)
    for _ in range(5):
        other = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
        OrderFactory(case=other, ends_on=TODAY + dt.timedelta(days=20))
        TaskFactory(case=other, assignee=practitioner)
        safety_review_open(actor=None, case=other, origin=Task.Origin.BREACH, origin_id=other.pk)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(feed_url)
    assert len(_events(response)) == 2 + 5 * 3


# The signed-in page ------------------------------------------------------------------------


def test_making_a_link_shows_it_once(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    assert "You do not have a calendar link." in client.get(reverse("calendar_feed:manage")).text
    response = client.post(reverse("calendar_feed:create"))
    assert response.status_code == 200
    assert "Your calendar link is ready" in response.text
    link = response.text.split('data-testid="feed-url"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert link.startswith("http://testserver/calendar/feed/")
    assert response["Cache-Control"].startswith("no-store")
    page = client.get(reverse("calendar_feed:manage")).text
    assert "You have a calendar link" in page
    assert link not in page
    client.logout()
    assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_revoking_from_the_page_makes_the_old_link_404(client, practitioner, feed_url):
    sign_in_with_two_factor(client, practitioner)
    response = client.post(reverse("calendar_feed:revoke"), follow=True)
    assert "Your calendar link has been revoked. It no longer works." in response.text
    assert "You do not have a calendar link." in response.text
    assert client.get(feed_url).status_code == 404


def test_my_cases_links_to_the_calendar_page(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    assert reverse("calendar_feed:manage") in client.get(reverse("cases:list")).text
