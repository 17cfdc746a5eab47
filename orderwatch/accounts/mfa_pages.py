"""The two authenticator steps that the professional sign-in and the diary share: setting an
authenticator up, and entering its code. Each page keeps its own words and templates."""

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_otp import login as otp_login

from orderwatch.accounts import mfa
from orderwatch.accounts.forms import TwoFactorCodeForm, TwoFactorVerifyForm
from orderwatch.core.forms import add_service_errors, posted


def authenticator_setup(request: HttpRequest) -> tuple[list | None, dict]:
    """Confirm a new authenticator with the posted code, for this session too.

    Return its recovery codes once confirmed (else None), and what the set-up page shows.
    """
    device = mfa.mfa_enrolment_device(user=request.user)
    form = TwoFactorCodeForm(posted(request))
    if form.is_valid():
        try:
            device, codes = mfa.mfa_enrolment_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            otp_login(request, device)
            update_session_auth_hash(request, request.user)
            return codes, {}
    return None, {
        "form": form,
        "qr_code": mfa.mfa_enrolment_qr_code(device),
        "setup_key": mfa.mfa_enrolment_key(device),
        "replacing": mfa.mfa_is_enrolled(user=request.user),
    }


def authenticator_code_entered(request: HttpRequest) -> tuple[bool, TwoFactorVerifyForm]:
    """Pass the second step with the posted code (or a recovery code); say whether it did."""
    form = TwoFactorVerifyForm(posted(request))
    if form.is_valid():
        try:
            device = mfa.mfa_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            otp_login(request, device)
            return True, form
    return False, form
