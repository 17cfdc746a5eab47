"""Running an event's follow-ups, as `table.FOLLOW_UPS` gives them, in the caller's transaction."""

from django.db import models
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.events.models import CaseEventEntry
from orderwatch.events.table import FOLLOW_UPS, CaseEvent, FollowUp
from orderwatch.notifications.services import (
    case_lead_notify,
    case_member_notify,
    case_team_notify,
)
from orderwatch.patterns.services import pattern_escalations_note
from orderwatch.retention.services.holds import (
    case_retention_review_clear,
    case_retention_review_set,
)
from orderwatch.safety.services import safety_review_open
from orderwatch.sharing.services import sharing_event_record


class CaseNotLocked(Exception):
    """An event was recorded without the case row locked first: a lock-order bug."""


def case_event_record(
    *, actor: User | None, case: Case, event: CaseEvent, subject: models.Model, link: str
) -> list[FollowUp]:
    """Run the follow-ups of `event` on `subject` (the record the event made); return them.

    `case` must come from `case_lock_for_change` or `case_lock`: everything that follows an
    event locks rows after the case row, never before it.
    """
    if not getattr(case, "row_locked", False):
        raise CaseNotLocked(f"Lock the case row before recording {event.value}")
    CaseEventEntry.objects.create(case=case, kind=CaseEvent(event), subject_id=subject.pk)
    row = FOLLOW_UPS[CaseEvent(event)]
    done = sorted(row.follow_ups)
    for follow_up in done:
        if follow_up is FollowUp.SAFETY_REVIEW:
            safety_review_open(
                actor=actor, case=case, origin=row.review_origin, origin_id=subject.pk
            )
        elif follow_up is FollowUp.PATTERN_CHECK:
            pattern_escalations_note(actor=actor, case=case)
        elif follow_up is FollowUp.TEAM_ALERT:
            case_team_notify(actor=actor, case=case, kind=event.value, link=link)
        elif follow_up is FollowUp.LEAD_ALERT:
            case_lead_notify(actor=actor, case=case, kind=event.value, link=link)
        elif follow_up is FollowUp.MEMBER_ALERT:
            case_member_notify(
                actor=actor, case=case, kind=event.value, link=link, user=subject.user
            )
        elif follow_up is FollowUp.PARTIES_NEED_UPDATING:
            sharing_event_record(actor=actor, case=case, kind=event.value)
        elif follow_up is FollowUp.RETENTION_REVIEW_SET:
            closed_on = timezone.localdate(case.closed_at)
            case_retention_review_set(actor=actor, case=case, closed_on=closed_on)
        elif follow_up is FollowUp.RETENTION_REVIEW_CLEAR:
            case_retention_review_clear(actor=actor, case=case)
    return done
