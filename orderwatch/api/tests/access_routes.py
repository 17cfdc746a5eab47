"""The API's write and feed endpoints in the access matrix (see orderwatch/access/tests/), as
the people who sign in to the service call them; agencies' systems (tokens) are in
orderwatch/clients/tests/. The case reads are in the matrix's own list."""

from orderwatch.access.tests.routes import (
    API,
    CASE_API,
    CASE_API_WRITE,
    VERIFIED,
    VISITORS,
    Route,
    case_kwargs,
)
from orderwatch.cases.models import Case


def order_kwargs(case: Case) -> dict:
    return {"case_id": case.pk, "order_id": case.orders.get().pk}


def breach_kwargs(case: Case) -> dict:
    """A breach on the case, recorded for the matrix the first time it is asked for."""
    from orderwatch.breaches.tests.factories import BreachFactory

    breach = case.breaches.first() or BreachFactory(case=case)
    return {"case_id": case.pk, "breach_id": breach.pk}


# The token endpoint is for clients' id and secret, not for people: a GET is not how it is used.
TOKEN = {**dict.fromkeys(VISITORS, 405), "password_only": 403}

ROUTES = [
    Route("api:token", TOKEN),
    Route("api:token-revoke", TOKEN),
    Route("api:case-list", {**dict.fromkeys(VERIFIED, 400), **API}, method="post"),
    Route("api:case-people", CASE_API_WRITE, case_kwargs, method="post"),
    Route("api:order-list", CASE_API_WRITE, case_kwargs, method="post"),
    Route("api:order-detail", CASE_API, order_kwargs),
    Route("api:order-conditions", CASE_API_WRITE, order_kwargs, method="post"),
    Route("api:order-changes", CASE_API_WRITE, order_kwargs, method="post"),
    Route("api:breach-list", CASE_API_WRITE, case_kwargs, method="post"),
    Route("api:breach-detail", CASE_API, breach_kwargs),
    Route("api:breach-police-report", CASE_API_WRITE, breach_kwargs, method="put", data=""),
    Route("api:case-shares", CASE_API, case_kwargs),
    Route("api:case-shares", CASE_API_WRITE, case_kwargs, method="post"),
    Route("api:case-evidence", CASE_API_WRITE, case_kwargs, method="post"),
    Route("api:events", {**dict.fromkeys(VERIFIED, 200), **API}),
    Route("api:not-found", {**dict.fromkeys(VISITORS, 404), "password_only": 403}),
]
