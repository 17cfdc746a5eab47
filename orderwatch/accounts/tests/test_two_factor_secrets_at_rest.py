"""Two-factor secrets at rest (issue 17, item 1; ADR 0024): an authenticator's secret is
encrypted with the field keys (and rotated with them), and recovery codes are kept only as
password hashes, so a copy of the database can neither make codes nor read recovery codes."""

import base64
import binascii
import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_otp.oath import TOTP

from orderwatch.accounts import mfa
from orderwatch.accounts.models import AuthenticatorApp, RecoveryCode
from orderwatch.accounts.tests.factories import UserFactory, authenticator_code
from orderwatch.confidential import cipher

BEFORE = [
    ("accounts", "0004_user_sessions_and_password_resets"),
    ("otp_totp", "0003_add_timestamps"),
    ("otp_static", "0003_add_timestamps"),
]


def _stored_key(device: AuthenticatorApp) -> str:
    """The `key` column as the database holds it, read without the model."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_authenticatorapp WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def _enrolled(user) -> tuple[AuthenticatorApp, list[str]]:
    device = mfa.mfa_enrolment_device(user=user)
    return mfa.mfa_enrolment_confirm(user=user, code=f"{TOTP(device.bin_key).token():06d}")


@pytest.mark.django_db
def test_the_authenticator_secret_is_stored_encrypted_and_still_makes_codes(idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    device, _ = _enrolled(user)
    secret = device.bin_key
    stored = _stored_key(device)

    assert binascii.hexlify(secret).decode() not in stored.lower()
    assert base64.b32encode(secret).decode().rstrip("=") not in stored.upper()
    assert cipher.decrypt(stored) == binascii.hexlify(secret).decode()
    assert mfa.mfa_verify(user=user, code=authenticator_code(user)) == device


@pytest.mark.django_db
def test_recovery_codes_are_stored_only_as_password_hashes(idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    _, codes = _enrolled(user)
    digests = list(
        RecoveryCode.objects.filter(code_set__user=user).values_list("digest", flat=True)
    )

    assert len(list(digests)) == len(set(codes)) == mfa.RECOVERY_CODE_COUNT
    for digest in digests:
        identify_hasher(digest)  # a Django password hash, with its salt
        assert not any(code in digest for code in codes)


@pytest.mark.django_db
def test_a_recovery_code_works_once_and_a_wrong_one_is_throttled(idva_service, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    user = UserFactory(agency=idva_service, authenticator=False)
    _, codes = _enrolled(user)

    assert mfa.mfa_verify(user=user, code=codes[0].upper()).name == "Recovery codes"
    assert RecoveryCode.objects.filter(code_set__user=user).count() == len(codes) - 1
    with pytest.raises(ValidationError, match="not right"):
        mfa.mfa_verify(user=user, code=codes[0])  # used up
    with pytest.raises(ValidationError, match="Wait a few seconds"):
        mfa.mfa_verify(user=user, code=codes[1])  # too soon after a wrong one
    time_machine.shift(dt.timedelta(seconds=3))
    assert mfa.mfa_verify(user=user, code=codes[1])


@pytest.mark.django_db
def test_rotating_the_field_keys_re_encrypts_authenticator_secrets(settings, idva_service):
    user = UserFactory(agency=idva_service)
    device = AuthenticatorApp.objects.get(user=user)
    secret, before = device.bin_key, _stored_key(device)

    old_key = settings.ORDERWATCH_FIELD_KEYS[0]
    settings.ORDERWATCH_FIELD_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_field_keys")
    settings.ORDERWATCH_FIELD_KEYS = settings.ORDERWATCH_FIELD_KEYS[:1]  # the old key retired

    after = _stored_key(device)
    assert after != before
    device.refresh_from_db()
    assert device.bin_key == secret
    assert mfa.mfa_verify(user=user, code=authenticator_code(user)) == device


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Serialized rollback, like every transactional test here (see the audit migration test).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_encrypts_existing_secrets_hashes_codes_and_reverses():
    user = UserFactory(authenticator=False)
    hex_key = "3132333435363738393031323334353637383930"  # RFC 6238's test secret
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        old.get_model("otp_totp", "TOTPDevice").objects.create(
            user_id=user.pk, name="Authenticator app", key=hex_key, last_t=7
        )
        recovery = old.get_model("otp_static", "StaticDevice").objects.create(
            user_id=user.pk, name="Recovery codes"
        )
        old.get_model("otp_static", "StaticToken").objects.create(device=recovery, token="abcd2345")
    finally:
        _migrate(latest)

    device = AuthenticatorApp.objects.get(user=user)
    assert (device.bin_key.hex(), device.last_t, device.confirmed) == (hex_key, 7, True)
    assert hex_key not in _stored_key(device)
    assert mfa.mfa_verify(user=user, code="abcd2345").name == "Recovery codes"

    try:
        reversed_apps = _migrate(BEFORE)
        keys = list(
            reversed_apps.get_model("otp_totp", "TOTPDevice").objects.values_list("key", "last_t")
        )
    finally:
        _migrate(latest)
    assert keys == [(hex_key, 7)]
