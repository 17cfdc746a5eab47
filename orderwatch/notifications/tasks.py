"""Background work for notifications, through django-tasks. Thin: each task calls one service.

Queued with `transaction.on_commit` by the services; run by `manage.py run_worker` (or at once,
in-process, by the immediate backend in tests). Arguments are ids only, never personal data:
the task backend stores them.
"""

from django_tasks import task

from orderwatch.notifications import services


@task()
def notification_email_send(notification_id: str) -> bool:
    """Email a notification's recipient that there is an update (once, however often run)."""
    return services.notification_email_send(notification_id=notification_id)
