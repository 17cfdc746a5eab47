"""Reading a client's webhook and its delivery log, for its agency's administrators."""

from django.db.models import QuerySet

from orderwatch.clients.models import ApiClient
from orderwatch.webhooks.models import Webhook, WebhookDelivery

LOG_LENGTH = 20


def client_webhook(*, client: ApiClient) -> Webhook | None:
    """Return the client's webhook, if it has one. `client` comes from `access_api_client`."""
    return Webhook.objects.select_related("created_by").filter(client=client).first()


def webhook_log(*, webhook: Webhook) -> QuerySet[WebhookDelivery]:
    """Return the webhook's latest deliveries, newest first: the events' numbers and kinds and
    how each attempt ended, never what the receiver answered."""
    return (
        WebhookDelivery.objects.filter(webhook=webhook)
        .select_related("entry")
        .only(
            "status",
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "created_at",
            "entry__id",
            "entry__kind",
        )
        .order_by("-created_at", "-entry_id")[:LOG_LENGTH]
    )
