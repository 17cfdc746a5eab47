"""Who needs to know about a case's orders, what they were told, and what happened since.

A party's state (informed, not yet informed, needs updating) is not stored: it follows from
the time its latest share covers and the time of the latest event on the case that everyone
must hear about (`SharingEvent`), so it can never go stale.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from orderwatch.cases.models import Case
from orderwatch.confidential.fields import EncryptedTextField, SealedTextField
from orderwatch.core.models import RecordedModel


class Party(RecordedModel):
    """An agency or named professional around the family who needs to know about the order.

    Either an OrderWatch user (not necessarily on the case team) or an external contact.
    """

    class Kind(models.TextChoices):
        SCHOOL = "school", "School or nursery"
        GP = "gp", "GP"
        HEALTH_VISITOR = "health_visitor", "Health visitor"
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
        EARLY_HELP = "early_help", "Early Help"
        POLICE = "police", "Police"
        PROBATION = "probation", "Probation"
        IDVA = "idva", "IDVA"
        HOUSING = "housing", "Housing"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when they use OrderWatch; then name and organisation come from it.",
    )
    name = SealedTextField(max_length=200, blank=True)
    role = SealedTextField(max_length=200, blank=True)
    organisation = SealedTextField(max_length=200, blank=True)
    contact_details = EncryptedTextField(
        blank=True,
        help_text="A secure email address or direct line. Encrypted; shown only on request.",
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, name="", organisation="")
                | (Q(user__isnull=True) & ~Q(name="") & ~Q(organisation="")),
                name="a_party_is_a_user_or_a_named_external_contact",
            ),
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(user__isnull=False),
                name="a_user_is_a_party_once_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:list", kwargs={"case_id": self.case_id}) + f"#party-{self.pk}"

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user_id else self.name

    @property
    def display_organisation(self) -> str:
        return self.user.agency.name if self.user_id else self.organisation


# Room for a sentence: why this party needed it, not an account of the case.
PURPOSE_MAX_LENGTH = 200


class Share(RecordedModel):
    """One time information was shared with a party: what, when, how, why, and why it was
    lawful.

    `created_by` is who shared it. The protected address itself is never stored here, only
    whether it was included and why.
    """

    class What(models.TextChoices):
        ORDER_SUMMARY = "order_summary", "Order summary"
        ORDER_COPY = "order_copy", "Copy of the order"
        BREACH_DETAILS = "breach_details", "Breach details"
        SAFETY_PLAN = "safety_plan", "Safety plan"

    class How(models.TextChoices):
        SECURE_EMAIL = "secure_email", "Secure email"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        LETTER = "letter", "Letter"
        MEETING = "meeting", "Meeting"
        OTHER = "other", "Another way"

    class LawfulBasis(models.TextChoices):
        SAFEGUARDING = (
            "safeguarding",
            "Safeguarding: Data Protection Act 2018, Schedule 1, paragraph 18 (safeguarding "
            "of children and of individuals at risk)",
        )
        SAFEGUARDING_LAW_ENFORCEMENT = (
            "safeguarding_law_enforcement",
            "Safeguarding, shared by police or probation for law enforcement purposes: Data "
            "Protection Act 2018, Schedule 8, paragraph 4 (safeguarding of children and of "
            "individuals at risk)",
        )
        CONSENT = "consent", "Consent: the person it is about agreed to it being shared"
        OTHER = "other", "Other – explain"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shares")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="shares")
    what = models.JSONField(help_text="What values, at least one.")
    shared_on = models.DateField()
    how = models.CharField(max_length=16, choices=How.choices)
    how_details = SealedTextField(max_length=200, blank=True)
    purpose = SealedTextField(
        max_length=PURPOSE_MAX_LENGTH,
        blank=True,
        help_text="Why it was shared, in a few words. Blank only on shares recorded before "
        "it was asked.",
    )
    lawful_basis = models.CharField(max_length=32, choices=LawfulBasis.choices)
    lawful_basis_details = SealedTextField(blank=True)
    told_what_to_do_on_breach = models.BooleanField()
    address_included = models.BooleanField(default=False)
    address_reason = SealedTextField(blank=True)
    informed_as_of = models.DateTimeField(
        help_text="Events recorded up to this moment are covered by this share: when it was "
        "recorded, or the end of the day it was shared if that is earlier."
    )

    class Meta:
        ordering = ["-shared_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(address_included=False) | ~Q(address_reason=""),
                name="an_included_address_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(lawful_basis="other") | ~Q(lawful_basis_details=""),
                name="another_lawful_basis_is_explained",
            ),
            models.CheckConstraint(
                condition=~Q(how="other") | ~Q(how_details=""),
                name="another_way_of_sharing_is_described",
            ),
        ]
        indexes = [models.Index(fields=["party", "informed_as_of"])]

    def __str__(self) -> str:
        return f"share on {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:list", kwargs={"case_id": self.case_id}) + "#log"

    def what_labels(self) -> list[str]:
        return [self.What(value).label for value in self.what]


class SharingEvent(RecordedModel):
    """Something on the case everyone who needs to know must hear about: a new order, a
    variation, an extension or a breach. Anyone told before it needs updating."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sharing_events")
    kind = models.CharField(max_length=32, help_text="The notification kind of the event.")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case}"
