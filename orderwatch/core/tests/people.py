"""The people and the case most tests need, made the same way by the shared fixtures in the
root conftest.py and by modules that make them once for all their tests."""

from orderwatch.accounts.models import Agency, User
from orderwatch.accounts.tests.factories import AgencyFactory, UserFactory
from orderwatch.cases.models import Case
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.orders.models import Order


def idva_service() -> Agency:
    return AgencyFactory(name="Test IDVA Service", kind=Agency.Kind.IDVA_SERVICE)


def police() -> Agency:
    return AgencyFactory(name="Test Police", kind=Agency.Kind.POLICE)


def practitioner(agency: Agency) -> User:
    return UserFactory(agency=agency, role=User.Role.PRACTITIONER, display_name="Pat Lead")


def case_led_by(lead: User) -> Case:
    """A case whose team is just `lead`."""
    case = CaseFactory()
    CaseTeamMembershipFactory(case=case, user=lead, is_lead=True)
    return case


def outsider(agency: Agency) -> User:
    """A practitioner in `agency` (another agency), on no case team."""
    return UserFactory(agency=agency, role=User.Role.PRACTITIONER, display_name="Out Sider")


def auditor(agency: Agency) -> User:
    return UserFactory(agency=agency, role=User.Role.AUDITOR, display_name="Aud Itor")


def order_with_copy(case: Case, actor: User) -> Order:
    """A non-molestation order on `case` with one condition and a stored copy."""
    from orderwatch.orders.services import order_copy_add
    from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory, pdf_upload

    order = OrderFactory(case=case)
    ConditionFactory(order=order)
    order_copy_add(actor=actor, order=order, upload=pdf_upload())
    return order
