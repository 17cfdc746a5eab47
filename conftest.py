"""Fixtures shared by every test: the people and cases most tests need."""

import pytest

from orderwatch.accounts.models import Agency, User
from orderwatch.accounts.tests.factories import AgencyFactory, UserFactory
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory


@pytest.fixture
def idva_service():
    return AgencyFactory(name="Test IDVA Service", kind=Agency.Kind.IDVA_SERVICE)


@pytest.fixture
def police():
    return AgencyFactory(name="Test Police", kind=Agency.Kind.POLICE)


@pytest.fixture
def practitioner(idva_service):
    return UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, display_name="Pat Lead")


@pytest.fixture
def case(practitioner):
    """A case whose team is just `practitioner`, as lead."""
    case = CaseFactory()
    CaseTeamMembershipFactory(case=case, user=practitioner, is_lead=True)
    return case


@pytest.fixture
def outsider(police):
    """A practitioner in another agency, on no case team."""
    return UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Out Sider")


@pytest.fixture
def auditor(idva_service):
    return UserFactory(agency=idva_service, role=User.Role.AUDITOR, display_name="Aud Itor")


@pytest.fixture
def order(case, practitioner):
    """A non-molestation order on `case` with one condition and a stored copy."""
    from orderwatch.orders.services import order_copy_add
    from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory, pdf_upload

    order = OrderFactory(case=case)
    ConditionFactory(order=order)
    order_copy_add(actor=practitioner, order=order, upload=pdf_upload())
    return order


def make_user(role: str, agency: Agency) -> User:
    return UserFactory(agency=agency, role=role)
