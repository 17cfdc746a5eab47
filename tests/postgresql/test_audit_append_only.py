"""On PostgreSQL the database itself refuses to change or remove audit events and checkpoints;
audit notes, the words typed for an event, can still be erased (ADR 0039)."""

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from orderwatch.audit.models import (
    AuditCheckpoint,
    AuditCheckpointEntry,
    AuditEvent,
    AuditNote,
    Verb,
)
from orderwatch.audit.services import audit_checkpoint_make, audit_notes_erase, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(practitioner, case):
    return audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)


def test_updating_an_audit_event_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb=Verb.SIGNED_OUT.value)
    event.refresh_from_db()
    assert event.verb == Verb.CASE_VIEWED


def test_deleting_an_audit_event_is_refused_even_in_raw_sql(event):
    refused = pytest.raises(DatabaseError, match="Cannot update or delete")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE sequence = %s",  # noqa: S608
            [event.sequence],
        )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_events_can_still_be_appended(event, practitioner, case):
    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    assert AuditEvent.objects.count() == 2


@pytest.mark.parametrize("model", [AuditCheckpoint, AuditCheckpointEntry])
def test_changing_or_removing_a_checkpoint_is_refused_by_the_database(event, model):
    audit_checkpoint_make()
    refused = pytest.raises(DatabaseError, match="Cannot update or delete")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
    with refused, transaction.atomic():
        model.objects.update(hash="0" * 64)
    assert model.objects.count() == 1


def test_a_cases_audit_notes_are_erased_and_its_chain_still_verifies(practitioner, case):
    noted = audit_record(
        actor=practitioner,
        verb=Verb.ADDRESS_REVEALED,
        target=case,
        case=case,
        notes={"reason": "Home visit on Tuesday"},
    )
    audit_checkpoint_make()
    with transaction.atomic():
        assert audit_notes_erase(case_id=case.pk) == 1
    assert not AuditNote.objects.exists()
    assert AuditEvent.objects.filter(pk=noted.pk).exists()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()
