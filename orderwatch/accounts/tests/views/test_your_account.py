"""Your account: your sessions, signing out everywhere else, and changing your password."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.models import UserSession
from orderwatch.accounts.tests.factories import TEST_PASSWORD, authenticator_code
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
CHROME_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Safari/537.36"
)
NEW_PASSWORD = "lantern-orchard-pebble-91"
ACCOUNT = reverse("accounts:account")
CHANGE = reverse("accounts:password-change")


def signed_in(user, user_agent: str = FIREFOX) -> Client:
    """Sign in through the real pages (password, then code), so the session is recorded."""
    client = Client(HTTP_USER_AGENT=user_agent)
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD})
    client.post(reverse("accounts:mfa-verify"), {"code": authenticator_code(user)})
    assert client.get(reverse("cases:list")).status_code == 200
    return client


def is_signed_out(client: Client) -> bool:
    response = client.get(reverse("cases:list"))
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign-in")
    )


def test_the_page_lists_where_you_are_signed_in_this_session_first(practitioner, colleague):
    signed_in(practitioner, CHROME_ON_WINDOWS)
    signed_in(colleague)  # someone else's session is not listed
    me = signed_in(practitioner)
    page = me.get(ACCOUNT)
    assert page.status_code == 200
    assert "<title>Your account – OrderWatch</title>" in page.text
    assert practitioner.email in page.text
    table = page.text.split('data-testid="sessions"')[1].split("</table>")[0]
    assert table.count('<tr class="govuk-table__row">') == 3  # header and two sessions
    assert table.index("Firefox on Linux") < table.index("Chrome on Windows")
    assert "This session" in table


def test_the_page_costs_the_same_queries_however_many_sessions(practitioner):
    me = signed_in(practitioner)
    with CaptureQueriesContext(connection) as one:
        me.get(ACCOUNT)
    for _ in range(3):
        signed_in(practitioner, CHROME_ON_WINDOWS)
    with CaptureQueriesContext(connection) as four:
        page = me.get(ACCOUNT)
    assert page.text.count("Chrome on Windows") == 3
    assert len(four) == len(one)


def test_signing_out_removes_the_session_from_the_list(practitioner):
    other = signed_in(practitioner)
    other.post(reverse("accounts:sign-out"))
    me = signed_in(practitioner, CHROME_ON_WINDOWS)
    assert "Firefox on Linux" not in me.get(ACCOUNT).text
    assert UserSession.objects.filter(user=practitioner).count() == 1


def test_sign_out_everywhere_else_keeps_only_this_session(practitioner):
    other = signed_in(practitioner, CHROME_ON_WINDOWS)
    me = signed_in(practitioner)

    response = me.post(reverse("accounts:sessions-end-others"))

    assert response["Location"] == ACCOUNT
    page = me.get(ACCOUNT)
    assert "You have been signed out everywhere else." in page.text
    assert "Chrome on Windows" not in page.text
    assert is_signed_out(other)
    assert not is_signed_out(me)
    assert AuditEvent.objects.get(verb=Verb.OTHER_SESSIONS_ENDED).payload == {"sessions": 1}


def test_changing_the_password_keeps_this_session_and_ends_the_others(practitioner):
    other = signed_in(practitioner, CHROME_ON_WINDOWS)
    me = signed_in(practitioner)

    response = me.post(
        CHANGE,
        {
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "code": authenticator_code(practitioner),
        },
    )

    assert response["Location"] == ACCOUNT
    assert "Your password has been changed." in me.get(ACCOUNT).text
    assert not is_signed_out(me)
    assert is_signed_out(other)
    practitioner.refresh_from_db()
    assert practitioner.check_password(NEW_PASSWORD)


def _post_change(client, user, **changes):
    data = {
        "current_password": TEST_PASSWORD,
        "new_password": NEW_PASSWORD,
        "code": authenticator_code(user),
        **changes,
    }
    return client.post(CHANGE, data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"current_password": ""}, "Enter your current password"),
        ({"new_password": ""}, "Enter a new password"),
        ({"code": ""}, "Enter the 6-digit code from your authenticator app"),
        ({"current_password": "not-my-password"}, "Your current password is not right"),
        ({"code": "000000"}, "The code is not right"),
        ({"new_password": "short-1"}, "Password must be 12 characters or more"),
        ({"new_password": "password1234"}, "on a list of common passwords"),
        ({"new_password": "938475629384"}, "not just numbers"),
        ({"new_password": TEST_PASSWORD}, "Enter a new password, not your current one"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(practitioner, changes, message):
    if changes.get("code") == "000000" and authenticator_code(practitioner) == "000000":
        changes["code"] = "111111"
    other = signed_in(practitioner, CHROME_ON_WINDOWS)
    me = signed_in(practitioner)

    response = _post_change(me, practitioner, **changes)

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert response.text.count("<title>Error: Change your password") == 1
    practitioner.refresh_from_db()
    assert practitioner.check_password(TEST_PASSWORD)
    assert not is_signed_out(other)
    assert not AuditEvent.objects.filter(verb=Verb.PASSWORD_CHANGED).exists()


def test_a_password_like_your_email_is_refused(practitioner):
    me = signed_in(practitioner)
    response = _post_change(me, practitioner, new_password=practitioner.email)
    assert "not like your email address or name" in response.text


def test_a_code_already_used_is_refused(practitioner):
    me = signed_in(practitioner)
    used = authenticator_code(practitioner)
    _post_change(me, practitioner, code=used, current_password="not-my-password")
    again = _post_change(me, practitioner, code=used)
    assert "The code is not right" in again.text
    practitioner.refresh_from_db()
    assert practitioner.check_password(TEST_PASSWORD)


def test_a_wrong_code_says_nothing_about_the_password(practitioner):
    """Someone at an open session without the phone cannot test passwords."""
    me = signed_in(practitioner)
    response = _post_change(me, practitioner, code="000000", current_password="a-guess")
    assert "Your current password is not right" not in response.text


def test_times_are_written_the_gov_uk_way_in_uk_time(practitioner, time_machine):
    time_machine.move_to(dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.UTC), tick=False)
    me = signed_in(practitioner)
    assert "1 July 2026 at 9:30am" in me.get(ACCOUNT).text
