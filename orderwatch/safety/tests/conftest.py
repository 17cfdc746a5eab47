"""Shared set-up for the safety tests: a frozen Thursday morning and a case team."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory

LONDON = ZoneInfo("Europe/London")
# Thursday 5 March 2026, 10am: two working days later is Monday 9 March.
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=LONDON)
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
def team_auditor(case, auditor):
    """The auditor, on the case team: may read the case, never change it."""
    CaseTeamMembershipFactory(case=case, user=auditor)
    return auditor
