"""Checkpoints leave the database (ADR 0026): each one written once to a folder kept elsewhere,
and the database's chains checked against them, so a chain rewritten consistently inside the
database, with its head and even a re-signed checkpoint, is still named."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from orderwatch.audit import chain, selectors
from orderwatch.audit.models import AuditChain, AuditCheckpoint, AuditCheckpointEntry, AuditEvent
from orderwatch.audit.services import audit_checkpoint_make, audit_checkpoints_export
from orderwatch.audit.tests.test_audit_checkpoint import CHECKPOINT_TABLES, viewed
from orderwatch.audit.tests.test_audit_record import database_owner_tampering
from orderwatch.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(settings, tmp_path):
    settings.ORDERWATCH_AUDIT_CHECKPOINT_EXPORT = str(tmp_path / "audit-checkpoints")
    return tmp_path / "audit-checkpoints"


@pytest.fixture
def events(practitioner, case):
    return [
        viewed(practitioner, case),
        viewed(practitioner, case),
        viewed(practitioner, CaseFactory()),
    ]


def exported_files(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def rewrite_chain_consistently(key: str) -> None:
    """Do what an owner of the database could: change an event, then re-hash every event after
    it and the chain's head, so the chain on its own verifies."""
    with database_owner_tampering(AuditEvent):
        previous = chain.GENESIS_HASH
        for event in AuditEvent.objects.filter(chain=key).order_by("position"):
            if event.position == 1:
                event.payload = {"page": "nothing to see"}
            event.previous_hash = previous
            event.hash = chain.link_hash(previous, event.chain_body())
            AuditEvent.objects.filter(pk=event.pk).update(
                payload=event.payload, previous_hash=event.previous_hash, hash=event.hash
            )
            previous = event.hash
    AuditChain.objects.filter(key=key).update(hash=previous)


def forge_checkpoints_in_the_database() -> None:
    """Replace the database's checkpoints with new ones, signed with the service's own key."""
    with database_owner_tampering(*CHECKPOINT_TABLES):
        AuditCheckpointEntry.objects.all().delete()
        AuditCheckpoint.objects.all().delete()
    if connection.vendor == "postgresql":  # the tampering made them immediate; as a new session
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    audit_checkpoint_make()


def test_each_checkpoint_is_written_once_to_a_file_of_its_own_in_its_days_folder(
    export, events, practitioner, capsys
):
    call_command("audit_checkpoint")
    viewed(practitioner, CaseFactory())
    call_command("audit_checkpoint")
    call_command("audit_checkpoint")  # nothing new: nothing written, nothing rewritten
    first, second = AuditCheckpoint.objects.order_by("number")
    assert exported_files(export) == [
        f"{first.created_at.date().isoformat()}/checkpoint-000000001.jsonl",
        f"{second.created_at.date().isoformat()}/checkpoint-000000002.jsonl",
    ]
    line = json.loads(next(selectors.audit_export_lines(export)))
    assert (line["hash"], line["signature"], line["root"]) == (
        first.hash,
        first.signature,
        first.root,
    )
    assert "Exported audit checkpoint(s) 2" in capsys.readouterr().out
    call_command("audit_verify")


def test_a_checkpoint_made_without_exporting_is_exported_by_the_next_run(export, events):
    audit_checkpoint_make()  # as if the export failed after the checkpoint was made
    assert not export.exists()
    call_command("audit_checkpoint")
    assert [path.name for path in export.rglob("*.jsonl")] == ["checkpoint-000000001.jsonl"]
    assert audit_checkpoints_export(directory=export) == []


def test_the_export_holds_no_personal_data(export, events, practitioner, case):
    call_command("audit_checkpoint")
    text = "".join(selectors.audit_export_lines(export))
    for personal in (practitioner.email, practitioner.display_name, case.reference):
        assert personal not in text


def test_an_export_folder_that_cannot_be_written_stops_the_command(events, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(CommandError, match="Cannot export the audit checkpoints"):
        call_command("audit_checkpoint", export=blocked)


def test_a_chain_rewritten_consistently_in_the_database_is_named_against_the_export(export, events):
    call_command("audit_checkpoint")
    rewritten = events[0].chain
    rewrite_chain_consistently(rewritten)
    forge_checkpoints_in_the_database()
    # The database alone now looks intact: the chains, their heads and a validly signed checkpoint.
    assert list(selectors.audit_chain_problems()) == []
    assert list(selectors.audit_checkpoint_problems()) == []

    assert list(selectors.audit_export_problems(selectors.audit_export_lines(export))) == [
        "Audit checkpoint 1 in the database differs from the exported copy.",
        f"Audit chain {rewritten} does not match exported checkpoint 1: its event at "
        "position 2 has been rewritten in the database.",
    ]
    with pytest.raises(CommandError, match="2 problem"):
        call_command("audit_verify")


def test_a_chain_cut_short_and_rewound_is_named_against_the_export(export, events):
    call_command("audit_checkpoint")
    first, newest = events[0], events[1]
    with database_owner_tampering(AuditEvent):
        AuditEvent.objects.filter(pk=newest.pk).delete()
    AuditChain.objects.filter(key=first.chain).update(position=1, hash=first.hash)
    forge_checkpoints_in_the_database()
    assert list(selectors.audit_chain_problems()) == []
    assert list(selectors.audit_checkpoint_problems()) == []
    assert (
        f"Audit chain {first.chain} does not match exported checkpoint 1: its event at position 2 "
        "is missing in the database."
    ) in list(selectors.audit_export_problems(selectors.audit_export_lines(export)))


def test_an_exported_checkpoint_not_signed_by_the_service_is_not_relied_on(export, events):
    call_command("audit_checkpoint")
    path = next(export.rglob("*.jsonl"))
    forged = json.loads(path.read_text())
    forged["root"] = "f" * 64
    body = chain.checkpoint_body(
        number=forged["number"],
        created_at=forged["created_at"],
        previous_hash=forged["previous_hash"],
        root=forged["root"],
        size=forged["size"],
    )
    forged["hash"] = chain.checkpoint_hash(body)
    forged["signature"] = base64.b64encode(Ed25519PrivateKey.generate().sign(body)).decode()
    problems = list(selectors.audit_export_problems([json.dumps(forged)]))
    assert len(problems) == 1
    assert problems[0].startswith(
        "Exported checkpoint 1 is not signed by the configured audit signing key"
    )
    assert list(selectors.audit_export_problems(["not json\n"])) == [
        "Line 1 of the exported checkpoints is not a checkpoint."
    ]
