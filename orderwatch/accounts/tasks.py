"""Background work for accounts, through django-tasks. Thin: each task calls one service.

Arguments are ids only, never personal data (the task backend stores them): the reset
request's or the new account's id, not the email address, and never a link's token, which is
made when sent.
"""

from django_tasks import task

from orderwatch.accounts import mfa
from orderwatch.accounts.services import passwords, setup


@task()
def password_reset_email_send(reset_request_id: str) -> bool:
    """Email the link for a password reset request, if its account may have one (once)."""
    return passwords.password_reset_email_send(reset_request_id=reset_request_id)


@task()
def account_setup_email_send(user_id: str) -> bool:
    """Email a new account its set-up link, if it is still not set up."""
    return setup.account_setup_email_send(user_id=user_id)


@task()
def authenticator_replaced_email_send(user_id: str) -> bool:
    """Tell a user their authenticator app was replaced."""
    return mfa.mfa_replaced_email_send(user_id=user_id)
