"""Concurrent audit writes on PostgreSQL: no deadlock, no error, every chain intact, and
writers on different cases never wait for each other.

Each thread has its own database connection, so the writes really are concurrent
transactions. Every wait is bounded by a timeout, so a deadlock or a queue fails the test
instead of hanging it.
"""

import threading

import pytest
from django.db import connections, transaction

from orderwatch.audit.models import AuditChain, AuditEvent, Verb
from orderwatch.audit.selectors import audit_chain_problems
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
THREADS, ROUNDS, TIMEOUT = 8, 6, 60


def _service_write(actor, case) -> None:
    """As a service does: the case row first, then two events on its chain."""
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        audit_record(actor=actor, verb=Verb.SAFETY_REVIEWED, target=case, case=case)
        audit_record(actor=actor, verb=Verb.RISK_LEVEL_SET, target=case, case=case)


def _view(actor, case) -> None:
    """As a page view does: one event, no case row lock."""
    with transaction.atomic():
        audit_record(actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case)


def _run_threads(work) -> list[Exception]:
    barrier, errors = threading.Barrier(THREADS), []

    def run(index):
        try:
            barrier.wait(timeout=TIMEOUT)
            work(index)
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return errors


@pytest.mark.parametrize("case_count", [4, 1], ids=["four cases", "one case"])
def test_concurrent_writers_never_deadlock_and_every_chain_verifies(practitioner, case_count):
    cases = CaseFactory.create_batch(case_count)

    def work(index):
        case = cases[index % case_count]
        for round_number in range(ROUNDS):
            (_service_write if (index + round_number) % 2 else _view)(practitioner, case)
        audit_record(actor=practitioner, verb=Verb.SIGNED_OUT, target=practitioner)

    assert _run_threads(work) == []
    assert AuditEvent.objects.count() == THREADS * (ROUNDS // 2 * 3 + 1)
    for case in cases:
        positions = list(
            AuditEvent.objects.filter(chain=f"case:{case.pk}")
            .order_by("position")
            .values_list("position", flat=True)
        )
        assert positions == list(range(1, len(positions) + 1))
    assert AuditChain.objects.get(key=f"user:{practitioner.pk}").position == THREADS
    assert list(audit_chain_problems()) == []


def test_a_write_on_one_case_does_not_wait_for_another_cases_open_transaction(practitioner):
    held_case, other_case = CaseFactory(), CaseFactory()
    holding, release = threading.Event(), threading.Event()
    other_done, same_done, errors = threading.Event(), threading.Event(), []

    def in_thread(work):
        def run():
            try:
                work()
            except Exception as error:  # reported by the test
                errors.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def hold_the_head():
        with transaction.atomic():
            _view(practitioner, held_case)  # takes the head of held_case's chain...
            holding.set()
            release.wait(timeout=TIMEOUT)  # ...and keeps it until this transaction ends

    def write(case, done):
        def work():
            _service_write(practitioner, case)
            done.set()

        return work

    holder = in_thread(hold_the_head)
    assert holding.wait(timeout=TIMEOUT)
    others = [in_thread(write(other_case, other_done)), in_thread(write(held_case, same_done))]
    try:
        assert other_done.wait(timeout=TIMEOUT), "a write on another case waited for the lock"
        assert not same_done.is_set()  # a write on the held case takes its turn
    finally:
        release.set()
    for thread in [holder, *others]:
        thread.join(timeout=TIMEOUT)
    assert same_done.is_set()
    assert errors == []
    assert list(audit_chain_problems()) == []
