"""Recording who needs to know and what they were told: one transaction, checked, audited.

Adding a party opens a task to tell them. An event the `events` table names (a new or changed
order, an order ending, a breach) leaves everyone told before it needing an update, with a task
to do it (`sharing_event_record`). Recording a share that brings a party up to date completes
their open tasks.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from orderwatch.access.policy import access_case, case_lock_for_change
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.confidential.fields import Confidential, Revealed
from orderwatch.core.submissions import submission_claim
from orderwatch.sharing.models import PURPOSE_MAX_LENGTH, Party, Share, SharingEvent
from orderwatch.sharing.selectors import (
    CONTACT_DETAILS_PERMISSION,
    PartyState,
    latest_event_at,
    party_get,
    party_state,
    users_to_pick,
)
from orderwatch.tasks.models import Task
from orderwatch.tasks.services import (
    case_task_owner,
    task_finish,
    task_open,
    working_days_from_today,
)

logger = logging.getLogger(__name__)

SHARE_TASK_WORKING_DAYS = 2
PARTY_ADDED_KEY = "added"
TASK_TITLES = {
    PartyState.NOT_YET_INFORMED: "Tell someone who needs to know about the order",
    PartyState.NEEDS_UPDATING: "Update someone who needs to know: something has changed",
}
# Fields a party's audit events name when they change (never their values).
PARTY_FIELDS = ["kind", "user", "name", "role", "organisation", "contact_details"]


def _share_task_open(*, actor: User | None, party: Party, state: PartyState, key: str) -> None:
    """Open a task to tell the party, once per event; skip it if nobody could take it."""
    assignee = case_task_owner(party.case) or actor
    if assignee is None:
        logger.warning("No one on case %s to tell a party who needs to know", party.case_id)
        return
    task_open(
        actor=actor,
        case=party.case,
        kind=Task.Kind.SHARE,
        title=f"{TASK_TITLES[state]} ({party.get_kind_display()})",
        assignee=assignee,
        due_on=working_days_from_today(SHARE_TASK_WORKING_DAYS),
        origin=Task.Origin.SHARING,
        origin_id=party.pk,
        origin_key=key,
    )


def _party_values(
    *,
    kind: str,
    user: User | None,
    name: str,
    role: str,
    organisation: str,
    contact_details: str,
) -> dict:
    """Return the party's fields, checked: a known kind, and a user or a named contact."""
    name, organisation = name.strip(), organisation.strip()
    contact_details = contact_details.strip()
    errors = {}
    if kind not in Party.Kind.values:
        errors["kind"] = "Select what kind of service they are from"
    if user is not None:
        if name or organisation or contact_details:
            errors["user"] = (
                "Choose someone who uses OrderWatch, or enter an external contact – not both"
            )
        elif not users_to_pick().filter(pk=user.pk).exists():
            errors["user"] = "Choose someone who uses OrderWatch now"
    else:
        if not name:
            errors["name"] = "Enter their name, or choose someone who uses OrderWatch"
        if not organisation:
            errors["organisation"] = "Enter the organisation they work for"
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "user": user,
        "name": name,
        "role": role.strip(),
        "organisation": organisation,
        "contact_details": Confidential.from_plaintext(contact_details),
    }


@transaction.atomic(durable=True)
def party_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    user: User | None = None,
    name: str = "",
    role: str = "",
    organisation: str = "",
    contact_details: str = "",
    submission_key: uuid.UUID | None = None,
) -> Party:
    """Add someone who needs to know, and open a task to tell them."""
    case = case_lock_for_change(actor, case.pk)
    values = _party_values(
        kind=kind,
        user=user,
        name=name,
        role=role,
        organisation=organisation,
        contact_details=contact_details,
    )
    if user is not None and case.parties.filter(user=user).exists():
        raise ValidationError({"user": "They are already on the list for this case"})
    party = Party.objects.create(case=case, created_by=actor, **values)
    _share_task_open(
        actor=actor, party=party, state=PartyState.NOT_YET_INFORMED, key=PARTY_ADDED_KEY
    )
    submission_claim(
        key=submission_key, actor=actor, url=reverse("sharing:list", kwargs={"case_id": case.pk})
    )
    audit_record(
        actor=actor,
        verb=Verb.PARTY_ADDED,
        target=party,
        case=case,
        fields=[f for f in PARTY_FIELDS if values[f]],
        payload={"kind": kind, "user": str(user.pk) if user else None},
    )
    return party


