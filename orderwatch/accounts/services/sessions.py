"""Sign-in sessions: each sign-in and sign-out is audited, and a user's sessions are recorded
so they can see them and end the others."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from orderwatch.accounts.models import User, UserSession
from orderwatch.accounts.user_agents import summarise_user_agent
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record


@transaction.atomic
def user_sign_in_record(
    *, user: User, session_key: str | None = None, user_agent: str = ""
) -> None:
    """Audit a sign-in and, given its session key, record the session (and forget ended ones)."""
    audit_record(actor=user, verb=Verb.SIGNED_IN, target=user)
    if not session_key:
        return
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()
    UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "signed_in_at": timezone.now(),
            # A diary keeper's browser is not kept: it could help place them.
            "device": "" if user.is_victim_survivor else summarise_user_agent(user_agent)[:100],
        },
    )


@transaction.atomic
def user_sign_out_record(*, user: User, session_key: str | None = None) -> None:
    audit_record(actor=user, verb=Verb.SIGNED_OUT, target=user)
    if session_key:
        UserSession.objects.filter(user=user, session_key=session_key).delete()


def user_session_rekey(*, old_key: str | None, new_key: str | None) -> None:
    """Follow a session to its new key (Django gives a session a new key when the user's
    password or sign-in factors change and the session is kept)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def sessions_end_except(*, user: User, keep_session_key: str | None) -> int:
    """End every session of `user` but `keep_session_key`, inside the caller's transaction;
    return how many recorded sessions ended.

    The security stamp changes, which ends every other session even if it was not recorded
    (the kept one must then be refreshed with `update_session_auth_hash`); recorded ones are
    also deleted from the session store at once, so they leave the list of sessions now.
    """
    user.rotate_security_stamp()
    others = UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or "")
    keys = list(others.values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in keys:
        store.delete(key)
    others.delete()
    return len(keys)


@transaction.atomic(durable=True)
def user_sessions_end_others(*, actor: User, keep_session_key: str | None) -> int:
    """Sign the actor out everywhere but this session; return how many sessions ended."""
    ended = sessions_end_except(user=actor, keep_session_key=keep_session_key)
    audit_record(
        actor=actor, verb=Verb.OTHER_SESSIONS_ENDED, target=actor, payload={"sessions": ended}
    )
    return ended
