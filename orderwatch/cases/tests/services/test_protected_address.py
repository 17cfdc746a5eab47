import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.services import case_protected_address_record, case_protected_address_reveal
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory

pytestmark = pytest.mark.django_db


def _broken_audit_store(*args, **kwargs):
    raise DatabaseError("audit table unavailable")


def test_reveal_returns_the_address_and_records_who_and_why(practitioner, case):
    address = case_protected_address_reveal(
        actor=practitioner, case_id=case.pk, reason="Arranging a home visit"
    )
    assert address == "1 Test Street, Testtown, TT1 1TT"
    event = AuditEvent.objects.get(verb=Verb.ADDRESS_REVEALED)
    assert (event.actor, event.case_id, event.fields) == (
        practitioner,
        case.pk,
        ["protected_address"],
    )
    assert event.payload == {"reason": "Arranging a home visit"}


def test_reveal_needs_a_real_reason(practitioner, case):
    with pytest.raises(ValidationError, match="why you need to see the address"):
        case_protected_address_reveal(actor=practitioner, case_id=case.pk, reason="  why  ")
    assert not AuditEvent.objects.filter(verb=Verb.ADDRESS_REVEALED).exists()


def test_an_auditor_on_the_team_may_not_reveal(case, idva_service):
    auditor = UserFactory(agency=idva_service, role=User.Role.AUDITOR)
    CaseTeamMembershipFactory(case=case, user=auditor)
    with pytest.raises(PermissionDenied):
        case_protected_address_reveal(actor=auditor, case_id=case.pk, reason="Just curious, really")


def test_an_outsider_gets_404_not_the_address(outsider, case):
    with pytest.raises(Http404):
        case_protected_address_reveal(
            actor=outsider, case_id=case.pk, reason="Let me see it please"
        )


def test_if_the_audit_cannot_be_written_the_address_is_not_given(practitioner, case, monkeypatch):
    monkeypatch.setattr(AuditEvent, "save", _broken_audit_store)
    with pytest.raises(DatabaseError):
        case_protected_address_reveal(
            actor=practitioner, case_id=case.pk, reason="Home visit today"
        )


def test_recording_an_address_audits_the_field_but_never_the_value(practitioner, case):
    case_protected_address_record(actor=practitioner, case=case, address="9 New Road, Elsewhere")
    event = AuditEvent.objects.get(verb=Verb.ADDRESS_RECORDED)
    assert event.fields == ["protected_address"]
    assert "New Road" not in str(event.chain_body())
    assert (
        case_protected_address_reveal(
            actor=practitioner, case_id=case.pk, reason="Check new address"
        )
        == "9 New Road, Elsewhere"
    )


def test_recording_a_blank_address_is_refused_and_keeps_the_old_one(practitioner, case):
    with pytest.raises(ValidationError, match="Enter the address"):
        case_protected_address_record(actor=practitioner, case=case, address="   ")
    case.refresh_from_db()
    assert case.protected_address.reveal() == "1 Test Street, Testtown, TT1 1TT"
