"""Reading cases: always through the access policy, with a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from orderwatch.access.policy import (
    access_case,
    access_case_for_change,
    access_lead_vacancy,
    lead_vacancies,
    visible_cases,
)
from orderwatch.accounts.models import Agency, User
from orderwatch.breaches.selectors import CaseBreaches, case_breaches_summary
from orderwatch.cases.closing import ItemKind, OpenItem
from orderwatch.cases.models import (
    TEAM_ROLES,
    Case,
    CaseClosure,
    CasePerson,
    CaseTeamMembership,
)
from orderwatch.chronology.selectors import (
    RECENT_ENTRIES,
    breach_entries,
    move_entries,
    order_entries,
    recent_entries,
    review_task_entries,
    risk_entries,
)
from orderwatch.chronology.timeline import Entry, Kind
from orderwatch.diary.models import DiaryAccess
from orderwatch.exports.models import Export
from orderwatch.orders.models import AddressChange
from orderwatch.orders.selectors import (
    OrderWithState,
    case_moves,
    case_orders,
    next_order_end,
    orders_prefetch,
)
from orderwatch.orders.status import Status
from orderwatch.patterns.selectors import CasePattern, case_pattern
from orderwatch.safety.selectors import (
    RiskPicture,
    reviews_open_and_newest,
    risk_newest,
    risk_picture,
)
from orderwatch.sharing.selectors import CaseSharing, case_sharing
from orderwatch.tasks.models import Task

_ACTIVE_TEAM = CaseTeamMembership.objects.filter(left_at__isnull=True).select_related(
    "user", "agency", "created_by"
)
# How many of an agency's people the "add someone" page lists at once (a name narrows it).
DIRECTORY_PAGE = 50
# Cases on a page of "My cases": as many as notifications on a page of them.
MY_CASES_PAGE = 25


def case_list(*, user: User) -> QuerySet[Case]:
    """Return "My cases" with the victim-survivor and the lead in one query each, not per row.

    In reference order (the API pages through it): names are sealed at rest, so the database
    cannot sort by them; the page sorts its list with `by_victim_name`.
    """
    return (
        visible_cases(user)
        .prefetch_related(
            Prefetch(
                "people",
                queryset=CasePerson.objects.filter(role=CasePerson.Role.VICTIM_SURVIVOR),
                to_attr="victim_survivors",
            ),
            Prefetch(
                "team_memberships",
                queryset=_ACTIVE_TEAM.filter(is_lead=True),
                to_attr="leads",
            ),
            orders_prefetch(),
        )
        .order_by("reference")
    )


def my_cases_page(*, user: User, number: int | str | None = 1, closed: bool = False) -> Page:
    """Return page `number` of "My cases" (open cases; the closed ones if `closed`), sorted by
    the victim-survivor's name across all pages (a page past the end is the last).

    Names are sealed at rest, so the database cannot sort by them: every visible case's
    reference and victim-survivor's name are read (two queries, whatever the number of cases)
    and sorted here, then only the page's cases are read in full (a fixed number more).
    """
    status = Case.Status.CLOSED if closed else Case.Status.OPEN
    named = (
        visible_cases(user)
        .filter(status=status)
        .only("pk", "reference")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=CasePerson.objects.filter(role=CasePerson.Role.VICTIM_SURVIVOR).only(
                    "case_id", "given_name", "family_name"
                ),
                to_attr="victim_survivors",
            )
        )
    )
    page = Paginator(by_victim_name(list(named)), MY_CASES_PAGE).get_page(number)
    ids = [case.pk for case in page.object_list]
    full = {case.pk: case for case in with_next_order_end(case_list(user=user).filter(pk__in=ids))}
    page.object_list = [full[pk] for pk in ids]
    return page


def by_victim_name(cases: list[Case]) -> list[Case]:
    """Return `cases` (from `case_list`) sorted by the victim-survivor's last then first name."""

    def name(case: Case) -> tuple[str, str, str]:
        victim = case.victim_survivors[0] if case.victim_survivors else None
        if victim is None:
            return ("", "", case.reference)
        return (victim.family_name.casefold(), victim.given_name.casefold(), case.reference)

    return sorted(cases, key=name)


