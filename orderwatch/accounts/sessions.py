"""The signed-in session around the account services: what a view does with the request
before and after one of them (the services themselves take plain values)."""

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from orderwatch.accounts.models import User
from orderwatch.accounts.services.sessions import (
    user_session_rekey,
    user_sign_in_record,
    user_sign_out_record,
)


def session_signed_in(request: HttpRequest, user: User) -> None:
    """Audit the sign-in that just happened and record its session for the user's list."""
    if request.session.session_key is None:
        request.session.save()
    user_sign_in_record(
        user=user,
        session_key=request.session.session_key,
        user_agent=request.headers.get("User-Agent", ""),
    )


def session_signing_out(request: HttpRequest) -> None:
    """Audit the sign-out about to happen and forget its session."""
    user_sign_out_record(user=request.user, session_key=request.session.session_key)


def session_renew(request: HttpRequest) -> None:
    """Give this session a new key (as the second factor is passed), keeping its contents."""
    old_key = request.session.session_key
    request.session.cycle_key()
    user_session_rekey(old_key=old_key, new_key=request.session.session_key)


def keep_this_session(request: HttpRequest) -> None:
    """Keep this session signed in after the user's password or authenticator changed (which
    ends every other), under a new session key."""
    old_key = request.session.session_key
    update_session_auth_hash(request, request.user)
    user_session_rekey(old_key=old_key, new_key=request.session.session_key)


def next_path(request: HttpRequest, target: str) -> str:
    """Return `target` (a `next` value) if it is a path on this site other than this page's,
    else "" (then the caller goes to its usual page).

    Never another host or scheme, never a bare word (which `redirect` would try as a URL name,
    a 500) and never this page (Django's sign-in view refuses that loop with a 500).
    """
    if (
        target.startswith("/")
        and target != request.path
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return ""
