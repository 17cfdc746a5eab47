from django.contrib.auth.hashers import make_password

from orderwatch.accounts.models import Agency, User
from orderwatch.accounts.tests.factories import UserFactory


def agency_admin(agency: Agency) -> User:
    return UserFactory(agency=agency, role=User.Role.AGENCY_ADMIN, display_name="Ada Admin")


def not_set_up(agency: Agency, **fields) -> User:
    """An account made by an administrator whose holder has not used the set-up link yet."""
    user = UserFactory(agency=agency, authenticator=False, **fields)
    # Set afterwards: the factory's password declaration would hash any value it is given.
    User.objects.filter(pk=user.pk).update(password=make_password(None))
    user.refresh_from_db()
    return user
