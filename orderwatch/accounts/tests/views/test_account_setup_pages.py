"""Setting up a new account from its emailed link: once, for 72 hours, then an authenticator."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.services.passwords import password_reset_request
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.people.services import person_create, person_deactivate, person_setup_link_renew
from orderwatch.people.tests.factories import agency_admin

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:account-setup")
NEW_PASSWORD = "lantern-orchard-pebble-91"


@pytest.fixture
def admin(police):
    return agency_admin(police)


@pytest.fixture
def link(admin) -> str:
    """Make an account as its administrator; return the path of the emailed set-up link."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        person_create(
            actor=admin,
            display_name="Nia Newcomer",
            email="nia@police.example",
            role="practitioner",
        )
    return emailed_link()


def emailed_link() -> str:
    body = mail.outbox[-1].body
    return next(w for w in body.split() if "/set-up/" in w).removeprefix("https://orderwatch.test")


def newcomer() -> User:
    return User.objects.get(email="nia@police.example")


def not_usable(response) -> bool:
    return response.status_code == 404 and "This link no longer works" in response.text


def test_the_link_leaves_the_address_bar_then_a_password_then_the_authenticator(client, link):
    response = client.get(link)
    assert response["Location"] == SETUP  # the token is kept in the session, not the address
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Choose a password" in page.text
    assert "nia@police.example" not in page.text.split("<title>")[1].split("</title>")[0]

    response = client.post(SETUP, {"new_password": NEW_PASSWORD})

    assert response["Location"] == reverse("accounts:mfa-setup")
    assert newcomer().check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(verb=Verb.ACCOUNT_SET_UP, actor=newcomer()).count() == 1
    # Signed in, with the first authenticator set-up next (and nothing else until it is done).
    assert client.get(reverse("accounts:mfa-setup")).status_code == 200
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:mfa-verify"))


def test_a_used_link_no_longer_works(client, link):
    client.get(link)
    client.post(SETUP, {"new_password": NEW_PASSWORD})
    password = newcomer().password

    assert not_usable(Client().get(link))
    assert newcomer().password == password


def test_an_expired_link_changes_nothing(client, link, time_machine):
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=72, minutes=1))
    assert not_usable(client.get(link))
    assert not newcomer().has_usable_password()


def test_a_link_expiring_while_the_form_is_open_changes_nothing(client, link, time_machine):
    client.get(link)
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=73))
    assert not_usable(client.post(SETUP, {"new_password": NEW_PASSWORD}))
    assert not newcomer().has_usable_password()


def test_the_link_works_for_the_hours_set(client, link, time_machine, settings):
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=71))
    assert client.get(link)["Location"] == SETUP


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link[:-3] + ("aaa/" if not link.endswith("aaa/") else "bbb/"),
        lambda link: link.replace("/set-up/", "/set-up/x"),
    ],
)
def test_a_tampered_link_changes_nothing(client, link, tamper):
    assert not_usable(client.get(tamper(link)))
    assert not_usable(client.get(SETUP))
    assert not newcomer().has_usable_password()


def test_a_password_reset_link_is_not_a_set_up_link(client, link):
    reset_style = link.replace("/set-up/", "/password-reset/")
    assert client.get(reset_style).status_code == 404
    assert not newcomer().has_usable_password()


def test_a_new_link_voids_the_first(client, admin, link):
    with TestCase.captureOnCommitCallbacks(execute=True):
        person_setup_link_renew(actor=admin, person_id=newcomer().pk)
    assert not_usable(client.get(link))
    assert Client().get(emailed_link())["Location"] == SETUP


def test_deactivating_the_account_voids_the_link(client, admin, link):
    person_deactivate(actor=admin, person_id=newcomer().pk, reason="Made by mistake")
    assert not_usable(client.get(link))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password1234", "this one is on a list of common passwords"),
        ("short", "Password must be"),
        ("", "Enter a new password"),
    ],
)
def test_a_password_against_the_rules_is_refused_and_nothing_changes(
    client, link, password, message
):
    client.get(link)
    response = client.post(SETUP, {"new_password": password})
    assert response.status_code == 200
    assert message in response.text
    assert "govuk-error-summary" in response.text
    assert not newcomer().has_usable_password()
    # The link still works for a better password.
    assert client.post(SETUP, {"new_password": NEW_PASSWORD})["Location"] == reverse(
        "accounts:mfa-setup"
    )


def test_a_set_up_account_cannot_be_emailed_a_password_reset_before_it_is_set_up(link):
    with TestCase.captureOnCommitCallbacks(execute=True):
        password_reset_request(email="nia@police.example", client_address="192.0.2.9")
    assert len(mail.outbox) == 1  # only the set-up email
