"""How long a closed case is kept (its retention review) and the legal holds that stop its
disposal until they are lifted (ADR 0038)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from orderwatch.accounts.models import Agency
from orderwatch.cases.models import Case
from orderwatch.confidential.fields import SealedTextField
from orderwatch.core.models import RecordedModel


class LegalHold(RecordedModel):
    """A reason the case's records must not be disposed of, until someone lifts it."""

    class Kind(models.TextChoices):
        PROCEEDINGS = "proceedings", "Criminal or civil proceedings"
        INQUIRY = "inquiry", "An inquiry or inquest"
        COMPLAINT = "complaint", "A complaint"
        DOMESTIC_HOMICIDE_REVIEW = "domestic_homicide_review", "A domestic homicide review"
        OTHER = "other", "Another reason"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_holds")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    other_reason = SealedTextField(max_length=500, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = SealedTextField(max_length=500, blank=True)

    class Meta:
        ordering = ["case", "placed_at"]
        indexes = [models.Index(fields=["case"], condition=Q(lifted_at__isnull=True), name="held")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="other") | ~Q(other_reason=""),
                name="legal_hold_other_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | (Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="legal_hold_lifted_by_someone_with_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.case.reference}"

    @property
    def is_lifted(self) -> bool:
        return self.lifted_at is not None

    @property
    def reason(self) -> str:
        """The reason in words: the kind, or the text given for another reason."""
        return self.other_reason if self.kind == self.Kind.OTHER else self.get_kind_display()


class CaseRetention(RecordedModel):
    """A closed case's retention class and review date, worked out when it closed from the
    schedule then in force (`schedule.py`); a reopened case has none."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="retention")
    closed_on = models.DateField()
    retention_class = models.CharField(max_length=64)
    classes = models.JSONField(default=list)
    review_on = models.DateField(db_index=True)
    confirm_before_disposal = models.BooleanField(default=False)
    schedule_version = models.CharField(max_length=32)

    class Meta:
        ordering = ["review_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gte=models.F("closed_on")),
                name="retention_review_not_before_closing",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention of {self.case.reference}"


class DisposalBatch(RecordedModel):
    """Cases whose records an agency administrator confirmed for disposal together (ADR 0041).

    Kept for good, with its cases' tombstones: who confirmed it, when, for which agency.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name_plural = "disposal batches"

    def __str__(self) -> str:
        return f"Disposal batch of {self.confirmed_at:%Y-%m-%d}"


class CaseDisposal(models.Model):
    """The tombstone of a case whose records were disposed of: its reference and dates, the
    class it was kept under, and the batch that disposed of it. Nothing about any person."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="disposal")
    batch = models.ForeignKey(DisposalBatch, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=16, unique=True)
    opened_on = models.DateField()
    closed_on = models.DateField()
    retention_class = models.CharField(max_length=64)
    review_on = models.DateField()
    disposed_at = models.DateTimeField()

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"Disposal of {self.reference}"
