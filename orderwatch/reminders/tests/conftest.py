"""Shared set-up for the reminder tests: a frozen Thursday morning and a two-person team."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.orders.tests.factories import OrderFactory

# Thursday 5 March 2026, 10am in London.
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _thursday_morning(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def colleague(case, idva_service):
    """A second practitioner on the team, who is not the lead."""
    user = UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, display_name="Col League")
    CaseTeamMembershipFactory(case=case, user=user)
    return user


@pytest.fixture
def ending_order(case):
    """A non-molestation order on the case that ends in 13 days."""
    return OrderFactory(
        case=case, made_on=TODAY - dt.timedelta(days=300), ends_on=TODAY + dt.timedelta(days=13)
    )
