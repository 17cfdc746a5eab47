from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from orderwatch.accounts import mfa, selectors
from orderwatch.accounts.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    SignInForm,
)
from orderwatch.accounts.mfa_pages import (
    authenticator_code_entered,
    authenticator_setup,
    replacement_current_code_entered,
    replacement_needs_current_code,
)
from orderwatch.accounts.middleware import mfa_not_required
from orderwatch.accounts.services.passwords import (
    ResetLinkNotUsable,
    password_reset_request,
    user_password_change,
    user_password_reset,
)
from orderwatch.accounts.services.sessions import user_sessions_end_others
from orderwatch.accounts.services.setup import SetupLinkNotUsable, account_setup_complete
from orderwatch.accounts.sessions import (
    keep_this_session,
    next_path,
    session_signed_in,
    session_signing_out,
)
from orderwatch.core.clients import request_client_address
from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors, posted

# A reset link's id and token, moved off the address into the session (see password_reset_link).
RESET_SESSION_KEY = "orderwatch_password_reset"
# A new account's set-up link, moved off the address the same way (see account_setup_link).
SETUP_SESSION_KEY = "orderwatch_account_setup"


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        return next_path(self.request, super().get_redirect_url())

    def form_valid(self, form):
        response = super().form_valid(form)
        session_signed_in(self.request, form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            session_signing_out(request)
        response = super().post(request, *args, **kwargs)
        # Leave nothing of the session behind on a shared device.
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


@login_not_required
def signed_out(request):
    return render(request, "accounts/signed_out.html")


def _next_url(request) -> str:
    """Return the page to go on to after the code: a path on this site, else the home page."""
    return next_path(request, request.POST.get("next") or request.GET.get("next") or "") or "/"


@mfa_not_required
def mfa_verify(request):
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if not mfa.mfa_is_enrolled(user=request.user):
        return redirect("accounts:mfa-setup")
    passed, form = authenticator_code_entered(request)
    if passed:
        return HttpResponseRedirect(_next_url(request))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@not_compressed
@mfa_not_required
def mfa_setup(request):
    if mfa.mfa_is_enrolled(user=request.user) and not request.user.is_verified():
        return redirect("accounts:mfa-verify")
    if replacement_needs_current_code(request):
        # Replacing an authenticator: first a code from it, or a recovery code (issue 17).
        proven, form = replacement_current_code_entered(request)
        if proven:
            return redirect("accounts:mfa-setup")
        return render(request, "accounts/mfa_replace.html", {"form": form, "nav": "account"})
    codes, page = authenticator_setup(request)
    if codes is not None:
        messages.success(request, "Two-factor authentication is set up.")
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    return render(request, "accounts/mfa_setup.html", page)


# Your own account.


def account(request):
    sessions = selectors.user_sessions(
        user=request.user, current_session_key=request.session.session_key
    )
    return render(request, "accounts/account.html", {"sessions": sessions, "nav": "account"})


@require_POST
def sessions_end_others(request):
    user_sessions_end_others(actor=request.user, keep_session_key=request.session.session_key)
    keep_this_session(request)
    messages.success(request, "You have been signed out everywhere else.")
    return redirect("accounts:account")


def password_change(request):
    form = PasswordChangeForm(posted(request), user=request.user)
    if form.is_valid():
        try:
            # The code is checked first, on its own: a wrong code must count towards throttling.
            step_up = mfa.mfa_step_up(user=request.user, code=form.cleaned_data["code"])
            user_password_change(
                actor=request.user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                step_up=step_up,
                keep_session_key=request.session.session_key,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            keep_this_session(request)
            messages.success(
                request, "Your password has been changed. You have been signed out everywhere else."
            )
            return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form, "nav": "account"})


# A forgotten password.


@login_not_required
def password_reset(request):
    form = PasswordResetRequestForm(posted(request))
    if form.is_valid():
        try:
            password_reset_request(
                email=form.cleaned_data["email"],
                client_address=request_client_address(request) or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return render(request, "accounts/password_reset.html", {"form": form}, status=429)
        return redirect("accounts:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form})


@login_not_required
def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


@login_not_required
@require_GET
def password_reset_link(request, uidb64, token):
    """Take the token off the address: keep it in the session and move on, so it stays out of
    the address bar, the browser's history and the Referer of later requests."""
    if selectors.password_reset_user(uidb64=uidb64, token=token) is None:
        return _reset_link_not_usable(request)
    request.session[RESET_SESSION_KEY] = {"uidb64": uidb64, "token": token}
    return redirect("accounts:password-reset-new")


@login_not_required
def password_reset_new(request):
    link = request.session.get(RESET_SESSION_KEY) or {}
    uidb64, token = link.get("uidb64", ""), link.get("token", "")
    user = selectors.password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        return _reset_link_not_usable(request)
    form = PasswordResetForm(posted(request), user=user)
    if form.is_valid():
        try:
            user_password_reset(
                uidb64=uidb64, token=token, new_password=form.cleaned_data["new_password"]
            )
        except ResetLinkNotUsable:
            return _reset_link_not_usable(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            messages.success(
                request, "Your password has been reset. Sign in with your new password."
            )
            return redirect("accounts:sign-in")
    return render(request, "accounts/password_reset_new.html", {"form": form})


def _reset_link_not_usable(request):
    request.session.pop(RESET_SESSION_KEY, None)
    return render(request, "accounts/password_reset_link_not_usable.html", status=404)


# Setting up a new account (made by an agency administrator) from its emailed link.


@login_not_required
@require_GET
def account_setup_link(request, uidb64, token):
    """Take the token off the address, as a reset link's is (see password_reset_link)."""
    if selectors.account_setup_user(uidb64=uidb64, token=token) is None:
        return _setup_link_not_usable(request)
    request.session[SETUP_SESSION_KEY] = {"uidb64": uidb64, "token": token}
    return redirect("accounts:account-setup")


@login_not_required
def account_setup(request):
    link = request.session.get(SETUP_SESSION_KEY) or {}
    uidb64, token = link.get("uidb64", ""), link.get("token", "")
    user = selectors.account_setup_user(uidb64=uidb64, token=token)
    if user is None:
        return _setup_link_not_usable(request)
    form = PasswordResetForm(posted(request), user=user)
    if form.is_valid():
        try:
            user = account_setup_complete(
                uidb64=uidb64, token=token, new_password=form.cleaned_data["new_password"]
            )
        except SetupLinkNotUsable:
            return _setup_link_not_usable(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(SETUP_SESSION_KEY, None)
            # Signed in with the new password; the next step is the first authenticator set-up
            # (the two-factor middleware sends every page there until it is done).
            login(request, user, backend="orderwatch.accounts.backends.AccountBackend")
            session_signed_in(request, user)
            messages.success(request, "Your password has been set.")
            return redirect("accounts:mfa-setup")
    return render(request, "accounts/account_setup.html", {"form": form})


def _setup_link_not_usable(request):
    request.session.pop(SETUP_SESSION_KEY, None)
    return render(request, "accounts/account_setup_link_not_usable.html", status=404)
