"""Passkeys (ADR 0025): adding one after a fresh authenticator code, removing one, and using
one instead of a code at sign-in; each audited in the same transaction.

The ceremony itself (the one-time challenge, the browser's origin, the relying party and the
signature) is checked by django-otp-webauthn's helper, which uses py_webauthn.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import User
from orderwatch.accounts.passkeys import user_passkey
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record

# Time to create the passkey after entering the code, long enough for a security key to be
# found and the browser's own timeout (OTP_WEBAUTHN_TIMEOUT_SECONDS, 5 minutes).
PASSKEY_ADD_LIFETIME = dt.timedelta(minutes=10)
NAME_MAX_LENGTH = 64  # django-otp's Device.name


def passkey_can_be_added(*, user: User, step_up: StepUp | None) -> bool:
    """Say whether `user` may add a passkey now: a professional with a fresh code."""
    return (
        not user.is_victim_survivor
        and step_up is not None
        and step_up.is_fresh_for(user, lifetime=PASSKEY_ADD_LIFETIME)
    )


@transaction.atomic(durable=True)
def passkey_add(
    *, user: User, name: str, step_up: StepUp | None, helper: WebAuthnHelper, state: dict, data
) -> WebAuthnCredential:
    """Check the browser's new credential against the challenge in `state` and keep it as a
    passkey called `name`.

    `step_up` proves a fresh authenticator code (`mfa_step_up`): an open session alone must
    not be able to add a way in. Raise py_webauthn's errors for a credential that fails.
    """
    if not passkey_can_be_added(user=user, step_up=step_up):
        raise PermissionDenied
    passkey = helper.register_complete(user=user, state=state, data=data)
    passkey.name = name.strip()[:NAME_MAX_LENGTH]
    passkey.save(update_fields=["name"])
    audit_record(
        actor=user,
        verb=Verb.PASSKEY_ADDED,
        target=user,
        payload={"passkey": passkey.pk},
        notes={"name": passkey.name},
    )
    return passkey


@transaction.atomic(durable=True)
def passkey_remove(*, user: User, passkey_id: int) -> str:
    """Remove one of the user's own passkeys (404 for anyone else's); return its name."""
    passkey = user_passkey(user=user, passkey_id=passkey_id)
    name = passkey.name
    passkey.delete()
    audit_record(
        actor=user,
        verb=Verb.PASSKEY_REMOVED,
        target=user,
        payload={"passkey": passkey_id},
        notes={"name": name},
    )
    return name


@transaction.atomic(durable=True)
def passkey_sign_in(*, user: User, helper: WebAuthnHelper, state: dict, data) -> WebAuthnCredential:
    """Check a passkey's signature over the challenge in `state`, as the second step of
    `user`'s sign-in; return the passkey.

    Only the user's own passkeys are accepted (another account's is refused by the helper as
    a mismatch), and the signature counter moves on.
    """
    if user.is_victim_survivor:
        raise PermissionDenied
    passkey = helper.authenticate_complete(user=user, state=state, data=data)
    audit_record(
        actor=user,
        verb=Verb.MFA_VERIFIED,
        target=user,
        payload={"method": "passkey", "passkey": passkey.pk},
    )
    return passkey
