"""The pattern check on a breach keeps what it read while the case's sources stay, and reads
only the new breaches by id (ADR 0022); anything else that changes the sources makes it read
all again, and what a rolled-back save read is never kept."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import Case
from orderwatch.evidence.services import evidence_incident_mark
from orderwatch.evidence.tests.factories import item_added
from orderwatch.patterns.kept import Kept
from orderwatch.patterns.models import PatternEscalation
from orderwatch.safety.services import risk_level_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checked(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    kept = Kept(size=4)
    monkeypatch.setattr("orderwatch.patterns.selectors.CHECKED", kept)
    return kept


def order_reads(queries) -> int:
    return sum('FROM "orders_order"' in query["sql"] for query in queries.captured_queries)


def record(practitioner, order, capture, **account):
    with capture(execute=True):
        return breach_record(
            actor=practitioner,
            case=order.case,
            account=breach_account(order.conditions.get(), **account),
        )


def test_the_second_breach_reads_only_itself_and_still_finds_the_course_of_conduct(
    practitioner, order, django_capture_on_commit_callbacks
):
    record(practitioner, order, django_capture_on_commit_callbacks)
    assert not PatternEscalation.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        second = record(practitioner, order, django_capture_on_commit_callbacks)
    assert order_reads(queries) == 0  # the orders, people and evidence were kept
    (escalation,) = PatternEscalation.objects.filter(code="course_of_conduct")
    assert escalation.review.reasons.filter(origin="pattern", origin_id=escalation.pk).exists()
    assert second.case.breaches.count() == 2


def test_only_breaches_and_plain_evidence_keep_the_sources(practitioner, case):
    start = Case.objects.get(pk=case.pk).sources_version
    breach_record(actor=practitioner, case=case, account=breach_account())
    item_added(actor=practitioner, case=case)
    assert Case.objects.get(pk=case.pk).sources_version == start
    risk_level_set(actor=practitioner, case=case, level="high", reason="Threats to the school")
    assert Case.objects.get(pk=case.pk).sources_version == start + 1


def test_evidence_marked_as_an_incident_is_read_by_the_next_check(
    practitioner, order, django_capture_on_commit_callbacks, checked
):
    case = order.case
    record(practitioner, order, django_capture_on_commit_callbacks)
    item = item_added(actor=practitioner, case=case)
    evidence_incident_mark(
        actor=practitioner, case=case, item=item, behaviours=["online"], severity=None
    )
    with CaptureQueriesContext(connection) as queries:
        record(practitioner, order, django_capture_on_commit_callbacks)
    assert order_reads(queries) == 1  # the sources changed: read again
    assert [str(item.pk)] == [i.id for _, i in checked.get(case.pk).evidence]
    assert len(checked.get(case.pk).breaches) == 2


def test_a_rolled_back_breach_is_never_kept(
    practitioner, order, django_capture_on_commit_callbacks, checked
):
    record(practitioner, order, django_capture_on_commit_callbacks)

    def failed_save():
        with transaction.atomic():
            breach_record(
                actor=practitioner, case=order.case, account=breach_account(order.conditions.get())
            )
            raise RuntimeError("the save failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failed_save()
    assert len(checked.get(order.case_id).breaches) == 1
    record(practitioner, order, django_capture_on_commit_callbacks)
    assert len(checked.get(order.case_id).breaches) == 2
