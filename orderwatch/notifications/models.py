"""In-app notifications: a nudge to a case-team member that something happened on a case.

The message is built from the kind and the case reference only, so it never holds a name,
an address or any case detail. A notification may also be emailed (see services); its email
says less still: only that there is an update, and a link to this notification.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

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
        INCIDENT_RECORDED = (
            "incident_recorded",
            "An incident that matches no condition was recorded",
        )
        REVIEW_OVERDUE = "review_overdue", "A safety plan review is overdue"
        DIARY_ENTRY_ADDED = "diary_entry_added", "The victim-survivor added a diary entry"
        MEMBER_ADDED = "member_added", "You were added to a case"
        CASE_CLOSED = "case_closed", "A case was closed"
        CASE_REOPENED = "case_reopened", "A case was reopened"

    class EmailStatus(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not emailed"
        PENDING = "pending", "Waiting to be emailed"
        SENT = "sent", "Emailed"
        FAILED = "failed", "Email failed every attempt"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    link = models.CharField(max_length=200, help_text="A path in the service; ids only.")
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.NOT_NEEDED
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_attempted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest attempt to email it started."
    )
    email_attempt_task = models.UUIDField(
        null=True,
        blank=True,
        help_text="The worker's task making the latest attempt; None if made outside a worker.",
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    last_email_error = models.CharField(
        max_length=200,
        blank=True,
        help_text="The kind of the latest failure, never its message (that may hold an address).",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["email_status", "created_at"],
                condition=Q(email_status__in=["pending", "failed"]),
                name="notification_email_outstanding",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_status="sent", emailed_at__isnull=False)
                | (~Q(email_status="sent") & Q(emailed_at__isnull=True)),
                name="notification_emailed_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        return f"{self.get_kind_display()} on case {self.case.reference}"
