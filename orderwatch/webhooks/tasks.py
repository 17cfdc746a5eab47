"""Background work for webhooks, through django-tasks. Thin: each task calls one service.

Queued by `send_webhooks` (the scheduled job) outside any transaction; arguments are ids only.
"""

from django_tasks import task

from orderwatch.webhooks import services


@task()
def webhook_delivery_send(delivery_id: str) -> bool:
    """Try a webhook delivery once, if it is due (once, however often run)."""
    return services.webhook_delivery_send(delivery_id=delivery_id)
