"""A second step to signing in to the diary: the victim-survivor's choice, named "Notes"."""

import datetime as dt

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import AuthenticatorApp
from orderwatch.accounts.tests.factories import TEST_PASSWORD, authenticator_code
from orderwatch.diary.tests.factories import DiaryAccessFactory, code_for

pytestmark = pytest.mark.django_db


def test_setting_up_a_second_step_gives_recovery_codes_and_names_the_app_entry_notes(client, case):
    keeper = DiaryAccessFactory(case=case).user
    client.force_login(keeper)
    page = client.get(reverse("diary:second-step"))
    assert page.status_code == 200
    device = AuthenticatorApp.objects.get(user=keeper, confirmed=False)
    assert "issuer=Notes" in device.config_url
    assert "OrderWatch" not in device.config_url

    done = client.post(reverse("diary:second-step"), {"code": code_for(device)})
    assert done.status_code == 200
    assert b"Your second step is set up" in done.content
    assert done.content.count(b"<li><code>") == 10
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_sets_nothing_up(client, case):
    keeper = DiaryAccessFactory(case=case).user
    client.force_login(keeper)
    client.get(reverse("diary:second-step"))
    wrong = client.post(reverse("diary:second-step"), {"code": "000000"})
    assert wrong.status_code == 200
    assert b"There is a problem" in wrong.content
    assert not AuthenticatorApp.objects.filter(user=keeper, confirmed=True).exists()


def test_once_chosen_the_diary_asks_for_the_code_after_the_password(client, case):
    keeper = DiaryAccessFactory(case=case, user__authenticator=True).user
    response = client.post(
        reverse("diary:sign-in"), {"username": keeper.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("diary:home")
    assert client.get(reverse("diary:home"))["Location"] == reverse("diary:code")
    assert client.get(reverse("diary:add"))["Location"] == reverse("diary:code")
    client.post(reverse("diary:code"), {"code": authenticator_code(keeper)})
    assert client.get(reverse("diary:home")).status_code == 200


def test_without_a_second_step_the_code_page_is_not_in_the_way(client, case):
    keeper = DiaryAccessFactory(case=case).user
    client.force_login(keeper)
    assert client.get(reverse("diary:code"))["Location"] == reverse("diary:home")
    assert client.get(reverse("diary:home")).status_code == 200


def test_professionals_authenticators_keep_the_service_name(practitioner):
    device = AuthenticatorApp.objects.get(user=practitioner)
    assert "issuer=OrderWatch" in device.config_url


def test_replacing_a_diary_second_step_needs_a_code_from_the_current_one(client, case):
    keeper = DiaryAccessFactory(case=case, user__authenticator=True).user
    client.force_login(keeper)
    client.post(reverse("diary:code"), {"code": authenticator_code(keeper)})
    page = client.get(reverse("diary:second-step"))
    assert b"Change your second step" in page.content
    assert b"data:image/svg+xml" not in page.content
    wrong = client.post(
        reverse("diary:second-step"), {"current_code": "not-a-code", "password": TEST_PASSWORD}
    )
    assert b"The code is not right" in wrong.content
    assert AuthenticatorApp.objects.filter(user=keeper).count() == 1

    proven = client.post(
        reverse("diary:second-step"),
        {"current_code": authenticator_code(keeper), "password": TEST_PASSWORD},
    )
    assert proven["Location"] == reverse("diary:second-step")
    assert b"data:image/svg+xml" in client.get(reverse("diary:second-step")).content


def test_replacing_a_diary_second_step_needs_the_password_too(client, case, time_machine):
    """Issue 17: a diary's open session is not enough even with a code (ADR 0024)."""
    time_machine.move_to(timezone.now(), tick=False)
    url = reverse("diary:second-step")
    keeper = DiaryAccessFactory(case=case, user__authenticator=True).user
    client.force_login(keeper)
    client.post(reverse("diary:code"), {"code": authenticator_code(keeper)})
    assert b"Your password" in client.get(url).content
    code = authenticator_code(keeper)

    no_password = client.post(url, {"current_code": code})
    wrong_password = client.post(url, {"current_code": code, "password": "not-the-password"})

    assert b"Enter your password" in no_password.content
    assert b"The password is not right" in wrong_password.content
    assert b"data:image/svg+xml" not in client.get(url).content
    # A wrong password counts as a wrong code does, so it cannot be guessed at speed.
    too_soon = client.post(url, {"current_code": code, "password": TEST_PASSWORD})
    assert b"Wait a few seconds" in too_soon.content
    time_machine.shift(dt.timedelta(seconds=5))
    proven = client.post(url, {"current_code": code, "password": TEST_PASSWORD})
    assert proven["Location"] == url


def test_a_replaced_diary_second_step_is_emailed_without_naming_the_service(client, case):
    keeper = DiaryAccessFactory(case=case, user__authenticator=True).user
    client.force_login(keeper)
    client.post(reverse("diary:code"), {"code": authenticator_code(keeper)})
    url = reverse("diary:second-step")
    client.post(url, {"current_code": authenticator_code(keeper), "password": TEST_PASSWORD})
    client.get(url)
    new = AuthenticatorApp.objects.get(user=keeper, confirmed=False)

    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(url, {"code": code_for(new)})

    assert b"Your second step is set up" in done.content
    [email] = mail.outbox
    assert email.to == [keeper.email]
    assert "notes" in email.subject
    assert "OrderWatch" not in email.subject + email.body
