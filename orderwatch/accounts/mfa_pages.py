"""The two authenticator steps that the professional sign-in and the diary share: setting an
authenticator up (and, to replace one, first proving the current one), and entering its code.
Each page keeps its own words and templates."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_otp import login as otp_login

from orderwatch.accounts import mfa
from orderwatch.accounts.forms import (
    CurrentCodeAndPasswordForm,
    CurrentCodeForm,
    TwoFactorCodeForm,
    TwoFactorVerifyForm,
)
from orderwatch.accounts.sessions import keep_this_session, session_renew
from orderwatch.core.forms import add_service_errors, posted

# Where the proof that the user may replace their authenticator is kept, until it is used.
REPLACEMENT_SESSION_KEY = "orderwatch_mfa_replacement"
WRONG_CURRENT_CODE = (
    "The code is not right. Enter the newest code from the authenticator app you use now, "
    "or one of your recovery codes"
)


def replacement_needs_current_code(request: HttpRequest) -> bool:
    """Say whether the user has an authenticator and has not just proved it (or a recovery
    code), so setting up another must wait for that first. A first set-up never waits."""
    return mfa.mfa_is_enrolled(user=request.user) and _replacement_proof(request) is None


def replacement_current_code_entered(request: HttpRequest) -> tuple[bool, CurrentCodeForm]:
    """Check the posted code from the current authenticator, or a recovery code (and a diary
    keeper's password); on success, let this session set up a replacement for a few minutes.
    Say whether it passed."""
    form_class = CurrentCodeAndPasswordForm if request.user.is_victim_survivor else CurrentCodeForm
    form = form_class(posted(request))
    if form.is_valid():
        try:
            proof = mfa.mfa_reauthenticate(
                user=request.user,
                code=form.cleaned_data["current_code"],
                password=form.cleaned_data.get("password", ""),
            )
        except ValidationError as error:
            errors = {
                "current_code" if field == "code" else field: [
                    WRONG_CURRENT_CODE if m == mfa.WRONG_CODE else m for m in messages
                ]
                for field, messages in error.message_dict.items()
            }
            add_service_errors(form, ValidationError(errors))
        else:
            request.session[REPLACEMENT_SESSION_KEY] = {
                "user_id": str(proof.user_id),
                "verified_at": proof.verified_at.isoformat(),
            }
            return True, form
    return False, form


def authenticator_setup(request: HttpRequest) -> tuple[list | None, dict]:
    """Confirm a new authenticator with the posted code, for this session too.

    Return its recovery codes once confirmed (else None), and what the set-up page shows.
    Call it only once `replacement_needs_current_code` is false.
    """
    device = mfa.mfa_enrolment_device(user=request.user)
    form = TwoFactorCodeForm(posted(request))
    if form.is_valid():
        try:
            device, codes = mfa.mfa_enrolment_confirm(
                user=request.user,
                code=form.cleaned_data["code"],
                replacement=_replacement_proof(request),
                keep_session_key=request.session.session_key,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(REPLACEMENT_SESSION_KEY, None)
            otp_login(request, device)
            keep_this_session(request)
            return codes, {}
    return None, {
        "form": form,
        "qr_code": mfa.mfa_enrolment_qr_code(device),
        "setup_key": mfa.mfa_enrolment_key(device),
        "replacing": mfa.mfa_is_enrolled(user=request.user),
    }


def authenticator_code_entered(request: HttpRequest) -> tuple[bool, TwoFactorVerifyForm]:
    """Pass the second step with the posted code (or a recovery code); say whether it did.

    The session gets a new key as it does, so a key seen before the code opens nothing.
    """
    form = TwoFactorVerifyForm(posted(request))
    if form.is_valid():
        try:
            device = mfa.mfa_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            otp_login(request, device)
            session_renew(request)
            return True, form
    return False, form


def _replacement_proof(request: HttpRequest) -> mfa.StepUp | None:
    """Return this session's still-fresh proof for replacing the user's authenticator."""
    stored = request.session.get(REPLACEMENT_SESSION_KEY)
    if not stored or stored.get("user_id") != str(request.user.pk):
        return None
    proof = mfa.StepUp(
        user_id=request.user.pk, verified_at=dt.datetime.fromisoformat(stored["verified_at"])
    )
    if not proof.is_fresh_for(request.user, lifetime=mfa.REPLACEMENT_LIFETIME):
        return None
    return proof
