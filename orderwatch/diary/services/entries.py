"""Adding an entry to the diary: an evidence item by the victim-survivor, with what they ticked on
"Is this a breach?" and what the diary told them.
"""

import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.breaches.occurrence import Occurrence
from orderwatch.diary.breach_check import MAY_BE_COVERED_BY, Happened
from orderwatch.diary.models import DiaryEntryCheck
from orderwatch.diary.selectors import diary_case, keeper_conditions_in_force
from orderwatch.events.table import CaseEvent
from orderwatch.evidence import services as evidence_services
from orderwatch.evidence.models import EvidenceItem


def _kind_for(uploads: Sequence[File]) -> str:
    """Name the entry by its first file, so the victim-survivor is not asked to classify it.

    The browser's claim only labels the entry; the evidence intake sniffs every file itself.
    """
    if not uploads:
        return EvidenceItem.Kind.NOTE
    claimed = (getattr(uploads[0], "content_type", "") or "").split("/")[0]
    return {
        "image": EvidenceItem.Kind.PHOTO,
        "audio": EvidenceItem.Kind.AUDIO,
        "video": EvidenceItem.Kind.VIDEO,
    }.get(claimed, EvidenceItem.Kind.DOCUMENT)


def diary_entry_add(
    *,
    actor: User,
    occurrence: Occurrence,
    description: str,
    uploads: Sequence[File] = (),
    happened: Sequence[str] = (),
    submission_key: uuid.UUID | None = None,
) -> EvidenceItem:
    """Add an entry to the victim-survivor's diary: an evidence item on their case, by them.

    What they ticked on "Is this a breach?" (`happened`) is kept beside it, with the conditions
    the diary told them it may be a breach of. The lead practitioner is told there is a new
    entry (in-app, and by an email without any content), in the same transaction: what follows
    `CaseEvent.DIARY_ENTRY_ADDED`.
    """
    kinds = list(dict.fromkeys(happened))
    if any(kind not in Happened.__members__.values() for kind in kinds):
        raise ValidationError({"happened": "Select what kind of thing happened from the list"})

    def check_record(item: EvidenceItem) -> None:
        if not kinds:
            return
        check = DiaryEntryCheck.objects.create(item=item, happened=kinds, created_by=actor)
        named = [
            condition
            for condition in keeper_conditions_in_force(case=item.case)
            if any(condition.kind in MAY_BE_COVERED_BY[Happened(kind)] for kind in kinds)
        ]
        check.conditions.set(named)
        audit_record(
            actor=actor,
            verb=Verb.DIARY_ENTRY_CHECKED,
            target=item,
            case=item.case,
            payload={"happened": kinds, "conditions": sorted(str(c.pk) for c in named)},
        )

    return evidence_services.evidence_item_intake(
        authorise=lambda: diary_case(user=actor),
        actor=actor,
        kind=_kind_for(uploads),
        occurrence=occurrence,
        description=description,
        uploads=uploads,
        author_kind=EvidenceItem.AuthorKind.VICTIM_SURVIVOR,
        corrects=None,
        event=CaseEvent.DIARY_ENTRY_ADDED,
        submission_key=submission_key,
        saved_url=lambda item: reverse("diary:home"),  # never the practitioners' page
        record_with=check_record,
    )
