"""Events written on the single global chain still verify after chains were split (0004)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit import chain
from orderwatch.audit.models import LEGACY_CHAIN, AuditChain, AuditEvent, Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.tests.factories import CaseFactory

BEFORE_CHAINS = [("audit", "0003_verbs_in_code_and_append_only_trigger")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _write_the_old_way(apps, actor, count: int) -> list[tuple[int, str]]:
    """Append events as the old `audit_record` did: one chain, numbered by `sequence`."""
    event_model, head_model = (
        apps.get_model("audit", "AuditEvent"),
        apps.get_model("audit", "ChainHead"),
    )
    previous, written = chain.GENESIS_HASH, []
    for sequence in range(1, count + 1):
        occurred_at = dt.datetime(2026, 11, 1, 9, sequence, tzinfo=dt.UTC)
        body = {
            "sequence": sequence,
            "occurred_at": occurred_at.isoformat(),
            "actor": str(actor.pk),
            "verb": Verb.SIGNED_IN.value,
            "object_type": "user",
            "object_id": str(actor.pk),
            "case_id": None,
            "case_reference": "",
            "fields": [],
            "payload": {},
            "origin": "web",
            "origin_ip": "192.0.2.1",
        }
        digest = chain.link_hash(previous, body)
        event_model.objects.create(
            sequence=sequence,
            occurred_at=occurred_at,
            actor_id=actor.pk,
            verb=body["verb"],
            object_type="user",
            object_id=str(actor.pk),
            origin="web",
            origin_ip="192.0.2.1",
            previous_hash=previous,
            hash=digest,
        )
        previous = digest
        written.append((sequence, digest))
    head_model.objects.update_or_create(pk=1, defaults={"sequence": count, "hash": previous})
    return written


# Serialized rollback, like every transactional test here: its flush would otherwise re-create
# the content types a later serialized test restores.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_old_chain_becomes_the_legacy_chain_and_new_events_start_their_own(capsys):
    actor = UserFactory()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        written = _write_the_old_way(_migrate(BEFORE_CHAINS), actor, 3)
    finally:
        _migrate(latest)

    legacy = list(AuditEvent.objects.order_by("sequence").values_list("chain", "position", "hash"))
    assert legacy == [(LEGACY_CHAIN, sequence, digest) for sequence, digest in written]
    head = AuditChain.objects.get(key=LEGACY_CHAIN)
    assert (head.position, head.hash) == (3, written[-1][1])
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out

    case = CaseFactory()
    event = audit_record(actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case)
    assert (event.chain, event.position, event.previous_hash) == (
        f"case:{case.pk}",
        1,
        chain.GENESIS_HASH,
    )
    assert event.sequence > 3  # numbering continues after the old events
    call_command("audit_verify")
