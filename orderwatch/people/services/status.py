"""Changing an account of one's own agency: its role; deactivating and reactivating it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from orderwatch.access.policy import access_person
from orderwatch.accounts.models import User
from orderwatch.accounts.services.sessions import sessions_end_except
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import TEAM_ROLES
from orderwatch.cases.services import case_leads_restore, case_leads_vacate
from orderwatch.people.selectors import person_cases_led
from orderwatch.people.services.onboarding import role_check

NOT_YOURSELF = "You cannot do this to your own account: ask another administrator"


def _reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic(durable=True)
def person_role_change(*, actor: User, person_id, role: str) -> User:
    """Give an account of the administrator's agency another role.

    Someone who leads a case keeps a role that can lead (practitioner or team manager) until
    the lead of each is handed over: a case always has an active lead who can lead it.
    """
    person = access_person(actor, person_id)
    if person.pk == actor.pk:
        raise ValidationError({"role": NOT_YOURSELF})
    role_check(role)
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.role == role:
        raise ValidationError({"role": "They already have this role. Choose another"})
    if role not in TEAM_ROLES:
        led = person_cases_led(person=person)
        if led:
            raise ValidationError(
                {
                    "role": f"They lead {led} case{'s' if led != 1 else ''}, and only a "
                    "practitioner or team manager can lead a case. The lead of each must be "
                    "handed over first"
                }
            )
    old = person.role
    person.role = role
    person.save(update_fields=["role"])
    audit_record(
        actor=actor,
        verb=Verb.ROLE_CHANGED,
        target=person,
        fields=["role"],
        payload={"from": old, "to": role},
    )
    return person


@transaction.atomic(durable=True)
def person_deactivate(*, actor: User, person_id, reason: str) -> User:
    """Deactivate an account: it cannot sign in, every session of it ends at once, and its
    case-team memberships stay on record. Each case it leads is handed to its agency's team
    managers to choose a new lead (ADR 0017); it stays the lead on record until then.

    The cases are locked first (one lock order, ADR 0012), then the account.
    """
    person = access_person(actor, person_id)
    if person.pk == actor.pk:
        raise ValidationError({"reason": NOT_YOURSELF})
    if not person.is_active:
        raise ValidationError({"reason": "This account is already deactivated"})
    reason = _reason(reason, "Enter why the account is being deactivated")
    cases = case_leads_vacate(actor=actor, user=person)
    person = User.objects.select_for_update().get(pk=person.pk)
    person.is_active = False
    person.save(update_fields=["is_active"])
    ended = sessions_end_except(user=person, keep_session_key=None)
    audit_record(
        actor=actor,
        verb=Verb.ACCOUNT_DEACTIVATED,
        target=person,
        fields=["is_active"],
        payload={"sessions_ended": ended, "cases_needing_a_new_lead": len(cases)},
        notes={"reason": reason},
    )
    return person


@transaction.atomic(durable=True)
def person_reactivate(*, actor: User, person_id, reason: str) -> User:
    """Let a deactivated account sign in again. It is again the lead of any case it led where
    nobody has handed over yet (the "choose a new lead" tasks close)."""
    person = access_person(actor, person_id)
    if person.is_active:
        raise ValidationError({"reason": "This account is already active"})
    reason = _reason(reason, "Enter why the account is being reactivated")
    cases = case_leads_restore(actor=actor, user=person)
    person = User.objects.select_for_update().get(pk=person.pk)
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        verb=Verb.ACCOUNT_REACTIVATED,
        target=person,
        fields=["is_active"],
        payload={"cases_led_again": len(cases)},
        notes={"reason": reason},
    )
    return person
