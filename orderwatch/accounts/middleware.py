"""Session rules for signed-in users: two-factor authentication, an idle timeout and an absolute
time limit."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "orderwatch_signed_in_at"
REFRESHED_AT = "orderwatch_session_refreshed_at"
# The idle timeout (SESSION_COOKIE_AGE) is pushed on by saving the session, at most this often:
# a plain page view writes nothing, and the timeout is exact to within this many seconds.
REFRESH_AFTER_SECONDS = 60


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
    """End a session 10 hours after sign-in, however active it has been, and keep an active
    one from idling out.

    The idle timeout is the session's expiry in the store, set whenever the session is saved.
    Sessions are saved only when they change (not on every request), so this changes the
    session once its last refresh is more than a minute old: the expiry moves on without
    turning every page view into a write.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.get(SIGNED_IN_AT, 0)
            if now - signed_in_at > settings.ORDERWATCH_SESSION_ABSOLUTE_LIMIT:
                logout(request)
                messages.info(request, "For your security you have been signed out. Sign in again.")
                return redirect("accounts:sign-in")
            if now - request.session.get(REFRESHED_AT, 0) > REFRESH_AFTER_SECONDS:
                request.session[REFRESHED_AT] = now
        return self.get_response(request)


def mark_session_start(sender, request, user, **kwargs) -> None:
    """Note when this session signed in (connected to `user_logged_in`)."""
    request.session[SIGNED_IN_AT] = request.session[REFRESHED_AT] = time.time()
