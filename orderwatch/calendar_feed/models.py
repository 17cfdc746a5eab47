"""Private calendar feeds: a secret link per user, of which only a hash is kept."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from orderwatch.core.models import RecordedModel


class CalendarFeed(RecordedModel):
    """A user's calendar link. Revoked links stay (for the record) and answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds"
    )
    token_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the secret in the link; never the secret."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_user",
            )
        ]

    def __str__(self) -> str:
        return "calendar feed"
