"""Disposing of closed cases' records at the end of their retention, a batch at a time, once an
agency administrator confirms it (ADR 0041).

All or nothing: every case of the batch is locked first (case rows in one order), checked again
under its lock (still closed, due, under no legal hold, proceedings confirmed over where its
class asks), then disposed of in one transaction. Stored files are deleted once it commits; a
file left behind by a crash names no record, so the daily orphan sweep removes it.
"""

import logging
import uuid
from collections.abc import Collection

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from orderwatch.access.policy import case_lock, disposal_cases
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_notes_erase, audit_record
from orderwatch.cases.models import Case
from orderwatch.confidential.files import encrypted_file_delete
from orderwatch.confidential.stored_files import STORED_FILES
from orderwatch.core.submissions import submission_claim
from orderwatch.diary.models import DiaryAccess
from orderwatch.diary.services import diary_keeper_forget
from orderwatch.evidence.models import EvidenceItem
from orderwatch.retention.disposal import DISPOSED
from orderwatch.retention.models import CaseDisposal, CaseRetention, DisposalBatch, LegalHold

logger = logging.getLogger(__name__)
NOTHING_SELECTED = "Select the cases whose records are to be disposed of"


def disposal_url() -> str:
    return reverse("retention:disposal-due")


@transaction.atomic(durable=True)
def disposal_batch_confirm(
    *,
    actor: User,
    case_ids: Collection[uuid.UUID],
    proceedings_checked: Collection[uuid.UUID] = (),
    submission_key: uuid.UUID | None = None,
) -> DisposalBatch:
    """Dispose of the records of the chosen cases, or of none of them.

    `proceedings_checked` are the cases whose class asks for confirmation that no proceedings
    are possible any more, confirmed by `actor`. A case outside the actor's agency is a 404;
    a case no longer due (reopened, under a new hold, not yet at its review date) stops the
    whole batch with a message that names it.
    """
    if not actor.has_perm("retention.dispose_of_records"):
        raise PermissionDenied
    chosen = sorted({uuid.UUID(str(pk)) for pk in case_ids})
    if not chosen:
        raise ValidationError({"cases": NOTHING_SELECTED})
    if disposal_cases(actor).filter(pk__in=chosen).count() != len(chosen):
        raise Http404
    cases = [case_lock(pk, while_closed=True) for pk in chosen]  # the case rows first
    _refuse_any_not_due(cases, confirmed={uuid.UUID(str(pk)) for pk in proceedings_checked})
    submission_claim(key=submission_key, actor=actor, url=disposal_url())
    now = timezone.now()
    batch = DisposalBatch.objects.create(
        agency_id=actor.agency_id, confirmed_by=actor, confirmed_at=now, created_by=actor
    )
    files: list[str] = []
    for case in cases:
        files += _case_records_dispose(case=case, batch=batch, actor=actor)
    audit_record(
        actor=actor,
        verb=Verb.DISPOSAL_CONFIRMED,
        target=batch,
        payload={"cases": [case.reference for case in cases]},
    )
    transaction.on_commit(lambda: _stored_files_delete(files))
    return batch


def _refuse_any_not_due(cases: list[Case], *, confirmed: set[uuid.UUID]) -> None:
    """Raise one message naming every case of the batch that may not be disposed of now."""
    today = timezone.localdate()
    reviews = {r.case_id: r for r in CaseRetention.objects.filter(case__in=cases)}
    held = set(
        LegalHold.objects.filter(case__in=cases, lifted_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    problems = []
    for case in cases:
        review = reviews.get(case.pk)
        if not case.is_closed or review is None:
            problems.append(f"Case {case.reference} is no longer closed")
        elif case.pk in held:
            problems.append(f"Case {case.reference} is under legal hold")
        elif review.review_on > today:
            problems.append(f"Case {case.reference} is not due for disposal yet")
        elif review.confirm_before_disposal and case.pk not in confirmed:
            problems.append(
                f"Confirm that no proceedings are possible for case {case.reference}, "
                "or leave it out"
            )
    if problems:
        raise ValidationError({"cases": problems})


def _case_records_dispose(*, case: Case, batch: DisposalBatch, actor: User) -> list[str]:
    """Delete everything held about one locked case but its tombstone; return the names of the
    stored files to delete once the transaction commits."""
    files = [name for kind in STORED_FILES for name in kind.names_for_case(case.pk)]
    keepers = list(
        User.objects.filter(
            pk__in=DiaryAccess.objects.filter(case=case).values("user_id"),
            role=User.Role.VICTIM_SURVIVOR,
        )
    )
    EvidenceItem.objects.filter(case=case).update(corrects=None)  # corrections refer to items
    for label, lookup in DISPOSED:
        apps.get_model(label)._base_manager.filter(**{lookup: case.pk}).delete()
    for keeper in keepers:
        if not DiaryAccess.objects.filter(user=keeper).exists():  # a diary on no other case
            diary_keeper_forget(keeper=keeper)
    review = CaseRetention.objects.get(case=case)
    tombstone = CaseDisposal.objects.create(
        case=case,
        batch=batch,
        reference=case.reference,
        opened_on=timezone.localdate(case.created_at),
        closed_on=review.closed_on,
        retention_class=review.retention_class,
        review_on=review.review_on,
        disposed_at=batch.confirmed_at,
    )
    Case.objects.filter(pk=case.pk).update(protected_address="", status=Case.Status.DISPOSED)
    audit_notes_erase(case_id=case.pk)  # the reasons typed on it; the events stay (ADR 0039)
    audit_record(
        actor=actor,
        verb=Verb.CASE_RECORDS_DISPOSED,
        target=tombstone,
        case=case,
        payload={"batch": str(batch.pk), "retention_class": review.retention_class},
    )
    return files


def _stored_files_delete(names: list[str]) -> None:
    """Delete the disposed cases' stored files; one that fails is left to the orphan sweep."""
    for name in names:
        try:
            encrypted_file_delete(name=name)
        except Exception:  # any storage's failure: the sweep finishes the job
            # It names no record now, so `sweep_stored_files` removes it within a day.
            logger.warning("A disposed case's stored file could not be deleted yet")
