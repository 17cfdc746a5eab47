"""Reading cases: always through the access policy, with a fixed number of queries."""

from django.core.exceptions import PermissionDenied
from django.db.models import FilteredRelation, Prefetch, Q, QuerySet

from orderwatch.access.policy import access_case, access_case_for_change, visible_cases
from orderwatch.accounts.models import User
from orderwatch.cases.models import Case, CasePerson, CaseTeamMembership
from orderwatch.orders.selectors import next_order_end, orders_prefetch

_ACTIVE_TEAM = CaseTeamMembership.objects.filter(left_at__isnull=True).select_related(
    "user", "agency"
)


def case_list(*, user: User) -> QuerySet[Case]:
    """Return "My cases" with the victim-survivor and the lead in one query each, not per row."""
    return (
        visible_cases(user)
        .annotate(victim=FilteredRelation("people", condition=Q(people__role="victim_survivor")))
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
        .order_by("victim__family_name", "victim__given_name", "reference")
    )


def with_next_order_end(cases) -> list[Case]:
    """Attach `next_end` (the in-force order ending soonest, or None) to each listed case."""
    cases = list(cases)
    for case in cases:
        case.next_end = next_order_end(case.orders.all())
    return cases


def case_people(*, case: Case) -> QuerySet[CasePerson]:
    """Return the people on a case the caller has already been granted (via `case_open`)."""
    return case.people.all()


def case_team(*, case: Case) -> QuerySet[CaseTeamMembership]:
    """Return the current case team, lead first."""
    return _ACTIVE_TEAM.filter(case=case).order_by("-is_lead", "created_at")


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
