import datetime as dt
import time

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.tests.factories import TEST_PASSWORD, sign_in_with_two_factor
from orderwatch.cases.services import case_team_member_remove
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory

pytestmark = pytest.mark.django_db


def _signed_in_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign-in")
    )


def test_signing_in_gives_a_new_session_key(client, practitioner):
    client.get(reverse("accounts:sign-in"))
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    client.post(
        reverse("accounts:sign-in"), {"username": practitioner.email, "password": TEST_PASSWORD}
    )
    assert client.cookies["sessionid"].value != "attacker-chosen-session-id"


def test_idle_for_more_than_30_minutes_signs_you_out(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in_with_two_factor(client, practitioner)
        assert client.get(reverse("cases:list")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        assert _signed_in_redirect(client.get(reverse("cases:list")))


def test_frequent_page_views_keep_you_signed_in_past_the_idle_timeout(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in_with_two_factor(client, practitioner)
        for _ in range(60):  # a page every 45 seconds for 45 minutes
            traveller.shift(dt.timedelta(seconds=45))
            assert client.get(reverse("cases:list")).status_code == 200


def test_a_plain_page_view_does_not_write_the_session(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in_with_two_factor(client, practitioner)
        traveller.shift(dt.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:list")).status_code == 200
    session_writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]
    assert session_writes == []


def test_active_use_still_ends_after_10_hours(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        start = time.time()
        sign_in_with_two_factor(client, practitioner)
        for _ in range(30):  # a request every 25 minutes keeps the idle timer happy
            traveller.shift(dt.timedelta(minutes=25))
            response = client.get(reverse("cases:list"))
            if response.status_code != 200:
                break
        assert _signed_in_redirect(response)
        assert time.time() - start >= 10 * 60 * 60


def test_changing_the_password_ends_other_sessions(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    practitioner.set_password("a-brand-new-password-99")
    practitioner.save()
    assert _signed_in_redirect(client.get(reverse("cases:list")))


def test_removal_from_the_case_team_is_a_404_on_the_very_next_request(
    client, practitioner, case, idva_service
):
    from orderwatch.accounts.tests.factories import UserFactory

    colleague = UserFactory(agency=idva_service)
    CaseTeamMembershipFactory(case=case, user=colleague)
    url = reverse("cases:detail", kwargs={"case_id": case.pk})
    sign_in_with_two_factor(client, colleague)
    assert client.get(url).status_code == 200

    case_team_member_remove(actor=practitioner, case=case, user=colleague, reason="Case closed")
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:case-detail", kwargs={"case_id": case.pk})).status_code == 404


def test_session_cookie_is_http_only_and_same_site(client, practitioner):
    response = client.post(
        reverse("accounts:sign-in"), {"username": practitioner.email, "password": TEST_PASSWORD}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_other_browser_unaffected_by_sign_out_elsewhere_is_still_its_own_session(practitioner):
    first, second = Client(), Client()
    sign_in_with_two_factor(first, practitioner)
    sign_in_with_two_factor(second, practitioner)
    first.post(reverse("accounts:sign-out"))
    assert second.get(reverse("cases:list")).status_code == 200
