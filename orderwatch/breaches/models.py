"""Breaches, recorded the same complete way every time: report, record, consider, review.

Every part is either answered or explicitly "not known"; nothing is left silently blank.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.cases.models import Case
from orderwatch.confidential.fields import EncryptedTextField, SealedTextField
from orderwatch.core.models import RecordedModel
from orderwatch.orders.models import Condition


class Known(models.TextChoices):
    """An answer that may be given, may be "none", or may honestly not be known."""

    GIVEN = "given", "Yes"
    NONE = "none", "No"
    NOT_KNOWN = "not_known", "Not known"


class Behaviour(models.TextChoices):
    """The kind of conduct, from least to most physically intrusive (used by pattern analysis)."""

    INDIRECT_CONTACT = "indirect_contact", "Indirect contact (messages, calls, letters)"
    ONLINE = "online", "Online (social media, posting, tracking)"
    THIRD_PARTY = "third_party", "Contact through children or other people"
    DIRECT_CONTACT = "direct_contact", "Direct contact in person"
    ATTENDING = "attending", "Going to the address or into the exclusion zone"
    FOLLOWING = "following", "Following or watching"
    THREATS = "threats", "Threats"
    DAMAGE = "damage", "Damage to property"
    VIOLENCE = "violence", "Violence"
    OTHER = "other", "Something else"


class Happened(models.Model):
    """When something happened, stored as precisely as it is known (see occurrence.py)."""

    happened_precision = models.CharField(
        max_length=16, choices=[(p.value, p.value) for p in Precision]
    )
    happened_on = models.DateField(help_text="The day, or the first day of a range.")
    happened_at_time = models.TimeField(null=True, blank=True)
    happened_until = models.DateField(null=True, blank=True, help_text="The last day of a range.")

    class Meta:
        abstract = True

    @property
    def occurrence(self) -> Occurrence:
        return Occurrence(
            Precision(self.happened_precision),
            self.happened_on,
            self.happened_at_time,
            self.happened_until,
        )


class Breach(RecordedModel, Happened):
    class Severity(models.IntegerChoices):
        LOW = 1, "Low"
        MODERATE = 2, "Moderate"
        HIGH = 3, "High"
        SEVERE = 4, "Severe"

    class ReportedBy(models.TextChoices):
        VICTIM_SURVIVOR = "victim_survivor", "The victim-survivor"
        WITNESS = "witness", "A witness"
        PROFESSIONAL = "professional", "A professional"
        OTHER = "other", "Someone else"

    class Location(models.TextChoices):
        PROTECTED_ADDRESS = "protected_address", "At the protected address"
        NEAR_PROTECTED_ADDRESS = "near_protected_address", "Near the protected address"
        EXCLUSION_ZONE = "exclusion_zone", "In an exclusion zone named in the order"
        SCHOOL_OR_WORK = "school_or_work", "At a school, nursery or workplace"
        PUBLIC_PLACE = "public_place", "In a public place"
        ONLINE_OR_PHONE = "online_or_phone", "Online or by phone"
        OTHER = "other", "Somewhere else"
        NOT_KNOWN = "not_known", "Not known"

    class PoliceMethod(models.TextChoices):
        EMERGENCY = "999", "999"
        NON_EMERGENCY = "101", "101"
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"

    class Action(models.TextChoices):
        POLICE_REPORT = "police_report", "Reported to the police"
        ARREST = "arrest", "The respondent was arrested"
        SUPPORT_REFERRAL = "support_referral", "Referral to a support agency"
        MARAC_REFERRAL = "marac_referral", "MARAC referral"
        OTHER = "other", "Something else"
        NOTHING_YET = "nothing_yet", "Nothing yet"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="breaches")

    # Record: who told the practitioner, and when; when and where it happened; what happened.
    reported_to_practitioner_at = models.DateTimeField()
    reported_by = models.CharField(max_length=32, choices=ReportedBy.choices)
    reported_by_details = SealedTextField(max_length=200, blank=True)
    # When it happened: from Happened.
    location = models.CharField(max_length=32, choices=Location.choices)
    location_details = SealedTextField(blank=True)
    what_happened = SealedTextField()
    behaviours = models.JSONField(help_text="Behaviour values, at least one.")
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)

    # Report: police, probation, other agencies.
    police_reported = models.BooleanField()
    police_reported_on = models.DateField(null=True, blank=True)
    police_method = models.CharField(max_length=16, choices=PoliceMethod.choices, blank=True)
    police_reference = models.CharField(max_length=100, blank=True)
    police_officer = SealedTextField(
        max_length=200, blank=True, help_text="Blank when the officer is not known."
    )
    not_reported_reason = SealedTextField(blank=True)
    not_reported_resolution = SealedTextField(
        blank=True, help_text="Why it will not be reported, agreed after it was recorded."
    )
    respondent_supervised = models.CharField(max_length=16, choices=Known.choices)
    probation_informed_on = models.DateField(null=True, blank=True)
    other_agencies = models.CharField(max_length=16, choices=Known.choices)
    other_agencies_details = SealedTextField(blank=True)

    # Consider: who else was there, witnesses, which conditions and how, what was done.
    others_present = models.CharField(max_length=16, choices=Known.choices)
    others_present_details = SealedTextField(blank=True)
    witnesses = models.CharField(max_length=16, choices=Known.choices)
    witness_details = EncryptedTextField(
        blank=True, help_text="Names and how to contact them. Encrypted; shown only with a reason."
    )
    conditions = models.ManyToManyField(
        Condition, through="BreachedCondition", related_name="breaches"
    )
    matches_no_condition = models.BooleanField(default=False)
    actions = models.JSONField(help_text="Action values, at least one.")
    action_details = SealedTextField(blank=True)

    class Meta:
        ordering = ["-happened_on", "-happened_at_time", "-created_at"]
        verbose_name_plural = "breaches"
        constraints = [
            models.CheckConstraint(
                condition=Q(police_reported=False)
                | (
                    Q(police_reported_on__isnull=False)
                    & ~Q(police_method="")
                    & ~Q(police_reference="")
                ),
                name="a_police_report_has_when_how_and_a_reference",
            ),
            models.CheckConstraint(
                condition=Q(police_reported=True)
                | ~Q(not_reported_reason="")
                | ~Q(not_reported_resolution=""),
                name="an_unreported_breach_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(happened_precision="range")
                | Q(happened_until__isnull=False, happened_until__gt=models.F("happened_on")),
                name="a_range_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["case", "happened_on"])]

    def __str__(self) -> str:
        return f"breach on {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("breaches:detail", kwargs={"case_id": self.case_id, "breach_id": self.pk})

    @property
    def is_incident(self) -> bool:
        """Conduct that matches no condition of an order: an incident, not a breach (ADR 0030)."""
        return self.matches_no_condition

    @property
    def kind_word(self) -> str:
        """Return "incident" or "breach", as the record is named in a sentence."""
        return "incident" if self.is_incident else "breach"

    @property
    def heading(self) -> str:
        """Return how the record is headed: "Incident: …" or "Breach: …", with when it was."""
        return f"{self.kind_word.capitalize()}: {self.occurrence.label()}"

    @property
    def police_report_outstanding(self) -> bool:
        """A breach not reported to the police stays flagged until it is, or a decision is made."""
        return not self.police_reported and not self.not_reported_resolution

    def behaviour_labels(self) -> list[str]:
        return [Behaviour(value).label for value in self.behaviours]

    def action_labels(self) -> list[str]:
        return [self.Action(value).label for value in self.actions]


class BreachedCondition(models.Model):
    """Which condition of which order the conduct breached, and how."""

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="breached")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="+")
    how = SealedTextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["breach", "condition"], name="a_condition_once"),
        ]

    def __str__(self) -> str:
        return f"{self.condition} in {self.breach}"
