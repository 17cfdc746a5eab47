"""Tasks: something a named person on the case team must do by a date, and why it exists."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from orderwatch.cases.models import Case
from orderwatch.core.models import RecordedModel


class Task(RecordedModel):
    """One piece of work on a case. Done once, by someone; never deleted (but for duplicate open
    reviews merged into one by migration 0006, their reasons kept: ADR 0030)."""

    class Kind(models.TextChoices):
        SAFETY_REVIEW = "safety_review", "Review the safety plan"
        EXPIRY_DECISION = (
            "expiry_decision",
            "Consider extension or an alternative protective order",
        )
        SHARE = "share", "Tell someone who needs to know"
        NEW_LEAD = "new_lead", "Choose a new lead for the case"
        GENERAL = "general", "Task"

    class Origin(models.TextChoices):
        BREACH = "breach", "A breach was recorded"
        INCIDENT = "incident", "An incident that matches no condition was recorded"
        ADDRESS_CHANGE = "address_change", "The victim-survivor moved"
        ORDER_ENDED = "order_ended", "An order ended"
        ORDER_ENDING = "order_ending", "An order is ending soon"
        SHARING = "sharing", "Someone who needs to know has not been told"
        PATTERN = "pattern", "The pattern of incidents has changed"
        LEAD_DEACTIVATED = "lead_deactivated", "The lead's account was deactivated"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    due_on = models.DateField()
    origin = models.CharField(max_length=32, choices=Origin.choices)
    origin_id = models.UUIDField(help_text="The record whose event created the task.")
    origin_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="Which of the record's events, when it has several (e.g. 4 weeks before "
        "its end).",
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # For a task the team is alerted about when overdue: the day of the next alert.
    overdue_alert_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [
            # An event opens a task of a kind once, however often the code that opens it runs.
            models.UniqueConstraint(
                fields=["kind", "origin", "origin_id", "origin_key"],
                name="one_task_per_kind_and_event",
            ),
            # One open safety-plan review per case, gathering every reason for it (ADR 0030).
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="safety_review", done_at__isnull=True),
                name="one_open_safety_review_per_case",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="a_done_task_says_who_did_it",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_on"]),
            models.Index(
                fields=["overdue_alert_on"],
                condition=Q(overdue_alert_on__isnull=False, done_at__isnull=True),
                name="task_overdue_alert",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Return the page where the task is done."""
        if self.kind == self.Kind.SAFETY_REVIEW:
            return reverse("safety:plan", kwargs={"case_id": self.case_id})
        if self.kind == self.Kind.EXPIRY_DECISION:
            return reverse("reminders:decision", kwargs={"task_id": self.pk})
        if self.kind == self.Kind.NEW_LEAD:
            return reverse("cases:lead-needed", kwargs={"case_id": self.case_id})
        if self.kind == self.Kind.SHARE:
            return reverse("sharing:list", kwargs={"case_id": self.case_id})
        return reverse("cases:detail", kwargs={"case_id": self.case_id})

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class TaskReason(RecordedModel):
    """One event a safety-plan review answers; the case's open review gathers them (ADR 0030).

    Its `created_at` is when the reason was added. Each event is a reason once, so an event
    recorded again (a retry) neither reopens nor lengthens a review.
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reasons")
    origin = models.CharField(max_length=32, choices=Task.Origin.choices)
    origin_id = models.UUIDField(help_text="The record whose event is the reason.")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "origin_id"], name="one_reason_per_event"),
        ]

    def __str__(self) -> str:
        return self.get_origin_display()
