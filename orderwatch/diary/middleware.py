"""Keep diary accounts inside their diary, and the diary's pages out of caches and history.

A victim-survivor's phone may be seen or taken by the person they fear, so every diary page
is `no-store`, every error page a diary visitor sees is a neutral diary page (never the
professional service's, which names it), and a diary session that sits idle signs itself out.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render

from orderwatch.accounts.mfa import mfa_is_enrolled
from orderwatch.accounts.sessions import session_signing_out

DIARY_NAMESPACE = "diary"
DIARY_PATH = "/notes/"  # config/urls.py
LAST_SEEN = "orderwatch_diary_last_seen"
# What a diary visitor is told instead of the professional service's error pages.
ERROR_PAGES = {
    403: ("This page has expired", "Go back to your notes and try again."),
    404: ("Page not found", ""),
    413: ("That is too large to send", "Nothing was saved. Choose a smaller file and try again."),
    429: ("Sign in is paused", "There have been too many attempts. Wait 30 minutes and try again."),
    500: ("Sorry, something went wrong", "Nothing you entered has been lost. Try again later."),
    503: ("Sorry, something went wrong", "Nothing was saved. Try again later."),
}


def diary_page(request, template: str, context: dict | None = None, *, status: int = 200):
    """Render a diary page, marked so an error status it carries is not replaced."""
    response = render(request, template, context, status=status)
    response.diary_page = True
    return response


def _neutral_error_page(request, status: int):
    title, advice = ERROR_PAGES[status]
    return diary_page(
        request, "diary/error.html", {"title": title, "advice": advice}, status=status
    )


class DiaryBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(DIARY_PATH) or (
            user is not None and user.is_authenticated and user.is_victim_survivor
        ):
            if response.status_code in ERROR_PAGES and not getattr(response, "diary_page", False):
                response = _neutral_error_page(request, response.status_code)
            response["Cache-Control"] = "no-store"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        in_diary = request.resolver_match.namespace == DIARY_NAMESPACE
        user = request.user
        if not user.is_authenticated:
            return None
        if user.is_victim_survivor:
            return _keeper_only_in_their_diary(request, view_func, in_diary=in_diary)
        # Professionals have no business in a victim-survivor's diary pages.
        if in_diary and not getattr(view_func, "diary_public", False):
            return diary_page(request, "diary/not_found.html", status=404)
        return None


def _keeper_only_in_their_diary(request, view_func, *, in_diary: bool):
    """Sign out an idle diary, keep its keeper inside it, and ask for their second step."""
    now = time.time()
    if now - request.session.get(LAST_SEEN, now) > settings.ORDERWATCH_DIARY_IDLE_SECONDS:
        session_signing_out(request)
        logout(request)
        messages.info(request, "You were signed out because the page was left open.")
        return redirect("diary:sign-in")
    request.session[LAST_SEEN] = now
    if not in_diary:
        return diary_page(request, "diary/not_found.html", status=404)
    open_before_code = getattr(view_func, "diary_public", False) or getattr(
        view_func, "diary_before_code", False
    )
    user = request.user
    if not open_before_code and not user.is_verified() and mfa_is_enrolled(user=user):
        return redirect("diary:code")  # they chose a second step: ask for it first
    return None


def diary_public(view):
    """Mark a diary page anyone may open (the invitation, sign-in and exit)."""
    view.diary_public = True
    return view


def diary_before_code(view):
    """Mark a diary page open before the second step (the page that asks for it)."""
    view.diary_before_code = True
    return view
