"""Agency administration keeps no data of its own: accounts are `accounts.User`. The proxy below
gives service administration a page of agency administrators only (`people/admin.py`)."""

from orderwatch.accounts.models import User


class AgencyAdministrator(User):
    """An agency administrator's account, as service administration creates and lists it."""

    class Meta:
        proxy = True
        verbose_name = "agency administrator"
