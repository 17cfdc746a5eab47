"""Password sign-in and the signed-in user, read once per request with what every page shows."""

from django.contrib.auth.backends import ModelBackend

from orderwatch.accounts.models import User


class AccountBackend(ModelBackend):
    """Django's password backend, with two differences that save queries on every page.

    The user is read with their agency (the page header names it). Django's permission tables
    are read for staff only: they hold the service administrators' reference-data permissions
    and nobody else's (who may see and do what on cases is `orderwatch.access.policy`).
    """

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_staff:
            return set()
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_staff:
            return set()
        return super().get_group_permissions(user_obj, obj)
