"""Expiry decisions, and the record that the reminder sweep has alerted a case team."""

from django.db import models
from django.db.models import Q

from orderwatch.confidential.fields import SealedTextField
from orderwatch.core.models import RecordedModel
from orderwatch.orders.models import Order, OrderType
from orderwatch.tasks.models import Task


class ExpiryDecision(RecordedModel):
    """What the team decided as an order's end approached, and why (who and when: created_*).

    It answers the expiry reminders open on the order when it was made, and closes them.
    """

    class Decision(models.TextChoices):
        EXTEND = "extend", "Apply to extend the order"
        ALTERNATIVE = "alternative", "Seek an alternative protective order"
        NO_FURTHER_ORDER = "no_further_order", "No further order is needed"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="expiry_decisions")
    ends_on = models.DateField(help_text="The end date the decision was made about.")
    tasks = models.ManyToManyField(Task, related_name="expiry_decisions")
    decision = models.CharField(max_length=32, choices=Decision.choices)
    alternative = models.ForeignKey(
        OrderType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The order to seek instead, from the catalogue's options for this order type.",
    )
    reason = SealedTextField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="alternative", alternative__isnull=False)
                | (~Q(decision="alternative") & Q(alternative__isnull=True)),
                name="an_alternative_is_named_only_when_seeking_one",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="an_expiry_decision_says_why"),
        ]

    def __str__(self) -> str:
        return self.get_decision_display()


class TeamAlert(models.Model):
    """That the sweep has alerted a case team about one event, so it never does so twice.

    Inserted in the same transaction as the notifications; the unique constraint makes a
    concurrent sweep's second insert fail instead of alerting again.
    """

    kind = models.CharField(max_length=32, help_text="The notification kind sent.")
    subject_id = models.UUIDField(help_text="The task or order the alert was about.")
    key = models.CharField(
        max_length=64, blank=True, help_text="Which occurrence (an end date, a repeat)."
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "key"], name="one_team_alert_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}".strip()
