"""Documents prepared in the background (PDFs now; the evidence bundle next) for one person.

A prepared document may hold what its requester chose to include (the protected address in an
order summary), so only they may see or download it, and its file is deleted a while after it
is ready. Its build is tracked here, whatever task backend runs it, so a failed build is
retried and stays visible.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from orderwatch.cases.models import Case
from orderwatch.core.models import RecordedModel


class Export(RecordedModel):
    class Kind(models.TextChoices):
        ORDER_SUMMARY = "order_summary", "Order summary"
        CHRONOLOGY = "chronology", "Chronology"
        EVIDENCE_BUNDLE = "evidence_bundle", "Evidence bundle"
        CASE_RECORD = "case_record", "Case record"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be prepared"
        BUILDING = "building", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"
        EXPIRED = "expired", "No longer available"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="exports")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    parameters = models.JSONField(
        default=dict, blank=True, help_text="What it holds: ids and choices only, never text."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0, help_text="0 while not known.")
    attempts = models.PositiveSmallIntegerField(default=0)
    attempted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest attempt to build it started."
    )
    attempt_task = models.UUIDField(
        null=True,
        blank=True,
        help_text="The worker's task making the latest attempt; None if made outside a worker.",
    )
    last_error = models.CharField(
        max_length=200,
        blank=True,
        help_text="The kind of the latest failure, never its message (that may hold data).",
    )
    file_name = models.CharField(max_length=255, blank=True, help_text="Encrypted at rest.")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["queued", "building", "ready"]),
                name="export_outstanding",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="ready", ready_at__isnull=False, expires_at__isnull=False)
                    & ~Q(file_name="")
                )
                | (~Q(status="ready") & Q(file_name="")),
                name="export_file_iff_ready",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("exports:detail", kwargs={"case_id": self.case_id, "export_id": self.pk})

    @property
    def is_expired(self) -> bool:
        """Whether its file is gone, or due to go (the sweep deletes it soon after)."""
        if self.status == self.Status.EXPIRED:
            return True
        return self.status == self.Status.READY and self.expires_at <= timezone.now()

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.BUILDING}
