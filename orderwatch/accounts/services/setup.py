"""Setting up a new account from the link its agency administrator had emailed.

The link is Django's reset token under its own salt (`AccountSetupTokens`): it works once, for
ORDERWATCH_ACCOUNT_SETUP_HOURS, and is never shown on a page. It is made when the email is
sent, by a background task whose argument is the account's id only.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from orderwatch.accounts.emails import account_setup_email
from orderwatch.accounts.models import User
from orderwatch.accounts.selectors import account_setup_user
from orderwatch.accounts.services.passwords import password_validate
from orderwatch.accounts.tokens import account_setup_tokens, may_set_up_account
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record


class SetupLinkNotUsable(Exception):
    """The set-up link has expired, has been used, was altered, or its account cannot use it."""


def account_setup_email_queue(*, user_id: uuid.UUID) -> None:
    """Queue the set-up email once the caller's transaction commits (nothing for a rollback)."""

    def queue_email() -> None:
        from orderwatch.accounts.tasks import account_setup_email_send as send_task

        send_task.enqueue(user_id=str(user_id))

    transaction.on_commit(queue_email, robust=True)


def account_setup_email_send(*, user_id: uuid.UUID | str) -> bool:
    """Email a new account its set-up link; return whether an email was sent.

    Nothing is sent once the account is set up or deactivated.
    """
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or not may_set_up_account(user):
            return False
        audit_record(actor=None, verb=Verb.ACCOUNT_SETUP_EMAILED, target=user)
        link = settings.ORDERWATCH_BASE_URL.rstrip("/") + reverse(
            "accounts:account-setup-link",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": account_setup_tokens.make_token(user),
            },
        )
    # After the commit: an email never goes out for a send that was not recorded.
    account_setup_email(
        to=user.email, link=link, hours=settings.ORDERWATCH_ACCOUNT_SETUP_HOURS
    ).send()
    return True


@transaction.atomic(durable=True)
def account_setup_complete(*, uidb64: str, token: str, new_password: str) -> User:
    """Set a new account's first password from its set-up link, which then no longer works.

    The link is checked again with the account locked, so it works once even if sent twice.
    Two-factor set-up follows at sign-in, as for any account without an authenticator.
    """
    user = account_setup_user(uidb64=uidb64, token=token)
    if user is None:
        raise SetupLinkNotUsable
    user = User.objects.select_for_update().get(pk=user.pk)
    if not (may_set_up_account(user) and account_setup_tokens.check_token(user, token)):
        raise SetupLinkNotUsable
    try:
        password_validate(password=new_password, user=user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, verb=Verb.ACCOUNT_SET_UP, target=user, fields=["password"])
    return user
