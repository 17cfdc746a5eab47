"""Reading the audit log, scoped to what the reading user may see."""

import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from orderwatch.accounts.models import User
from orderwatch.audit import chain
from orderwatch.audit.models import AuditEvent, ChainHead


def audit_event_list(
    *,
    user: User,
    verb: str = "",
    actor: User | None = None,
    case_reference: str = "",
    occurred_from: dt.date | None = None,
    occurred_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the events an auditor may read: those by staff of their own agency."""
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    events = AuditEvent.objects.filter(actor__agency_id=user.agency_id).select_related(
        "actor", "actor__agency"
    )
    if verb:
        events = events.filter(verb=verb)
    if actor is not None:
        events = events.filter(actor=actor)
    if case_reference:
        events = events.filter(case_reference__iexact=case_reference.strip())
    if occurred_from:
        events = events.filter(occurred_at__date__gte=occurred_from)
    if occurred_to:
        events = events.filter(occurred_at__date__lte=occurred_to)
    return events.order_by("-sequence")


def audit_actor_choices(*, user: User) -> QuerySet[User]:
    """Return the people an auditor may filter the log by: their own agency's staff."""
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    return User.objects.filter(agency_id=user.agency_id).order_by("display_name")


def audit_chain_links() -> Iterator[chain.Link]:
    """Yield every event as a chain link, oldest first, without loading them all at once."""
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        yield chain.Link(event.sequence, event.previous_hash, event.hash, event.chain_body())


def audit_chain_break() -> chain.Break | None:
    """Return the first inconsistency in the whole audit chain, or None if it is intact."""
    head = ChainHead.objects.get(pk=1)
    return chain.first_break(audit_chain_links(), head_sequence=head.sequence, head_hash=head.hash)
