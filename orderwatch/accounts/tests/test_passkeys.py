"""Passkeys' server side (ADR 0025): creating one needs a signed-in, verified session that has
just entered a fresh code; using one is the second step after the password, only with the
user's own passkey, from the service's own origin and relying party, and each challenge once."""

import datetime as dt
from unittest.mock import ANY

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.passkey_pages import ADD_SESSION_KEY
from orderwatch.accounts.tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    authenticator_code,
    sign_in_with_two_factor,
)
from orderwatch.accounts.tests.soft_authenticator import SoftAuthenticator
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.people.services import person_authenticator_reset
from orderwatch.people.tests.factories import agency_admin

pytestmark = pytest.mark.django_db

CREATE_BEGIN = reverse("accounts:passkey-create-begin")
CREATE_COMPLETE = reverse("accounts:passkey-create-complete")
SIGN_IN_BEGIN = reverse("accounts:passkey-sign-in-begin")
SIGN_IN_COMPLETE = reverse("accounts:passkey-sign-in-complete")
EVIL_ORIGIN = "https://orderwatch.example.evil"


def post_json(client: Client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


def ready_to_add(client: Client, user, *, name: str = "Work laptop") -> Client:
    """Sign in with two factors and enter a fresh code on "Add a passkey"."""
    sign_in_with_two_factor(client, user)
    response = client.post(
        reverse("accounts:passkey-add"), {"name": name, "code": authenticator_code(user)}
    )
    assert response["Location"] == reverse("accounts:passkey-create")
    return client


def password_only(user) -> Client:
    """A client past the password, at the second step of signing in."""
    client = Client()
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD})
    return client


def is_verified(client: Client) -> bool:
    return client.get(reverse("cases:list")).status_code == 200


# Adding a passkey.


def test_a_fresh_code_then_the_browser_adds_a_named_passkey_audited(client, practitioner):
    ready_to_add(client, practitioner, name="Work laptop")
    authenticator = SoftAuthenticator()
    options = post_json(client, CREATE_BEGIN).json()
    assert options["rp"] == {"name": "OrderWatch", "id": "localhost"}
    assert options["user"]["name"] == practitioner.email

    response = post_json(client, CREATE_COMPLETE, authenticator.create(options))

    assert response.status_code == 200
    passkey = WebAuthnCredential.objects.get(user=practitioner)
    assert response.json() == {"id": passkey.pk}
    assert passkey.name == "Work laptop"
    assert bytes(passkey.credential_id) == authenticator.credential_id
    event = AuditEvent.objects.get(verb=Verb.PASSKEY_ADDED)
    assert event.actor == practitioner
    assert event.payload == {"passkey": passkey.pk, "notes": {"name": ANY}}
    assert event.notes.get(name="name").text == "Work laptop"
    # The fresh code is used up: another passkey needs another code.
    assert ADD_SESSION_KEY not in client.session
    assert post_json(client, CREATE_BEGIN).status_code == 403


def test_creating_needs_a_signed_in_session(client):
    for url in (CREATE_BEGIN, CREATE_COMPLETE):
        response = post_json(client, url)
        assert response.status_code == 403
        assert response.json()["code"] == "not_authenticated"
    assert not WebAuthnCredential.objects.exists()


def test_creating_needs_the_second_step_passed(practitioner):
    client = password_only(practitioner)
    for url in (CREATE_BEGIN, CREATE_COMPLETE):
        response = post_json(client, url)
        assert response.status_code == 403
        assert response.json()["code"] == "user_not_verified"


