"""Reads for agency administration: an agency's people, for its administrators only."""

from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from orderwatch.access.policy import access_person
from orderwatch.accounts.models import AuthenticatorApp, User
from orderwatch.cases.models import CaseTeamMembership

PEOPLE_PAGE = 25
# An account not set up yet has no usable password (Django marks it with a prefix).
NOT_SET_UP = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)


class Status:
    """An account's state, as the people list shows and filters it."""

    ACTIVE = "active"
    NOT_SET_UP = "not_set_up"
    DEACTIVATED = "deactivated"
    CHOICES = [
        (ACTIVE, "Active"),
        (NOT_SET_UP, "Not set up yet"),
        (DEACTIVATED, "Deactivated"),
    ]


def _with_state(people: QuerySet[User]) -> QuerySet[User]:
    """Note on each account whether it has an authenticator and whether it has been set up."""
    return people.annotate(
        has_authenticator=Exists(
            AuthenticatorApp.objects.filter(user=OuterRef("pk"), confirmed=True)
        ),
        not_set_up=ExpressionWrapper(NOT_SET_UP, output_field=BooleanField()),
    )


def status_label(person: User) -> str:
    if not person.is_active:
        return "Deactivated"
    return "Not set up yet" if person.not_set_up else "Active"


@dataclass(frozen=True)
class PeoplePage:
    page: Page
    total: int


def people_administration_allowed(*, user: User) -> None:
    """Raise PermissionDenied unless `user` is an agency administrator."""
    if not user.has_perm("people.view_people"):
        raise PermissionDenied


def people_list(
    *, actor: User, role: str = "", status: str = "", name: str = "", page: int | str = 1
) -> PeoplePage:
    """Return a page of the administrator's agency's people, by name, filtered, in two queries
    (count and page) whatever the agency's size."""
    people_administration_allowed(user=actor)
    people = User.objects.filter(agency_id=actor.agency_id).exclude(
        role__in=(User.Role.VICTIM_SURVIVOR, User.Role.API_CLIENT)
    )
    if role:
        people = people.filter(role=role)
    if status == Status.DEACTIVATED:
        people = people.filter(is_active=False)
    elif status == Status.NOT_SET_UP:
        people = people.filter(NOT_SET_UP, is_active=True)
    elif status == Status.ACTIVE:
        people = people.filter(is_active=True).exclude(NOT_SET_UP)
    if name.strip():
        people = people.filter(display_name__icontains=name.strip())
    people = _with_state(people).only(
        "id", "display_name", "role", "is_active", "last_login", "password"
    )
    paginator = Paginator(people.order_by("display_name", "pk"), PEOPLE_PAGE)
    result = paginator.get_page(page)
    for person in result:
        person.status = status_label(person)
    return PeoplePage(page=result, total=paginator.count)


def person_get(*, actor: User, person_id) -> User:
    """Return an account of the administrator's agency with its state: 403 for anyone who is
    not an agency administrator, 404 for another agency's account."""
    access_person(actor, person_id)
    person = _with_state(User.objects.filter(pk=person_id)).get()
    person.status = status_label(person)
    person.cases_led = person_cases_led(person=person)
    return person


def person_cases_led(*, person: User) -> int:
    """Return how many cases `person` leads (a number only: the administrator sees no case)."""
    return CaseTeamMembership.objects.filter(
        user=person, is_lead=True, left_at__isnull=True
    ).count()


def agency_has_team_manager(*, person: User) -> bool:
    """Say whether anyone else in `person`'s agency is an active team manager (who would be
    asked to choose a new lead for the cases `person` leads)."""
    return (
        User.objects.filter(agency_id=person.agency_id, role=User.Role.TEAM_MANAGER, is_active=True)
        .exclude(pk=person.pk)
        .exists()
    )
