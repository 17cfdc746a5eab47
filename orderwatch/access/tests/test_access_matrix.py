"""Every URL, as every kind of visitor: who gets the page and who gets nothing.

Adding a URL without a row here fails `test_every_url_has_a_row_in_the_access_matrix`, so no
page ships without an access test.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from orderwatch.access.tests.routes import (
    ADMIN_VISITORS,
    AGENCY_ADMIN,
    API,
    CASE_API,
    CASE_CHANGE_PAGE,
    CASE_PAGE,
    DIARY_USER,
    OTHER_AGENCY_ADMIN,
    SIGN_IN_REDIRECT,
    SIGNED_IN_PAGE,
    TWO_FACTOR_REDIRECT,
    VERIFIED,
    VISITORS,
    Route,
    case_kwargs,
)
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.cases.models import Case
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests import people
from orderwatch.core.tests.shared_data import made_once
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.orders.models import OrderType

pytestmark = pytest.mark.django_db


def lead_kwargs(case: Case) -> dict:
    lead = case.team_memberships.get(is_lead=True, left_at__isnull=True)
    return {"case_id": case.pk, "membership_id": lead.pk}


def order_kwargs(case: Case) -> dict:
    return {"case_id": case.pk, "order_id": case.orders.get().pk}


def condition_kwargs(case: Case) -> dict:
    order = case.orders.get()
    return {**order_kwargs(case), "condition_id": order.conditions.order_by("created_at")[0].pk}


def copy_kwargs(case: Case) -> dict:
    order = case.orders.get()
    return {"case_id": case.pk, "order_id": order.pk, "copy_id": order.copies.get().pk}


def app_routes() -> list[Route]:
    """Return the routes each app lists in its `tests/access_routes.py`."""
    routes = []
    for config in apps.get_app_configs():
        if not config.name.startswith("orderwatch."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_routes")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.access_routes":
                raise
            continue
        routes.extend(module.ROUTES)
    return routes


def agency_kwargs(case: Case) -> dict:
    return {"object_id": case.team_memberships.get(is_lead=True).agency_id}


def lead_user_kwargs(case: Case) -> dict:
    return {"object_id": case.team_memberships.get(is_lead=True).user_id}


def order_type_kwargs(case: Case) -> dict:
    return {"object_id": OrderType.objects.order_by("pk").first().pk}


# Service administration: only verified staff. Nobody in VISITORS is staff, so every page sends
# them away; its sign-in page sends them to the service's own sign-in, or 404 if signed in.
ADMIN_PAGE = dict.fromkeys(VISITORS, 302)
ADMIN_ROUTES = [
    Route(f"admin:{name}", ADMIN_PAGE)
    for name in ("index", "logout", "password_change", "password_change_done", "autocomplete")
] + [
    Route("admin:jsi18n", ADMIN_PAGE),
    Route("admin:app_list", ADMIN_PAGE, lambda case: {"app_label": "orders"}),
    Route("admin:view_on_site", ADMIN_PAGE, lambda case: {"content_type_id": 1, "object_id": 1}),
    Route("admin:orders_ordertype_changelist", ADMIN_PAGE),
    Route("admin:orders_ordertype_add", ADMIN_PAGE),
    Route("admin:orders_ordertype_change", ADMIN_PAGE, order_type_kwargs),
    Route("admin:orders_ordertype_delete", ADMIN_PAGE, order_type_kwargs),
    Route("admin:orders_ordertype_history", ADMIN_PAGE, order_type_kwargs),
    # The partnership's agencies and their administrators (people/admin.py).
    *(
        Route(f"admin:{model}_{view}", ADMIN_PAGE, kwargs)
        for model, object_kwargs in (
            ("accounts_agency", agency_kwargs),
            ("people_agencyadministrator", lead_user_kwargs),
        )
        for view, kwargs in (
            ("changelist", lambda case: {}),
            ("add", lambda case: {}),
            ("change", object_kwargs),
            ("delete", object_kwargs),
            ("history", object_kwargs),
        )
    ),
    Route(
        "admin:login",
        {**dict.fromkeys(VERIFIED, 404), "anonymous": 302, "password_only": TWO_FACTOR_REDIRECT},
    ),
]

MATRIX = [
    Route("core:home", dict.fromkeys(VISITORS, 302)),
    Route("core:evidence-signing-key", dict.fromkeys(VISITORS, 200)),
    Route("core:evidence-signing-key-pem", dict.fromkeys(VISITORS, 200)),
    # The public information pages (ADR 0029); a diary keeper has the diary's own.
    Route("core:accessibility", dict.fromkeys(VISITORS, 200)),
    Route("core:privacy", dict.fromkeys(VISITORS, 200)),
    Route("core:cookies", dict.fromkeys(VISITORS, 200)),
    Route("accounts:sign-in", {"anonymous": 200, **dict.fromkeys(VISITORS[1:], 302)}),
    # Verified users may set up a replacement authenticator; the password-only user is sent to
    # enter their code first (their authenticator is already set up).
    Route("accounts:mfa-verify", {**dict.fromkeys(VISITORS, 302), "password_only": 200}),
    Route("accounts:mfa-setup", {**dict.fromkeys(VERIFIED, 200), **SIGNED_IN_PAGE}),
    Route("accounts:sign-out", dict.fromkeys(VISITORS, 302), method="post"),
    Route("accounts:signed-out", dict.fromkeys(VISITORS, 200)),
    Route("cases:list", {**dict.fromkeys(VERIFIED, 200), **SIGNED_IN_PAGE}),
    Route(
        "cases:new",
        {
            "anonymous": SIGN_IN_REDIRECT,
            "member": 200,
            "member_auditor": 403,
            "removed": 200,
            "outsider": 200,
            "auditor": 403,
            "password_only": TWO_FACTOR_REDIRECT,
        },
    ),
    Route("cases:detail", CASE_PAGE, case_kwargs),
    Route("cases:person-new", CASE_CHANGE_PAGE, case_kwargs),
    Route("cases:team-add", CASE_CHANGE_PAGE, case_kwargs),
    Route("cases:team-remove", CASE_CHANGE_PAGE, lead_kwargs),
    Route("cases:team-lead", CASE_CHANGE_PAGE, lead_kwargs),
    Route("cases:team-address-access", CASE_CHANGE_PAGE, lead_kwargs),
    # Only for a team manager of the agency whose lead's account was deactivated (ADR 0017;
    # none among the visitors: tested in cases/tests/views/test_lead_vacancy.py).
    Route(
        "cases:lead-needed",
        {
            **dict.fromkeys(VERIFIED, 404),
            **SIGNED_IN_PAGE,
            AGENCY_ADMIN: 404,
            OTHER_AGENCY_ADMIN: 404,
        },
        case_kwargs,
    ),
    # The lead handing the lead to themselves: refused on the page, nothing changes.
    Route("cases:team-lead", CASE_CHANGE_PAGE, lead_kwargs, method="post"),
    Route("cases:address-reveal", CASE_CHANGE_PAGE, case_kwargs),
    Route("cases:address-record", CASE_CHANGE_PAGE, case_kwargs),
    Route(
        "cases:address-reveal",
        {**CASE_CHANGE_PAGE, "member": 200},
        case_kwargs,
        method="post",
        data={"reason": "To arrange a safe home visit"},
    ),
    Route(
        "audit:list",
        {
            "anonymous": SIGN_IN_REDIRECT,
            "member": 403,
            "member_auditor": 200,
            "removed": 403,
            "outsider": 403,
            "auditor": 200,
            "password_only": TWO_FACTOR_REDIRECT,
        },
    ),
    Route("orders:ending-soon", {**dict.fromkeys(VERIFIED, 200), **SIGNED_IN_PAGE}),
    Route("orders:new", CASE_CHANGE_PAGE, case_kwargs),
    Route("orders:address-change-new", CASE_CHANGE_PAGE, case_kwargs),
    Route("orders:detail", CASE_PAGE, order_kwargs),
    Route("orders:condition-new", CASE_CHANGE_PAGE, order_kwargs),
    Route("orders:condition-end", CASE_CHANGE_PAGE, condition_kwargs),
    Route("orders:change-new", CASE_CHANGE_PAGE, order_kwargs),
    Route("orders:copy-upload", CASE_CHANGE_PAGE, order_kwargs),
    # Marking the copy checked is a POST that returns to the order page.
    Route(
        "orders:copy-check",
        {**CASE_CHANGE_PAGE, "member": 302},
        order_kwargs,
        method="post",
    ),
    Route("orders:copy-download", CASE_PAGE, copy_kwargs),
    Route("orders:summary", CASE_PAGE, order_kwargs),
    Route("api:schema", {**dict.fromkeys(VERIFIED, 200), **API}),
    Route("api:case-list", {**dict.fromkeys(VERIFIED, 200), **API}),
    Route("api:case-detail", CASE_API, case_kwargs),
    *ADMIN_ROUTES,
    *app_routes(),
]


def _case_and_visitors() -> tuple[Case, dict[str, User | None]]:
    """The case (with an order and its copy) and each visitor, as the names in VISITORS say."""
    idva_service, police = people.idva_service(), people.police()
    practitioner = people.practitioner(idva_service)
    case = people.case_led_by(practitioner)
    people.order_with_copy(case, practitioner)
    outsider = people.outsider(police)
    member_auditor = UserFactory(agency=practitioner.agency, role=User.Role.AUDITOR)
    CaseTeamMembershipFactory(case=case, user=member_auditor, capacity="Case auditor")
    removed = UserFactory(agency=practitioner.agency)
    CaseTeamMembershipFactory(case=case, user=removed, left_at=timezone.now())
    # The outsider works elsewhere: a case of their own, so "no cases" is not why they see none.
    CaseTeamMembershipFactory(user=outsider, is_lead=True)
    return case, {
        AGENCY_ADMIN: UserFactory(agency=practitioner.agency, role=User.Role.AGENCY_ADMIN),
        OTHER_AGENCY_ADMIN: UserFactory(agency=outsider.agency, role=User.Role.AGENCY_ADMIN),
        "anonymous": None,
        "member": practitioner,
        "member_auditor": member_auditor,
        "removed": removed,
        "outsider": outsider,
        "auditor": people.auditor(idva_service),
        "password_only": practitioner,
        DIARY_USER: DiaryAccessFactory(case=case).user,
    }


@pytest.fixture(scope="module")
def case_and_visitors(django_db_setup, django_db_blocker):
    """Made once for the module's 1,500-odd visits (shared_data.py); each visit's own changes
    are rolled back after it."""
    yield from made_once(django_db_blocker, _case_and_visitors)


# Every route as every visitor and the diary user; the agency administrators on the routes
# that name them (every case URL, through CASE_PAGE, and their own pages).
VISITS = [
    pytest.param(route, visitor, id=f"{route.method}:{route.name}-{visitor}")
    for route in MATRIX
    for visitor in [*VISITORS, DIARY_USER, *ADMIN_VISITORS]
    if visitor not in ADMIN_VISITORS or visitor in route.expect
]


@pytest.mark.parametrize(("route", "visitor"), VISITS)
def test_access(client, case_and_visitors, route, visitor):
    case, visitors = case_and_visitors
    user = visitors[visitor]
    if visitor in ("password_only", DIARY_USER):  # a diary's second factor is optional
        client.force_login(user)
    elif user is not None:
        sign_in_with_two_factor(client, user)
    url = reverse(route.name, kwargs=route.kwargs(case))
    response = getattr(client, route.method)(url, route.data)
    expected = route.expect.get(visitor, 404)  # only DIARY_USER (and the admins) left out
    assert response.status_code == expected, f"{visitor} {route.method.upper()} {route.name}"
    if expected == 404:
        # Nothing about the case leaks into the 404 page.
        assert case.reference.encode() not in response.content


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if not pattern.name and namespace.startswith("admin:"):
                continue  # Django admin's old-style redirect to the change page
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row_in_the_access_matrix():
    missing = _url_names(get_resolver()) - {route.name for route in MATRIX}
    assert not missing, f"Add these URLs to the access matrix: {sorted(missing)}"


def test_matrix_covers_every_visitor_for_every_route():
    for route in MATRIX:
        assert set(route.expect) - {DIARY_USER, *ADMIN_VISITORS} == set(VISITORS), route.name
