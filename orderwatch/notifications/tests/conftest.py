import pytest
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


@pytest.fixture
def colleague(case, police):
    """A practitioner from another agency on the same case team."""
    user = UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Col League")
    CaseTeamMembershipFactory(case=case, user=user, capacity="Officer in the case")
    return user


@pytest.fixture
def removed(case, idva_service):
    """Someone who was on the case team and has been taken off it."""
    user = UserFactory(agency=idva_service, display_name="Re Moved")
    CaseTeamMembershipFactory(case=case, user=user, left_at=timezone.now())
    return user
