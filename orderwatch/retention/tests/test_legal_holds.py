"""Placing and lifting legal holds: who may, what is refused, what is audited, and the
selectors the disposal step keeps held cases out of its batches with."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import Case
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.retention.models import LegalHold
from orderwatch.retention.selectors import (
    case_for_legal_hold_by_reference,
    case_is_held,
    cases_under_legal_hold,
    legal_holds_for,
)
from orderwatch.retention.services.holds import legal_hold_lift, legal_hold_place
from orderwatch.retention.tests.factories import LegalHoldFactory

pytestmark = pytest.mark.django_db


def _visitor(name, case, idva_service, police):
    """Each kind of person asked to hold `case` (led by a practitioner of `idva_service`)."""
    if name == "manager_on_team":
        user = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
        CaseTeamMembershipFactory(case=case, user=user)
    elif name == "manager_off_team":
        user = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    elif name == "manager_who_left":
        user = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
        CaseTeamMembershipFactory(case=case, user=user, left_at=timezone.now())
    elif name == "admin_of_an_agency_on_the_case":
        user = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    elif name == "admin_of_another_agency":
        user = UserFactory(agency=police, role=User.Role.AGENCY_ADMIN)
    elif name == "lead_practitioner":
        user = case.team_memberships.get(is_lead=True).user
    elif name == "auditor_on_team":
        user = UserFactory(agency=idva_service, role=User.Role.AUDITOR)
        CaseTeamMembershipFactory(case=case, user=user)
    elif name == "deactivated_admin":
        user = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN, is_active=False)
    return user


# Who may place and lift a hold: a team manager on the team, or an administrator of an agency
# that works on the case. Team members who may not get 403; everyone else, 404.
PERMISSIONS = [
    ("manager_on_team", None),
    ("admin_of_an_agency_on_the_case", None),
    ("lead_practitioner", PermissionDenied),
    ("auditor_on_team", PermissionDenied),
    ("manager_off_team", Http404),
    ("manager_who_left", Http404),
    ("admin_of_another_agency", Http404),
    ("deactivated_admin", Http404),
]


@pytest.mark.parametrize(("who", "refused"), PERMISSIONS)
def test_who_may_place_a_hold(case, idva_service, police, who, refused):
    actor = _visitor(who, case, idva_service, police)
    if refused:
        with pytest.raises(refused):
            legal_hold_place(actor=actor, case=case, kind=LegalHold.Kind.PROCEEDINGS)
        assert not case_is_held(case)
        assert not AuditEvent.objects.filter(verb=Verb.LEGAL_HOLD_PLACED).exists()
    else:
        hold = legal_hold_place(actor=actor, case=case, kind=LegalHold.Kind.PROCEEDINGS)
        assert hold.placed_by == actor
        assert case_is_held(case)


@pytest.mark.parametrize(("who", "refused"), PERMISSIONS)
def test_who_may_lift_a_hold(case, idva_service, police, who, refused):
    hold = LegalHoldFactory(case=case)
    actor = _visitor(who, case, idva_service, police)
    if refused:
        with pytest.raises(refused):
            legal_hold_lift(actor=actor, case=case, hold=hold, reason="Proceedings ended.")
        assert case_is_held(case)
    else:
        legal_hold_lift(actor=actor, case=case, hold=hold, reason="Proceedings ended.")
        hold.refresh_from_db()
        assert (hold.lifted_by, hold.lift_reason) == (actor, "Proceedings ended.")
        assert not case_is_held(case)


def test_placing_and_lifting_are_audited_without_the_reasons_words(case, manager):
    hold = legal_hold_place(
        actor=manager, case=case, kind=LegalHold.Kind.OTHER, other_reason="Insurer's claim"
    )
    legal_hold_lift(actor=manager, case=case, hold=hold, reason="Claim settled in court")
    placed = AuditEvent.objects.get(verb=Verb.LEGAL_HOLD_PLACED)
    lifted = AuditEvent.objects.get(verb=Verb.LEGAL_HOLD_LIFTED)
    for event in (placed, lifted):
        assert (event.actor, event.case_id, event.object_id) == (manager, case.pk, str(hold.pk))
        assert event.payload == {"kind": "other"}
        assert "Insurer" not in str(event.payload)
        assert "settled" not in str(event.payload)


def test_the_reasons_words_are_sealed_at_rest(case, manager):
    hold = legal_hold_place(
        actor=manager, case=case, kind=LegalHold.Kind.OTHER, other_reason="Insurer's claim"
    )
    legal_hold_lift(actor=manager, case=case, hold=hold, reason="Claim settled in court")
    with connection.cursor() as cursor:  # the only hold
        cursor.execute("SELECT other_reason, lift_reason FROM retention_legalhold")
        other_reason, lift_reason = cursor.fetchone()
    assert "Insurer" not in other_reason
    assert "settled" not in lift_reason
    hold.refresh_from_db()
    assert (hold.reason, hold.lift_reason) == ("Insurer's claim", "Claim settled in court")


@pytest.mark.parametrize(
    ("kind", "other_reason", "field"),
    [
        ("other", "", "other_reason"),
        ("other", "   ", "other_reason"),
        ("other", "x" * 501, "other_reason"),
        ("lawsuit", "", "kind"),
        ("", "", "kind"),
    ],
)
def test_a_hold_without_a_reason_is_refused(case, manager, kind, other_reason, field):
    with pytest.raises(ValidationError) as error:
        legal_hold_place(actor=manager, case=case, kind=kind, other_reason=other_reason)
    assert field in error.value.message_dict
    assert not LegalHold.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.LEGAL_HOLD_PLACED).exists()


def test_a_named_kind_keeps_no_other_reason(case, manager):
    hold = legal_hold_place(
        actor=manager, case=case, kind=LegalHold.Kind.COMPLAINT, other_reason="left over"
    )
    assert (hold.other_reason, hold.reason) == ("", "A complaint")


@pytest.mark.parametrize("reason", ["", "  ", "x" * 501])
def test_lifting_needs_a_reason(case, manager, reason):
    hold = LegalHoldFactory(case=case)
    with pytest.raises(ValidationError):
        legal_hold_lift(actor=manager, case=case, hold=hold, reason=reason)
    hold.refresh_from_db()
    assert not hold.is_lifted
    assert not AuditEvent.objects.filter(verb=Verb.LEGAL_HOLD_LIFTED).exists()


def test_a_hold_is_lifted_once(case, manager):
    hold = LegalHoldFactory(case=case)
    legal_hold_lift(actor=manager, case=case, hold=hold, reason="Ended")
    with pytest.raises(ValidationError, match="already been lifted"):
        legal_hold_lift(actor=manager, case=case, hold=hold, reason="Ended again")
    assert AuditEvent.objects.filter(verb=Verb.LEGAL_HOLD_LIFTED).count() == 1


def test_a_hold_on_another_case_cannot_be_lifted_through_this_one(case, manager):
    elsewhere = LegalHoldFactory()
    with pytest.raises(LegalHold.DoesNotExist):
        legal_hold_lift(actor=manager, case=case, hold=elsewhere, reason="Ended")
    elsewhere.refresh_from_db()
    assert not elsewhere.is_lifted


def test_the_database_refuses_half_a_lift_or_another_reason_left_blank(case, manager):
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalHoldFactory(case=case, kind=LegalHold.Kind.OTHER, other_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalHoldFactory(case=case, lifted_at=timezone.now(), lifted_by=manager)


def test_cases_under_legal_hold_are_those_with_a_hold_in_force(case, manager):
    lifted_only = CaseFactory()
    LegalHoldFactory(case=lifted_only, lifted_at=timezone.now(), lifted_by=manager, lift_reason="x")
    never = CaseFactory()
    twice = CaseFactory()
    LegalHoldFactory(case=twice)
    LegalHoldFactory(case=twice, kind=LegalHold.Kind.INQUIRY)
    LegalHoldFactory(case=case)

    held = set(cases_under_legal_hold())
    assert held == {case, twice}
    assert [case_is_held(each) for each in (case, twice, lifted_only, never)] == [
        True,
        True,
        False,
        False,
    ]
    # The disposal step's batch: every case but the held ones.
    batch = Case.objects.exclude(pk__in=cases_under_legal_hold())
    assert set(batch) == {lifted_only, never}


def test_finding_a_case_by_reference_discloses_only_cases_the_user_may_hold(
    case, agency_admin, police
):
    other_agency_case = CaseFactory()
    CaseTeamMembershipFactory(case=other_agency_case, user=UserFactory(agency=police))
    found = case_for_legal_hold_by_reference(user=agency_admin, reference=case.reference.lower())
    assert found == case
    assert (
        case_for_legal_hold_by_reference(user=agency_admin, reference=other_agency_case.reference)
        is None
    )
    assert case_for_legal_hold_by_reference(user=agency_admin, reference="OW-000000") is None


def test_an_administrator_lists_holds_on_their_agencys_cases_only(case, agency_admin, police):
    mine = LegalHoldFactory(case=case)
    other_case = CaseFactory()
    CaseTeamMembershipFactory(case=other_case, user=UserFactory(agency=police))
    LegalHoldFactory(case=other_case)
    assert legal_holds_for(user=agency_admin) == [mine]
    practitioner = case.team_memberships.get(is_lead=True).user
    assert legal_holds_for(user=practitioner) == []
