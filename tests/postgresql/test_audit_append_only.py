"""On PostgreSQL the database itself refuses to change or remove audit events and checkpoints."""

import pytest
from django.db import DatabaseError, connection, transaction

from orderwatch.audit.models import AuditCheckpoint, AuditCheckpointEntry, AuditEvent, Verb
from orderwatch.audit.services import audit_checkpoint_make, audit_record

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
