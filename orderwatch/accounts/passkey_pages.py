"""Passkey pages (ADR 0025): your passkeys (see, add after a fresh code, remove) and the JSON
endpoints the browser's passkey scripts call, to create a passkey or to use one at sign-in.

The endpoints are django-otp-webauthn's views, narrowed: creating one needs this session's
fresh authenticator code, and using one is only ever the second step of a professional's
sign-in, after their password. The scripts come from the package; `orderwatch/passkeys.js`
turns their events into GOV.UK pages.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp_webauthn import exceptions, views
from django_otp_webauthn.utils import rewrite_exceptions

from orderwatch.accounts import mfa
from orderwatch.accounts.middleware import mfa_not_required
from orderwatch.accounts.passkey_forms import PasskeyAddForm
from orderwatch.accounts.passkeys import (
    passkey_address,
    passkeys_work_here,
    user_passkey,
    user_passkeys,
)
from orderwatch.accounts.services import passkeys as services
from orderwatch.accounts.sessions import session_renew
from orderwatch.core.forms import add_service_errors, posted

# The passkey to add: its name and when this session's fresh code was entered, until it is made.
ADD_SESSION_KEY = "orderwatch_passkey_to_add"


class PasskeyCannotBeAdded(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Enter a new code from your authenticator app before adding a passkey."
    default_code = "passkey_add_needs_code"


class NoPasskey(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "You have not added a passkey. Enter the code from your authenticator app."
    default_code = "no_passkey"


def script_configuration(request: HttpRequest) -> dict:
    """What django-otp-webauthn's scripts read from the page: where to send each step."""
    return {
        "csrfToken": get_token(request),
        "autocompleteLoginFieldSelector": None,  # never a passkey instead of the password
        "nextFieldSelector": "input[name='next']",
        "beginRegistrationUrl": reverse("accounts:passkey-create-begin"),
        "completeRegistrationUrl": reverse("accounts:passkey-create-complete"),
        "beginAuthenticationUrl": reverse("accounts:passkey-sign-in-begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey-sign-in-complete"),
    }


# Your passkeys.


def passkeys(request):
    return render(
        request,
        "accounts/passkeys.html",
        {
            "passkeys": user_passkeys(user=request.user),
            "works_here": passkeys_work_here(request),
            "passkey_address": passkey_address(),
            "nav": "account",
        },
    )


def passkey_add(request):
    """Name the passkey and enter a fresh code; then on to create it."""
    form = PasskeyAddForm(posted(request))
    if form.is_valid():
        try:
            step_up = mfa.mfa_step_up(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[ADD_SESSION_KEY] = {
                "user_id": str(step_up.user_id),
                "verified_at": step_up.verified_at.isoformat(),
                "name": form.cleaned_data["name"],
            }
            return redirect("accounts:passkey-create")
    return render(request, "accounts/passkey_add.html", {"form": form, "nav": "account"})


def passkey_create(request):
    """The page whose button asks the browser for a new passkey (it needs JavaScript)."""
    name, step_up = _passkey_to_add(request)
    if not services.passkey_can_be_added(user=request.user, step_up=step_up):
        return redirect("accounts:passkey-add")
    return render(
        request,
        "accounts/passkey_create.html",
        {
            "name": name,
            "works_here": passkeys_work_here(request),
            "passkey_address": passkey_address(),
            "configuration": script_configuration(request),
            "nav": "account",
        },
    )


@require_http_methods(["GET", "POST"])
def passkey_remove(request, passkey_id: int):
    passkey = user_passkey(user=request.user, passkey_id=passkey_id)
    if request.method == "POST":
        name = services.passkey_remove(user=request.user, passkey_id=passkey.pk)
        messages.success(request, f"Passkey removed: {name}")
        return redirect("accounts:passkeys")
    return render(request, "accounts/passkey_remove.html", {"passkey": passkey, "nav": "account"})


def _passkey_to_add(request: HttpRequest) -> tuple[str, mfa.StepUp | None]:
    """Return the name and this session's proof of a fresh code for the passkey to add."""
    stored = request.session.get(ADD_SESSION_KEY) or {}
    if stored.get("user_id") != str(request.user.pk):
        return "", None
    verified_at = dt.datetime.fromisoformat(stored["verified_at"])
    return stored["name"], mfa.StepUp(user_id=request.user.pk, verified_at=verified_at)


# The endpoints the package's scripts call (JSON in, JSON out).


class _AfterAFreshCode:
    """Creating a passkey: only in a session past both steps that has just entered a fresh
    code for it (signing in is checked first, by the package)."""

    def check_can_register(self):
        if not self.request.user.is_verified():
            raise exceptions.NotVerified()
        _, step_up = _passkey_to_add(self.request)
        if not services.passkey_can_be_added(user=self.request.user, step_up=step_up):
            raise PasskeyCannotBeAdded()


class _ProfessionalWithAPasskey:
    """Using a passkey: only a signed-in professional (past their password) who has one."""

    def check_can_authenticate(self):
        user = self.request.user
        if not user.is_authenticated or user.is_victim_survivor:
            raise exceptions.NotAuthenticated()
        if not user_passkeys(user=user).exists():
            raise NoPasskey()


class PasskeyCreateBegin(_AfterAFreshCode, views.BeginCredentialRegistrationView):
    """Give the browser the options for a new passkey."""


class PasskeyCreateComplete(_AfterAFreshCode, views.CompleteCredentialRegistrationView):
    """Check and keep the browser's new passkey (its challenge is used up either way)."""

    def post(self, *args, **kwargs):
        request = self.request
        state = self.get_state()
        name, step_up = _passkey_to_add(request)
        with rewrite_exceptions(logger=None):
            passkey = services.passkey_add(
                user=request.user,
                name=name,
                step_up=step_up,
                helper=self.get_helper(),
                state=state,
                data=request.data,
            )
        request.session.pop(ADD_SESSION_KEY, None)
        messages.success(request, f"Passkey added: {passkey.name}")
        return JsonResponse({"id": passkey.pk})


class PasskeySignInBegin(_ProfessionalWithAPasskey, views.BeginCredentialAuthenticationView):
    """Give the browser a challenge for one of the signed-in user's own passkeys."""


class PasskeySignInComplete(_ProfessionalWithAPasskey, views.CompleteCredentialAuthenticationView):
    """Pass the second step of sign-in with the user's passkey; the session gets a new key."""

    def post(self, *args, **kwargs):
        request = self.request
        state = self.get_state()
        with rewrite_exceptions(logger=None):
            passkey = services.passkey_sign_in(
                user=request.user, helper=self.get_helper(), state=state, data=request.data
            )
        otp_login(request, passkey)
        session_renew(request)
        return JsonResponse({"id": passkey.pk, "redirect_url": self.get_success_url()})

    def get_redirect_url(self) -> str:
        """Return `next` only if it is a path on this site (never another site, nor a bare
        word the browser would take as relative to this page)."""
        target = super().get_redirect_url()
        return target if target.startswith("/") and not target.startswith("//") else ""


# The endpoints answer "not signed in" themselves, in JSON (403), as the API does: the
# scripts cannot follow a redirect to the sign-in page.
passkey_create_begin = login_not_required(PasskeyCreateBegin.as_view())
passkey_create_complete = login_not_required(PasskeyCreateComplete.as_view())
passkey_sign_in_begin = login_not_required(PasskeySignInBegin.as_view())
passkey_sign_in_complete = login_not_required(PasskeySignInComplete.as_view())
# The words of the package's scripts (Django's catalogue; they call `gettext`).
passkey_script_text = mfa_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]))
