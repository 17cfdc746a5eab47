"""Signed checkpoints over the chains' heads: made, exported, and checked by `audit_verify`."""

import base64
import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from orderwatch.audit import chain, selectors, signing
from orderwatch.audit.models import (
    AuditChain,
    AuditCheckpoint,
    AuditCheckpointEntry,
    AuditEvent,
    Verb,
)
from orderwatch.audit.services import CHECKPOINT_MARGIN, audit_checkpoint_make, audit_record
from orderwatch.audit.tests.test_audit_record import database_owner_tampering
from orderwatch.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
CHECKPOINT_TABLES = (AuditCheckpoint, AuditCheckpointEntry)


def viewed(actor, case) -> AuditEvent:
    return audit_record(actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case)


def problems() -> list[str]:
    return list(selectors.audit_checkpoint_problems())


def tamper(sql: str, params: list, *models) -> None:
    with database_owner_tampering(*models), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def two_cases(practitioner, case):
    other = CaseFactory()
    return [viewed(practitioner, case), viewed(practitioner, case), viewed(practitioner, other)]


def test_a_checkpoint_signs_every_chain_head(two_cases):
    checkpoint = audit_checkpoint_make()
    entries = set(checkpoint.entries.values_list("chain", "position", "hash"))
    assert entries == {(e.chain, e.position, e.hash) for e in two_cases[1:]}
    assert (checkpoint.number, checkpoint.size) == (1, 2)
    assert checkpoint.previous_hash == chain.GENESIS_HASH
    assert problems() == []


def test_a_second_checkpoint_records_only_what_moved_and_follows_on(two_cases, practitioner):
    first = audit_checkpoint_make()
    assert audit_checkpoint_make() is None
    moved = viewed(practitioner, CaseFactory())
    second = audit_checkpoint_make()
    assert (second.number, second.previous_hash) == (2, first.hash)
    assert list(second.entries.values_list("chain", "position")) == [(moved.chain, 1)]
    assert problems() == []


def test_a_head_written_before_the_last_checkpoint_but_committed_after_it_is_caught(
    two_cases, practitioner, time_machine
):
    first = audit_checkpoint_make()
    # As if this transaction wrote its head before the first checkpoint and committed after.
    time_machine.move_to(first.created_at - CHECKPOINT_MARGIN / 2, tick=False)
    late = viewed(practitioner, CaseFactory())
    time_machine.move_to(first.created_at + dt.timedelta(minutes=15), tick=False)
    second = audit_checkpoint_make()
    assert list(second.entries.values_list("chain", flat=True)) == [late.chain]


def test_a_forged_signature_is_named(two_cases, settings):
    checkpoint = audit_checkpoint_make()
    forger = Ed25519PrivateKey.generate()
    forged_root = "f" * 64
    body = chain.checkpoint_body(
        number=1,
        created_at=checkpoint.created_at.isoformat(),
        previous_hash=checkpoint.previous_hash,
        root=forged_root,
        size=checkpoint.size,
    )
    tamper(
        f"UPDATE {AuditCheckpoint._meta.db_table} SET root = %s, hash = %s, signature = %s",  # noqa: S608
        [forged_root, chain.checkpoint_hash(body), base64.b64encode(forger.sign(body)).decode()],
        *CHECKPOINT_TABLES,
    )
    found = problems()
    assert found[0].startswith(
        "Audit checkpoint 1: its signature does not verify with the configured audit signing key"
    )
    assert found[1:] == ["Audit checkpoint 1: its entries do not match its Merkle root."]


def test_a_checkpoint_is_checked_with_the_configured_key_only(two_cases, settings):
    audit_checkpoint_make()
    settings.ORDERWATCH_AUDIT_SIGNING_KEY = base64.urlsafe_b64encode(b"\x07" * 32).decode()
    assert len(problems()) == 1
    assert "signature does not verify" in problems()[0]


def test_a_changed_entry_is_named(two_cases):
    checkpoint = audit_checkpoint_make()
    entry = checkpoint.entries.get(chain=two_cases[0].chain)
    tamper(
        f"UPDATE {AuditCheckpointEntry._meta.db_table} SET hash = %s WHERE id = %s",  # noqa: S608
        ["e" * 64, entry.pk],
        *CHECKPOINT_TABLES,
    )
    assert problems() == [
        f"Audit checkpoint 1 records chain {entry.chain} at position 2, "
        "but that event's hash is not the one recorded.",
        "Audit checkpoint 1: its entries do not match its Merkle root.",
    ]


