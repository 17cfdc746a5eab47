"""What follows each event on a case: one list of event kinds and one table of follow-ups.

Services record the event's own data, then call `case_event_record`, which runs exactly the
follow-ups this table gives, in `FollowUp` order, inside the service's transaction. Nothing else
opens a safety review, checks the pattern, alerts the team or marks parties as needing an update.
"""

import enum
from dataclasses import dataclass

from django.db import models

from orderwatch.tasks.models import Task


class CaseEvent(models.TextChoices):
    """Something that happened on a case. Each value is also the kind of the alert it sends."""

    ORDER_ADDED = "order_added", "An order was recorded"
    ORDER_VARIED = "order_varied", "An order was varied"
    ORDER_EXTENDED = "order_extended", "An order was extended"
    ORDER_DISCHARGED = "order_discharged", "An order was discharged"
    ORDER_ENDING = "order_ending", "An order is ending soon"
    ORDER_EXPIRED = "order_expired", "An order has ended"
    BREACH_RECORDED = "breach_recorded", "A breach was recorded"
    INCIDENT_RECORDED = "incident_recorded", "An incident that matches no condition was recorded"
    EVIDENCE_ADDED = "evidence_added", "Evidence was added"
    INCIDENT_MARKED = "incident_marked", "Evidence was marked as an incident"
    INCIDENT_UNMARKED = "incident_unmarked", "Evidence was said not to be an incident"
    DIARY_ENTRY_ADDED = "diary_entry_added", "The victim-survivor added a diary entry"
    ADDRESS_CHANGED = "address_changed", "The victim-survivor moved"
    REVIEW_OVERDUE = "review_overdue", "A safety plan review is overdue"
    MEMBER_ADDED = "member_added", "You were added to a case"
    CASE_CLOSED = "case_closed", "A case was closed"
    CASE_REOPENED = "case_reopened", "A case was reopened"


class FollowUp(enum.IntEnum):
    """What may follow an event, in the order they run."""

    # A reason on the case's one open safety-plan review, which is opened for whoever the
    # case's tasks go to if none is open; an open review keeps its earlier due date (ADR 0030).
    SAFETY_REVIEW = 1
    PATTERN_CHECK = 2  # look at the pattern of incidents again; a new escalation opens a review
    TEAM_ALERT = 3  # everyone on the case team but the actor, in the service and by email
    LEAD_ALERT = 4  # only whoever the case's tasks go to
    PARTIES_NEED_UPDATING = 5  # everyone told before needs telling again (a task each)
    MEMBER_ALERT = 6  # only the person the event is about (someone added to the team)
    # The retention class and review date of a closed case, from the schedule (ADR 0038).
    RETENTION_REVIEW_SET = 7
    RETENTION_REVIEW_CLEAR = 8  # an open case is kept while it is worked on


@dataclass(frozen=True)
class Row:
    follow_ups: frozenset[FollowUp]
    # The reason the row gives the case's open safety review (its origin), when it gives one.
    review_origin: str = ""
    why: str = ""


def _row(*follow_ups: FollowUp, review_origin: str = "", why: str = "") -> Row:
    return Row(frozenset(follow_ups), review_origin, why)


F = FollowUp
FOLLOW_UPS: dict[CaseEvent, Row] = {
    CaseEvent.ORDER_ADDED: _row(F.TEAM_ALERT, F.PARTIES_NEED_UPDATING),
    CaseEvent.ORDER_VARIED: _row(F.TEAM_ALERT, F.PARTIES_NEED_UPDATING),
    CaseEvent.ORDER_EXTENDED: _row(F.TEAM_ALERT, F.PARTIES_NEED_UPDATING),
    CaseEvent.ORDER_DISCHARGED: _row(
        F.SAFETY_REVIEW,
        F.TEAM_ALERT,
        F.PARTIES_NEED_UPDATING,
        review_origin=Task.Origin.ORDER_ENDED,
        why="A school that still thinks an order is in force may act on it.",
    ),
    CaseEvent.ORDER_ENDING: _row(F.TEAM_ALERT, why="The reminder itself is the lead's task."),
    CaseEvent.ORDER_EXPIRED: _row(
        F.SAFETY_REVIEW,
        F.TEAM_ALERT,
        F.PARTIES_NEED_UPDATING,
        review_origin=Task.Origin.ORDER_ENDED,
        why="An order that runs out is as over as a discharged one: whoever was told about it "
        "must hear that it no longer protects anyone.",
    ),
    CaseEvent.BREACH_RECORDED: _row(
        F.SAFETY_REVIEW,
        F.PATTERN_CHECK,
        F.TEAM_ALERT,
        F.PARTIES_NEED_UPDATING,
        review_origin=Task.Origin.BREACH,
    ),
    CaseEvent.INCIDENT_RECORDED: _row(
        F.SAFETY_REVIEW,
        F.PATTERN_CHECK,
        F.TEAM_ALERT,
        F.PARTIES_NEED_UPDATING,
        review_origin=Task.Origin.INCIDENT,
        why="Conduct that matches no condition is recorded as a breach is, and named an incident "
        "(ADR 0030): it may still be an offence, and it counts in the pattern.",
    ),
    CaseEvent.EVIDENCE_ADDED: _row(
        why="Evidence counts in the pattern only once someone marks it as an incident."
    ),
    CaseEvent.INCIDENT_MARKED: _row(F.PATTERN_CHECK),
    CaseEvent.INCIDENT_UNMARKED: _row(
        why="Escalations are lasting (ADR 0009): fewer incidents never raise a new one."
    ),
    CaseEvent.DIARY_ENTRY_ADDED: _row(
        F.LEAD_ALERT, why="The diary is private to the victim-survivor and the lead."
    ),
    CaseEvent.ADDRESS_CHANGED: _row(
        F.SAFETY_REVIEW,
        review_origin=Task.Origin.ADDRESS_CHANGE,
        why="No alert: the move is discussed with the victim-survivor before anyone is told.",
    ),
    CaseEvent.REVIEW_OVERDUE: _row(F.TEAM_ALERT),
    CaseEvent.MEMBER_ADDED: _row(
        F.MEMBER_ALERT,
        why="The person added needs to know; the team sees the change on the case page.",
    ),
    CaseEvent.CASE_CLOSED: _row(
        F.TEAM_ALERT,
        F.RETENTION_REVIEW_SET,
        why="The case leaves everyone's My cases: they should know why it went. No one else is "
        "told: the closing checklist decided who needs to hear. How long its records are kept "
        "is counted from the closing.",
    ),
    CaseEvent.CASE_REOPENED: _row(
        F.TEAM_ALERT,
        F.RETENTION_REVIEW_CLEAR,
        why="The case is back on everyone's My cases, and writable again; its records are kept "
        "while it is open.",
    ),
}
