"""Deactivating and reactivating an account; what happens to the cases it leads (ADR 0017)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    sign_in_with_two_factor,
)
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import CaseTeamMembership
from orderwatch.cases.services import case_lead_hand_over, case_lead_vacancy_join
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.people.services import person_deactivate, person_reactivate
from orderwatch.people.tests.factories import agency_admin
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db


def deactivate(admin, person, reason="Left the service"):
    return person_deactivate(actor=admin, person_id=person.pk, reason=reason)


def is_active(user: User) -> bool:
    return User.objects.values_list("is_active", flat=True).get(pk=user.pk)


def leads(case) -> list[User]:
    return [m.user for m in case.team_memberships.filter(is_lead=True, left_at__isnull=True)]


def test_every_session_ends_at_once_and_the_account_cannot_sign_in(idva_service, colleague):
    signed_in = sign_in_with_two_factor(Client(), colleague)
    assert signed_in.get(reverse("cases:list")).status_code == 200

    deactivate(agency_admin(idva_service), colleague)

    assert not is_active(colleague)
    assert signed_in.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:sign-in"))
    response = Client().post(
        reverse("accounts:sign-in"), {"username": colleague.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.text
    event = AuditEvent.objects.get(verb=Verb.ACCOUNT_DEACTIVATED)
    assert event.notes.get(name="reason").text == "Left the service"
    assert "Left the service" not in str(event.chain_body())


def test_case_team_memberships_stay_on_record(idva_service, case, colleague):
    deactivate(agency_admin(idva_service), colleague)
    membership = CaseTeamMembership.objects.get(case=case, user=colleague)
    assert membership.left_at is None  # on the record, marked "Account deactivated"


@pytest.mark.parametrize(
    ("reason", "message"),
    [("  ", "Enter why the account is being deactivated")],
)
def test_a_reason_is_needed_and_nothing_changes_without_one(
    idva_service, case, practitioner, reason, message
):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    with pytest.raises(ValidationError) as error:
        deactivate(agency_admin(idva_service), practitioner, reason=reason)
    assert error.value.message_dict["reason"] == [message]
    assert is_active(practitioner)
    assert not Task.objects.filter(assignee=manager).exists()


def test_another_agencys_administrator_gets_404_and_nothing_changes(police, colleague):
    with pytest.raises(Http404):
        deactivate(agency_admin(police), colleague)
    assert is_active(colleague)


def test_an_administrator_cannot_deactivate_themselves(idva_service):
    admin = agency_admin(idva_service)
    with pytest.raises(ValidationError):
        deactivate(admin, admin)
    assert is_active(admin)


def test_an_account_already_deactivated_is_refused(idva_service, colleague):
    admin = agency_admin(idva_service)
    deactivate(admin, colleague)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        deactivate(admin, colleague)
    assert AuditEvent.objects.count() == events


def test_each_case_the_lead_led_asks_the_agencys_team_managers_for_a_new_lead(
    idva_service, police, case, practitioner
):
    second = CaseFactory()
    CaseTeamMembershipFactory(case=second, user=practitioner, is_lead=True)
    managers = UserFactory.create_batch(2, agency=idva_service, role=User.Role.TEAM_MANAGER)
    UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER, is_active=False)
    UserFactory(agency=police, role=User.Role.TEAM_MANAGER)  # another agency: not asked

    deactivate(agency_admin(idva_service), practitioner)

    tasks = Task.objects.filter(kind=Task.Kind.NEW_LEAD, done_at__isnull=True)
    assert {(t.case_id, t.assignee_id) for t in tasks} == {
        (c.pk, m.pk) for c in (case, second) for m in managers
    }
    assert {t.origin for t in tasks} == {Task.Origin.LEAD_DEACTIVATED}
    # One lead throughout: the deactivated member stays the lead on record until a hand-over.
    assert leads(case) == [practitioner]
    assert leads(second) == [practitioner]
    assert AuditEvent.objects.filter(verb=Verb.LEAD_NEEDED).count() == 2


def test_a_team_manager_joins_and_hands_over_and_the_case_has_one_lead_throughout(
    idva_service, case, practitioner, colleague
):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    deactivate(agency_admin(idva_service), practitioner)
    assert leads(case) == [practitioner]

    membership = case_lead_vacancy_join(actor=manager, case=case)
    assert membership.capacity == "Team manager (choosing a new lead)"
    assert not membership.is_lead
    assert not membership.may_see_address
    assert leads(case) == [practitioner]

    case_lead_hand_over(actor=manager, case=case, to=colleague)

    assert leads(case) == [colleague]
    assert not Task.objects.filter(kind=Task.Kind.NEW_LEAD, done_at__isnull=True).exists()
    # The deactivated lead stays on the team's record.
    assert CaseTeamMembership.objects.get(case=case, user=practitioner).left_at is None
    assert AuditEvent.objects.filter(verb=Verb.LEAD_VACANCY_JOINED, actor=manager).count() == 1


def test_reactivating_before_a_hand_over_makes_them_the_lead_again(
    idva_service, case, practitioner
):
    UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    admin = agency_admin(idva_service)
    deactivate(admin, practitioner)

    person_reactivate(actor=admin, person_id=practitioner.pk, reason="Came back")

    assert is_active(practitioner)
    assert leads(case) == [practitioner]
    assert not Task.objects.filter(kind=Task.Kind.NEW_LEAD, done_at__isnull=True).exists()
    assert AuditEvent.objects.filter(verb=Verb.ACCOUNT_REACTIVATED).count() == 1


def test_reactivating_an_active_account_is_refused(idva_service, colleague):
    with pytest.raises(ValidationError):
        person_reactivate(
            actor=agency_admin(idva_service), person_id=colleague.pk, reason="Came back"
        )
    assert not AuditEvent.objects.filter(verb=Verb.ACCOUNT_REACTIVATED).exists()


def test_deactivated_again_after_a_reactivation_asks_again(idva_service, case, practitioner):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    admin = agency_admin(idva_service)
    deactivate(admin, practitioner)
    person_reactivate(actor=admin, person_id=practitioner.pk, reason="Came back")
    deactivate(admin, practitioner)
    assert Task.objects.filter(
        kind=Task.Kind.NEW_LEAD, assignee=manager, done_at__isnull=True
    ).exists()


def test_another_agencys_administrator_cannot_reactivate(idva_service, police, colleague):
    deactivate(agency_admin(idva_service), colleague)
    with pytest.raises(Http404):
        person_reactivate(actor=agency_admin(police), person_id=colleague.pk, reason="Back")
    assert not is_active(colleague)
