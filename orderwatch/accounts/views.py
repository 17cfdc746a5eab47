from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from orderwatch.accounts import mfa
from orderwatch.accounts.forms import SignInForm
from orderwatch.accounts.mfa_pages import authenticator_code_entered, authenticator_setup
from orderwatch.accounts.middleware import mfa_not_required
from orderwatch.accounts.services import user_sign_in_record, user_sign_out_record
from orderwatch.core.compression import not_compressed


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user_sign_in_record(user=form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            user_sign_out_record(user=request.user)
        response = super().post(request, *args, **kwargs)
        # Leave nothing of the session behind on a shared device.
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


@login_not_required
def signed_out(request):
    return render(request, "accounts/signed_out.html")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@mfa_not_required
def mfa_verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not mfa.mfa_is_enrolled(user=request.user):
        return redirect("accounts:mfa-setup")
    passed, form = authenticator_code_entered(request)
    if passed:
        return redirect(_next_url(request))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@not_compressed
@mfa_not_required
def mfa_setup(request):
    if mfa.mfa_is_enrolled(user=request.user) and not request.user.is_verified():
        return redirect("accounts:mfa-verify")
    codes, page = authenticator_setup(request)
    if codes is not None:
        messages.success(request, "Two-factor authentication is set up.")
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    return render(request, "accounts/mfa_setup.html", page)
