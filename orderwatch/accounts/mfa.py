"""Two-factor authentication: enrolment, sign-in verification, recovery codes and step-up.

Code checks run outside the caller's transaction on purpose: a wrong code must still count
towards django-otp's throttling, which a rolled-back transaction would undo.
"""

import base64
import datetime as dt
from dataclasses import dataclass

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from orderwatch.accounts.models import User
from orderwatch.accounts.services.sessions import sessions_end_except
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.confidential.fields import Revealed

RECOVERY_CODE_COUNT = 10
STEP_UP_LIFETIME = dt.timedelta(minutes=2)
# Time to set up a new app after proving the current one (or a recovery code) to replace it.
REPLACEMENT_LIFETIME = dt.timedelta(minutes=10)
WRONG_CODE = "The code is not right. Enter the newest 6-digit code from your authenticator app"
WAIT = "There have been several wrong codes. Wait a few seconds, then enter the newest code"


@dataclass(frozen=True)
class StepUp:
    """Proof that `user_id` entered a fresh authenticator code at `verified_at`."""

    user_id: object
    verified_at: dt.datetime

    def is_fresh_for(self, user: User, *, lifetime: dt.timedelta = STEP_UP_LIFETIME) -> bool:
        return self.user_id == user.pk and timezone.now() - self.verified_at < lifetime


def mfa_is_enrolled(*, user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def mfa_enrolment_device(*, user: User) -> TOTPDevice:
    """Return the user's unconfirmed authenticator, making one the first time they set up."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def mfa_enrolment_qr_code(device: TOTPDevice) -> str:
    """Return an SVG data URI of the QR code an authenticator app scans."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def mfa_enrolment_key(device: TOTPDevice) -> Revealed:
    """Return the secret in groups of four, for people who type it instead of scanning."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return Revealed(" ".join(key[i : i + 4] for i in range(0, len(key), 4)))


def mfa_enrolment_confirm(
    *,
    user: User,
    code: str,
    replacement: StepUp | None = None,
    keep_session_key: str | None = None,
) -> tuple[TOTPDevice, list[Revealed]]:
    """Confirm the authenticator with a code from it; return it and fresh recovery codes.

    Replacing a confirmed authenticator needs `replacement`, proof from `mfa_reauthenticate`
    that the user has just entered a code from it or a recovery code: an open session alone
    must not be able to lock the real user out. Any earlier authenticator and recovery codes
    are replaced, and every other session of the user ends (the security stamp changes), all
    but `keep_session_key`.
    """
    replacing = mfa_is_enrolled(user=user)
    if replacing and (
        replacement is None or not replacement.is_fresh_for(user, lifetime=REPLACEMENT_LIFETIME)
    ):
        raise PermissionDenied
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None or not device.verify_token(_digits(code)):
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
        codes = [Revealed(StaticToken.random_token()) for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        sessions_end_except(user=user, keep_session_key=keep_session_key)
        verb = Verb.MFA_REPLACED if replacing else Verb.MFA_ENROLLED
        audit_record(actor=user, verb=verb, target=user)
    return device, codes


def mfa_verify(*, user: User, code: str) -> TOTPDevice | StaticDevice:
    """Return the device that accepts `code`: the authenticator for a 6-digit code, otherwise
    a one-use recovery code (so a recovery code never counts as a wrong authenticator code)."""
    device, method = _device_accepting(user, code)
    _record_verified(user, {"method": method})
    return device


def mfa_reauthenticate(*, user: User, code: str) -> StepUp:
    """Check a code from the current authenticator, or a recovery code (used up), before the
    authenticator is replaced; return the proof `mfa_enrolment_confirm` asks for."""
    _, method = _device_accepting(user, code)
    _record_verified(user, {"method": method, "purpose": "replace the authenticator app"})
    return StepUp(user_id=user.pk, verified_at=timezone.now())


def _device_accepting(user: User, code: str) -> tuple[TOTPDevice | StaticDevice, str]:
    code = code.strip().replace(" ", "").lower()
    is_authenticator_code = len(code) == 6 and code.isdigit()
    devices = (TOTPDevice if is_authenticator_code else StaticDevice).objects.devices_for_user(
        user, confirmed=True
    )
    for device in devices:
        _refuse_while_throttled(device)
        if device.verify_token(code):
            return device, "authenticator app" if is_authenticator_code else "recovery code"
    raise ValidationError({"code": WRONG_CODE})


def mfa_step_up(*, user: User, code: str) -> StepUp:
    """Check a fresh authenticator code before a sensitive action (recovery codes not accepted).

    Replay protection means a code already used (for example to sign in) is refused.
    """
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        _refuse_while_throttled(device)
        if device.verify_token(_digits(code)):
            return StepUp(user_id=user.pk, verified_at=timezone.now())
    raise ValidationError({"code": WRONG_CODE})


def _refuse_while_throttled(device) -> None:
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({"code": WAIT})


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


@transaction.atomic
def _record_verified(user: User, payload: dict) -> None:
    audit_record(actor=user, verb=Verb.MFA_VERIFIED, target=user, payload=payload)
