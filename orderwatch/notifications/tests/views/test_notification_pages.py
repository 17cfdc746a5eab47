"""The notifications page, the unread count in the navigation, and opening one."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def _open_url(notification):
    return reverse("notifications:open", kwargs={"notification_id": notification.pk})


def _nav(text: str) -> str:
    return re.search(r'data-testid="nav-notifications">(.*?)</a>', text, re.S).group(1)


def test_the_navigation_shows_the_unread_count(signed_in, practitioner, case):
    assert _nav(signed_in.get(reverse("cases:list")).text) == "Notifications"
    NotificationFactory.create_batch(3, recipient=practitioner, case=case)
    nav = _nav(signed_in.get(reverse("cases:list")).text)
    assert "moj-notification-badge" in nav
    assert re.sub(r"<[^>]+>", "", nav) == "Notifications 3 unread"


def test_the_list_is_newest_first_with_unread_marked(signed_in, practitioner, case, time_machine):
    older = NotificationFactory(recipient=practitioner, case=case)
    time_machine.shift(dt.timedelta(minutes=5))
    newer = NotificationFactory(recipient=practitioner, case=case)
    text = signed_in.get(reverse("notifications:list")).text
    assert text.index(_open_url(newer)) < text.index(_open_url(older))
    assert text.count(">Unread</strong>") == 2
    assert f"A breach was recorded on case {case.reference}" in text
    assert "Mark all as read" in text


def test_with_no_notifications_the_page_says_so(signed_in):
    text = signed_in.get(reverse("notifications:list")).text
    assert "You have no notifications." in text
    assert "Mark all as read" not in text


def test_opening_one_marks_it_read_and_goes_to_its_record(signed_in, practitioner, case):
    notification = NotificationFactory(
        recipient=practitioner, case=case, link=f"/cases/{case.pk}/safety-plan/"
    )
    response = signed_in.get(_open_url(notification))
    assert response.url == f"/cases/{case.pk}/safety-plan/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    text = signed_in.get(reverse("notifications:list")).text
    assert ">Unread</strong>" not in text
    assert "Mark all as read" not in text


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "javascript:alert(1)",
        "cases/relative",
    ],
)
def test_a_link_that_is_not_a_local_path_goes_to_the_case_instead(
    signed_in, practitioner, case, link
):
    notification = NotificationFactory(recipient=practitioner, case=case, link=link)
    assert signed_in.get(_open_url(notification)).url == case.get_absolute_url()


def test_someone_elses_notification_is_404(client, practitioner, outsider, case):
    notification = NotificationFactory(recipient=practitioner, case=case)
    sign_in_with_two_factor(client, outsider)
    response = client.get(_open_url(notification))
    assert response.status_code == 404
    assert case.reference not in response.text
    notification.refresh_from_db()
    assert notification.read_at is None
    assert _open_url(notification) not in client.get(reverse("notifications:list")).text


def test_mark_all_as_read(signed_in, practitioner, case):
    NotificationFactory.create_batch(2, recipient=practitioner, case=case)
    url = reverse("notifications:mark-all-read")
    assert signed_in.get(url).status_code == 405
    response = signed_in.post(url, follow=True)
    assert "All notifications marked as read." in response.text
    assert _nav(response.text) == "Notifications"


def test_the_list_queries_do_not_grow_with_notifications(
    signed_in, practitioner, case, django_assert_num_queries
):
    NotificationFactory(recipient=practitioner, case=case)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("notifications:list"))
    for _ in range(10):
        other = CaseTeamMembershipFactory(user=practitioner).case
        NotificationFactory(recipient=practitioner, case=other)
    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(reverse("notifications:list"))
