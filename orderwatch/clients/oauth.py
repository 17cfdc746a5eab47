"""How django-oauth-toolkit knows our clients: the scopes each may be given, a client that is
revoked or past its end date refused a token, and a token that names the client's own account
(ADR 0042). Only the client-credentials grant exists here: nobody signs in through OAuth2."""

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from orderwatch.clients.models import ApiClient
from orderwatch.clients.scopes import SCOPES


def _client_of(application) -> ApiClient | None:
    if application is None:
        return None
    try:
        return application.api_client
    except ApiClient.DoesNotExist:
        return None


class ApiClientScopes(BaseScopes):
    """The scopes a client may ask for are the ones its administrator gave it."""

    def get_all_scopes(self) -> dict[str, str]:
        return SCOPES

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        client = _client_of(application)
        return list(client.scopes) if client is not None else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return self.get_available_scopes(application, request)


class ApiClientValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs) -> bool:
        """Refuse a token to a client whose access has ended (revoking deletes the application,
        so only the end date is left to check)."""
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        client = _client_of(request.client)
        return client is not None and client.is_usable


class ApiClientAuthentication(OAuth2Authentication):
    """A bearer token of a usable client authenticates as the client's account."""

    www_authenticate_realm = "OrderWatch API"

    def authenticate(self, request):
        # Only a bearer token in the header: never one in the body or the address, so the
        # body is not read (nor parsed) to look for one.
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return None
        valid, checked = get_oauthlib_core().verify_request(request._request, scopes=[])
        if not valid:
            request.oauth2_error = getattr(checked, "oauth2_error", {})
            return None
        token = checked.access_token
        client = _client_of(token.application)
        if client is None or not client.is_usable:
            request.oauth2_error = {
                "error": "invalid_token",
                "error_description": "This client's access has ended.",
            }
            return None
        return client.account, token
