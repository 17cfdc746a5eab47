"""The case team: adding, removing, handing over the lead, and who may see the address."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import CaseTeamChange
from orderwatch.cases.services import (
    case_address_access_set,
    case_lead_hand_over,
    case_team_member_add,
    case_team_member_remove,
)
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.notifications.models import Notification
from orderwatch.notifications.services import notification_email_send
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(police):
    return UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Offi Cer")


def lead_of(case):
    return [m.user for m in case.team_memberships.filter(is_lead=True, left_at__isnull=True)]


def test_a_professional_from_another_agency_is_added_sees_the_case_and_is_told(
    practitioner, case, officer, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = case_team_member_add(
            actor=practitioner, case=case, user=officer, capacity="Officer in the case"
        )
    assert access_case(officer, case.pk) == case
    assert membership.agency == officer.agency
    notification = Notification.objects.get(recipient=officer)
    assert notification.kind == Notification.Kind.MEMBER_ADDED
    assert not Notification.objects.exclude(recipient=officer).exists()  # only them
    assert CaseTeamChange.objects.get(membership=membership).kind == CaseTeamChange.Kind.ADDED
    assert AuditEvent.objects.filter(verb=Verb.TEAM_MEMBER_ADDED, case_id=case.pk).exists()


def test_the_added_persons_email_says_only_that_they_were_added(practitioner, case, officer):
    case_team_member_add(actor=practitioner, case=case, user=officer, capacity="Officer")
    notification = Notification.objects.get(recipient=officer)
    assert notification_email_send(notification_id=notification.pk)
    (email,) = mail.outbox
    assert email.subject == "OrderWatch: you have been added to a case"
    assert "You have been added to a case in OrderWatch" in email.body
    for personal in (case.reference, practitioner.display_name, "Officer"):
        assert personal not in email.subject + email.body


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda agency: UserFactory(agency=agency, is_active=False), "deactivated"),
        (
            lambda agency: UserFactory(agency=None, role=User.Role.VICTIM_SURVIVOR),
            "diary account cannot join a case team",
        ),
    ],
)
def test_who_cannot_be_added_gets_a_clear_message_and_nothing_changes(
    practitioner, case, police, make, message
):
    person = make(police)
    with pytest.raises(ValidationError, match=message):
        case_team_member_add(actor=practitioner, case=case, user=person, capacity="Officer")
    assert not case.team_memberships.filter(user=person).exists()
    assert not CaseTeamChange.objects.exists()


def test_someone_already_on_the_team_or_no_role_given_is_refused(practitioner, case, officer):
    with pytest.raises(ValidationError, match="already on the case team"):
        case_team_member_add(actor=practitioner, case=case, user=practitioner, capacity="IDVA")
    with pytest.raises(ValidationError, match="Enter their role on this case"):
        case_team_member_add(actor=practitioner, case=case, user=officer, capacity="  ")
    assert not case.team_memberships.filter(user=officer).exists()


def test_only_the_lead_or_a_team_manager_on_the_team_manages_it(
    case, colleague, officer, outsider, idva_service
):
    with pytest.raises(PermissionDenied):
        case_team_member_add(actor=colleague, case=case, user=officer, capacity="Officer")
    with pytest.raises(Http404):
        case_team_member_add(actor=outsider, case=case, user=officer, capacity="Officer")
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    CaseTeamMembershipFactory(case=case, user=manager)
    case_team_member_add(actor=manager, case=case, user=officer, capacity="Officer")
    assert access_case(officer, case.pk) == case


def test_a_removed_member_gets_404_at_once_and_the_reason_is_kept(practitioner, case, officer):
    case_team_member_add(actor=practitioner, case=case, user=officer, capacity="Officer")
    with pytest.raises(ValidationError, match="Enter why they are leaving"):
        case_team_member_remove(actor=practitioner, case=case, user=officer, reason=" ")
    assert access_case(officer, case.pk) == case  # nothing changed

    membership = case_team_member_remove(
        actor=practitioner, case=case, user=officer, reason="No longer the officer in the case"
    )
    with pytest.raises(Http404):
        access_case(officer, case.pk)
    assert membership.left_reason == "No longer the officer in the case"
    event = AuditEvent.objects.get(verb=Verb.TEAM_MEMBER_REMOVED)
    assert event.notes.get(name="reason").text == "No longer the officer in the case"
    assert list(event.payload) == ["notes"]


def test_removing_the_lead_needs_a_new_lead_and_the_case_always_has_one(
    practitioner, case, colleague
):
    with pytest.raises(ValidationError, match="Choose who will lead the case instead"):
        case_team_member_remove(actor=practitioner, case=case, user=practitioner, reason="Leaving")
    assert lead_of(case) == [practitioner]
    case_team_member_remove(
        actor=practitioner, case=case, user=practitioner, reason="Leaving", new_lead=colleague
    )
    assert lead_of(case) == [colleague]
    with pytest.raises(Http404):
        access_case(practitioner, case.pk)


def test_handing_over_the_lead_keeps_the_old_lead_on_the_team_and_moves_their_open_tasks(
    practitioner, case, order, colleague
):
    breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.get()))
    review = Task.objects.get(done_at__isnull=True, origin=Task.Origin.BREACH)
    assert review.assignee == practitioner

    case_lead_hand_over(actor=practitioner, case=case, to=colleague)

    assert lead_of(case) == [colleague]
    assert access_case(practitioner, case.pk) == case
    assert Task.objects.get(pk=review.pk).assignee == colleague
    new_lead = case.team_memberships.get(user=colleague)
    assert new_lead.may_see_address  # the lead sees the address by default
    assert colleague.has_perm("cases.grant_address_access", case)
    assert not practitioner.has_perm("cases.manage_team", case)


def test_handing_over_to_someone_not_on_the_team_already_lead_or_an_auditor_is_refused(
    practitioner, case, officer, idva_service
):
    auditor = UserFactory(agency=idva_service, role=User.Role.AUDITOR)
    CaseTeamMembershipFactory(case=case, user=auditor, capacity="Case auditor")
    with pytest.raises(ValidationError, match="not on the case team"):
        case_lead_hand_over(actor=practitioner, case=case, to=officer)
    with pytest.raises(ValidationError, match="already leads the case"):
        case_lead_hand_over(actor=practitioner, case=case, to=practitioner)
    with pytest.raises(ValidationError, match="Only an active practitioner or team manager"):
        case_lead_hand_over(actor=practitioner, case=case, to=auditor)
    with pytest.raises(ValidationError, match="Only practitioners and team managers can see"):
        case_address_access_set(
            actor=practitioner, case=case, user=auditor, allowed=True, reason="Audit"
        )
    assert lead_of(case) == [practitioner]


def test_a_member_sees_the_address_only_once_the_lead_allows_it_and_until_withdrawn(
    practitioner, case, colleague
):
    assert not colleague.has_perm("cases.reveal_protected_address", case)
    with pytest.raises(ValidationError, match="Enter why they need to see the address"):
        case_address_access_set(
            actor=practitioner, case=case, user=colleague, allowed=True, reason=""
        )
    assert not colleague.has_perm("cases.reveal_protected_address", case)

    case_address_access_set(
        actor=practitioner, case=case, user=colleague, allowed=True, reason="Arranging a visit"
    )
    assert colleague.has_perm("cases.reveal_protected_address", case)
    case_address_access_set(
        actor=practitioner, case=case, user=colleague, allowed=False, reason="Visit done"
    )
    assert not colleague.has_perm("cases.reveal_protected_address", case)
    kinds = [c.kind for c in CaseTeamChange.objects.order_by("created_at")]
    assert kinds == [
        CaseTeamChange.Kind.ADDRESS_ACCESS_GRANTED,
        CaseTeamChange.Kind.ADDRESS_ACCESS_WITHDRAWN,
    ]
    withdrawn = AuditEvent.objects.filter(verb=Verb.ADDRESS_ACCESS_WITHDRAWN).get()
    assert withdrawn.notes.get(name="reason").text == "Visit done"
    assert "Visit done" not in str(withdrawn.chain_body())


def test_only_the_lead_decides_who_sees_the_address_and_keeps_it_themselves(
    practitioner, case, colleague, idva_service
):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    CaseTeamMembershipFactory(case=case, user=manager)
    with pytest.raises(PermissionDenied):
        case_address_access_set(actor=manager, case=case, user=colleague, allowed=True, reason="x")
    with pytest.raises(ValidationError, match="hand over the lead first"):
        case_address_access_set(
            actor=practitioner, case=case, user=practitioner, allowed=False, reason="x"
        )
    assert not colleague.has_perm("cases.reveal_protected_address", case)
