"""Shared set-up for the sharing service tests: a frozen Thursday morning and a case team."""

import pytest

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.sharing.services import party_add
from orderwatch.sharing.tests.services.support import school_values


@pytest.fixture(autouse=True)
def clock(thursday_morning, time_machine):
    """Time stands still at Thursday 5 March 2026, 10am; `clock.shift(...)` moves it on."""
    return time_machine


@pytest.fixture
def team_auditor(case, auditor):
    """The auditor, on the case team: may read the case, never change it."""
    CaseTeamMembershipFactory(case=case, user=auditor)
    return auditor


@pytest.fixture
def colleague(idva_service):
    """A practitioner who uses OrderWatch and is on no team of this case."""
    return UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, display_name="Col League")


@pytest.fixture
def school(practitioner, case):
    """The school's safeguarding lead, an external contact, not yet told."""
    return party_add(actor=practitioner, case=case, **school_values())
