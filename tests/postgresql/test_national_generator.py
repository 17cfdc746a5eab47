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


def test_generated_free_text_is_sealed_at_rest_and_reads_back_as_the_app_reads_it(generated):
    """The generator writes tokens, not plain text, where the app seals text (ADR 0023)."""
    from django.db import connection

    from benchmarks.national.generate import _FAMILY_NAMES, _WHAT_HAPPENED
    from orderwatch.breaches.models import Breach
    from orderwatch.cases.models import CasePerson

    sealed = {
        "breaches_breach": ("what_happened", "not_reported_reason"),
        "cases_caseperson": ("given_name", "family_name", "date_of_birth", "aliases"),
        "orders_condition": ("wording", "protects"),
        "evidence_evidenceitem": ("description",),
        "evidence_evidencefile": ("original_name",),
    }
    with connection.cursor() as cursor:
        for table, columns in sealed.items():
            for column in columns:
                cursor.execute(
                    f"SELECT count(*) FROM {table} "  # noqa: S608 (names from this test)
                    f"WHERE {column} <> '' AND {column} NOT LIKE %s",
                    ["gAAAAA%"],
                )
                assert cursor.fetchone()[0] == 0, f"plain text in {table}.{column}"
    assert set(Breach.objects.values_list("what_happened", flat=True)) <= set(_WHAT_HAPPENED)
    person = CasePerson.objects.filter(role="respondent").first()
    assert person.family_name in _FAMILY_NAMES
    assert person.date_of_birth.year == 1985
    assert person.aliases == []
