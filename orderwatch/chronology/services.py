"""Opening a case's chronology: access-checked and audited in one transaction.

Its PDF is a prepared document: see `orderwatch.exports` (asked for, audited and built there).
"""

from django.db import transaction

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case


@transaction.atomic(durable=True)
def chronology_open(*, actor: User, case_id) -> Case:
    """Return a case the actor may see, recording that they viewed it (its chronology)."""
    case = access_case(actor, case_id)
    audit_record(
        actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case, payload={"page": "chronology"}
    )
    return case