def with_next_order_end(cases) -> list[Case]:
    """Attach `next_end` (the in-force order ending soonest, or None) to each listed case."""
    cases = list(cases)
    for case in cases:
        case.next_end = next_order_end(case.orders.all())
    return cases


def case_list_changed(*, user: User, updated_since: dt.datetime | None = None) -> QuerySet[Case]:
    """Return the cases `user` may see, those changed since `updated_since` if given (for an
    agency's system keeping its copy up to date)."""
    cases = visible_cases(user)
    if updated_since is not None:
        cases = cases.filter(modified_at__gte=updated_since)
    return cases


def case_people(*, case: Case) -> QuerySet[CasePerson]:
    """Return the people on a case the caller has already been granted (via `case_open`)."""
    return case.people.all()


def case_team(*, case: Case) -> QuerySet[CaseTeamMembership]:
    """Return the current case team, lead first."""
    return _ACTIVE_TEAM.filter(case=case).order_by("-is_lead", "created_at")


def case_team_for_change(*, user: User, case_id, permission: str = "cases.manage_team") -> Case:
    """Return a case whose team `user` may change (`permission`): 404 if they cannot see it,
    403 if they may not."""
    case = access_case(user, case_id)
    if not user.has_perm(permission, case):
        raise PermissionDenied
    return case


