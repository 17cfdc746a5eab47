"""`audit_verify` names the first tampered, deleted or re-ordered event of every chain."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from orderwatch.audit import chain, selectors
from orderwatch.audit.models import LEGACY_CHAIN, AuditChain, AuditEvent, Origin, Verb
from orderwatch.audit.services import audit_record
from orderwatch.audit.tests.test_audit_record import database_owner_tampering

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


def legacy_chain(actor, length: int) -> list[AuditEvent]:
    """Write events as the single global chain did before chains were split (the migration
    puts them on the `legacy` chain at position = sequence, with their old hashes)."""
    events, previous = [], chain.GENESIS_HASH
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    for sequence in range(1, length + 1):
        event = AuditEvent(
            sequence=sequence,
            chain=LEGACY_CHAIN,
            position=sequence,
            occurred_at=start + dt.timedelta(minutes=sequence),
            actor=actor,
            verb=Verb.SIGNED_IN.value,
            object_type="user",
            object_id=str(actor.pk),
            origin=Origin.WEB,
            previous_hash=previous,
        )
        body = event.chain_body()
        assert "sequence" in body
        assert "position" not in body
        event.hash = previous = chain.link_hash(previous, body)
        event.save(force_insert=True)
        events.append(event)
    AuditChain.objects.create(
        key=LEGACY_CHAIN, position=length, hash=previous, updated_at=timezone.now()
    )
    with connection.cursor() as cursor:  # later events are numbered after these
        for sql in connection.ops.sequence_reset_sql(no_style(), [AuditEvent]):
            cursor.execute(sql)
    return events


@pytest.fixture(params=["case", "user", "legacy"])
def events(request, practitioner, case):
    """Three events on one chain of each kind."""
    if request.param == "legacy":
        return legacy_chain(practitioner, 3)
    on_case = request.param == "case"
    return [
        audit_record(
            actor=practitioner,
            verb=Verb.CASE_VIEWED if on_case else Verb.SIGNED_IN,
            target=case if on_case else practitioner,
            case=case if on_case else None,
        )
        for _ in range(3)
    ]


def problems() -> list[str]:
    return list(selectors.audit_chain_problems())


def run_sql(sql: str, params: list) -> None:
    with database_owner_tampering(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chains_verify(events, capsys):
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_a_tampered_event_is_named(events):
    tampered = events[1]
    # Tamper as an attacker with database access would: straight SQL, no model code.
    run_sql(
        f"UPDATE {TABLE} SET object_id = %s WHERE sequence = %s",  # noqa: S608
        ["forged", tampered.sequence],
    )
    assert problems() == [
        f"Audit chain {tampered.chain} broken at position 2 (event #{tampered.sequence}): "
        "its contents do not match its hash."
    ]


def test_a_deleted_event_is_named(events):
    run_sql(f"DELETE FROM {TABLE} WHERE sequence = %s", [events[1].sequence])  # noqa: S608
    assert problems() == [
        f"Audit chain {events[1].chain} broken at position 2: the event at position 2 is missing."
    ]


def test_reordered_events_are_named(events):
    second, third = events[1], events[2]
    swap = f"UPDATE {TABLE} SET position = %s WHERE sequence = %s"  # noqa: S608
    run_sql(swap, [0, second.sequence])
    run_sql(swap, [2, third.sequence])
    run_sql(swap, [3, second.sequence])
    assert problems() == [
        f"Audit chain {third.chain} broken at position 2 (event #{third.sequence}): "
        "it does not follow on from the event before it."
    ]


def test_the_newest_event_deleted_is_named(events):
    run_sql(f"DELETE FROM {TABLE} WHERE sequence = %s", [events[2].sequence])  # noqa: S608
    assert problems() == [
        f"Audit chain {events[2].chain} broken at position 3: "
        "the newest event (position 3) is missing."
    ]


def test_the_command_names_every_broken_chain_and_fails(practitioner, case, capsys):
    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    signed_in = audit_record(actor=practitioner, verb=Verb.SIGNED_IN, target=practitioner)
    run_sql(f"UPDATE {TABLE} SET verb = %s", [Verb.ADDRESS_REVEALED.value])  # noqa: S608
    with pytest.raises(CommandError, match="2 problem"):
        call_command("audit_verify")
    errors = capsys.readouterr().err
    assert f"Audit chain case:{case.pk} broken at position 1" in errors
    assert f"(event #{signed_in.sequence}): its contents do not match its hash." in errors


def test_events_whose_head_was_deleted_are_named(practitioner, case):
    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    AuditChain.objects.filter(key=f"case:{case.pk}").delete()
    assert problems() == [
        f"Audit chain case:{case.pk} has 1 event but no recorded head: its head has been "
        "deleted, so removed newest events cannot be ruled out."
    ]


def test_many_chains_are_read_a_chunk_at_a_time(
    practitioner, monkeypatch, django_assert_num_queries
):
    from orderwatch.cases.tests.factories import CaseFactory

    for case in CaseFactory.create_batch(5):
        audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    monkeypatch.setattr(selectors, "HEAD_CHUNK", 2)
    # Three chunks (2, 2 and 1) of heads and their events, then the headless-events check.
    with django_assert_num_queries(3 * 2 + 1):
        assert problems() == []


def test_python_dash_m_orderwatch_audit_verify_runs_the_check(practitioner, case, monkeypatch):
    from orderwatch.__main__ import main

    event = audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    with database_owner_tampering():
        AuditEvent.objects.filter(sequence=event.sequence).update(object_id="forged")
    monkeypatch.setattr("sys.argv", ["orderwatch", "audit-verify"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
