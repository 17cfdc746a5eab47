import pytest

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory


@pytest.fixture
def manager(case, idva_service):
    """A team manager on the case team."""
    user = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER, display_name="Tam Manager")
    CaseTeamMembershipFactory(case=case, user=user, capacity="Team manager")
    return user


@pytest.fixture
def agency_admin(idva_service):
    """An administrator of the lead's agency: on no case team."""
    return UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN, display_name="Ada Admin")
