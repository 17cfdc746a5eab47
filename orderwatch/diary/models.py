"""A victim-survivor's own diary: how they are invited to it, whose case it belongs to, and
what the lead chose to show in it (an order, their part of the safety plan).

The entries themselves are evidence items (orderwatch/evidence) written by the victim-survivor,
so they are hashed, chained and exported like every other item.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from orderwatch.cases.models import Case
from orderwatch.core.models import RecordedModel
from orderwatch.diary.breach_check import HAPPENED_LABELS
from orderwatch.evidence.models import EvidenceItem
from orderwatch.orders.models import Condition, Order
from orderwatch.safety.models import SafetyAction, SafetyMeasure


class DiaryInvite(RecordedModel):
    """A one-time link a practitioner gives the victim-survivor; only its hash is kept."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="diary_invites")
    secret_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a newer link replaces it."
    )
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Set-up answers sent from the link, taken or refused; it stops at a few.",
    )
    # The set-up waiting for its confirmation link (emailed to the address) to be opened:
    # cleared once it is, or once the invitation is replaced.
    setup_email = models.EmailField(blank=True)
    setup_password = models.CharField(max_length=128, blank=True, help_text="A password hash.")
    setup_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Diary invitation on {self.case}"


class DiaryAccess(RecordedModel):
    """The one diary account of a case's victim-survivor, until a practitioner ends it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="diary_accesses")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="diary_access"
    )
    invite = models.OneToOneField(DiaryInvite, on_delete=models.PROTECT, related_name="access")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name_plural = "diary accesses"
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="one_open_diary_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Diary on {self.case}"


class Withdrawable(RecordedModel):
    """Something shown in the diary until someone withdraws it; withdrawn rows are kept."""

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="%(class)s_withdrawn_says_by_whom",
            ),
        ]


class DiaryOrderShare(Withdrawable):
    """An order the lead chose to show the victim-survivor in their diary, until withdrawn."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="diary_order_shares")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="diary_shares")

    class Meta(Withdrawable.Meta):
        constraints = [
            *Withdrawable.Meta.constraints,
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_diary_share_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Order shared with the diary on {self.case}"


class DiaryPlanShare(Withdrawable):
    """The victim-survivor's own part of the safety plan, as the lead chose to show it in their
    diary: the actions and practical measures that are theirs, and when it is next reviewed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="diary_plan_shares")
    actions = models.ManyToManyField(SafetyAction, blank=True, related_name="+")
    measures = models.ManyToManyField(SafetyMeasure, blank=True, related_name="+")
    review_on = models.DateField(help_text="When the plan will next be looked at with them.")

    class Meta(Withdrawable.Meta):
        constraints = [
            *Withdrawable.Meta.constraints,
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_diary_plan_share_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Safety plan shared with the diary on {self.case}"


class DiarySetting(RecordedModel):
    """How the case's diary shows what is shared with it. "Your order" can be hidden entirely,
    for example when someone else may look at the phone; shares are kept for when it is safe."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="diary_setting")
    order_hidden = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last hid or showed it: a practitioner, or the victim-survivor.",
    )

    def __str__(self) -> str:
        return f"Diary setting on {self.case}"


class DiaryEntryCheck(RecordedModel):
    """What the victim-survivor ticked on "Is this a breach?" for a diary entry, and which
    conditions the diary told them it may be a breach of, for the practitioner to consider."""

    item = models.OneToOneField(EvidenceItem, on_delete=models.PROTECT, related_name="diary_check")
    happened = models.JSONField(default=list, help_text="Kinds from diary.breach_check.Happened.")
    conditions = models.ManyToManyField(Condition, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"What happened, as ticked, on {self.item}"

    @property
    def happened_labels(self) -> list[str]:
        return [HAPPENED_LABELS.get(kind, kind) for kind in self.happened]
