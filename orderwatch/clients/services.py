"""Registering and revoking API clients, and recording each call a client makes (ADR 0042)."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.clients.models import ApiClient
from orderwatch.clients.scopes import SCOPES
from orderwatch.core.submissions import submission_claim

# A client is registered for a year at most: someone must decide again that it still needs
# access (the partnership's agreement with the agency's system is reviewed yearly).
LONGEST_REGISTRATION = dt.timedelta(days=366)


def _require(actor: User) -> None:
    if not actor.has_perm("clients.register_api_client"):
        raise PermissionDenied


def _problems(*, name: str, scopes: list[str], expires_on: dt.date | None) -> dict[str, str]:
    problems = {}
    if not name:
        problems["name"] = "Enter a name for the system"
    elif len(name) > ApiClient._meta.get_field("name").max_length:
        problems["name"] = "The name must be 100 characters or fewer"
    if not scopes:
        problems["scopes"] = "Select what the system may do"
    elif set(scopes) - set(SCOPES):
        problems["scopes"] = "Select from the list"
    today = timezone.localdate()
    if expires_on is None:
        problems["expires_on"] = "Enter the date access ends"
    elif not today < expires_on <= today + LONGEST_REGISTRATION:
        problems["expires_on"] = "The date access ends must be in the next 12 months"
    return problems


@transaction.atomic(durable=True)
def api_client_register(
    *,
    actor: User,
    name: str,
    scopes: list[str],
    expires_on: dt.date | None,
    submission_key: uuid.UUID | None = None,
) -> tuple[ApiClient, str]:
    """Register a system of the administrator's agency; return it and its secret, which is
    shown this once (only its hash is kept)."""
    _require(actor)
    name = name.strip()
    if problems := _problems(name=name, scopes=scopes, expires_on=expires_on):
        raise ValidationError(problems)
    account = User.objects.create_user(
        email=f"client-{uuid.uuid4()}@clients.invalid",
        password=None,
        display_name=f"{name} (API client)",
        agency=actor.agency,
        role=User.Role.API_CLIENT,
    )
    secret = generate_client_secret()
    Application = get_application_model()
    application = Application.objects.create(
        name=name,
        user=account,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = ApiClient.objects.create(
        name=name,
        agency_id=actor.agency_id,
        account=account,
        application=application,
        client_id=application.client_id,
        scopes=sorted(set(scopes)),
        expires_on=expires_on,
        created_by=actor,
    )
    submission_claim(key=submission_key, actor=actor, url=client.get_absolute_url())
    audit_record(
        actor=actor,
        verb=Verb.API_CLIENT_REGISTERED,
        target=client,
        payload={"scopes": client.scopes, "expires_on": expires_on.isoformat()},
    )
    return client, secret


def access_api_client(actor: User, client_id) -> ApiClient:
    """Return a client of the administrator's own agency: 403 for anyone else, 404 for another
    agency's client."""
    _require(actor)
    try:
        return ApiClient.objects.select_related("account", "created_by", "revoked_by").get(
            pk=client_id, agency_id=actor.agency_id
        )
    except (ApiClient.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


@transaction.atomic(durable=True)
def api_client_revoke(*, actor: User, client_id) -> ApiClient:
    """Stop a client at once: its secret and every token it holds stop working. Revoking twice
    changes nothing more."""
    client = access_api_client(actor, client_id)
    client = ApiClient.objects.select_for_update().select_related("account").get(pk=client.pk)
    if client.is_revoked:
        return client
    if client.application is not None:
        client.application.delete()  # its tokens go with it
    client.application = None
    client.revoked_at = timezone.now()
    client.revoked_by = actor
    client.save(update_fields=["application", "revoked_at", "revoked_by", "modified_at"])
    client.account.is_active = False
    client.account.save(update_fields=["is_active"])
    audit_record(actor=actor, verb=Verb.API_CLIENT_REVOKED, target=client)
    return client


@transaction.atomic(durable=True)
def api_client_call_record(*, account: User, method: str, route: str, status: int) -> None:
    """Record one call a client made: who (the client, and the administrator who registered
    it), what (the method and the route's name, never the address or its query), and how it
    ended."""
    client = ApiClient.objects.only("pk", "created_by_id").get(account=account)
    audit_record(
        actor=account,
        verb=Verb.API_CLIENT_CALLED,
        target=client,
        payload={
            "registered_by": str(client.created_by_id),
            "method": method,
            "route": route,
            "status": status,
        },
    )
