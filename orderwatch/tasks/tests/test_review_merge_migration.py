"""Migration 0006 merges each case's open safety-plan reviews into one, keeping every reason
(ADR 0030); 0007 then holds it to one in the database."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.patterns.models import PatternEscalation
from orderwatch.tasks.models import Task

BEFORE_REASONS = [("tasks", "0005_new_lead_tasks"), ("patterns", "0001_initial")]
MONDAY = dt.date(2026, 3, 9)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_review(apps, case, lead, origin, *, due_on, created_at, done=False):
    task = apps.get_model("tasks", "Task").objects.create(
        case_id=case.pk,
        kind="safety_review",
        title=f"Review ({origin})",
        assignee_id=lead.pk,
        due_on=due_on,
        origin=origin,
        origin_id=uuid.uuid4(),
        done_at=created_at + dt.timedelta(days=1) if done else None,
        done_by_id=lead.pk if done else None,
        created_by_id=lead.pk,
    )
    apps.get_model("tasks", "Task").objects.filter(pk=task.pk).update(created_at=created_at)
    return task


# Serialized rollback, like every transactional test here (see the audit migration's test).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_open_reviews_are_merged_into_the_one_due_first_with_every_reason_kept():
    lead = UserFactory()
    case, other = CaseFactory(), CaseFactory()
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE_REASONS)
        first = _old_review(
            apps, case, lead, "breach", due_on=MONDAY, created_at=start + dt.timedelta(days=1)
        )
        second = _old_review(
            apps, case, lead, "breach", due_on=MONDAY + dt.timedelta(days=2), created_at=start
        )
        pattern = _old_review(
            apps,
            case,
            lead,
            "pattern",
            due_on=MONDAY + dt.timedelta(days=3),
            created_at=start + dt.timedelta(days=2),
        )
        done = _old_review(apps, case, lead, "address_change", due_on=MONDAY, created_at=start)
        apps.get_model("tasks", "Task").objects.filter(pk=done.pk).update(
            done_at=start, done_by_id=lead.pk
        )
        alone = _old_review(apps, other, lead, "order_ended", due_on=MONDAY, created_at=start)
        escalation = apps.get_model("patterns", "PatternEscalation").objects.create(
            case_id=case.pk,
            escalation_key="course_of_conduct",
            code="course_of_conduct",
            reason="Two occasions.",
            review_id=pattern.pk,
        )
    finally:
        _migrate(latest)

    (kept,) = Task.objects.filter(case=case, kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True)
    assert kept.pk == first.pk  # the one due first, so no review is put off
    assert kept.due_on == MONDAY
    assert [(r.origin, r.origin_id, r.created_at) for r in kept.reasons.all()] == [
        ("breach", second.origin_id, start),
        ("breach", first.origin_id, start + dt.timedelta(days=1)),
        ("pattern", pattern.origin_id, start + dt.timedelta(days=2)),
    ]
    assert kept.title == "Review risk and the safety plan: 3 things have happened"
    assert not Task.objects.filter(pk__in=[second.pk, pattern.pk]).exists()
    assert PatternEscalation.objects.get(pk=escalation.pk).review_id == kept.pk
    # A done review and another case's review keep their own event as their one reason.
    assert [r.origin for r in Task.objects.get(pk=done.pk).reasons.all()] == ["address_change"]
    assert [r.origin_id for r in Task.objects.get(pk=alone.pk).reasons.all()] == [alone.origin_id]
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            case=case,
            kind=Task.Kind.SAFETY_REVIEW,
            title="Another",
            assignee=lead,
            due_on=MONDAY,
            origin=Task.Origin.BREACH,
            origin_id=uuid.uuid4(),
        )
