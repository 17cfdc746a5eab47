"""Authenticator secrets encrypted with the field keys, recovery codes kept only as hashes
(ADR 0024): every existing django-otp device moved into the new tables.

Reversing decrypts the secrets back into django-otp's table; recovery codes cannot be read
back from their hashes, so reversing leaves people without them (replacing the authenticator
makes new ones). Sessions verified with an old device are asked for a code again.
"""

from django.contrib.auth.hashers import make_password
from django.db import migrations

from orderwatch.confidential.fields import Confidential

DEVICE_FIELDS = [
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
]
AUTHENTICATOR_FIELDS = [*DEVICE_FIELDS, "step", "t0", "digits", "tolerance", "drift", "last_t"]


def _copy(source, target_model, names: list[str], **extra):
    made = target_model.objects.create(**{n: getattr(source, n) for n in names}, **extra)
    # `created_at` is set on insert (auto_now_add), so it is put back afterwards.
    target_model.objects.filter(pk=made.pk).update(created_at=source.created_at)
    return made


def encrypt_secrets_and_hash_codes(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    AuthenticatorApp = apps.get_model("accounts", "AuthenticatorApp")
    RecoveryCodeSet = apps.get_model("accounts", "RecoveryCodeSet")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for device in TOTPDevice.objects.all():
        _copy(
            device,
            AuthenticatorApp,
            AUTHENTICATOR_FIELDS,
            key=Confidential.from_plaintext(device.key),
        )
    TOTPDevice.objects.all().delete()
    for device in StaticDevice.objects.all():
        code_set = _copy(device, RecoveryCodeSet, DEVICE_FIELDS)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(code_set=code_set, digest=make_password(token))
            for token in device.token_set.values_list("token", flat=True)
        )
    StaticDevice.objects.all().delete()  # and its tokens, with it


def decrypt_secrets(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    AuthenticatorApp = apps.get_model("accounts", "AuthenticatorApp")
    RecoveryCodeSet = apps.get_model("accounts", "RecoveryCodeSet")
    for device in AuthenticatorApp.objects.all():
        _copy(device, TOTPDevice, AUTHENTICATOR_FIELDS, key=str(device.key.reveal()))
    AuthenticatorApp.objects.all().delete()
    RecoveryCodeSet.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_authenticator_apps_and_recovery_codes"),
        ("otp_static", "0003_add_timestamps"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(encrypt_secrets_and_hash_codes, decrypt_secrets),
    ]
