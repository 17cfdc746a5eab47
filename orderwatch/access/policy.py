"""The one access policy: who may see and do what. Every page, API call and export asks here.

A user sees a case only while they are on its case team. Every other case does not exist for
them: `access_case` answers 404, never 403, so a case's existence is not disclosed. An API
client (an agency's own system, ADR 0042) sees the cases its agency has someone on the team of.

`access_case` reads the user's membership with the case and notes it on the case object it
returns, so the rules below ask the database once per page, not once per permission. The note
is only as old as that object: services fetch the case afresh, as they always have.
"""

import uuid

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.cases.models import Case, CaseTeamMembership


def visible_cases(user: User) -> QuerySet[Case]:
    """Return the cases `user` works on now (active membership of the case team)."""
    if not (user.is_authenticated and user.is_active):
        return Case.objects.none()
    if user.role == User.Role.API_CLIENT:
        return Case.objects.filter(pk__in=_agency_members(user).values("case_id"))
    return Case.objects.filter(team_memberships__user=user, team_memberships__left_at__isnull=True)


def _agency_members(user: User) -> QuerySet[CaseTeamMembership]:
    return CaseTeamMembership.objects.filter(agency_id=user.agency_id, left_at__isnull=True)


def open_cases(user: User) -> QuerySet[Case]:
    """Return the open cases `user` works on now: what reminds or alerts them (My cases, the
    expiry dashboard, calendar feeds, pattern dashboards) leaves closed cases out (ADR 0037)."""
    return visible_cases(user).filter(status=Case.Status.OPEN)


def access_case(user: User, case_id: uuid.UUID | str) -> Case:
    """Return the case if `user` may see it; otherwise raise 404, as if it did not exist."""
    try:
        case = _noting_membership(user, visible_cases(user)).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, ValidationError) as error:
        # A malformed id (from an API path or a form) is a case that does not exist, too.
        raise Http404 from error
    return _noted(user, case)


def _noting_membership(user: User, cases: QuerySet[Case]) -> QuerySet[Case]:
    """Read, with each of the user's cases, what their membership allows (see below). An API
    client has no membership of its own: the rules ask about its agency instead."""
    if user.role == User.Role.API_CLIENT:
        return cases
    return cases.annotate(
        viewer_is_lead=F("team_memberships__is_lead"),
        viewer_may_see_address=F("team_memberships__may_see_address"),
    )


def _noted(user: User, case: Case) -> Case:
    if user.role != User.Role.API_CLIENT:
        case.viewer_id = user.pk
    return case


def _membership_noted(user: User, case: Case, field: str = "is_lead") -> bool | None:
    """Return the `field` of `user`'s membership of `case` (whether they lead it, or may see
    its address) if `access_case` fetched it for them; else None."""
    if getattr(case, "viewer_id", None) != user.pk:
        return None
    return getattr(case, f"viewer_{field}")


class CaseChangedMeanwhile(Exception):
    """The case changed since the writer read it (an API `If-Match` that no longer matches):
    nothing is saved, so a change is never made over one the writer has not seen."""


class CaseClosed(PermissionDenied):
    """A write to a closed case: it is read-only until someone reopens it (ADR 0037)."""

    def __init__(self, message: str = "This case is closed. Reopen it to make changes."):
        super().__init__(message)
        self.message = message


def access_case_for_change(user: User, case_id: uuid.UUID | str) -> Case:
    """Return the case if `user` may change it: 404 if they cannot see it, 403 if they may
    only read it."""
    case = access_case(user, case_id)
    if case.is_closed:
        raise CaseClosed
    if not user.has_perm("cases.change_case", case):
        raise PermissionDenied
    return case


