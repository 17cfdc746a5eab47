import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory

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
