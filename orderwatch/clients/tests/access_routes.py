"""API client pages in the access matrix: agency administrators' alone; another agency's client
answers 404."""

from orderwatch.access.tests.routes import (
    AGENCY_ADMIN,
    OTHER_AGENCY_ADMIN,
    SIGNED_IN_PAGE,
    VERIFIED,
    Route,
)
from orderwatch.cases.models import Case


def client_kwargs(case: Case) -> dict:
    """A client of the case's lead agency (whose administrator is AGENCY_ADMIN)."""
    from orderwatch.clients.models import ApiClient
    from orderwatch.clients.tests.tokens import client_registered

    agency_id = case.team_memberships.get(is_lead=True).agency_id
    client = ApiClient.objects.filter(agency_id=agency_id).first()
    if client is None:
        client, _ = client_registered(case.team_memberships.get(is_lead=True).agency)
    return {"client_id": client.pk}


def webhook_kwargs(case: Case) -> dict:
    """The same client, with a webhook (the page to remove one needs one)."""
    from orderwatch.webhooks.models import Webhook

    kwargs = client_kwargs(case)
    Webhook.objects.get_or_create(
        client_id=kwargs["client_id"],
        defaults={"url": "https://hooks.example.org/orderwatch", "secret": "whsec_matrix"},
    )
    return kwargs


ADMIN_ONLY = {
    **dict.fromkeys(VERIFIED, 403),
    **SIGNED_IN_PAGE,
    AGENCY_ADMIN: 200,
    OTHER_AGENCY_ADMIN: 200,
}
ONE_AGENCYS = {**ADMIN_ONLY, OTHER_AGENCY_ADMIN: 404}

ROUTES = [
    Route("clients:list", ADMIN_ONLY),
    Route("clients:new", ADMIN_ONLY),
    Route("clients:detail", ONE_AGENCYS, client_kwargs),
    Route("clients:revoke", ONE_AGENCYS, client_kwargs),
    Route("clients:webhook_add", ONE_AGENCYS, webhook_kwargs),
    Route("clients:webhook_remove", ONE_AGENCYS, webhook_kwargs),
]
