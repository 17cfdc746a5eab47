"""Sign-in records kept only as long as they are needed (ADR 0026).

Lockout records (axes' attempts and failure log) and recorded sign-in sessions go after
ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS, never while a lockout they hold could still be in force.
Axes' log of successful sign-ins is no longer written (they are audited), so all of it goes.
"""

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orderwatch.accounts.models import UserSession


@dataclass(frozen=True)
class SignInRecordsPurged:
    lockout_attempts: int
    lockout_failures: int
    sign_in_log: int
    sessions: int


@transaction.atomic(durable=True)
def sign_in_records_purge() -> SignInRecordsPurged:
    """Delete sign-in records older than the retention period; return how many of each.

    Safe to re-run and to run at the same time as sign-ins: it only deletes old rows.
    """
    keep = max(
        dt.timedelta(days=settings.ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS),
        settings.AXES_COOLOFF_TIME,
    )
    cutoff = timezone.now() - keep
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    log, _ = AccessLog.objects.all().delete()
    sessions, _ = UserSession.objects.filter(signed_in_at__lt=cutoff).delete()
    return SignInRecordsPurged(
        lockout_attempts=attempts, lockout_failures=failures, sign_in_log=log, sessions=sessions
    )
