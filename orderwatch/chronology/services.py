"""Opening and exporting a case's chronology: access-checked and audited in one transaction."""

from django.db import transaction

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.chronology.timeline import Kind


@transaction.atomic(durable=True)
def chronology_open(*, actor: User, case_id) -> Case:
    """Return a case the actor may see, recording that they viewed it (its chronology)."""
    case = access_case(actor, case_id)
    audit_record(
        actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case, payload={"page": "chronology"}
    )
    return case


@transaction.atomic(durable=True)
def chronology_export(*, actor: User, case_id, kinds: set[Kind]) -> Case:
    """Return a case the actor may see, recording that they exported its chronology and which
    kinds of entry it holds (none chosen: every kind)."""
    case = access_case(actor, case_id)
    audit_record(
        actor=actor,
        verb=Verb.CHRONOLOGY_EXPORTED,
        target=case,
        case=case,
        payload={"kinds": sorted(kinds)},
    )
    return case
