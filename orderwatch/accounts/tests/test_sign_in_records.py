"""Sign-in records hold only what throttling needs, and not for long (ADR 0026): no address or
browser of a victim-survivor anywhere, lockout records and sessions gone after the retention."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import UserSession
from orderwatch.accounts.tests.factories import TEST_PASSWORD
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.diary.tests.factories import DiaryAccessFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CLIENT = "203.0.113.7"


@pytest.fixture
def keeper(case):
    user = DiaryAccessFactory(case=case).user
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


def diary_sign_in(client, email: str, password: str):
    return client.post(
        reverse("diary:sign-in"),
        {"username": email, "password": password},
        REMOTE_ADDR=CLIENT,
        HTTP_USER_AGENT=BROWSER,
    )


def test_a_failed_sign_in_keeps_neither_the_address_nor_the_browser(client, keeper):
    diary_sign_in(client, keeper.email, "wrong-password-123")
    diary_sign_in(client, keeper.email, "wrong-password-123")
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.failures_since_start == 2
    assert attempt.user_agent == ""
    assert attempt.ip_address != CLIENT
    assert attempt.ip_address.startswith("2001:db8:")  # a keyed hash, written as an address
    assert CLIENT not in str(AccessAttempt.objects.values().get())


def test_a_diary_sign_in_records_no_address_or_browser_anywhere(client, keeper):
    assert diary_sign_in(client, keeper.email, TEST_PASSWORD).status_code == 302
    assert not AccessLog.objects.exists()
    assert UserSession.objects.get(user=keeper).device == ""
    assert AuditEvent.objects.get(verb=Verb.SIGNED_IN, actor=keeper).origin_ip is None


def test_a_professionals_sign_in_still_shows_their_device_and_origin(client, practitioner):
    client.post(
        reverse("accounts:sign-in"),
        {"username": practitioner.email, "password": TEST_PASSWORD},
        REMOTE_ADDR=CLIENT,
        HTTP_USER_AGENT=BROWSER,
    )
    assert UserSession.objects.get(user=practitioner).device == "Firefox on Linux"
    assert AuditEvent.objects.get(verb=Verb.SIGNED_IN, actor=practitioner).origin_ip == CLIENT
    assert not AccessLog.objects.exists()


def test_old_sign_in_records_are_purged_and_the_purge_is_safe_to_re_run(
    client, practitioner, keeper, settings, time_machine
):
    settings.ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS = 30
    start = timezone.now()
    diary_sign_in(client, keeper.email, "wrong-password-123")
    client.post(
        reverse("accounts:sign-in"), {"username": practitioner.email, "password": TEST_PASSWORD}
    )
    AccessLog.objects.create(username=keeper.email, ip_address=CLIENT, user_agent=BROWSER)
    time_machine.move_to(start + dt.timedelta(days=29), tick=False)
    # A failed sign-in clears failures older than the cool-off itself: make one without it.
    AccessAttempt.objects.create(
        username="someone-else@mail.example",
        ip_address="2001:db8::1",
        user_agent="",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/notes/sign-in/",
        failures_since_start=1,
    )
    time_machine.move_to(start + dt.timedelta(days=31), tick=False)

    call_command("purge_sign_in_records")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "someone-else@mail.example"
    ]
    assert not UserSession.objects.exists()
    assert not AccessLog.objects.exists()
    call_command("purge_sign_in_records")  # again: nothing more to do, nothing fails
    assert AccessAttempt.objects.count() == 1


def test_a_lockout_in_force_outlives_a_retention_set_too_short(client, keeper, settings):
    settings.ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS = 0
    for _ in range(5):
        diary_sign_in(client, keeper.email, "wrong-password-123")
    call_command("purge_sign_in_records")
    assert diary_sign_in(client, keeper.email, TEST_PASSWORD).status_code == 429
