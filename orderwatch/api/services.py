"""Housekeeping of what the API keeps for itself (run daily by the scheduler)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import clear_expired

from orderwatch.api.models import IdempotentRequest, RateWindow

# Counted windows are at most a day long; a day later nothing reads them.
RATE_WINDOWS_KEEP = dt.timedelta(days=2)
# A retry comes within minutes or hours; after a week the key still replays (core.Submission
# keeps it), only unchecked against what was first sent.
FINGERPRINTS_KEEP = dt.timedelta(days=7)


@dataclass(frozen=True)
class Purged:
    rate_windows: int
    fingerprints: int


@transaction.atomic(durable=True)
def api_records_purge() -> Purged:
    """Delete old rate-limit counts and request fingerprints, and expired client tokens."""
    now = timezone.now()
    windows, _ = RateWindow.objects.filter(window_start__lt=now - RATE_WINDOWS_KEEP).delete()
    prints, _ = IdempotentRequest.objects.filter(saved_at__lt=now - FINGERPRINTS_KEEP).delete()
    clear_expired()
    return Purged(rate_windows=windows, fingerprints=prints)
