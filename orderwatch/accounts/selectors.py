"""Reads for your own account: your signed-in sessions, and whose a password reset or account
set-up link is."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from orderwatch.accounts.models import User, UserSession
from orderwatch.accounts.tokens import (
    account_setup_tokens,
    may_reset_password,
    may_set_up_account,
    password_reset_tokens,
)
from orderwatch.core.govuk_dates import moment_label


@dataclass(frozen=True)
class SignedInSession:
    device: str
    signed_in_at: dt.datetime
    last_active_at: dt.datetime
    is_this_one: bool

    @property
    def signed_in(self) -> str:
        return moment_label(self.signed_in_at)

    @property
    def last_active(self) -> str:
        return moment_label(self.last_active_at)


def user_sessions(*, user: User, current_session_key: str | None) -> list[SignedInSession]:
    """Return the user's sessions that are still signed in, this one first, in one query.

    Sessions are in the database (Django's default session engine). A session's expiry moves
    on as it is used (at most once a minute, `SessionLifetimeMiddleware`), so it was last
    active one idle timeout before it expires.
    """
    now = timezone.now()
    expires = Session.objects.filter(session_key=OuterRef("session_key")).values("expire_date")
    rows = (
        UserSession.objects.filter(
            user=user,
            signed_in_at__gt=now - dt.timedelta(seconds=settings.ORDERWATCH_SESSION_ABSOLUTE_LIMIT),
        )
        .annotate(expires_at=Subquery(expires[:1]))
        .filter(expires_at__gt=now)
    )
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions = [
        SignedInSession(
            device=row.device,
            signed_in_at=row.signed_in_at,
            last_active_at=min(now, max(row.signed_in_at, row.expires_at - idle)),
            is_this_one=row.session_key == current_session_key,
        )
        for row in rows
    ]
    return sorted(sessions, key=lambda s: (not s.is_this_one, -s.last_active_at.timestamp()))


def _link_user(uidb64: str) -> User | None:
    try:
        user_id = uuid.UUID(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=user_id).first()


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """Return the account a reset link is for, if the link can still be used (else None)."""
    user = _link_user(uidb64)
    if user is None or not may_reset_password(user):
        return None
    return user if password_reset_tokens.check_token(user, token) else None


def account_setup_user(*, uidb64: str, token: str) -> User | None:
    """Return the new account a set-up link is for, if the link can still be used (else None)."""
    user = _link_user(uidb64)
    if user is None or not may_set_up_account(user):
        return None
    return user if account_setup_tokens.check_token(user, token) else None
