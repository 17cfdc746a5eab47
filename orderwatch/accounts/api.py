"""API permission shared by every endpoint."""

from rest_framework.permissions import BasePermission


class IsSignedInWithTwoFactor(BasePermission):
    """Allow only a signed-in user whose session has passed two-factor authentication."""

    message = "Sign in with two-factor authentication to use the API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_verified())
