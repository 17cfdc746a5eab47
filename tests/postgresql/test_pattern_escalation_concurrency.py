"""Two breaches saved at the same moment on PostgreSQL notice a new escalation once.

Each thread has its own connection, so the saves are concurrent transactions. Each save locks
the case row before reading the pattern, so the second waits for the first to commit and then
sees both breaches: it finds the course of conduct already stored, and only the first asks the
lead for a review.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.patterns.models import PatternEscalation
from orderwatch.tasks.models import Task, TaskReason

# Serialized rollback restores what migrations made (the catalogue, the audit chain's head),
# which a transactional test's flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RUNS = 2  # with the breach already there, three: too few for a trend to show


def _account(order, days_ago: int):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return breach_account(
        order.conditions.get(),
        occurrence=Occurrence(Precision.DATE, day),
        police_reported_on=day,
    )


def test_breaches_saved_at_once_open_one_pattern_review(practitioner, order):
    assert connection.vendor == "postgresql"
    breach_record(actor=practitioner, case=order.case, account=_account(order, 30))
    barrier = threading.Barrier(RUNS)
    errors = []

    def record(days_ago: int) -> None:
        try:
            barrier.wait()
            breach_record(actor=practitioner, case=order.case, account=_account(order, days_ago))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(days,)) for days in range(1, RUNS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert order.case.breaches.count() == RUNS + 1
    assert list(PatternEscalation.objects.values_list("code", flat=True)) == ["course_of_conduct"]
    assert TaskReason.objects.filter(origin=Task.Origin.PATTERN).count() == 1
    # Every breach and the pattern are reasons on the case's one open review (ADR 0030).
    (review,) = Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True)
    assert review.reasons.count() == RUNS + 2