def case_lock_for_change(
    user: User,
    case_id: uuid.UUID | str,
    *,
    permission: str = "cases.change_case",
    keeps_sources: bool = False,
    while_closed: bool = False,
    expected_version: int | None = None,
) -> Case:
    """Return the case with its row locked until the transaction ends, if `user` has
    `permission` on it: 404 if they cannot see it, 403 if they lack the permission, and
    `CaseChangedMeanwhile` if `expected_version` is given and the case has moved past it.

    Every write to a case starts here (scheduled work with `case_lock`), so locks are always
    taken in one order: the case row first, then anything else (see ADR 0012). The membership
    is read with the lock and noted, as `access_case` notes it, so checking the permission asks
    nothing more while other saves on the case wait.

    `keeps_sources`: the write only adds a breach, or an evidence item that is not an incident,
    so what the pattern is read from is unchanged but for new breaches (ADR 0022). Leave it
    False unless that is certain: a wrong True leaves a pattern check on stale sources.

    A closed case is read-only: `CaseClosed` (a 403) unless `while_closed` (closing and
    reopening themselves, and work that must reach every case, such as deactivating an account).
    """
    try:
        case = _noting_membership(user, visible_cases(user).select_for_update(of=("self",))).get(
            pk=case_id
        )
    except (Case.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
    case = _noted(user, case)
    if case.is_closed and not while_closed:
        raise CaseClosed
    if not user.has_perm(permission, case):
        raise PermissionDenied
    if expected_version is not None and case.version != expected_version:
        raise CaseChangedMeanwhile
    return _locked(case, keeps_sources=keeps_sources, while_closed=while_closed)


def case_lock(
    case_id: uuid.UUID | str, *, keeps_sources: bool = False, while_closed: bool = False
) -> Case:
    """Lock a case's row for scheduled work that acts for no one (the reminder sweep), or for a
    service that has checked access its own way (evidence intake); `keeps_sources` and
    `while_closed` as above."""
    return _locked(
        Case.objects.select_for_update().get(pk=case_id),
        keeps_sources=keeps_sources,
        while_closed=while_closed,
    )


def _locked(case: Case, *, keeps_sources: bool = False, while_closed: bool = False) -> Case:
    """Note the lock, and move the case's versions on: this write will change the case (if it
    rolls back, so do the versions). The one place a closed case refuses every write, and a
    case whose records were disposed of refuses every write at all."""
    if case.is_disposed:
        raise CaseClosed("This case's records have been disposed of.")
    if case.is_closed and not while_closed:
        raise CaseClosed
    # `modified_at` is when anything on the case last changed (the API's `updated_at`).
    moved = {"version": F("version") + 1, "modified_at": timezone.now()}
    if not keeps_sources:
        moved["sources_version"] = F("sources_version") + 1
        case.sources_version += 1
    Case.objects.filter(pk=case.pk).update(**moved)
    case.version += 1
    case.row_locked = True
    return case


@rules.predicate
def is_case_member(user: User, case: Case | None) -> bool:
    if case is None or not user.is_active:
        return False
    if _membership_noted(user, case) is not None:
        return True
    return CaseTeamMembership.objects.filter(case=case, user=user, left_at__isnull=True).exists()


def _has_role(*roles: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role({', '.join(roles)})")
    def predicate(user: User) -> bool:
        return user.is_authenticated and user.is_active and user.role in roles

    return predicate


@rules.predicate
def agency_on_the_team(user: User, case: Case | None) -> bool:
    """Someone from the user's agency is on the case team now (what an API client acts by)."""
    return case is not None and user.is_active and _agency_members(user).filter(case=case).exists()


is_practitioner = _has_role(User.Role.PRACTITIONER)
is_team_manager = _has_role(User.Role.TEAM_MANAGER)
is_auditor = _has_role(User.Role.AUDITOR)
is_api_client = _has_role(User.Role.API_CLIENT)
works_with_families = is_practitioner | is_team_manager
# An agency's own system (ADR 0042): it reads and records for the cases its agency works on, as
# its people would; it never sees the protected address or witnesses, nor manages a team. What
# each client may do is narrowed further by the scopes its administrator gave it.
client_for_the_case = is_api_client & agency_on_the_team


@rules.predicate
def is_open(user: User, case: Case | None) -> bool:
    """A closed case is read-only for everyone (ADR 0037): pages hide what would change it."""
    return case is not None and not case.is_closed


@rules.predicate
def may_see_the_address(user: User, case: Case | None) -> bool:
    if case is None or not user.is_active:
        return False
    noted = _membership_noted(user, case, "may_see_address")
    if noted is not None:
        return noted
    return CaseTeamMembership.objects.filter(
        case=case, user=user, may_see_address=True, left_at__isnull=True
    ).exists()


# Case records: members of the case team who work with the family.
rules.add_perm("cases.view_case", is_case_member | client_for_the_case)
rules.add_perm(
    "cases.change_case",
    ((is_case_member & works_with_families) | client_for_the_case) & is_open,
)
# Evidence bundles for the police or CPS: a closed case's evidence may still be needed.
rules.add_perm("evidence.export_bundle", is_case_member & works_with_families)
# The protected address: only members the lead has allowed (need-to-know, not the whole team).
rules.add_perm(
    "cases.reveal_protected_address", is_case_member & works_with_families & may_see_the_address
)
rules.add_perm("cases.add_case", works_with_families | is_api_client)
# Contact details of the people who need to know: for those who do the sharing. No reason or
# code is asked (professionals' work details), but every view is audited.
rules.add_perm("sharing.view_contact_details", is_case_member & works_with_families)
# Witnesses' names and contact details: confidential like the address, for the same people.
rules.add_perm("breaches.reveal_witness_details", is_case_member & works_with_families)
# Escalating patterns and unreported breaches across a manager's cases (each case still
# scoped to the cases they are on).
rules.add_perm("patterns.view_dashboard", is_team_manager)
# The audit log: auditors, for their own agency's staff (scoped in the audit selectors).
rules.add_perm("audit.view_auditevent", is_auditor)


@rules.predicate
def leads_the_case(user: User, case: Case | None) -> bool:
    if case is None or not user.is_active:
        return False
    noted = _membership_noted(user, case)
    if noted is not None:
        return noted
    return CaseTeamMembership.objects.filter(
        case=case, user=user, is_lead=True, left_at__isnull=True
    ).exists()


# The case team: the lead practitioner, or a team manager on the team, adds, removes and hands
# over; only the lead decides who else may see the protected address.
rules.add_perm(
    "cases.manage_team",
    is_case_member & ((is_practitioner & leads_the_case) | is_team_manager) & is_open,
)
# Closing and reopening a case (ADR 0037): whoever manages its team, as above.
rules.add_perm(
    "cases.close_case",
    is_case_member & ((is_practitioner & leads_the_case) | is_team_manager),
)
rules.add_perm(
    "cases.grant_address_access", is_case_member & works_with_families & leads_the_case & is_open
)

# Removing evidence (uploaded by mistake) deletes its bytes for good: the case's lead
# practitioner or a team manager on the case decides, and the removal stays on the record.
rules.add_perm(
    "evidence.remove_item",
    is_case_member & ((is_practitioner & leads_the_case) | is_team_manager) & is_open,
)


# What the victim-survivor's diary shows of the case (issue 22, ADR 0046): the lead (or a team
# manager on the case) chooses to show an order or the safety plan. Anyone who may change the
# case can stop showing it, as anyone can end diary access: taking it away protects.
rules.add_perm(
    "diary.share_with_keeper",
    is_case_member & ((is_practitioner & leads_the_case) | is_team_manager) & is_open,
)

# -- The case record (issue 21, ADR 0044) ---------------------------------------------------

# Everything held about a case, for a subject access request or a transfer to another area:
# members of the team who work with the family. A closed case may still be exported (a request
# can come after closing); the address and witness details need their own permissions too.
rules.add_perm("exports.export_case_record", is_case_member & works_with_families)


# -- A case whose lead's account was deactivated (ADR 0017) ---------------------------------


def lead_vacancies(user: User) -> QuerySet[Case]:
    """Return the cases whose lead's account was deactivated, for a team manager of the agency
    the lead worked for: they see each one by reference only, until one of them joins its team
    to choose a new lead."""
    if not (user.is_authenticated and user.is_active and user.role == User.Role.TEAM_MANAGER):
        return Case.objects.none()
    return Case.objects.filter(
        team_memberships__is_lead=True,
        team_memberships__left_at__isnull=True,
        team_memberships__user__is_active=False,
        team_memberships__agency_id=user.agency_id,
    )


def access_lead_vacancy(user: User, case_id: uuid.UUID | str) -> Case:
    """Return the case if `user` is a team manager who may join it to choose a new lead;
    otherwise raise 404, as if it did not exist."""
    try:
        return lead_vacancies(user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


def case_lock_for_lead_vacancy(user: User, case_id: uuid.UUID | str) -> Case:
    """Lock the row of a case `user` may join to choose a new lead (404 otherwise)."""
    try:
        case = lead_vacancies(user).select_for_update(of=("self",)).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
    return _locked(case, while_closed=True)


def cases_lock_led_by(user: User) -> list[Case]:
    """Lock the rows of the cases `user` leads, in one order, for work that acts on them for no
    one on their teams (their account being deactivated)."""
    cases = Case.objects.filter(
        team_memberships__user=user,
        team_memberships__is_lead=True,
        team_memberships__left_at__isnull=True,
    )
    return [
        _locked(case, while_closed=True)
        for case in cases.select_for_update(of=("self",)).order_by("pk")
    ]


# -- Agency administration: an agency's own people ------------------------------------------

is_agency_admin = _has_role(User.Role.AGENCY_ADMIN)


@rules.predicate
def works_in_the_same_agency(user: User, person: User | None) -> bool:
    return (
        person is not None
        and user.agency_id is not None
        and person.agency_id == user.agency_id
        and not person.is_victim_survivor
    )


# An agency administrator looks after their own agency's accounts, and no one else's: another
# agency's account answers 404 (`access_person`). They see no case for being an administrator.
rules.add_perm("people.view_people", is_agency_admin)
rules.add_perm("people.add_person", is_agency_admin)
rules.add_perm("people.change_person", is_agency_admin & works_in_the_same_agency)


def access_person(user: User, person_id: uuid.UUID | str) -> User:
    """Return an account of the administrator's own agency: 403 for anyone who is not an agency
    administrator, 404 for an account of another agency (or none)."""
    if not user.has_perm("people.view_people"):
        raise PermissionDenied
    try:
        person = (
            User.objects.filter(agency_id=user.agency_id)
            .exclude(role__in=(User.Role.VICTIM_SURVIVOR, User.Role.API_CLIENT))
            .get(pk=person_id)
        )
    except (User.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
    if not user.has_perm("people.change_person", person):
        raise Http404
    return person


# -- API clients (ADR 0042): an agency administrator registers and revokes their agency's ------

rules.add_perm("clients.register_api_client", is_agency_admin)


# -- Legal holds (ADR 0038) -----------------------------------------------------------------


@rules.predicate
def agency_works_on_the_case(user: User, case: Case | None) -> bool:
    return (
        case is not None
        and user.agency_id is not None
        and CaseTeamMembership.objects.filter(case=case, agency_id=user.agency_id).exists()
    )


# A hold stops a case's records being disposed of. A team manager on the case team places or
# lifts one from the case page; an agency administrator, who sees no case content, finds a case
# their agency has worked on by its reference and sees only that and its holds.
may_hold_the_case = (is_team_manager & is_case_member) | (
    is_agency_admin & agency_works_on_the_case
)
rules.add_perm("retention.find_case_to_hold", is_team_manager | is_agency_admin)
rules.add_perm("retention.place_legal_hold", may_hold_the_case)
rules.add_perm("retention.lift_legal_hold", may_hold_the_case)


def legal_hold_cases(user: User) -> QuerySet[Case]:
    """Return the cases `user` may place or lift a legal hold on (see the rules above)."""
    if not (user.is_authenticated and user.is_active):
        return Case.objects.none()
    if user.role == User.Role.TEAM_MANAGER:
        return visible_cases(user)
    if user.role == User.Role.AGENCY_ADMIN and user.agency_id is not None:
        return Case.objects.filter(
            pk__in=CaseTeamMembership.objects.filter(agency_id=user.agency_id).values("case_id")
        )
    return Case.objects.none()


def access_case_for_legal_hold(user: User, case_id: uuid.UUID | str) -> Case:
    """Return the case if `user` may place or lift its legal holds: 404 if they cannot see it
    at all, 403 if they work on it but may not hold it."""
    try:
        return legal_hold_cases(user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, ValidationError):
        access_case(user, case_id)  # 404 for a case they cannot see
        raise PermissionDenied from None


def case_lock_for_legal_hold(user: User, case_id: uuid.UUID | str) -> Case:
    """Lock the row of a case `user` may hold (404 or 403 as `access_case_for_legal_hold`)."""
    access_case_for_legal_hold(user, case_id)
    return _locked(Case.objects.select_for_update().get(pk=case_id), keeps_sources=True)


# -- Disposal at the end of retention (ADR 0041) --------------------------------------------

# An agency administrator confirms each batch of disposals, for the closed cases their agency
# leads (or, while a case has no lead, works on). They see references, dates and classes only.
rules.add_perm("retention.dispose_of_records", is_agency_admin)


def disposal_cases(user: User) -> QuerySet[Case]:
    """Return the closed cases whose records `user` may dispose of (see the rule above)."""
    if not (
        user.is_authenticated
        and user.is_active
        and user.role == User.Role.AGENCY_ADMIN
        and user.agency_id is not None
    ):
        return Case.objects.none()
    members = CaseTeamMembership.objects.filter(left_at__isnull=True)
    leads = members.filter(is_lead=True)
    led_here = leads.filter(agency_id=user.agency_id).values("case_id")
    worked_here = members.filter(agency_id=user.agency_id).values("case_id")
    return Case.objects.filter(status=Case.Status.CLOSED).filter(
        Q(pk__in=led_here) | (Q(pk__in=worked_here) & ~Q(pk__in=leads.values("case_id")))
    )


# -- Importing cases from a file (ADR 0043) -------------------------------------------------

# An agency administrator imports their agency's existing cases, each led by one of its own
# practitioners or team managers. They see references and counts only, never the cases.
rules.add_perm("cases.import_cases", is_agency_admin)
