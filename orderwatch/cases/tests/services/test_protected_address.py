import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404

from orderwatch.accounts.mfa import StepUp, mfa_step_up
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, authenticator_code
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.audit.services import AuditChainUnavailable
from orderwatch.cases.models import Case
from orderwatch.cases.services import case_protected_address_record, case_protected_address_reveal
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory

pytestmark = pytest.mark.django_db


def fresh(user) -> StepUp:
    return mfa_step_up(user=user, code=authenticator_code(user))


def _broken_audit_store(*args, **kwargs):
    raise DatabaseError("audit table unavailable")


def test_reveal_returns_the_address_and_records_who_and_why(practitioner, case):
    address = case_protected_address_reveal(
        actor=practitioner,
        case_id=case.pk,
        reason="Arranging a home visit",
        step_up=fresh(practitioner),
    )
    assert address == "1 Test Street, Testtown, TT1 1TT"
    event = AuditEvent.objects.get(verb=Verb.ADDRESS_REVEALED)
    assert (event.actor, event.case_id, event.fields) == (
        practitioner,
        case.pk,
        ["protected_address"],
    )
    assert event.notes.get(name="reason").text == "Arranging a home visit"
    assert "home visit" not in str(event.chain_body())


def test_reveal_needs_a_real_reason(practitioner, case):
    with pytest.raises(ValidationError, match="why you need to see the address"):
        case_protected_address_reveal(
            actor=practitioner, case_id=case.pk, reason="  why  ", step_up=fresh(practitioner)
        )
    assert not AuditEvent.objects.filter(verb=Verb.ADDRESS_REVEALED).exists()


def test_an_auditor_on_the_team_may_not_reveal(case, idva_service):
    auditor = UserFactory(agency=idva_service, role=User.Role.AUDITOR)
    CaseTeamMembershipFactory(case=case, user=auditor)
    with pytest.raises(PermissionDenied):
        case_protected_address_reveal(
            actor=auditor, case_id=case.pk, reason="Just curious, really", step_up=fresh(auditor)
        )


def test_an_outsider_gets_404_not_the_address(outsider, case):
    with pytest.raises(Http404):
        case_protected_address_reveal(
            actor=outsider, case_id=case.pk, reason="Let me see it please", step_up=fresh(outsider)
        )


def test_if_the_audit_cannot_be_written_the_address_is_not_given(practitioner, case, monkeypatch):
    monkeypatch.setattr(AuditEvent, "save", _broken_audit_store)
    with pytest.raises(AuditChainUnavailable):
        case_protected_address_reveal(
            actor=practitioner,
            case_id=case.pk,
            reason="Home visit today",
            step_up=fresh(practitioner),
        )


@pytest.fixture
def no_address(case):
    Case.objects.filter(pk=case.pk).update(protected_address="")
    case.refresh_from_db()
    return case


def test_the_first_address_is_recorded_with_why_and_audited_without_the_value(
    practitioner, no_address
):
    case_protected_address_record(
        actor=practitioner,
        case=no_address,
        address="9 New Road, Elsewhere",
        reason="Needed for the police marker",
        step_up=fresh(practitioner),
    )
    event = AuditEvent.objects.get(verb=Verb.ADDRESS_RECORDED)
    assert event.fields == ["protected_address"]
    assert event.notes.get(name="reason").text == "Needed for the police marker"
    assert "police marker" not in str(event.chain_body())
    assert "New Road" not in str(event.chain_body())
    assert (
        case_protected_address_reveal(
            actor=practitioner,
            case_id=no_address.pk,
            reason="Check new address",
            step_up=fresh(practitioner),
        )
        == "9 New Road, Elsewhere"
    )


@pytest.mark.parametrize(
    ("address", "reason", "message"),
    [("   ", "Needed for the police marker", "Enter the address"), ("9 New Road", "x", "why")],
)
def test_a_blank_address_or_no_reason_is_refused_and_nothing_is_recorded(
    practitioner, no_address, address, reason, message
):
    with pytest.raises(ValidationError, match=message):
        case_protected_address_record(
            actor=practitioner,
            case=no_address,
            address=address,
            reason=reason,
            step_up=fresh(practitioner),
        )
    no_address.refresh_from_db()
    assert not no_address.protected_address
    assert not AuditEvent.objects.filter(verb=Verb.ADDRESS_RECORDED).exists()


def test_a_second_address_is_a_move_not_a_new_record(practitioner, case):
    with pytest.raises(ValidationError, match="record the move instead"):
        case_protected_address_record(
            actor=practitioner,
            case=case,
            address="9 New Road",
            reason="Needed for the police marker",
            step_up=fresh(practitioner),
        )
    case.refresh_from_db()
    assert case.protected_address.reveal() == "1 Test Street, Testtown, TT1 1TT"


def test_recording_needs_address_access_and_a_fresh_code_of_ones_own(
    practitioner, colleague, no_address
):
    with pytest.raises(PermissionDenied):
        case_protected_address_record(
            actor=colleague,
            case=no_address,
            address="9 New Road",
            reason="Needed for the police marker",
            step_up=fresh(colleague),
        )
    with pytest.raises(PermissionDenied):
        case_protected_address_record(
            actor=practitioner,
            case=no_address,
            address="9 New Road",
            reason="Needed for the police marker",
            step_up=fresh(colleague),
        )
    no_address.refresh_from_db()
    assert not no_address.protected_address


def test_reveal_needs_a_step_up_from_the_same_person_in_the_last_minutes(
    practitioner, case, idva_service
):
    colleague = UserFactory(agency=idva_service)
    with pytest.raises(PermissionDenied):
        case_protected_address_reveal(
            actor=practitioner, case_id=case.pk, reason="Home visit today", step_up=fresh(colleague)
        )
    stale = fresh(practitioner)
    with (
        time_machine.travel(stale.verified_at + dt.timedelta(minutes=3)),
        pytest.raises(PermissionDenied),
    ):
        case_protected_address_reveal(
            actor=practitioner, case_id=case.pk, reason="Home visit today", step_up=stale
        )
    assert not AuditEvent.objects.filter(verb=Verb.ADDRESS_REVEALED).exists()


def test_a_code_already_used_is_refused_for_step_up(practitioner):
    code = authenticator_code(practitioner)
    mfa_step_up(user=practitioner, code=code)
    with pytest.raises(ValidationError, match="code is not right"):
        mfa_step_up(user=practitioner, code=code)
