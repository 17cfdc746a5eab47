"""What the API keeps for itself: rate-limit counters every instance shares, and what each
`Idempotency-Key` was first sent with (ADR 0042)."""

from django.conf import settings
from django.db import models


class RateWindow(models.Model):
    """Calls one client or person made in one fixed window of time. A table, not a per-process
    cache, so the limit holds however many instances serve the API."""

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_count_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} from {self.window_start:%H:%M}: {self.count}"


class IdempotentRequest(models.Model):
    """A POST saved with an `Idempotency-Key`: the key is the one-time submission key the
    service claimed (`core.Submission`); the fingerprint says what was sent with it, so the same
    key sent with a different body is refused rather than answered with the first result."""

    key = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    saved_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Idempotent request {self.key}"
