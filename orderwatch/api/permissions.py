"""Who may call an API endpoint: a person signed in with two factors, or a client whose token
carries the scope the endpoint needs for the method (ADR 0042). What each may see and change is
then the access policy's, as on the pages."""

from oauth2_provider.models import AccessToken
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from orderwatch.clients.scopes import READ


def scope_for(view, method: str) -> str:
    """Return the scope a client needs to call `view` with `method`."""
    if method in SAFE_METHODS:
        return READ
    return getattr(view, "write_scope", None) or "no scope allows this"


class SignedInOrClientWithScope(BasePermission):
    message = "Sign in with two-factor authentication, or use a client token, to use the API."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if isinstance(token, AccessToken):
            scope = scope_for(view, request.method)
            if not token.allow_scopes([scope]):
                raise PermissionDenied(f"This client's token does not have the {scope} scope.")
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_verified())