def team_member_get(*, case: Case, membership_id) -> CaseTeamMembership:
    """Return a current member of a granted case's team; 404 for any other id."""
    try:
        return _ACTIVE_TEAM.get(case=case, pk=membership_id)
    except (CaseTeamMembership.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


def team_successors(*, case: Case, leaving: CaseTeamMembership) -> QuerySet[User]:
    """Return who could lead the case when `leaving` (its lead) goes: the rest of the team."""
    return (
        User.objects.filter(
            case_memberships__case=case,
            case_memberships__left_at__isnull=True,
            role__in=TEAM_ROLES,
        )
        .exclude(pk=leaving.user_id)
        .order_by("display_name")
    )


def team_agencies() -> QuerySet[Agency]:
    """Return the partnership's agencies, whose people may join any case team."""
    return Agency.objects.order_by("name")


def team_directory(*, case: Case, agency: Agency, name: str = "") -> QuerySet[User]:
    """Return up to `DIRECTORY_PAGE` of `agency`'s active professionals not on the case team,
    by name (`name` narrows it): their name and role, nothing else."""
    on_team = CaseTeamMembership.objects.filter(
        case=case, user=OuterRef("pk"), left_at__isnull=True
    )
    people = (
        User.objects.filter(agency=agency, is_active=True, role__in=TEAM_ROLES)
        .exclude(Exists(on_team))
        .only("id", "display_name", "role", "agency_id")
        .order_by("display_name", "pk")
    )
    if name.strip():
        people = people.filter(display_name__icontains=name.strip())
    return people


def cases_needing_a_new_lead(*, user: User) -> QuerySet[Case]:
    """Return the cases a team manager is asked to choose a new lead for (reference only), in
    one query: their lead's account in the manager's agency was deactivated (ADR 0017)."""
    return lead_vacancies(user).only("pk", "reference").order_by("reference")


def lead_vacancy_get(*, user: User, case_id) -> Case:
    """Return a case `user` may join to choose a new lead; 404 for any other."""
    return access_lead_vacancy(user, case_id)


def case_create_allowed(*, user: User) -> None:
    """Raise PermissionDenied unless `user` may open new cases."""
    if not user.has_perm("cases.add_case"):
        raise PermissionDenied


def case_for_change(*, user: User, case_id) -> Case:
    """Return a case `user` may change: 404 if they cannot see it, 403 if they may only read."""
    return access_case_for_change(user, case_id)


def case_for_address_reveal(*, user: User, case_id) -> Case:
    """Return a case whose protected address `user` may ask to reveal (404 / 403 otherwise)."""
    case = access_case(user, case_id)
    if not user.has_perm("cases.reveal_protected_address", case):
        raise PermissionDenied
    return case


# "Recent events" on the case page: every kind but the team's changes, which the page's team
# section shows as it is now (the chronology has each change).
CASE_PAGE_KINDS = frozenset(Kind) - {Kind.TEAM, Kind.CLOSURE}


@dataclass(frozen=True)
class CasePage:
    """Everything the case page shows, each record read once for every section that shows it."""

    people: list[CasePerson]
    team: list[CaseTeamMembership]
    orders: list[OrderWithState]
    moves: list[AddressChange]
    breaches: CaseBreaches
    pattern: CasePattern
    risk: RiskPicture
    open_reviews: list[Task]
    recent: list[Entry]
    sharing: CaseSharing
    closure: CaseClosure | None = None  # the latest closing, while the case is closed


def case_page(*, case: Case) -> CasePage:
    """Return what the page of a case already granted (via `case_open`) shows, in a fixed
    number of queries whatever the case's size: "Recent events" is built from the orders,
    breaches, moves, reviews and risk levels the other sections read."""
    orders = case_orders(case=case)
    read_orders = [item.order for item in orders]
    people = list(case_people(case=case))
    moves = list(case_moves(case=case))
    breaches = case_breaches_summary(case=case, limit=max(RECENT_ENTRIES, 5))
    assessments = risk_newest(case=case, count=RECENT_ENTRIES + 1)
    reviews = reviews_open_and_newest(case=case, newest=RECENT_ENTRIES)
    recent = recent_entries(
        case=case,
        limit=RECENT_ENTRIES,
        kinds=CASE_PAGE_KINDS,
        read={
            order_entries: read_orders,
            breach_entries: breaches.recent,
            move_entries: moves,
            review_task_entries: reviews,  # newest first: the open ones are among them
            risk_entries: assessments,
        },
    )
    return CasePage(
        people=people,
        team=list(case_team(case=case)),
        orders=orders,
        moves=moves,
        breaches=breaches,
        pattern=case_pattern(case=case, orders=read_orders, people=people),
        risk=risk_picture(case=case, newest=assessments, breaches_recorded=breaches.total),
        open_reviews=sorted(
            (task for task in reviews if task.done_at is None), key=lambda task: task.created_at
        ),
        recent=recent,
        sharing=case_sharing(case=case),
        closure=(
            case.closures.filter(kind=CaseClosure.Kind.CLOSED).first() if case.is_closed else None
        ),
    )


# -- Closing a case (ADR 0037) ----------------------------------------------------------------


def case_closing_allowed(*, user: User, case: Case) -> None:
    """Raise 403 unless the user may close or reopen the granted case (its lead practitioner,
    or a team manager on its team)."""
    if not user.has_perm("cases.close_case", case):
        raise PermissionDenied


def closing_items(*, case: Case) -> list[OpenItem]:
    """Return what is still open on a granted case, for the closing checklist: orders not
    ended, open tasks, parties not yet told or needing an update, diary access, documents
    being prepared (five queries and the sharing read, whatever the case's size)."""
    items = []
    for order in case_orders(case=case):
        if order.state.status in (Status.IN_FORCE, Status.NOT_YET_IN_FORCE):
            items.append(
                OpenItem(
                    ItemKind.ORDER,
                    str(order.order.pk),
                    f"the {order.order.order_type.name} ({order.state.label})",
                    order.order.get_absolute_url(),
                )
            )
    for task in case.tasks.filter(done_at__isnull=True).order_by("due_on", "pk"):
        label = f"the task “{task.title}”"
        items.append(OpenItem(ItemKind.TASK, str(task.pk), label, task.get_absolute_url()))
    for entry in case_sharing(case=case).outstanding:
        party = entry.party
        name = party.user.display_name if party.user else f"{party.name}, {party.organisation}"
        items.append(
            OpenItem(
                ItemKind.PARTY,
                str(party.pk),
                f"{name} ({entry.state.label.lower()})",
                party.get_absolute_url(),
            )
        )
    for access in DiaryAccess.objects.filter(case=case, ended_at__isnull=True):
        items.append(OpenItem(ItemKind.DIARY, str(access.pk), "the victim-survivor's diary"))
    preparing = (Export.Status.QUEUED, Export.Status.BUILDING)
    for export in case.exports.filter(status__in=preparing).order_by("created_at"):
        items.append(
            OpenItem(ItemKind.EXPORT, str(export.pk), f"the {export.get_kind_display().lower()}")
        )
    return items


def case_closures(*, case: Case) -> QuerySet[CaseClosure]:
    """Return a granted case's closings and reopenings, newest first."""
    return case.closures.select_related("created_by")
