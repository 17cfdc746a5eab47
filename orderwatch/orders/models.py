"""Protective orders: the catalogue of order types, orders on a case, their conditions, copies
and changes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from orderwatch.cases.models import Case, CasePerson
from orderwatch.confidential.fields import EncryptedTextField, SealedTextField
from orderwatch.core.govuk_dates import day_label
from orderwatch.core.models import RecordedModel


class OrderType(models.Model):
    """One kind of order in one jurisdiction, as data (loaded from orders/catalogue/*.json)."""

    class Route(models.TextChoices):
        CRIMINAL = "criminal", "Criminal court"
        CIVIL = "civil", "Civil or family court"
        POLICE = "police", "Police"

    code = models.SlugField(max_length=64, unique=True)
    catalogue = models.CharField(max_length=16, help_text="For example, uk")
    catalogue_version = models.CharField(max_length=32)
    name = models.CharField(max_length=120)
    legal_basis = models.TextField()
    route = models.CharField(max_length=16, choices=Route.choices)
    breach_is_offence = models.BooleanField()
    breach = models.TextField()
    max_penalty = models.TextField()
    usual_duration = models.TextField()
    fixed_maximum_days = models.PositiveIntegerField(null=True, blank=True)
    extension_and_variation = models.TextField()
    who_applies = models.TextField()
    alternatives = models.ManyToManyField("self", symmetrical=False, blank=True)
    uncertain = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def today_local():
    """Return today's date here (a new order is looked at by the next reminder sweep)."""
    return timezone.localdate()


class Order(RecordedModel):
    """A protective order on a case. Its status is worked out from dates and changes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="orders")
    order_type = models.ForeignKey(OrderType, on_delete=models.PROTECT, related_name="+")
    court = models.CharField(max_length=200, blank=True)
    court_reference = models.CharField(max_length=100, blank=True)
    respondent = models.ForeignKey(
        CasePerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    protected_people = models.ManyToManyField(CasePerson, related_name="protecting_orders")
    made_on = models.DateField()
    served_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    copy_checked_at = models.DateTimeField(null=True, blank=True)
    copy_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The reminder sweep's bookkeeping: the day it next has something to do for this order
    # (a reminder point, or the day after the end), None when nothing is left.
    next_reminder_on = models.DateField(null=True, blank=True, default=today_local)

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        indexes = [
            models.Index(
                fields=["next_reminder_on"],
                condition=Q(next_reminder_on__isnull=False),
                name="order_next_reminder",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(until_further_order=True, ends_on__isnull=True)
                | Q(until_further_order=False, ends_on__isnull=False),
                name="order_has_an_end_date_or_runs_until_further_order",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="order_ends_on_or_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_type} on {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", kwargs={"case_id": self.case_id, "order_id": self.pk})


class Condition(RecordedModel):
    """One thing the order forbids or requires, in the order's own words."""

    class Kind(models.TextChoices):
        NO_DIRECT_CONTACT = "no_direct_contact", "No direct contact"
        NO_INDIRECT_CONTACT = (
            "no_indirect_contact",
            "No indirect contact (letters, phone, messages, social media)",
        )
        NO_THIRD_PARTY_CONTACT = "no_third_party_contact", "No contact through someone else"
        EXCLUSION = "exclusion", "Not to go to an address or within an area"
        NO_VIOLENCE = "no_violence", "Not to use or threaten violence"
        NO_HARASSMENT = "no_harassment", "Not to intimidate, harass or pester"
        NO_POSTING = "no_posting", "Not to post about the person"
        OCCUPATION = "occupation", "Occupation of the home"
        OTHER = "other", "Something else"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="conditions")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    wording = SealedTextField(help_text="The exact words of the order.")
    protects = SealedTextField(
        max_length=300, blank=True, help_text="Who it protects, for example the children."
    )
    place = EncryptedTextField(
        blank=True, help_text="An address or area it names. Kept confidential, like the address."
    )
    exceptions = SealedTextField(blank=True)
    ended_on = models.DateField(
        null=True, blank=True, help_text="When a variation or the court removed this condition."
    )
    ended_reason = SealedTextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class OrderChange(RecordedModel):
    """A variation, extension or discharge, with what changed and when."""

    class Kind(models.TextChoices):
        VARIED = "varied", "Varied"
        EXTENDED = "extended", "Extended"
        DISCHARGED = "discharged", "Discharged"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    made_on = models.DateField()
    new_ends_on = models.DateField(null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    what_changed = SealedTextField()

    class Meta:
        ordering = ["made_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="extended")
                | Q(new_ends_on__isnull=False, until_further_order=False)
                | Q(new_ends_on__isnull=True, until_further_order=True),
                name="extension_has_a_new_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {day_label(self.made_on)}"


class OrderCopy(RecordedModel):
    """The sealed order, stored encrypted. Copies are added, never replaced in place."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="copies")
    file_name = models.CharField(max_length=200, help_text="Storage name, never the upload name.")
    content_type = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "order copies"

    def __str__(self) -> str:
        return f"copy of {self.order}"


class AddressChange(RecordedModel):
    """The victim-survivor has moved: the safe next step for the orders, agreed and recorded."""

    class NextStep(models.TextChoices):
        VARY = "vary", "Apply to vary the order"
        DO_NOT_VARY = "do_not_vary", "Do not vary the order"
        SEEK_ADVICE = "seek_advice", "Seek legal advice first"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="address_changes")
    previous_address = EncryptedTextField(
        blank=True, help_text="The protected address before the move, kept for the history."
    )
    moved_on = models.DateField(null=True, blank=True)
    disclosure_risk = SealedTextField()
    discussion = SealedTextField()
    next_step = models.CharField(max_length=16, choices=NextStep.choices)
    reason = SealedTextField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"address change on {self.case}"