def test_creating_needs_the_second_step_even_without_an_authenticator(client):
    """Someone signed in with a password who has not set up an app yet cannot start here."""
    new_user = UserFactory(authenticator=False)
    client.force_login(new_user)
    response = post_json(client, CREATE_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "user_not_verified"


def test_creating_needs_a_fresh_code_not_just_a_verified_session(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    begin = post_json(client, CREATE_BEGIN)
    assert begin.status_code == 403
    assert begin.json()["code"] == "passkey_add_needs_code"
    complete = post_json(client, CREATE_COMPLETE, SoftAuthenticator().create({"challenge": "x"}))
    assert complete.status_code == 403
    assert not WebAuthnCredential.objects.exists()


def test_a_wrong_code_does_not_let_a_passkey_be_added(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    response = client.post(
        reverse("accounts:passkey-add"), {"name": "Work laptop", "code": "000000"}
    )
    assert "The code is not right" in response.text
    assert post_json(client, CREATE_BEGIN).status_code == 403


def test_the_code_goes_stale_after_ten_minutes(client, practitioner):
    ready_to_add(client, practitioner)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert post_json(client, CREATE_BEGIN).status_code == 403
        page = client.get(reverse("accounts:passkey-create"))
        assert page["Location"] == reverse("accounts:passkey-add")


def test_a_passkey_made_for_another_origin_is_refused(client, practitioner):
    ready_to_add(client, practitioner)
    options = post_json(client, CREATE_BEGIN).json()
    response = post_json(
        client, CREATE_COMPLETE, SoftAuthenticator().create(options, origin=EVIL_ORIGIN)
    )
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.PASSKEY_ADDED).exists()


def test_a_passkey_for_another_relying_party_is_refused(client, practitioner):
    ready_to_add(client, practitioner)
    options = post_json(client, CREATE_BEGIN).json()
    phished = SoftAuthenticator(rp_id="orderwatch.example.evil")
    assert post_json(client, CREATE_COMPLETE, phished.create(options)).status_code == 422
    assert not WebAuthnCredential.objects.exists()


def test_a_creation_challenge_is_used_once_even_when_refused(client, practitioner):
    ready_to_add(client, practitioner)
    authenticator = SoftAuthenticator()
    options = post_json(client, CREATE_BEGIN).json()
    refused = post_json(client, CREATE_COMPLETE, authenticator.create(options, origin=EVIL_ORIGIN))
    assert refused.status_code == 422
    replayed = post_json(client, CREATE_COMPLETE, authenticator.create(options))
    assert replayed.status_code == 400
    assert replayed.json()["code"] == "invalid_state"
    assert not WebAuthnCredential.objects.exists()


def test_a_diary_account_cannot_add_a_passkey(client, case):
    diary_user = DiaryAccessFactory(case=case).user
    client.force_login(diary_user)
    assert post_json(client, CREATE_BEGIN).status_code == 404
    assert client.get(reverse("accounts:passkey-add")).status_code == 404


# Using a passkey at sign-in.


def sign_in_options(client: Client) -> dict:
    response = post_json(client, SIGN_IN_BEGIN)
    assert response.status_code == 200
    return response.json()


def test_a_passkey_passes_the_second_step_with_a_new_session_key(practitioner):
    authenticator = SoftAuthenticator()
    passkey = authenticator.passkey_for(practitioner)
    client = password_only(practitioner)
    assert not is_verified(client)
    key_before_passkey = client.session.session_key
    options = sign_in_options(client)
    assert options["rpId"] == "localhost"
    assert [c["id"] for c in options["allowCredentials"]] == [authenticator.id]

    response = post_json(
        client,
        f"{SIGN_IN_COMPLETE}?next=/notifications/",
        authenticator.get(options),
    )

    assert response.status_code == 200
    assert response.json() == {"id": passkey.pk, "redirect_url": "/notifications/"}
    assert is_verified(client)  # the two-factor middleware counts the passkey
    assert client.session.session_key != key_before_passkey
    event = AuditEvent.objects.get(verb=Verb.MFA_VERIFIED)
    assert event.actor == practitioner
    assert event.payload == {"method": "passkey", "passkey": passkey.pk}
    passkey.refresh_from_db()
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None


def test_next_off_the_site_goes_to_my_cases_instead(practitioner):
    authenticator = SoftAuthenticator()
    authenticator.passkey_for(practitioner)
    for target in ("https://evil.example/", "//evil.example/", "0", "-1", ""):
        client = password_only(practitioner)
        options = sign_in_options(client)
        response = post_json(
            client, f"{SIGN_IN_COMPLETE}?next={target}", authenticator.get(options)
        )
        assert response.status_code == 200
        assert response.json()["redirect_url"] == reverse("cases:list"), target


def test_using_a_passkey_needs_the_password_first(client, practitioner):
    SoftAuthenticator().passkey_for(practitioner)
    for url in (SIGN_IN_BEGIN, SIGN_IN_COMPLETE):
        response = post_json(client, url)
        assert response.status_code == 403
        assert response.json()["code"] == "not_authenticated"


def test_the_endpoints_need_the_pages_csrf_token(practitioner):
    SoftAuthenticator().passkey_for(practitioner)
    client = password_only(practitioner)
    client.handler.enforce_csrf_checks = True
    assert post_json(client, SIGN_IN_BEGIN).status_code == 403
    token = client.cookies["csrftoken"].value
    response = client.post(
        SIGN_IN_BEGIN, {}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_someone_without_a_passkey_is_told_to_use_the_code(practitioner):
    client = password_only(practitioner)
    response = post_json(client, SIGN_IN_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "no_passkey"


def test_a_passkey_answered_for_another_origin_is_refused(practitioner):
    authenticator = SoftAuthenticator()
    authenticator.passkey_for(practitioner)
    client = password_only(practitioner)
    options = sign_in_options(client)
    response = post_json(client, SIGN_IN_COMPLETE, authenticator.get(options, origin=EVIL_ORIGIN))
    assert response.status_code == 422
    assert not is_verified(client)
    assert not AuditEvent.objects.filter(verb=Verb.MFA_VERIFIED).exists()


def test_a_replayed_passkey_answer_is_refused(practitioner):
    authenticator = SoftAuthenticator()
    authenticator.passkey_for(practitioner)
    client = password_only(practitioner)
    options = sign_in_options(client)
    answer = authenticator.get(options)
    stolen = password_only(practitioner)  # another browser, past the password
    # The same answer for a challenge that browser was not given.
    sign_in_options(stolen)
    refused = post_json(stolen, SIGN_IN_COMPLETE, answer)
    assert refused.status_code == 422
    assert not is_verified(stolen)
    # Used once by its own browser, then not again.
    assert post_json(client, SIGN_IN_COMPLETE, answer).status_code == 200
    replayed = post_json(client, SIGN_IN_COMPLETE, answer)
    assert replayed.status_code == 400
    assert replayed.json()["code"] == "invalid_state"


def test_another_users_passkey_is_refused(practitioner, outsider):
    SoftAuthenticator().passkey_for(practitioner)
    theirs = SoftAuthenticator()
    theirs.passkey_for(outsider)
    client = password_only(practitioner)
    options = sign_in_options(client)
    response = post_json(client, SIGN_IN_COMPLETE, theirs.get(options))
    assert response.status_code == 403
    assert response.json()["code"] == "credential_user_mismatch"
    assert not is_verified(client)


def test_a_removed_passkey_is_refused_and_the_code_still_works(practitioner):
    authenticator = SoftAuthenticator()
    authenticator.passkey_for(practitioner)
    SoftAuthenticator().passkey_for(practitioner, name="Security key")
    client = password_only(practitioner)
    options = sign_in_options(client)
    WebAuthnCredential.objects.filter(credential_id=authenticator.credential_id).delete()
    response = post_json(client, SIGN_IN_COMPLETE, authenticator.get(options))
    assert response.status_code == 404
    assert not is_verified(client)
    client.post(reverse("accounts:mfa-verify"), {"code": authenticator_code(practitioner)})
    assert is_verified(client)


def test_a_diary_account_cannot_use_a_passkey(client, case):
    diary_user = DiaryAccessFactory(case=case).user
    SoftAuthenticator().passkey_for(diary_user)
    client.force_login(diary_user)
    assert post_json(client, SIGN_IN_BEGIN).status_code == 404


def test_a_deactivated_passkey_owner_is_signed_out_not_verified(practitioner):
    authenticator = SoftAuthenticator()
    authenticator.passkey_for(practitioner)
    client = password_only(practitioner)
    options = sign_in_options(client)
    practitioner.is_active = False
    practitioner.save(update_fields=["is_active"])
    response = post_json(client, SIGN_IN_COMPLETE, authenticator.get(options))
    assert response.status_code == 403  # no longer signed in at all
    assert not is_verified(client)


def test_one_user_may_have_several_passkeys_and_each_works(practitioner):
    laptop, key = SoftAuthenticator(), SoftAuthenticator()
    laptop.passkey_for(practitioner, name="Laptop")
    key.passkey_for(practitioner, name="Security key")
    for authenticator in (laptop, key):
        client = password_only(practitioner)
        options = sign_in_options(client)
        assert len(options["allowCredentials"]) == 2
        assert post_json(client, SIGN_IN_COMPLETE, authenticator.get(options)).status_code == 200
        assert is_verified(client)


def test_the_options_name_only_the_users_own_passkeys(outsider):
    SoftAuthenticator().passkey_for(UserFactory())
    theirs = SoftAuthenticator()
    theirs.passkey_for(outsider)
    client = password_only(outsider)
    options = sign_in_options(client)
    assert [c["id"] for c in options["allowCredentials"]] == [theirs.id]


def test_an_administrators_reset_removes_the_persons_passkeys_too(idva_service, practitioner):
    """A lost phone may hold the passkey too: the reset leaves no second factor behind."""
    admin = agency_admin(idva_service)
    SoftAuthenticator().passkey_for(practitioner)
    person_authenticator_reset(
        actor=admin,
        person_id=practitioner.pk,
        reason="Lost their phone",
        step_up=mfa_step_up(user=admin, code=authenticator_code(admin)),
    )
    assert not WebAuthnCredential.objects.filter(user=practitioner).exists()
