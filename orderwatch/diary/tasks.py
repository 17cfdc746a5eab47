"""Background work for diaries, through django-tasks. Thin: the argument is an id only, never
the address or a link's token, which is made when the email is sent."""

from django_tasks import task

from orderwatch.diary import services


@task()
def diary_setup_email_send(invite_id: str) -> bool:
    """Email the address chosen from an invitation (the set-up link, or that it is in use)."""
    return services.diary_setup_email_send(invite_id=invite_id)