@transaction.atomic(durable=True)
def party_change(
    *,
    actor: User,
    case: Case,
    party_id,
    kind: str,
    user: User | None = None,
    name: str = "",
    role: str = "",
    organisation: str = "",
    contact_details: str = "",
) -> Party:
    """Change who someone who needs to know is, or how to reach them."""
    case = case_lock_for_change(actor, case.pk)
    party = party_get(user=actor, case_id=case.pk, party_id=party_id)
    values = _party_values(
        kind=kind,
        user=user,
        name=name,
        role=role,
        organisation=organisation,
        contact_details=contact_details,
    )
    if user is not None and case.parties.filter(user=user).exclude(pk=party.pk).exists():
        raise ValidationError({"user": "They are already on the list for this case"})
    changed = [
        field
        for field in PARTY_FIELDS
        if (
            getattr(party, field).reveal() != values[field].reveal()
            if field == "contact_details"
            else getattr(party, field) != values[field]
        )
    ]
    if not changed:
        return party
    for field in changed:
        setattr(party, field, values[field])
    party.save()
    audit_record(actor=actor, verb=Verb.PARTY_CHANGED, target=party, case=case, fields=changed)
    return party


@transaction.atomic(durable=True)
def party_contact_reveal(*, actor: User, case_id, party_id) -> tuple[Party, Revealed]:
    """Return a party and their contact details, recording that the actor saw them (when
    there are any to see)."""
    party = party_get(user=actor, case_id=case_id, party_id=party_id)
    if not actor.has_perm(CONTACT_DETAILS_PERMISSION, party.case):
        raise PermissionDenied
    if not party.contact_details:
        return party, Revealed("")
    audit_record(
        actor=actor,
        verb=Verb.PARTY_CONTACT_REVEALED,
        target=party,
        case=party.case,
        fields=["contact_details"],
    )
    return party, party.contact_details.reveal()


@transaction.atomic(durable=True)
def sharing_list_open(*, actor: User, case_id) -> Case:
    """Return a case whose "who needs to know" list the actor may see, recording the view.

    The list names the family's school, GP and so on, which can say where they live.
    """
    case = access_case(actor, case_id)
    audit_record(
        actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case, payload={"page": "sharing"}
    )
    return case


def _party_in(case: Case, party_id) -> Party | None:
    try:
        return case.parties.filter(pk=uuid.UUID(str(party_id))).first()
    except ValueError:
        return None


