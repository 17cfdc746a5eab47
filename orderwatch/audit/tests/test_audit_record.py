from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from orderwatch.audit.chain import GENESIS_HASH
from orderwatch.audit.models import AuditChain, AuditEvent, Origin, Verb
from orderwatch.audit.origin import RequestOrigin, reset_origin, set_origin
from orderwatch.audit.services import AuditChainUnavailable, audit_record
from orderwatch.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@contextmanager
def database_owner_tampering(*models):
    """Act as someone with owner rights on the database, who can switch off the PostgreSQL
    append-only triggers (of the audit events, or of `models`): the hash chains and signed
    checkpoints must still catch what they change."""
    tables = [model._meta.db_table for model in models or (AuditEvent,)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending events block ALTER
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _viewed(actor, case):
    return audit_record(actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case)


def test_a_cases_first_event_starts_its_chain(practitioner, case):
    event = _viewed(practitioner, case)
    assert (event.chain, event.position, event.previous_hash) == (
        f"case:{case.pk}",
        1,
        GENESIS_HASH,
    )
    head = AuditChain.objects.get(key=event.chain)
    assert (head.position, head.hash) == (1, event.hash)


def test_events_chain_on_from_each_other(practitioner, case):
    first = _viewed(practitioner, case)
    second = _viewed(practitioner, case)
    assert (second.chain, second.position) == (first.chain, 2)
    assert second.sequence > first.sequence
    assert second.previous_hash == first.hash
    assert second.case_reference == case.reference


def test_only_a_chains_first_event_costs_two_more_queries(practitioner, case):
    with CaptureQueriesContext(connection) as first:
        _viewed(practitioner, case)
    with CaptureQueriesContext(connection) as later:
        _viewed(practitioner, case)
    statements = [q["sql"].upper() for q in later.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert [statement.split()[0] for statement in statements] == ["SELECT", "INSERT", "UPDATE"]
    assert len(first.captured_queries) == len(later.captured_queries) + 2


def test_the_chains_of_two_cases_are_independent(practitioner, case):
    other = CaseFactory()
    on_case = [_viewed(practitioner, case) for _ in range(2)]
    on_other = _viewed(practitioner, other)
    assert [e.position for e in on_case] == [1, 2]
    assert (on_other.chain, on_other.position) == (f"case:{other.pk}", 1)
    assert on_other.previous_hash == GENESIS_HASH


def test_an_event_with_no_case_joins_its_actors_chain(practitioner):
    first = audit_record(actor=practitioner, verb=Verb.SIGNED_IN, target=practitioner)
    second = audit_record(actor=practitioner, verb=Verb.SIGNED_OUT, target=practitioner)
    assert (first.chain, first.position) == (f"user:{practitioner.pk}", 1)
    assert (second.chain, second.position, second.previous_hash) == (first.chain, 2, first.hash)


def test_an_event_with_no_case_and_no_actor_joins_the_system_chain(practitioner):
    event = audit_record(actor=None, verb=Verb.CATALOGUE_CHANGED, target=practitioner)
    assert (event.chain, event.position) == ("system", 1)


def test_event_records_where_the_request_came_from(practitioner, case):
    token = set_origin(RequestOrigin(Origin.WEB, "192.0.2.7"))
    try:
        event = _viewed(practitioner, case)
    finally:
        reset_origin(token)
    event.refresh_from_db()
    assert (event.origin, event.origin_ip) == (Origin.WEB, "192.0.2.7")


def test_a_chain_that_lost_its_head_refuses_to_write(practitioner, case):
    _viewed(practitioner, case)
    AuditChain.objects.filter(key=f"case:{case.pk}").delete()
    # In the caller's transaction, as every service calls it: that transaction fails whole.
    with (
        pytest.raises(AuditChainUnavailable, match="lost its head; run audit_verify"),
        transaction.atomic(),
    ):
        _viewed(practitioner, case)
    assert AuditEvent.objects.count() == 1
    # Other chains are unaffected.
    audit_record(actor=practitioner, verb=Verb.SIGNED_IN, target=practitioner)
