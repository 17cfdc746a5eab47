"""Session rules for signed-in users: two-factor authentication and an absolute time limit."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "orderwatch_signed_in_at"


def mfa_not_required(view):
    """Mark a view as reachable before two-factor authentication (the MFA pages themselves)."""
    view.mfa_required = False
    return view


class RequireTwoFactorMiddleware:
    """Send a signed-in user who has not passed two-factor authentication to do so first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if user.is_victim_survivor:
            return None  # their second factor is optional; orderwatch/diary/middleware.py decides
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Sign in with two-factor authentication to use the API."}, status=403
            )
        if not getattr(view_func, "login_required", True):
            return None  # public pages: sign-in, signed out
        if not getattr(view_func, "mfa_required", True):
            return None
        return redirect_to_login(request.get_full_path(), reverse("accounts:mfa-verify"))


class SessionLifetimeMiddleware:
    """End a session 10 hours after sign-in, however active it has been."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT, 0)
            if time.time() - signed_in_at > settings.ORDERWATCH_SESSION_ABSOLUTE_LIMIT:
                logout(request)
                messages.info(request, "For your security you have been signed out. Sign in again.")
                return redirect("accounts:sign-in")
        return self.get_response(request)


def mark_session_start(sender, request, user, **kwargs) -> None:
    """Note when this session signed in (connected to `user_logged_in`)."""
    request.session[SIGNED_IN_AT] = time.time()
