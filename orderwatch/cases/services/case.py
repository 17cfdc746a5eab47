"""The case and the people on it: opening, viewing, the protected address."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from orderwatch.access.policy import access_case, case_lock_for_change
from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case, CasePerson, CaseTeamMembership
from orderwatch.confidential.fields import Confidential
from orderwatch.core.submissions import submission_claim


def _require(user: User, permission: str, case: Case | None = None) -> None:
    if not user.has_perm(permission, case):
        raise PermissionDenied


def _clean_aliases(aliases: list[str]) -> list[str]:
    return [alias.strip() for alias in aliases if alias.strip()]


LEAD_REFUSED = "Choose someone from your agency who works with families"


def _may_lead_for(actor: User, lead: User) -> bool:
    return (
        lead.is_active
        and lead.agency_id is not None
        and lead.agency_id == actor.agency_id
        and lead.role in (User.Role.PRACTITIONER, User.Role.TEAM_MANAGER)
    )


@transaction.atomic(durable=True)
def case_create(
    *,
    actor: User,
    victim_given_name: str,
    victim_family_name: str = "",
    victim_date_of_birth: dt.date | None = None,
    lead_capacity: str,
    lead: User | None = None,
    submission_key: uuid.UUID | None = None,
) -> Case:
    """Open a case around a victim-survivor, with `lead` (the creator unless named) as lead of
    its case team. A named lead works with families in the creator's own agency: an agency's
    system opens cases for its own people, never another agency's."""
    _require(actor, "cases.add_case")
    case = case_make(
        actor=actor,
        victim_given_name=victim_given_name,
        victim_family_name=victim_family_name,
        victim_date_of_birth=victim_date_of_birth,
        lead_capacity=lead_capacity,
        lead=lead or actor,
    )
    submission_claim(key=submission_key, actor=actor, url=case.get_absolute_url())
    return case


def case_make(
    *,
    actor: User,
    victim_given_name: str,
    victim_family_name: str,
    victim_date_of_birth: dt.date | None,
    lead_capacity: str,
    lead: User,
) -> Case:
    """Open a case inside the caller's transaction (`case_create`, or an import: ADR 0043),
    once the caller has checked that `actor` may."""
    if lead != actor and not _may_lead_for(actor, lead):
        raise ValidationError({"lead": LEAD_REFUSED})
    case = Case.objects.create(created_by=actor)
    victim = CasePerson(
        case=case,
        role=CasePerson.Role.VICTIM_SURVIVOR,
        given_name=victim_given_name.strip(),
        family_name=victim_family_name.strip(),
        date_of_birth=victim_date_of_birth,
        created_by=actor,
    )
    victim.full_clean()
    victim.save()
    membership = CaseTeamMembership.objects.create(
        case=case,
        user=lead,
        agency_id=lead.agency_id,
        capacity=lead_capacity.strip(),
        is_lead=True,
        may_see_address=True,
        created_by=actor,
    )
    audit_record(actor=actor, verb=Verb.CASE_CREATED, target=case, case=case)
    audit_record(actor=actor, verb=Verb.PERSON_ADDED, target=victim, case=case, fields=["role"])
    audit_record(
        actor=actor, verb=Verb.TEAM_MEMBER_ADDED, target=membership, case=case, fields=["is_lead"]
    )
    return case


@transaction.atomic(durable=True)
def case_open(*, actor: User, case_id) -> Case:
    """Return a case the actor may see, recording that they viewed it."""
    case = access_case(actor, case_id)
    audit_record(actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case)
    return case


@transaction.atomic(durable=True)
def case_person_add(
    *,
    actor: User,
    case: Case,
    role: CasePerson.Role,
    given_name: str,
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    aliases: list[str] | None = None,
    submission_key: uuid.UUID | None = None,
) -> CasePerson:
    """Add a respondent, child or household member to a case."""
    case = case_lock_for_change(actor, case.pk)
    person = case_person_make(
        actor=actor,
        case=case,
        role=role,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        aliases=aliases,
    )
    submission_claim(key=submission_key, actor=actor, url=case.get_absolute_url())
    return person


def case_person_make(
    *,
    actor: User,
    case: Case,
    role: CasePerson.Role,
    given_name: str,
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    aliases: list[str] | None = None,
) -> CasePerson:
    """Add a person to `case`, whose row the caller has locked, inside its transaction."""
    if role == CasePerson.Role.VICTIM_SURVIVOR:
        raise ValidationError({"role": "A case has one victim-survivor, recorded when it opens"})
    person = CasePerson(
        case=case,
        role=role,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        aliases=_clean_aliases(aliases or []),
        created_by=actor,
    )
    person.full_clean()
    person.save()
    audit_record(actor=actor, verb=Verb.PERSON_ADDED, target=person, case=case, fields=["role"])
    return person


@transaction.atomic(durable=True)
def case_protected_address_record(
    *, actor: User, case: Case, address: str, reason: str, step_up: StepUp
) -> Case:
    """Record the victim-survivor's address on a case that has none yet: encrypted, by someone
    allowed to see it, with why and a fresh code. The audit names the field and the reason,
    never the value. A later address is a move (`address_change_record`), which asks first
    what the change could give away."""
    case = case_lock_for_change(actor, case.pk, permission="cases.reveal_protected_address")
    if not step_up.is_fresh_for(actor):
        raise PermissionDenied
    if case.protected_address:
        raise ValidationError(
            {
                "address": "This case already has an address. If the victim-survivor has "
                "moved, record the move instead"
            }
        )
    address, reason = address.strip(), reason.strip()
    errors = {}
    if not address:
        errors["address"] = "Enter the address"
    if len(reason) < settings.ORDERWATCH_REVEAL_MIN_REASON_LENGTH:
        errors["reason"] = "Enter why you are recording the address, in at least a few words"
    if errors:
        raise ValidationError(errors)
    case.protected_address = Confidential.from_plaintext(address)
    case.save(update_fields=["protected_address", "modified_at"])
    audit_record(
        actor=actor,
        verb=Verb.ADDRESS_RECORDED,
        target=case,
        case=case,
        fields=["protected_address"],
        notes={"reason": reason},
    )
    return case


@transaction.atomic(durable=True)
def case_protected_address_reveal(*, actor: User, case_id, reason: str, step_up: StepUp) -> str:
    """Return the protected address to a permitted member, recording who, when and why.

    `step_up` proves the actor has just entered a fresh two-factor code (`mfa_step_up`).
    """
    case = access_case(actor, case_id)
    _require(actor, "cases.reveal_protected_address", case)
    if not step_up.is_fresh_for(actor):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < settings.ORDERWATCH_REVEAL_MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": "Enter why you need to see the address, in at least a few words"}
        )
    audit_record(
        actor=actor,
        verb=Verb.ADDRESS_REVEALED,
        target=case,
        case=case,
        fields=["protected_address"],
        notes={"reason": reason},
    )
    return case.protected_address.reveal()