def _informed_as_of(shared_on: dt.date) -> dt.datetime:
    """Return the moment a share made on `shared_on` covers: now, or if it was made on an
    earlier day, the end of that day (events recorded later that day count as covered)."""
    next_day = dt.datetime.combine(
        shared_on + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    return min(timezone.now(), next_day)


def _share_problems(
    *,
    what: list[str],
    shared_on: dt.date | None,
    how: str,
    how_details: str,
    purpose: str,
    lawful_basis: str,
    lawful_basis_details: str,
    told_what_to_do_on_breach: bool | None,
) -> dict[str, str]:
    """Return what is missing or wrong in the account of a share, by field."""
    errors = {}
    if not what or any(value not in Share.What.values for value in what):
        errors["what"] = "Select what you shared"
    if shared_on is None:
        errors["shared_on"] = "Enter the date you shared it"
    elif shared_on > timezone.localdate():
        errors["shared_on"] = "The date you shared it must be today or in the past"
    if how not in Share.How.values:
        errors["how"] = "Select how you shared it"
    elif how == Share.How.OTHER and not how_details.strip():
        errors["how_details"] = "Enter how you shared it"
    if not purpose.strip():
        errors["purpose"] = "Enter why you shared it"
    elif len(purpose.strip()) > PURPOSE_MAX_LENGTH:
        errors["purpose"] = f"Why you shared it must be {PURPOSE_MAX_LENGTH} characters or fewer"
    if lawful_basis not in Share.LawfulBasis.values:
        errors["lawful_basis"] = "Select the lawful basis for sharing"
    elif lawful_basis == Share.LawfulBasis.OTHER and not lawful_basis_details.strip():
        errors["lawful_basis_details"] = "Explain the lawful basis for sharing"
    if told_what_to_do_on_breach is None:
        errors["told_what_to_do_on_breach"] = (
            "Select whether you told them what to do if the order is breached"
        )
    return errors


@transaction.atomic(durable=True)
def share_record(
    *,
    actor: User,
    case: Case,
    party_id,
    what: list[str],
    shared_on: dt.date | None,
    how: str,
    purpose: str,
    lawful_basis: str,
    told_what_to_do_on_breach: bool | None,
    how_details: str = "",
    lawful_basis_details: str = "",
    address_included: bool = False,
    address_reason: str = "",
    submission_key: uuid.UUID | None = None,
) -> Share:
    """Record that information was shared with a party, and why; if that brings them up to
    date, complete their open tasks. Including the protected address needs the reveal
    permission and a reason; the address itself is never stored here. The purpose may name
    people, so it is sealed at rest and kept out of the audit payload."""
    case = case_lock_for_change(actor, case.pk)
    party = _party_in(case, party_id)
    errors = _share_problems(
        what=what,
        shared_on=shared_on,
        how=how,
        how_details=how_details,
        purpose=purpose,
        lawful_basis=lawful_basis,
        lawful_basis_details=lawful_basis_details,
        told_what_to_do_on_breach=told_what_to_do_on_breach,
    )
    if party is None:
        errors["party"] = "Select who you shared it with"
    if address_included:
        if not actor.has_perm("cases.reveal_protected_address", case):
            raise PermissionDenied
        if len(address_reason.strip()) < settings.ORDERWATCH_REVEAL_MIN_REASON_LENGTH:
            errors["address_reason"] = "Enter why they needed the address, in a few words"
    if errors:
        raise ValidationError(errors)
    share = Share.objects.create(
        case=case,
        party=party,
        what=[value for value in Share.What.values if value in what],
        shared_on=shared_on,
        how=how,
        how_details=how_details.strip() if how == Share.How.OTHER else "",
        purpose=purpose.strip(),
        lawful_basis=lawful_basis,
        lawful_basis_details=lawful_basis_details.strip()
        if lawful_basis == Share.LawfulBasis.OTHER
        else "",
        told_what_to_do_on_breach=told_what_to_do_on_breach,
        address_included=address_included,
        address_reason=address_reason.strip() if address_included else "",
        informed_as_of=_informed_as_of(shared_on),
        created_by=actor,
    )
    if party_state(share.informed_as_of, latest_event_at(case=case)) is PartyState.INFORMED:
        open_tasks = Task.objects.select_for_update().filter(
            kind=Task.Kind.SHARE,
            origin=Task.Origin.SHARING,
            origin_id=party.pk,
            done_at__isnull=True,
        )
        for task in open_tasks:
            task_finish(actor=actor, task=task)
    submission_claim(
        key=submission_key, actor=actor, url=reverse("sharing:list", kwargs={"case_id": case.pk})
    )
    audit_record(
        actor=actor,
        verb=Verb.SHARE_RECORDED,
        target=share,
        case=case,
        fields=["address_included"] if address_included else [],
        payload={
            "party": str(party.pk),
            "what": share.what,
            "address_included": address_included,
        },
        notes={"reason": share.address_reason} if address_included else None,
    )
    return share


def sharing_event_record(*, actor: User | None, case: Case, kind: str) -> SharingEvent | None:
    """Record an event everyone who needs to know must hear about, and open a task for each
    party it leaves needing an update.

    Only `events` calls it, for the events its table says everyone told must hear about.
    Parties never told already have a task open; so does anyone not yet updated after an
    earlier event: one open task per party is enough.
    """
    event = SharingEvent.objects.create(case=case, kind=kind, created_by=actor)
    already_open = set(
        Task.objects.filter(
            case=case, kind=Task.Kind.SHARE, origin=Task.Origin.SHARING, done_at__isnull=True
        ).values_list("origin_id", flat=True)
    )
    told = Party.objects.filter(case=case, shares__isnull=False).distinct().select_related("case")
    for party in told:
        if party.pk not in already_open:
            _share_task_open(
                actor=actor, party=party, state=PartyState.NEEDS_UPDATING, key=str(event.pk)
            )
    return event
