import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import Case, CasePerson
from orderwatch.cases.services import case_create

pytestmark = pytest.mark.django_db


def test_creator_becomes_lead_and_the_victim_survivor_is_recorded(practitioner):
    case = case_create(
        actor=practitioner,
        victim_given_name=" Alex ",
        victim_family_name="Rivers",
        lead_capacity="Allocated IDVA",
    )
    victim = case.people.get()
    assert (victim.role, victim.full_name) == (CasePerson.Role.VICTIM_SURVIVOR, "Alex Rivers")
    lead = case.team_memberships.get()
    assert (lead.user, lead.agency, lead.is_lead) == (practitioner, practitioner.agency, True)
    assert case.reference.startswith("OW-")
    verbs = list(AuditEvent.objects.filter(case_id=case.pk).values_list("verb", flat=True))
    assert sorted(verbs) == sorted([Verb.CASE_CREATED, Verb.PERSON_ADDED, Verb.TEAM_MEMBER_ADDED])


def test_an_auditor_cannot_open_a_case(auditor):
    with pytest.raises(PermissionDenied):
        case_create(actor=auditor, victim_given_name="Alex", lead_capacity="Auditor")
    assert not Case.objects.exists()


def test_a_name_too_long_saves_nothing(practitioner):
    with pytest.raises(ValidationError):
        case_create(actor=practitioner, victim_given_name="A" * 101, lead_capacity="IDVA")
    assert not Case.objects.exists()
    assert not AuditEvent.objects.exists()


def test_team_manager_may_open_cases(idva_service):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    case = case_create(actor=manager, victim_given_name="Jo", lead_capacity="Team manager")
    assert case.team_memberships.get().user == manager


def test_a_named_lead_from_the_creators_agency_leads_the_case(idva_service):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    lead = UserFactory(agency=idva_service, role=User.Role.PRACTITIONER)
    case = case_create(actor=manager, victim_given_name="Jo", lead_capacity="IDVA", lead=lead)
    membership = case.team_memberships.get()
    assert (membership.user, membership.is_lead, membership.created_by) == (lead, True, manager)


@pytest.mark.parametrize("who", ["other_agency", "auditor", "deactivated"])
def test_a_lead_outside_the_creators_agency_or_role_saves_nothing(idva_service, police, who):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    lead = {
        "other_agency": lambda: UserFactory(agency=police, role=User.Role.PRACTITIONER),
        "auditor": lambda: UserFactory(agency=idva_service, role=User.Role.AUDITOR),
        "deactivated": lambda: UserFactory(agency=idva_service, is_active=False),
    }[who]()
    with pytest.raises(ValidationError) as raised:
        case_create(actor=manager, victim_given_name="Jo", lead_capacity="IDVA", lead=lead)
    assert "lead" in raised.value.message_dict
    assert not Case.objects.exists()
