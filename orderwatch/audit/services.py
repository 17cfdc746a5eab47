"""Writing audit events. Every service that changes or reveals data calls `audit_record`."""

from collections.abc import Iterable
from typing import Any

from django.db import DatabaseError, models, transaction
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.audit import chain
from orderwatch.audit.models import AuditEvent, ChainHead, Verb
from orderwatch.audit.origin import current_origin


class AuditChainUnavailable(Exception):
    """The audit event could not be written, so the action it records must not happen."""


def _locked_chain_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # Only an empty log may (re)start the chain, e.g. a database flushed between tests.
    if AuditEvent.objects.exists():
        raise AuditChainUnavailable("The audit chain head is missing; run audit_verify.")
    return ChainHead.objects.create(pk=1, sequence=0, hash=chain.GENESIS_HASH)


def audit_record(
    *,
    actor: User | None,
    verb: Verb,
    target: models.Model,
    case: models.Model | None = None,
    fields: Iterable[str] = (),
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the chain, inside the caller's transaction.

    If this fails the caller's transaction fails with it, so nothing is saved or shown
    without its audit event.
    """
    try:
        return _append(
            actor=actor, verb=verb, target=target, case=case, fields=fields, payload=payload
        )
    except AuditChainUnavailable:
        raise
    except DatabaseError as error:
        raise AuditChainUnavailable("The audit event could not be written.") from error


def _append(*, actor, verb, target, case, fields, payload) -> AuditEvent:
    origin = current_origin()
    with transaction.atomic():
        head = _locked_chain_head()
        event = AuditEvent(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor=actor,
            verb=Verb(verb).value,
            object_type=target._meta.model_name,
            object_id=str(target.pk),
            case_id=case.pk if case is not None else None,
            case_reference=getattr(case, "reference", "") if case is not None else "",
            fields=sorted(fields),
            payload=payload or {},
            origin=origin.channel,
            origin_ip=origin.ip,
            previous_hash=head.hash,
        )
        event.hash = chain.link_hash(event.previous_hash, event.chain_body())
        event.save(force_insert=True)
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
    return event
