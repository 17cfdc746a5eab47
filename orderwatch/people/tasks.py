"""Background work for agency administration, through django-tasks. Thin: each task calls one
service, with an account's id only (never an email address)."""

from django_tasks import task

from orderwatch.people.services import person_authenticator_reset_email_send


@task()
def authenticator_reset_email_send(user_id: str) -> bool:
    """Tell someone that their administrator reset their authenticator app."""
    return person_authenticator_reset_email_send(user_id=user_id)
