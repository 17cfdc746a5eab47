"""A victim-survivor's own diary: how they are invited to it, and whose case it belongs to.

The entries themselves are evidence items (orderwatch/evidence) written by the victim-survivor,
so they are hashed, chained and exported like every other item.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from orderwatch.cases.models import Case
from orderwatch.core.models import RecordedModel


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
