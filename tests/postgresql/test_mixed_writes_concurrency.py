"""Ordinary concurrent use on PostgreSQL: no deadlock, no error, no lost audit event.

Writers on one case and writers on many cases save breaches, evidence, moves and shares at
the same moment, with a reminder sweep and an audit check running beside them. Each thread has
its own connection, so these really are concurrent transactions. Every write locks the case row
before anything else (ADR 0012), so writers on one case take turns and writers on different
cases do not wait on each other. Bounded: a fixed number of writes, each thread joined with a
timeout.
"""

import threading

import pytest
from django.db import connections

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.tests.factories import authenticator_code
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.audit.selectors import audit_chain_problems
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.evidence.selectors import chain_problem
from orderwatch.evidence.tests.factories import item_added
from orderwatch.orders.models import AddressChange
from orderwatch.orders.services import address_change_record
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory
from orderwatch.reminders.services import reminders_sweep
from orderwatch.sharing.tests.factories import PartyFactory
from orderwatch.sharing.tests.services.support import share

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROUNDS = 3
KINDS = ("breach", "evidence", "move", "share")


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _ready_case(practitioner):
    case = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    ConditionFactory(order=OrderFactory(case=case))
    return case, PartyFactory(case=case)


def _write(kind, practitioner, case, party, step_up):
    if kind == "breach":
        condition = case.orders.get().conditions.get()
        breach_record(actor=practitioner, case=case, account=breach_account(condition))
    elif kind == "evidence":
        item_added(actor=practitioner, case=case)
    elif kind == "move":
        address_change_record(
            actor=practitioner,
            case=case,
            new_address="3 Other Street, Newtown",
            moved_on=None,
            disclosure_risk="The exclusion zone names the street.",
            discussion="Discussed with the victim-survivor.",
            next_step=AddressChange.NextStep.values[0],
            reason="The order already forbids all contact.",
            step_up=step_up,
        )
    else:
        share(practitioner, party)


def _run_together(jobs) -> list[Exception]:
    """Run each job in its own thread, released together; return what they raised."""
    barrier, errors = threading.Barrier(len(jobs)), []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return errors


def test_mixed_writes_on_one_case_and_on_many_with_a_sweep_and_a_check_beside_them(
    practitioner,
):
    step_up = mfa_step_up(user=practitioner, code=authenticator_code(practitioner))
    shared_case, shared_party = _ready_case(practitioner)
    own = [_ready_case(practitioner) for _ in KINDS]

    def on_shared_case(kind):
        return lambda: [
            _write(kind, practitioner, shared_case, shared_party, step_up) for _ in range(ROUNDS)
        ]

    def on_own_case(case, party):
        mix = [kind for _ in range(ROUNDS) for kind in KINDS]
        return lambda: [_write(kind, practitioner, case, party, step_up) for kind in mix]

    def sweeping():
        for _ in range(ROUNDS):
            reminders_sweep(today=shared_case.orders.get().starts_on)

    def checking():
        for _ in range(ROUNDS):
            list(audit_chain_problems())

    jobs = [on_shared_case(kind) for kind in KINDS]
    jobs += [on_own_case(case, party) for case, party in own]
    jobs += [sweeping, checking]

    assert _run_together(jobs) == []

    writes_per_case = ROUNDS * len(KINDS)
    for case in [shared_case, *(case for case, _ in own)]:
        assert case.breaches.count() == ROUNDS
        assert case.evidence_items.count() == ROUNDS
        assert chain_problem(case=case) is None
    recorded = AuditEvent.objects.filter(
        verb__in=[
            Verb.BREACH_RECORDED,
            Verb.EVIDENCE_ITEM_ADDED,
            Verb.ADDRESS_CHANGED,
            Verb.SHARE_RECORDED,
        ]
    )
    assert recorded.count() == writes_per_case * (1 + len(own))
    assert list(audit_chain_problems()) == []
