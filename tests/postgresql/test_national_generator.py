"""The national-scale generator (benchmarks/national) makes data the app reads as its own.

It writes rows in bulk SQL, past the models, so a schema change it has not followed shows up
here rather than in a benchmark run days later.
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from benchmarks.national.generate import BENCH_CASES, generate
from benchmarks.national.run import _pages
from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import Case
from orderwatch.cases.selectors import case_list
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.selectors import chain_problem
from orderwatch.evidence.services import evidence_item_add
from orderwatch.orders.selectors import orders_ending_soon
from orderwatch.patterns.selectors import cases_with_unreported_breaches, escalations_recent

pytestmark = pytest.mark.django_db

CASES = 50


@pytest.fixture
def generated():
    return generate(CASES)


def test_the_bench_practitioner_has_their_case_load_among_the_others(generated):
    assert Case.objects.count() == CASES
    assert {case.pk for case in case_list(user=generated.practitioner)} == set(
        generated.bench_case_ids
    )
    assert len(generated.bench_case_ids) == BENCH_CASES


def test_every_key_page_opens_for_the_bench_users(generated):
    clients = {
        "practitioner": sign_in_with_two_factor(Client(), generated.practitioner),
        "manager": sign_in_with_two_factor(Client(), generated.manager),
    }
    for name, path, who in _pages(generated):
        assert clients[who].get(path).status_code == 200, name


def test_the_lists_of_what_needs_attention_have_something_to_show(generated):
    assert orders_ending_soon(user=generated.practitioner)
    assert cases_with_unreported_breaches(user=generated.manager)
    assert escalations_recent(user=generated.manager)


def test_evidence_chains_verify_and_the_services_carry_on_from_them(generated):
    case = Case.objects.get(pk=generated.bench_case_ids[0])
    assert chain_problem(case=case) is None

    breach_record(actor=generated.practitioner, case=case, account=breach_account())
    evidence_item_add(
        actor=generated.practitioner,
        case=case,
        kind=EvidenceItem.Kind.NOTE,
        occurrence=Occurrence(Precision.DATE, timezone.localdate() - dt.timedelta(days=1)),
        description="Note of a phone call.",
    )

    assert chain_problem(case=case) is None
    assert all(
        chain_problem(case=other) is None
        for other in Case.objects.filter(evidence_items__isnull=False).distinct()
    )


def test_the_sweep_finds_the_days_work_due_and_leaves_nothing_due_behind(generated):
    from orderwatch.orders.models import Order
    from orderwatch.reminders.services import reminders_sweep
    from orderwatch.tasks.models import Task

    today = timezone.localdate()
    assert Order.objects.filter(next_reminder_on__isnull=False).exists()
    assert not Order.objects.filter(next_reminder_on__lt=today).exists()
    result = reminders_sweep(today=today)
    assert result.cases_failed == 0
    assert not Order.objects.filter(next_reminder_on__lte=today).exists()
    assert not Task.objects.filter(overdue_alert_on__lte=today, done_at__isnull=True).exists()
