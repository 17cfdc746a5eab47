"""The case team: who is on it, who leads it, and who may see the protected address.

Every change locks the case row first (one lock order, ADR 0012), so two changes to one team
take turns: two hand-overs at once end with exactly one lead.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orderwatch.access.policy import (
    case_lock_for_change,
    case_lock_for_lead_vacancy,
    cases_lock_led_by,
)
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import TEAM_ROLES, Case, CaseTeamChange, CaseTeamMembership
from orderwatch.events.services import case_event_record
from orderwatch.events.table import CaseEvent
from orderwatch.tasks.models import Task
from orderwatch.tasks.services import (
    task_finish,
    task_open,
    tasks_hand_on,
    working_days_from_today,
)

# A case whose lead's account was deactivated (ADR 0017): the capacity of a team manager who
# joins to choose a new lead, and the working days they have to do it.
LEAD_VACANCY_CAPACITY = "Team manager (choosing a new lead)"
LEAD_VACANCY_REASON = "The lead's account was deactivated: a new lead is needed"
NEW_LEAD_DUE_WORKING_DAYS = 2


def _active(case: Case, user: User) -> CaseTeamMembership | None:
    return case.team_memberships.filter(user=user, left_at__isnull=True).first()


def _reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _changed(actor, case, membership, kind, reason="") -> CaseTeamChange:
    return CaseTeamChange.objects.create(
        case=case, membership=membership, kind=kind, reason=reason, created_by=actor
    )


@transaction.atomic(durable=True)
def case_team_member_add(
    *, actor: User, case: Case, user: User, capacity: str
) -> CaseTeamMembership:
    """Put a professional from any agency on the case team. They see the case from their next
    request, and are told in the service and by an email that names nothing."""
    case = case_lock_for_change(actor, case.pk, permission="cases.manage_team")
    capacity = capacity.strip()
    if not user.is_active:
        raise ValidationError({"user": "This person's account has been deactivated"})
    if user.role == User.Role.VICTIM_SURVIVOR:
        raise ValidationError({"user": "A victim-survivor's diary account cannot join a case team"})
    if _active(case, user) is not None:
        raise ValidationError({"user": "This person is already on the case team"})
    if not capacity:
        raise ValidationError({"capacity": "Enter their role on this case"})
    membership = CaseTeamMembership.objects.create(
        case=case, user=user, agency_id=user.agency_id, capacity=capacity, created_by=actor
    )
    _changed(actor, case, membership, CaseTeamChange.Kind.ADDED)
    audit_record(
        actor=actor, verb=Verb.TEAM_MEMBER_ADDED, target=membership, case=case, fields=["is_lead"]
    )
    case_event_record(
        actor=actor,
        case=case,
        event=CaseEvent.MEMBER_ADDED,
        subject=membership,
        link=case.get_absolute_url(),
    )
    return membership


@transaction.atomic(durable=True)
def case_team_member_remove(
    *, actor: User, case: Case, user: User, reason: str, new_lead: User | None = None
) -> CaseTeamMembership:
    """Take someone off the case team; their very next request for the case is a 404.

    Removing the lead needs `new_lead`, another member, who takes over first: an open case
    always has one lead. Their open tasks go to whoever now owns the case's tasks.
    """
    case = case_lock_for_change(actor, case.pk, permission="cases.manage_team")
    membership = _active(case, user)
    if membership is None:
        raise ValidationError({"user": "This person is not on the case team"})
    reason = _reason(reason, "Enter why they are leaving the case team")
    if membership.is_lead:
        successor = _active(case, new_lead) if new_lead is not None else None
        if successor is None or successor == membership:
            raise ValidationError({"new_lead": "Choose who will lead the case instead"})
        _can_lead(successor)
        _hand_over(actor, case, old=membership, new=successor)
    membership.left_at = timezone.now()
    membership.left_reason = reason
    membership.is_lead = membership.may_see_address = False
    membership.save(
        update_fields=["left_at", "left_reason", "is_lead", "may_see_address", "modified_at"]
    )
    _changed(actor, case, membership, CaseTeamChange.Kind.REMOVED, reason)
    audit_record(
        actor=actor,
        verb=Verb.TEAM_MEMBER_REMOVED,
        target=membership,
        case=case,
        fields=["left_at"],
        notes={"reason": reason},
    )
    tasks_hand_on(actor=actor, case=case, leaver=user)
    return membership


@transaction.atomic(durable=True)
def case_lead_hand_over(*, actor: User, case: Case, to: User) -> CaseTeamMembership:
    """Make another member the case's lead. The old lead stays on the team; the lead's open
    tasks go with the lead."""
    case = case_lock_for_change(actor, case.pk, permission="cases.manage_team")
    new = _active(case, to)
    if new is None:
        raise ValidationError({"new_lead": "This person is not on the case team"})
    if new.is_lead:
        raise ValidationError({"new_lead": "This person already leads the case"})
    _can_lead(new)
    old = case.team_memberships.filter(is_lead=True, left_at__isnull=True).first()
    _hand_over(actor, case, old=old, new=new)
    return new


def _can_lead(membership: CaseTeamMembership) -> None:
    if membership.user.role not in TEAM_ROLES or not membership.user.is_active:
        raise ValidationError(
            {"new_lead": "Only an active practitioner or team manager can lead a case"}
        )


def _hand_over(actor, case, *, old: CaseTeamMembership | None, new: CaseTeamMembership) -> None:
    if old is not None:
        old.is_lead = False
        old.save(update_fields=["is_lead", "modified_at"])
    new.is_lead = new.may_see_address = True  # the lead sees the address by default
    new.save(update_fields=["is_lead", "may_see_address", "modified_at"])
    _changed(actor, case, new, CaseTeamChange.Kind.LEAD_HANDED_OVER)
    audit_record(
        actor=actor,
        verb=Verb.LEAD_HANDED_OVER,
        target=new,
        case=case,
        fields=["is_lead", "may_see_address"],
    )
    if old is not None:
        tasks_hand_on(actor=actor, case=case, leaver=old.user)
    _new_lead_tasks_finish(actor, case)


def _new_lead_tasks_finish(actor: User, case: Case) -> None:
    """Close the "choose a new lead" tasks of a case that has an active lead again."""
    for task in case.tasks.select_for_update().filter(
        kind=Task.Kind.NEW_LEAD, done_at__isnull=True
    ):
        task_finish(actor=actor, task=task)


# -- A lead whose account is deactivated (ADR 0017) ------------------------------------------


def case_leads_vacate(*, actor: User, user: User) -> list[Case]:
    """Ask the team managers of `user`'s agency to choose a new lead for each case `user`
    leads, as their account is deactivated; return those cases. Call it from inside the
    deactivation, before the account changes (the case rows are locked first).

    The deactivated member stays the case's lead until a team manager hands over (the case has
    one lead throughout), and stays on the team's record. Each active team manager of the agency
    gets a task; they see the case by reference only until one of them joins its team
    (`case_lead_vacancy_join`).
    """
    # Read again once locked: a hand-over that held a row first may have moved the lead on.
    led = []
    for case in cases_lock_led_by(user):
        lead = case.team_memberships.filter(user=user, is_lead=True, left_at__isnull=True).first()
        if lead is not None:
            led.append((case, lead))
    if not led:
        return []
    managers = list(
        User.objects.filter(
            agency_id=user.agency_id, role=User.Role.TEAM_MANAGER, is_active=True
        ).exclude(pk=user.pk)
    )
    due_on = working_days_from_today(NEW_LEAD_DUE_WORKING_DAYS)
    # A lead deactivated, reactivated and deactivated again is asked about again: each
    # deactivation changes the account's security stamp, so the stamp names the occasion.
    occasion = user.security_stamp.hex[:24]
    for case, lead in led:
        audit_record(
            actor=actor,
            verb=Verb.LEAD_NEEDED,
            target=lead,
            case=case,
            payload={"team_managers_asked": len(managers)},
        )
        for manager in managers:
            task_open(
                actor=actor,
                case=case,
                kind=Task.Kind.NEW_LEAD,
                title=Task.Kind.NEW_LEAD.label,
                assignee=manager,
                due_on=due_on,
                origin=Task.Origin.LEAD_DEACTIVATED,
                origin_id=lead.pk,
                origin_key=f"{manager.pk.hex}:{occasion}",
            )
    return [case for case, _ in led]


def case_leads_restore(*, actor: User, user: User) -> list[Case]:
    """Close the "choose a new lead" tasks of the cases `user` still leads, as their account is
    reactivated before anyone handed over. Call it from inside the reactivation."""
    cases = cases_lock_led_by(user)
    for case in cases:
        _new_lead_tasks_finish(actor, case)
    return cases


@transaction.atomic(durable=True)
def case_lead_vacancy_join(*, actor: User, case: Case) -> CaseTeamMembership:
    """Put a team manager on the team of a case whose lead's account was deactivated, so they
    can hand the lead to someone (`case_lead_hand_over`); audited, with why.

    Only a team manager of the agency the lead worked for, while the lead is still deactivated
    (404 otherwise). No alert follows: the person added is the one acting.
    """
    case = case_lock_for_lead_vacancy(actor, case.pk)
    membership = _active(case, actor)
    if membership is not None:
        return membership
    membership = CaseTeamMembership.objects.create(
        case=case,
        user=actor,
        agency_id=actor.agency_id,
        capacity=LEAD_VACANCY_CAPACITY,
        created_by=actor,
    )
    _changed(actor, case, membership, CaseTeamChange.Kind.ADDED, LEAD_VACANCY_REASON)
    audit_record(
        actor=actor,
        verb=Verb.LEAD_VACANCY_JOINED,
        target=membership,
        case=case,
        payload={"reason": LEAD_VACANCY_REASON},
    )
    return membership


@transaction.atomic(durable=True)
def case_address_access_set(
    *, actor: User, case: Case, user: User, allowed: bool, reason: str
) -> CaseTeamMembership:
    """Allow a member to reveal the protected address, or stop them; the lead decides, with a
    reason. Revealing it still asks for a reason and a fresh code each time."""
    case = case_lock_for_change(actor, case.pk, permission="cases.grant_address_access")
    membership = _active(case, user)
    if membership is None:
        raise ValidationError({"user": "This person is not on the case team"})
    if membership.is_lead and not allowed:
        raise ValidationError(
            {"user": "The lead can always see the address: hand over the lead first"}
        )
    if allowed and membership.user.role not in TEAM_ROLES:
        raise ValidationError(
            {"user": "Only practitioners and team managers can see the protected address"}
        )
    if membership.may_see_address == allowed:
        already = "can already" if allowed else "already cannot"
        raise ValidationError({"user": f"This person {already} see the address"})
    reason = _reason(
        reason,
        "Enter why they need to see the address"
        if allowed
        else "Enter why they no longer need to see the address",
    )
    membership.may_see_address = allowed
    membership.save(update_fields=["may_see_address", "modified_at"])
    kind = (
        CaseTeamChange.Kind.ADDRESS_ACCESS_GRANTED
        if allowed
        else CaseTeamChange.Kind.ADDRESS_ACCESS_WITHDRAWN
    )
    _changed(actor, case, membership, kind, reason)
    audit_record(
        actor=actor,
        verb=Verb.ADDRESS_ACCESS_GRANTED if allowed else Verb.ADDRESS_ACCESS_WITHDRAWN,
        target=membership,
        case=case,
        fields=["may_see_address"],
        notes={"reason": reason},
    )
    return membership
