import pytest

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory


@pytest.fixture
def agency_admin(idva_service):
    """An administrator of the practitioner's agency: on no case team."""
    return UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN, display_name="Ada Admin")
