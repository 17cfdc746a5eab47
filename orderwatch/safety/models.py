"""Safety plans (actions, practical measures, reviews) and the case's risk level history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from orderwatch.cases.models import Case
from orderwatch.confidential.fields import SealedTextField
from orderwatch.core.models import RecordedModel
from orderwatch.tasks.models import Task


class SafetyPlan(RecordedModel):
    """The one current safety plan on a case. It changes through actions, measures and reviews."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="safety_plan")

    def __str__(self) -> str:
        return f"safety plan on {self.case}"


class SafetyAction(RecordedModel):
    """Something someone will do to keep the victim-survivor safer, and by when."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="actions")
    what = SealedTextField()
    who = SealedTextField(max_length=200, help_text="A person or an agency.")
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="a_done_safety_action_says_who_did_it",
            ),
        ]

    def __str__(self) -> str:
        return self.what


class SafetyMeasure(RecordedModel):
    """A practical safety measure: locks, an alarm, a school pick-up arrangement."""

    class Kind(models.TextChoices):
        LOCKS = "locks", "Locks or door security"
        ALARM = "alarm", "Alarm or panic button"
        LIGHTING = "lighting", "Outside lighting or cameras"
        PHONE = "phone", "Phone (safe phone, emergency numbers, location settings)"
        SANCTUARY = "sanctuary", "Sanctuary-type measures (a safe room)"
        SCHOOL = "school", "School or nursery pick-up arrangements"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PLACE = "in_place", "In place"

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    details = SealedTextField()
    status = models.CharField(max_length=16, choices=Status.choices)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class SafetyAgreement(RecordedModel):
    """A written agreement or statement of expectations with the family (for example through
    Early Help or children's social care), so the plan shows what was agreed and with whom."""

    class Kind(models.TextChoices):
        WRITTEN_AGREEMENT = "written_agreement", "Written agreement"
        STATEMENT_OF_EXPECTATIONS = "statement_of_expectations", "Statement of expectations"

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    made_with = SealedTextField(max_length=200, help_text="Who it is with: people or an agency.")
    agreed_on = models.DateField()
    says = SealedTextField(help_text="What it says, in brief.")
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("agreed_on")),
                name="an_agreement_is_reviewed_after_it_is_made",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SafetyReview(RecordedModel):
    """A look at the whole plan after something happened, and what changed because of it."""

    class AgreementsAnswer(models.TextChoices):
        YES = "yes", "Yes, they are still right"
        NO = "no", "No, they need to change"
        NONE = "none", "There are none with this family"

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="reviews")
    tasks = models.ManyToManyField(
        Task, blank=True, related_name="safety_reviews", help_text="The review tasks it completes."
    )
    what_changed = SealedTextField()
    # Blank only on reviews recorded before the question was asked.
    agreements_still_right = models.CharField(
        max_length=8, choices=AgreementsAnswer.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"review of {self.plan}"


class RiskAssessment(RecordedModel):
    """The case's risk level as set by a practitioner, and why. The newest is the current one."""

    class Level(models.TextChoices):
        STANDARD = "standard", "Standard"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_assessments")
    level = models.CharField(max_length=16, choices=Level.choices)
    reason = SealedTextField()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.get_level_display()} risk on {self.case}"
