"""Changing a role: own agency only; never one's own; a lead keeps a role that can lead."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.people.services import person_role_change
from orderwatch.people.tests.factories import agency_admin

pytestmark = pytest.mark.django_db


def role_of(user: User) -> str:
    return User.objects.values_list("role", flat=True).get(pk=user.pk)


def test_an_administrator_changes_a_role_in_their_agency(idva_service, colleague):
    admin = agency_admin(idva_service)
    person_role_change(actor=admin, person_id=colleague.pk, role=User.Role.TEAM_MANAGER)
    assert role_of(colleague) == User.Role.TEAM_MANAGER
    event = AuditEvent.objects.get(verb=Verb.ROLE_CHANGED)
    assert event.payload == {"from": "practitioner", "to": "team_manager"}


def test_another_agencys_administrator_gets_404_and_nothing_changes(police, colleague):
    with pytest.raises(Http404):
        person_role_change(
            actor=agency_admin(police), person_id=colleague.pk, role=User.Role.AUDITOR
        )
    assert role_of(colleague) == User.Role.PRACTITIONER


def test_a_team_manager_cannot_change_roles(idva_service, colleague):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    with pytest.raises(PermissionDenied):
        person_role_change(actor=manager, person_id=colleague.pk, role=User.Role.AUDITOR)
    assert role_of(colleague) == User.Role.PRACTITIONER


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (User.Role.PRACTITIONER, "They already have this role. Choose another"),
        (User.Role.VICTIM_SURVIVOR, "Choose a role"),
    ],
)
def test_the_same_role_or_a_diary_role_is_refused(idva_service, colleague, role, message):
    with pytest.raises(ValidationError) as error:
        person_role_change(actor=agency_admin(idva_service), person_id=colleague.pk, role=role)
    assert error.value.message_dict["role"] == [message]
    assert role_of(colleague) == User.Role.PRACTITIONER


def test_an_administrator_cannot_change_their_own_role(idva_service):
    admin = agency_admin(idva_service)
    with pytest.raises(ValidationError):
        person_role_change(actor=admin, person_id=admin.pk, role=User.Role.PRACTITIONER)
    assert role_of(admin) == User.Role.AGENCY_ADMIN


def test_a_lead_keeps_a_role_that_can_lead_until_the_lead_is_handed_over(
    idva_service, case, practitioner
):
    admin = agency_admin(idva_service)
    with pytest.raises(ValidationError) as error:
        person_role_change(actor=admin, person_id=practitioner.pk, role=User.Role.AUDITOR)
    assert "They lead 1 case" in error.value.message_dict["role"][0]
    assert role_of(practitioner) == User.Role.PRACTITIONER
    # A team manager can still lead.
    person_role_change(actor=admin, person_id=practitioner.pk, role=User.Role.TEAM_MANAGER)
    assert role_of(practitioner) == User.Role.TEAM_MANAGER
