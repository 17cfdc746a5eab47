"""Closing and reopening a case (ADR 0037).

A closed case is read-only (`access.policy` refuses every write to it), off My cases, out of
the reminder sweep, and its diary access ends. Both changes lock the case row first, check the
`cases.close_case` rule, and are audited, on the chronology and followed as the events table says.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orderwatch.access.policy import case_lock_for_change
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.closing import ItemKind, checklist_problems, checklist_record
from orderwatch.cases.models import Case, CaseClosure
from orderwatch.cases.selectors import closing_items
from orderwatch.diary.models import DiaryInvite
from orderwatch.diary.services import diary_access_end
from orderwatch.events.services import case_event_record
from orderwatch.events.table import CaseEvent
from orderwatch.tasks.services import task_finish

REASON_TEXT_MAX = 1000
REOPEN_REASON_MIN = 5


def closing_reason_problems(*, reason: str, reason_text: str) -> dict[str, str]:
    """Return what is wrong with a closing reason, by field (none if it will do)."""
    if reason not in CaseClosure.Reason.values:
        return {"reason": "Choose why the case is closing"}
    if reason == CaseClosure.Reason.OTHER and not reason_text.strip():
        return {"reason_text": "Enter why the case is closing"}
    if len(reason_text.strip()) > REASON_TEXT_MAX:
        return {"reason_text": f"Enter why in {REASON_TEXT_MAX} characters or fewer"}
    return {}


@transaction.atomic(durable=True)
def case_close(
    *,
    actor: User,
    case_id,
    reason: str,
    reason_text: str = "",
    decisions: Mapping[str, str],
) -> CaseClosure:
    """Close a case with a reason, once every open item on its checklist has its decision.

    The checklist is read again under the row lock: anything opened since the person saw it
    needs its decision too. Open tasks are done with the case, diary access and unused diary
    invitations end; orders, parties and documents are left as they are, the decision recorded.
    """
    case = case_lock_for_change(actor, case_id, permission="cases.close_case", while_closed=True)
    if case.is_closed:
        raise ValidationError("This case is already closed.", code="already_closed")
    reason_text = reason_text.strip()
    items = closing_items(case=case)
    problems = checklist_problems(items, decisions) | closing_reason_problems(
        reason=reason, reason_text=reason_text
    )
    if problems:
        raise ValidationError(problems)
    open_tasks = {item.id for item in items if item.kind == ItemKind.TASK}
    for task in case.tasks.select_for_update().filter(done_at__isnull=True).order_by("pk"):
        if str(task.pk) in open_tasks:
            task_finish(actor=actor, task=task)
    diary_access_end(actor=actor, case=case)
    now = timezone.now()
    DiaryInvite.objects.filter(case=case, used_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=now, setup_email="", setup_password=""
    )
    case.status, case.closed_at = Case.Status.CLOSED, now
    case.save(update_fields=["status", "closed_at", "modified_at"])
    closure = CaseClosure.objects.create(
        case=case,
        kind=CaseClosure.Kind.CLOSED,
        reason=reason,
        reason_text=reason_text,
        decisions=checklist_record(items, decisions),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb=Verb.CASE_CLOSED,
        target=case,
        case=case,
        fields=["status"],
        payload={"reason": reason, "decisions": len(items)},
    )
    case_event_record(
        actor=actor,
        case=case,
        event=CaseEvent.CASE_CLOSED,
        subject=closure,
        link=case.get_absolute_url(),
    )
    return closure


@transaction.atomic(durable=True)
def case_reopen(*, actor: User, case_id, reason_text: str) -> CaseClosure:
    """Reopen a closed case, with why. It is writable and on My cases again; its diary access
    is not restored (the lead can invite the victim-survivor again)."""
    case = case_lock_for_change(actor, case_id, permission="cases.close_case", while_closed=True)
    if not case.is_closed:
        raise ValidationError("This case is already open.", code="already_open")
    reason_text = reason_text.strip()
    if len(reason_text) < REOPEN_REASON_MIN:
        raise ValidationError({"reason_text": "Enter why the case is being reopened"})
    if len(reason_text) > REASON_TEXT_MAX:
        raise ValidationError(
            {"reason_text": f"Enter why in {REASON_TEXT_MAX} characters or fewer"}
        )
    case.status, case.closed_at = Case.Status.OPEN, None
    case.save(update_fields=["status", "closed_at", "modified_at"])
    reopening = CaseClosure.objects.create(
        case=case, kind=CaseClosure.Kind.REOPENED, reason_text=reason_text, created_by=actor
    )
    audit_record(actor=actor, verb=Verb.CASE_REOPENED, target=case, case=case, fields=["status"])
    case_event_record(
        actor=actor,
        case=case,
        event=CaseEvent.CASE_REOPENED,
        subject=reopening,
        link=case.get_absolute_url(),
    )
    return reopening
