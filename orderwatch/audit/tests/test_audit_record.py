from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from orderwatch.audit.models import AuditEvent, ChainHead, Origin, Verb
from orderwatch.audit.origin import RequestOrigin, reset_origin, set_origin
from orderwatch.audit.services import AuditChainUnavailable, audit_record

pytestmark = pytest.mark.django_db


@contextmanager
def database_owner_tampering():
    """Act as someone with owner rights on the database, who can switch off the PostgreSQL
    append-only trigger: the hash chain must still catch what they change."""
    table = AuditEvent._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending events block ALTER
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def test_events_chain_on_from_each_other(practitioner, case):
    first = audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    second = audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.hash
    assert second.case_reference == case.reference


def test_event_records_where_the_request_came_from(practitioner, case):
    token = set_origin(RequestOrigin(Origin.WEB, "192.0.2.7"))
    try:
        event = audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    finally:
        reset_origin(token)
    event.refresh_from_db()
    assert (event.origin, event.origin_ip) == (Origin.WEB, "192.0.2.7")


def test_verify_command_passes_on_an_intact_chain(practitioner, case, capsys):
    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_verify_command_names_a_tampered_row(practitioner, case):
    events = [
        audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
        for _ in range(3)
    ]
    tampered = events[1]
    # Tamper as an attacker with database access would: straight SQL, no model code.
    with database_owner_tampering(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET verb = %s WHERE sequence = %s",  # noqa: S608
            [Verb.ADDRESS_REVEALED.value, tampered.sequence],
        )
    with pytest.raises(CommandError, match=rf"event #{tampered.sequence}: its contents"):
        call_command("audit_verify")


def test_verify_command_notices_the_newest_event_deleted(practitioner, case):
    events = [
        audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
        for _ in range(2)
    ]
    with database_owner_tampering():
        AuditEvent.objects.filter(sequence=events[-1].sequence).delete()
    with pytest.raises(CommandError, match="missing"):
        call_command("audit_verify")


def test_python_dash_m_orderwatch_audit_verify_runs_the_check(practitioner, case, monkeypatch):
    from orderwatch.__main__ import main

    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    with database_owner_tampering():
        AuditEvent.objects.filter(sequence=1).update(object_id="forged")
    monkeypatch.setattr("sys.argv", ["orderwatch", "audit-verify"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1


def test_a_missing_chain_head_with_events_refuses_to_write(practitioner, case):
    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    ChainHead.objects.all().delete()
    with pytest.raises(AuditChainUnavailable):
        audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    assert AuditEvent.objects.count() == 1
