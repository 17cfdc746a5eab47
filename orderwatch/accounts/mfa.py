"""Two-factor authentication: enrolment, sign-in verification, recovery codes and step-up.

Code checks run outside the caller's transaction on purpose: a wrong code must still count
towards django-otp's throttling, which a rolled-back transaction would undo.
"""

import base64
import datetime as dt
from dataclasses import dataclass

import segno
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from orderwatch.accounts.emails import authenticator_replaced_email
from orderwatch.accounts.models import AuthenticatorApp, RecoveryCode, RecoveryCodeSet, User
from orderwatch.accounts.services.sessions import sessions_end_except
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.confidential.fields import Revealed

RECOVERY_CODE_COUNT = 10
STEP_UP_LIFETIME = dt.timedelta(minutes=2)
# Time to set up a new app after proving the current one (or a recovery code) to replace it.
REPLACEMENT_LIFETIME = dt.timedelta(minutes=10)
WRONG_CODE = "The code is not right. Enter the newest 6-digit code from your authenticator app"
WRONG_PASSWORD = "The password is not right"  # noqa: S105 (a message, not a password)
WAIT = "There have been several wrong codes. Wait a few seconds, then enter the newest code"


@dataclass(frozen=True)
class StepUp:
    """Proof that `user_id` entered a fresh authenticator code at `verified_at`."""

    user_id: object
    verified_at: dt.datetime

    def is_fresh_for(self, user: User, *, lifetime: dt.timedelta = STEP_UP_LIFETIME) -> bool:
        return self.user_id == user.pk and timezone.now() - self.verified_at < lifetime


def mfa_is_enrolled(*, user: User) -> bool:
    return AuthenticatorApp.objects.devices_for_user(user, confirmed=True).exists()


def mfa_enrolment_device(*, user: User) -> AuthenticatorApp:
    """Return the user's unconfirmed authenticator, making one the first time they set up."""
    device = AuthenticatorApp.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = AuthenticatorApp.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    return device


def mfa_enrolment_qr_code(device: AuthenticatorApp) -> str:
    """Return an SVG data URI of the QR code an authenticator app scans."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def mfa_enrolment_key(device: AuthenticatorApp) -> Revealed:
    """Return the secret in groups of four, for people who type it instead of scanning."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return Revealed(" ".join(key[i : i + 4] for i in range(0, len(key), 4)))


def mfa_enrolment_confirm(
    *,
    user: User,
    code: str,
    replacement: StepUp | None = None,
    keep_session_key: str | None = None,
) -> tuple[AuthenticatorApp, list[Revealed]]:
    """Confirm the authenticator with a code from it; return it and fresh recovery codes.

    Replacing a confirmed authenticator needs `replacement`, proof from `mfa_reauthenticate`
    that the user has just entered a code from it or a recovery code: an open session alone
    must not be able to lock the real user out. Any earlier authenticator and recovery codes
    are replaced, every other session of the user ends (the security stamp changes), all
    but `keep_session_key`, and the user is emailed that it was replaced.
    """
    replacing = mfa_is_enrolled(user=user)
    if replacing and (
        replacement is None or not replacement.is_fresh_for(user, lifetime=REPLACEMENT_LIFETIME)
    ):
        raise PermissionDenied
    device = AuthenticatorApp.objects.devices_for_user(user, confirmed=False).first()
    if device is None or not device.verify_token(_digits(code)):
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        AuthenticatorApp.objects.filter(user=user).exclude(pk=device.pk).delete()
        RecoveryCodeSet.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_make(user=user)
        sessions_end_except(user=user, keep_session_key=keep_session_key)
        verb = Verb.MFA_REPLACED if replacing else Verb.MFA_ENROLLED
        audit_record(actor=user, verb=verb, target=user)
        if replacing:
            transaction.on_commit(_replaced_email_queuer(user.pk), robust=True)
    return device, codes


def _replaced_email_queuer(user_id):
    def queue_email() -> None:
        from orderwatch.accounts.tasks import authenticator_replaced_email_send as send_task

        send_task.enqueue(user_id=str(user_id))

    return queue_email


def mfa_replaced_email_send(*, user_id) -> bool:
    """Tell the user their authenticator was replaced, so they notice if it was not them;
    return whether it was sent. Nothing goes to a deactivated account."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    authenticator_replaced_email(to=user.email, diary=user.is_victim_survivor).send()
    return True


def _recovery_codes_make(*, user: User) -> list[Revealed]:
    """Give `user` a new set of recovery codes; return them, as they are never shown again.

    Only their password hashes are stored (slow by design: ADR 0024).
    """
    code_set = RecoveryCodeSet.objects.create(user=user, name="Recovery codes")
    codes = [Revealed(StaticToken.random_token()) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(code_set=code_set, digest=make_password(code)) for code in codes
    )
    return codes


def mfa_verify(*, user: User, code: str) -> AuthenticatorApp | RecoveryCodeSet:
    """Return the device that accepts `code`: the authenticator for a 6-digit code, otherwise
    a one-use recovery code (so a recovery code never counts as a wrong authenticator code)."""
    device, method = _device_accepting(user, code)
    _record_verified(user, {"method": method})
    return device


def mfa_reauthenticate(*, user: User, code: str, password: str = "") -> StepUp:
    """Check a code from the current authenticator, or a recovery code (used up), before the
    authenticator is replaced; return the proof `mfa_enrolment_confirm` asks for.

    A diary's keeper also gives their password (ADR 0024); a wrong one counts towards the
    authenticator's throttling, as a wrong code does, so it cannot be guessed at speed.
    """
    if user.is_victim_survivor:
        _password_check(user, password)
    _, method = _device_accepting(user, code)
    _record_verified(user, {"method": method, "purpose": "replace the authenticator app"})
    return StepUp(user_id=user.pk, verified_at=timezone.now())


def _device_accepting(user: User, code: str) -> tuple[AuthenticatorApp | RecoveryCodeSet, str]:
    code = code.strip().replace(" ", "").lower()
    is_authenticator_code = len(code) == 6 and code.isdigit()
    devices = (
        AuthenticatorApp if is_authenticator_code else RecoveryCodeSet
    ).objects.devices_for_user(user, confirmed=True)
    for device in devices:
        _refuse_while_throttled(device)
        if device.verify_token(code):
            return device, "authenticator app" if is_authenticator_code else "recovery code"
    raise ValidationError({"code": WRONG_CODE})


def mfa_step_up(*, user: User, code: str) -> StepUp:
    """Check a fresh authenticator code before a sensitive action (recovery codes not accepted).

    Replay protection means a code already used (for example to sign in) is refused.
    """
    for device in AuthenticatorApp.objects.devices_for_user(user, confirmed=True):
        _refuse_while_throttled(device)
        if device.verify_token(_digits(code)):
            return StepUp(user_id=user.pk, verified_at=timezone.now())
    raise ValidationError({"code": WRONG_CODE})


def _password_check(user: User, password: str) -> None:
    devices = list(AuthenticatorApp.objects.devices_for_user(user, confirmed=True))
    for device in devices:
        _refuse_while_throttled(device)
    # Not `user.check_password`, which may re-hash and save the password: that would end this
    # session too (the password is part of every session's hash).
    if not check_password(password, user.password):
        for device in devices:
            device.throttle_increment()
        raise ValidationError({"password": WRONG_PASSWORD})


def _refuse_while_throttled(device) -> None:
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({"code": WAIT})


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


@transaction.atomic
def _record_verified(user: User, payload: dict) -> None:
    audit_record(actor=user, verb=Verb.MFA_VERIFIED, target=user, payload=payload)