def test_a_chain_truncated_below_a_checkpointed_position_is_named(two_cases, capsys):
    audit_checkpoint_make()
    first, newest = two_cases[0], two_cases[1]
    # Remove the newest event and wind its head back: the chain alone now looks intact.
    tamper(f"DELETE FROM {AuditEvent._meta.db_table} WHERE sequence = %s", [newest.sequence])  # noqa: S608
    AuditChain.objects.filter(key=first.chain).update(position=1, hash=first.hash)
    assert list(selectors.audit_chain_problems()) == []
    with pytest.raises(CommandError, match="1 problem"):
        call_command("audit_verify")
    assert (
        f"Audit checkpoint 1 records chain {first.chain} at position 2, "
        "but that event is missing." in capsys.readouterr().err
    )


def test_an_exported_checkpoint_deleted_or_rewritten_is_named(two_cases, practitioner, tmp_path):
    exported = tmp_path / "checkpoints"
    call_command("audit_checkpoint", export=exported)
    viewed(practitioner, CaseFactory())
    call_command("audit_checkpoint", export=exported)
    call_command("audit_checkpoint", export=exported)  # nothing moved: nothing written
    lines = list(selectors.audit_export_lines(exported))
    assert [json.loads(line)["number"] for line in lines] == [1, 2]
    assert len(json.loads(lines[0])["entries"]) == 2
    call_command("audit_verify", against=exported)

    # The newest checkpoint deleted: nothing in the database alone shows it.
    with database_owner_tampering(*CHECKPOINT_TABLES):
        AuditCheckpointEntry.objects.filter(checkpoint=2).delete()
        AuditCheckpoint.objects.filter(number=2).delete()
    assert problems() == []
    assert list(selectors.audit_export_problems(lines)) == [
        "Audit checkpoint 2 is in the export but not in the database."
    ]
    tamper(
        f"UPDATE {AuditCheckpoint._meta.db_table} SET key_fingerprint = %s",  # noqa: S608
        ["forged"],
        *CHECKPOINT_TABLES,
    )
    with pytest.raises(CommandError, match="2 problem"):
        call_command("audit_verify", against=exported)
    assert list(selectors.audit_export_problems(lines[:1])) == [
        "Audit checkpoint 1 in the database differs from the exported copy."
    ]


def test_a_file_exported_before_folders_is_still_read(two_cases, tmp_path):
    checkpoint = audit_checkpoint_make()
    exported = tmp_path / "checkpoints.jsonl"
    exported.write_text("".join(selectors.audit_checkpoint_export_lines(checkpoint)))
    call_command("audit_verify", "--checkpoints", str(exported))  # the option's old name
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("audit_verify", against=tmp_path / "missing.jsonl")


def test_the_command_says_when_nothing_moved(capsys):
    call_command("audit_checkpoint")
    assert "no checkpoint made" in capsys.readouterr().out
    assert not AuditCheckpoint.objects.exists()


def test_checkpoints_are_signed_by_the_evidence_key_until_an_audit_key_is_set(settings, two_cases):
    from orderwatch.evidence import signing as evidence_signing

    settings.ORDERWATCH_AUDIT_SIGNING_KEY = ""
    first = audit_checkpoint_make()
    assert first.key_fingerprint == evidence_signing.public_key_fingerprint()
    settings.ORDERWATCH_AUDIT_SIGNING_KEY = base64.urlsafe_b64encode(b"\x05" * 32).decode()
    assert signing.public_key_fingerprint() != first.key_fingerprint


def test_an_unusable_audit_key_says_how_to_set_one(settings, two_cases):
    settings.ORDERWATCH_AUDIT_SIGNING_KEY = "not*base64!"
    with pytest.raises(ImproperlyConfigured, match="ORDERWATCH_AUDIT_SIGNING_KEY to the URL-safe"):
        audit_checkpoint_make()
    assert not AuditCheckpoint.objects.exists()
