"""In-app notifications: a nudge to a case-team member that something happened on a case.

The message is built from the kind and the case reference only, so it never holds a name,
an address or any case detail.
"""

from django.conf import settings
from django.db import models

from orderwatch.cases.models import Case
from orderwatch.core.models import RecordedModel


class Notification(RecordedModel):
    class Kind(models.TextChoices):
        ORDER_ADDED = "order_added", "An order was recorded"
        ORDER_VARIED = "order_varied", "An order was varied"
        ORDER_EXTENDED = "order_extended", "An order was extended"
        ORDER_DISCHARGED = "order_discharged", "An order was discharged"
        ORDER_ENDING = "order_ending", "An order is ending soon"
        ORDER_EXPIRED = "order_expired", "An order has ended"
        BREACH_RECORDED = "breach_recorded", "A breach was recorded"
        REVIEW_OVERDUE = "review_overdue", "A safety plan review is overdue"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    link = models.CharField(max_length=200, help_text="A path in the service; ids only.")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        return f"{self.get_kind_display()} on case {self.case.reference}"
