"""A case: the victim-survivor at its centre, the people around them, and the case team."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from orderwatch.accounts.models import Agency, User
from orderwatch.confidential.fields import (
    EncryptedTextField,
    SealedDateField,
    SealedJSONField,
    SealedTextField,
)
from orderwatch.core.models import RecordedModel

# Crockford-style alphabet: no I, L, O or U, so references read aloud without confusion.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_case_reference() -> str:
    """Return a random reference such as OW-7K3M9Q: no names, no sequence to count cases by."""
    return "OW-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


class Case(RecordedModel):
    """The work around one victim-survivor. Its reference is safe to use anywhere."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        # Its records were disposed of at the end of their retention (ADR 0041): the row stays
        # as the tombstone, with its reference and dates and nothing else.
        DISPOSED = "disposed", "Records disposed of"

    reference = models.CharField(max_length=16, unique=True, default=new_case_reference)
    protected_address = EncryptedTextField(
        blank=True,
        help_text="The victim-survivor's address. Encrypted; revealed only with a reason.",
    )
    version = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text="Moves on with every write to the case (each takes the case's row lock), so "
        "what was worked out from the case can be kept until it changes.",
    )
    sources_version = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text="Moves on with every write that may change what the pattern is read from, "
        "all but adding a breach (the pattern check reads new breaches by their ids) or an "
        "evidence item that is not an incident.",
    )
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.OPEN,
        help_text="A closed case is read-only, off My cases, and has no reminders (ADR 0037).",
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last closed; None while it is open."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status__in=["closed", "disposed"], closed_at__isnull=False),
                name="closed_at_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"case_id": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_disposed(self) -> bool:
        return self.status == self.Status.DISPOSED


class CasePerson(RecordedModel):
    """Someone the case is about or who is part of it."""

    class Role(models.TextChoices):
        VICTIM_SURVIVOR = "victim_survivor", "Victim-survivor"
        RESPONDENT = "respondent", "Respondent"
        CHILD = "child", "Child"
        HOUSEHOLD_MEMBER = "household_member", "Other household member"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=32, choices=Role.choices)
    given_name = SealedTextField(max_length=100)
    family_name = SealedTextField(max_length=100, blank=True)
    date_of_birth = SealedDateField(null=True, blank=True)
    aliases = SealedJSONField(
        default=list, blank=True, help_text="Other names this person is known by."
    )

    class Meta:
        ordering = ["case", "role", "created_at"]  # names are sealed: sort them in Python
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="victim_survivor"),
                name="one_victim_survivor_per_case",
            ),
        ]
        verbose_name_plural = "case people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


# Who can be on a case team: the professionals who work with families.
TEAM_ROLES = (User.Role.PRACTITIONER, User.Role.TEAM_MANAGER)


class Capacity(models.TextChoices):
    """The usual capacities on a case team; anything else is written in ("Other")."""

    OFFICER_IN_THE_CASE = "officer_in_the_case", "Officer in the case"
    PROBATION_OFFICER = "probation_officer", "Probation officer"
    ALLOCATED_IDVA = "allocated_idva", "Allocated IDVA"
    SOCIAL_WORKER = "social_worker", "Social worker"
    EARLY_HELP_WORKER = "early_help_worker", "Early Help worker"
    SCHOOL_DSL = "school_dsl", "School designated safeguarding lead"
    HEALTH = "health", "Health professional"
    HOUSING = "housing", "Housing officer"
    OTHER = "other", "Other"


class CaseTeamMembership(RecordedModel):
    """A professional on a case team, from which agency and in which capacity.

    Leaving the team ends access at once; the row stays so the history is kept. Being on the
    team does not by itself allow revealing the protected address: the lead grants that.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="team_memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(max_length=100, help_text="For example, allocated IDVA")
    is_lead = models.BooleanField(default=False)
    may_see_address = models.BooleanField(
        default=False, help_text="The lead has allowed them to reveal the protected address."
    )
    left_at = models.DateTimeField(null=True, blank=True)
    left_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-is_lead", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(left_at__isnull=True),
                name="one_active_membership_per_user_and_case",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_lead=True, left_at__isnull=True),
                name="one_lead_per_case",
            ),
        ]
        indexes = [models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.case}"


class CaseTeamChange(RecordedModel):
    """A change to the case team, with why: the team's history on the page and in the
    chronology (`created_by` made it, `created_at` is when)."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added to the case team"
        REMOVED = "removed", "Removed from the case team"
        LEAD_HANDED_OVER = "lead_handed_over", "Became the lead"
        ADDRESS_ACCESS_GRANTED = "address_access_granted", "Allowed to see the protected address"
        ADDRESS_ACCESS_WITHDRAWN = (
            "address_access_withdrawn",
            "No longer allowed to see the protected address",
        )

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="team_changes")
    membership = models.ForeignKey(
        CaseTeamMembership, on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"


class CaseClosure(RecordedModel):
    """A case closed or reopened, with why: its history on the page, in the chronology, and for
    the retention rules that count from the closing (`created_by` did it, `created_at` is when).
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", "Case closed"
        REOPENED = "reopened", "Case reopened"

    class Reason(models.TextChoices):
        ORDERS_ENDED = (
            "orders_ended",
            "The orders have ended and no further order is needed",
        )
        TRANSFERRED = (
            "transferred",
            "The victim-survivor moved out of the area and the case was transferred",
        )
        SUPPORT_ENDED = (
            "support_ended",
            "Support ended at the victim-survivor's wish",
        )
        OTHER = "other", "Another reason"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closures")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(
        max_length=32, choices=Reason.choices, blank=True, help_text="Closing only."
    )
    reason_text = SealedTextField(
        blank=True, help_text="In the person's words: required to reopen, and for another reason."
    )
    decisions = models.JSONField(
        default=dict,
        blank=True,
        help_text="What was decided for each open item on the closing checklist: ids and "
        "decision codes only, never text.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="reopened", reason="") | (Q(kind="closed") & ~Q(reason="")),
                name="closing_has_a_reason_reopening_has_none",
            ),
        ]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.case}"
