"""Evidence items on a case, their encrypted files, and the case's hash chain of them.

Items are never edited: a correction is a new item that refers to the earlier one, and a
removal is a recorded, reasoned action. The bytes of a removed item's files may go; every
record stays, so the chain can still be checked.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse

from orderwatch.breaches.models import Behaviour, Breach, Happened
from orderwatch.cases.models import Case
from orderwatch.confidential.fields import SealedTextField
from orderwatch.core.models import RecordedModel
from orderwatch.evidence import chain


def _is_sha256(field: str) -> Exact:
    return Exact(Length(field), 64)


class EvidenceKind(models.TextChoices):
    NOTE = "note", "Note"
    PHOTO = "photo", "Photo"
    SCREENSHOT = "screenshot", "Screenshot"
    AUDIO = "audio", "Audio recording"
    VIDEO = "video", "Video"
    DOCUMENT = "document", "Document"
    MESSAGE_LOG = "message_log", "Message log"
    CALL_LOG = "call_log", "Call log"


class AuthorKind(models.TextChoices):
    PRACTITIONER = "practitioner", "A practitioner"
    VICTIM_SURVIVOR = "victim_survivor", "The victim-survivor"


class EvidenceItem(RecordedModel, Happened):
    Kind = EvidenceKind
    AuthorKind = AuthorKind

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence_items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # When it happened: from Happened, as breaches store it.
    description = SealedTextField()
    author_kind = models.CharField(max_length=16, choices=AuthorKind.choices)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The earlier item on the same case that this one corrects.",
    )
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(happened_precision="range")
                | Q(happened_until__isnull=False, happened_until__gt=F("happened_on")),
                name="an_evidence_range_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="an_evidence_item_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(author_kind__in=AuthorKind.values), name="an_author_kind_is_known"
            ),
            models.CheckConstraint(
                condition=~Q(corrects=F("id")), name="an_item_does_not_correct_itself"
            ),
            models.CheckConstraint(
                condition=_is_sha256("content_sha256"), name="an_item_has_its_content_hash"
            ),
        ]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("evidence:detail", kwargs={"case_id": self.case_id, "item_id": self.pk})

    def chain_content(self, file_hashes: list[str]) -> chain.ItemContent:
        """Return what the item's hash covers, given its files' SHA-256 in the order added."""
        return chain.ItemContent(
            kind=self.kind,
            occurrence={
                "precision": self.happened_precision,
                "on": self.happened_on.isoformat(),
                "at": self.happened_at_time.isoformat() if self.happened_at_time else None,
                "until": self.happened_until.isoformat() if self.happened_until else None,
            },
            description=self.description,
            author_kind=self.author_kind,
            corrects=str(self.corrects_id) if self.corrects_id else None,
            file_hashes=file_hashes,
        )


class EvidenceFile(RecordedModel):
    """An original file of an item, stored encrypted and never modified."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="files")
    position = models.PositiveSmallIntegerField(help_text="Its place among the item's files.")
    stored_name = models.CharField(max_length=255, unique=True)
    original_name = SealedTextField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="When its bytes were deleted; the record stays."
    )

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="one_file_per_position"),
            models.CheckConstraint(condition=Q(size__gt=0), name="an_evidence_file_is_not_empty"),
            models.CheckConstraint(
                condition=_is_sha256("sha256"), name="an_evidence_file_has_its_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"file {self.position} of {self.item}"

    def get_absolute_url(self) -> str:
        return reverse(
            "evidence:file",
            kwargs={"case_id": self.item.case_id, "item_id": self.item_id, "file_id": self.pk},
        )


class EvidenceRemoval(RecordedModel):
    """Why and by whom an item was removed (its files' bytes are deleted; its record stays)."""

    item = models.OneToOneField(EvidenceItem, on_delete=models.PROTECT, related_name="removal")
    reason = SealedTextField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="a_removal_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"removal of {self.item}"


class EvidenceBreachLink(RecordedModel):
    """An item that is evidence of a breach on the same case."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="breach_links")
    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="evidence_links")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "breach"], name="an_item_links_a_breach_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} for {self.breach}"


class EvidenceIncident(RecordedModel):
    """A practitioner's judgement that an item records an incident, for pattern analysis.

    Kept apart from the item, whose content is hashed and never edited: a judgement may be
    changed or withdrawn (each change audited). An item linked to a breach is counted as that
    breach, not twice.
    """

    item = models.OneToOneField(EvidenceItem, on_delete=models.PROTECT, related_name="incident")
    behaviours = models.JSONField(help_text="Behaviour values (as for breaches), at least one.")
    severity = models.PositiveSmallIntegerField(
        choices=Breach.Severity.choices, null=True, blank=True, help_text="Blank: not rated."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__isnull=True) | Q(severity__gte=1, severity__lte=4),
                name="an_incident_severity_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"incident: {self.item}"

    def behaviour_labels(self) -> list[str]:
        return [Behaviour(value).label for value in self.behaviours]


class ChainEntry(models.Model):
    """One entry of a case's evidence chain. Written once, never updated."""

    class Kind(models.TextChoices):
        ADDED = chain.ADDED, "Added"
        REMOVED = chain.REMOVED, "Removed"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence_chain")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # No database constraint: the chain outlives its items when a case's records are disposed
    # of (ADR 0041). The entry keeps the item's id and hash, so the chain still verifies.
    item = models.ForeignKey(
        EvidenceItem,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="chain_entries",
    )
    item_hash = models.CharField(max_length=64)
    removal_hash = models.CharField(
        max_length=64, blank=True, help_text="For a removal: the hash of its reason."
    )
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "sequence"]
        verbose_name_plural = "chain entries"
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="one_entry_per_place"),
            models.UniqueConstraint(fields=["item", "kind"], name="an_item_added_removed_once"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="a_chain_starts_at_one"),
            models.CheckConstraint(
                condition=_is_sha256("entry_hash") & _is_sha256("previous_hash"),
                name="an_entry_has_its_hashes",
            ),
        ]
        # On PostgreSQL the database itself refuses to change or remove an entry.
        triggers = [
            pgtrigger.Protect(
                name="evidence_chain_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} on {self.case}"

    def as_entry(self) -> chain.Entry:
        return chain.Entry(
            sequence=self.sequence,
            kind=self.kind,
            item_id=str(self.item_id),
            item_hash=self.item_hash,
            removal_hash=self.removal_hash,
            previous_hash=self.previous_hash,
            recorded_at=self.recorded_at,
            author_id=str(self.author_id),
            entry_hash=self.entry_hash,
        )
