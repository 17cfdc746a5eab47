"""Webhooks: an API client's address that is sent each case event it may see, signed (ADR 0045).

A webhook keeps the number of the last event entry it has looked at, as a reader of the feed
keeps its `next`; each event it may see becomes a delivery, tried until the receiver answers
2xx or the retries run out. The delivery log says when and how each attempt ended, never what
the receiver answered.
"""

import uuid

from django.db import models
from django.utils import timezone

from orderwatch.clients.models import ApiClient
from orderwatch.confidential.fields import EncryptedTextField
from orderwatch.core.models import RecordedModel
from orderwatch.events.models import CaseEventEntry


class Webhook(RecordedModel):
    client = models.OneToOneField(ApiClient, on_delete=models.CASCADE, related_name="webhook")
    url = models.URLField(max_length=500)
    # Shown once when made; sealed at rest, read only to sign a delivery.
    secret = EncryptedTextField()
    after = models.BigIntegerField(
        default=0, help_text="The last event entry looked at: later ones are still to come."
    )

    def __str__(self) -> str:
        return f"Webhook of {self.client}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        STOPPED = "stopped", "Not sent"

    class Error(models.TextChoices):
        STATUS = "status", "Answered with an error"
        REDIRECT = "redirect", "Answered with a redirect"
        TIMEOUT = "timeout", "Did not answer in time"
        CONNECTION = "connection", "Could not connect"
        TLS = "tls", "Secure connection failed"
        ADDRESS = "address", "Address refused"
        ACCESS_ENDED = "access_ended", "The client's access ended"
        CASE_NOT_SEEN = "case_not_seen", "The client no longer works on the case"

    # Sent as X-OrderWatch-Delivery, the same on every attempt, so a receiver can drop repeats.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    entry = models.ForeignKey(CaseEventEntry, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=16, choices=Error.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "entry"], name="one_delivery_per_event"),
            models.CheckConstraint(
                condition=models.Q(status="pending", next_attempt_at__isnull=False)
                | (~models.Q(status="pending") & models.Q(next_attempt_at__isnull=True)),
                name="only_waiting_deliveries_are_due",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"Delivery {self.pk}"
