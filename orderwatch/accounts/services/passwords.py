"""Passwords: changing your own, and resetting a forgotten one from an emailed link.

A reset is asked for by email address, and the answer is the same whether or not an account
has it: the request is recorded and a background task sends the email, or nothing, so the
page takes the same time either way. Requests are throttled per address and per client,
known or not. A link works once, for an hour, and never signs anyone in: signing in still needs
the authenticator code. Changing or resetting a password ends every other session.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from orderwatch.accounts.emails import password_reset_email
from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import PasswordResetRequest, User
from orderwatch.accounts.selectors import password_reset_user
from orderwatch.accounts.services.sessions import sessions_end_except
from orderwatch.accounts.tokens import may_reset_password, password_reset_tokens
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record

# Reset requests allowed in RESET_WINDOW, for one email address (whether or not it has an
# account) and from one client address (any email addresses).
RESET_WINDOW = dt.timedelta(hours=1)
RESETS_PER_EMAIL = 3
RESETS_PER_CLIENT = 10
# Requests are kept this long to be counted, then deleted.
RESET_REQUEST_KEEP = dt.timedelta(days=1)
TOO_MANY_RESETS = "You have asked for too many password reset emails. Wait an hour, then try again"
WRONG_CURRENT = "Your current password is not right. Enter the password you sign in with"
SAME_AS_CURRENT = "Enter a new password, not your current one"

# GOV.UK wording for Django's password rules (AUTH_PASSWORD_VALIDATORS), by error code.
_PASSWORD_MESSAGES = {
    "password_too_short": "Password must be {min_length} characters or more",
    "password_too_common": "Enter a password that is harder to guess: this one is on a list "
    "of common passwords",
    "password_too_similar": "Enter a password that is not like your email address or name",
    "password_entirely_numeric": "Password must include letters or symbols, not just numbers",
}


class ResetLinkNotUsable(Exception):
    """The reset link has expired, has been used, was altered, or its account cannot sign in."""


def password_validate(*, password: str, user: User) -> None:
    """Check a new password against the password rules; raise their messages, in GOV.UK words."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        messages = []
        for problem in error.error_list:
            template = _PASSWORD_MESSAGES.get(problem.code)
            messages.append(
                template.format(**(problem.params or {})) if template else problem.messages[0]
            )
        raise ValidationError(messages) from None


# -- Changing your own password ------------------------------------------------------------


@transaction.atomic(durable=True)
def user_password_change(
    *,
    actor: User,
    current_password: str,
    new_password: str,
    step_up: StepUp,
    keep_session_key: str | None,
) -> User:
    """Change the actor's own password and end their other sessions.

    `step_up` proves a fresh authenticator code (`mfa_step_up`), checked before the current
    password, so someone at an open session without the phone learns nothing about it.
    """
    if not step_up.is_fresh_for(actor):
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(current_password):
        raise ValidationError({"current_password": WRONG_CURRENT})
    if user.check_password(new_password):
        raise ValidationError({"new_password": SAME_AS_CURRENT})
    try:
        password_validate(password=new_password, user=user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_end_except(user=user, keep_session_key=keep_session_key)
    audit_record(actor=user, verb=Verb.PASSWORD_CHANGED, target=user, fields=["password"])
    # The caller's request.user is this account: keep it in step for update_session_auth_hash.
    actor.password, actor.security_stamp = user.password, user.security_stamp
    return user


# -- Resetting a forgotten password ---------------------------------------------------------


def _digest(kind: str, value: str) -> str:
    return salted_hmac(
        f"orderwatch.accounts.password_reset.{kind}", value, algorithm="sha256"
    ).hexdigest()


@transaction.atomic(durable=True)
def password_reset_request(*, email: str, client_address: str) -> PasswordResetRequest:
    """Record a request to reset the password of whichever account has `email`, and queue the
    email once this commits (the task sends nothing if no account can use it).

    Does the same work whether or not an account has the address. Raises ValidationError when
    the address or the client has asked too often.
    """
    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - RESET_REQUEST_KEEP).delete()
    email_digest = _digest("email", email.strip().lower())
    client_digest = _digest("client", client_address or "unknown")
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - RESET_WINDOW)
    if (
        recent.filter(email_digest=email_digest).count() >= RESETS_PER_EMAIL
        or recent.filter(client_digest=client_digest).count() >= RESETS_PER_CLIENT
    ):
        raise ValidationError({"email": TOO_MANY_RESETS}, code="throttled")
    user = User.objects.filter(email=email.strip().lower()).first()
    reset = PasswordResetRequest.objects.create(
        requested_at=now, email_digest=email_digest, client_digest=client_digest, user=user
    )
    transaction.on_commit(_email_queuer(reset.pk), robust=True)
    return reset


def _email_queuer(reset_id: uuid.UUID):
    def queue_email() -> None:
        from orderwatch.accounts.tasks import password_reset_email_send as send_task

        send_task.enqueue(reset_request_id=str(reset_id))

    return queue_email


def password_reset_email_send(*, reset_request_id: uuid.UUID | str) -> bool:
    """Email the reset link for a request, once; return whether an email was sent.

    Nothing is sent for an address with no account, a deactivated account, or a diary account
    (a victim-survivor's email must not show that they use the service).
    """
    with transaction.atomic(durable=True):
        reset = (
            # Only the request's row is locked (its user may be none: an outer join).
            PasswordResetRequest.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=reset_request_id, emailed_at__isnull=True)
            .first()
        )
        user = reset.user if reset is not None else None
        if user is None or not may_reset_password(user):
            return False
        reset.emailed_at = timezone.now()
        reset.save(update_fields=["emailed_at"])
        audit_record(actor=None, verb=Verb.PASSWORD_RESET_EMAILED, target=user)
        link = settings.ORDERWATCH_BASE_URL.rstrip("/") + reverse(
            "accounts:password-reset-link",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": password_reset_tokens.make_token(user),
            },
        )
    # After the commit: an email never goes out for a request that was not recorded as sent.
    password_reset_email(to=user.email, link=link).send()
    return True


@transaction.atomic(durable=True)
def user_password_reset(*, uidb64: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link, which then no longer works; end every session.

    The link is checked again with the account locked, so it works once even if sent twice.
    """
    user = password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        raise ResetLinkNotUsable
    user = User.objects.select_for_update().get(pk=user.pk)
    if not password_reset_tokens.check_token(user, token):
        raise ResetLinkNotUsable
    try:
        password_validate(password=new_password, user=user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_end_except(user=user, keep_session_key=None)
    audit_record(actor=user, verb=Verb.PASSWORD_RESET, target=user, fields=["password"])
    return user
