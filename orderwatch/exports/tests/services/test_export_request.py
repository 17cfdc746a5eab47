"""Asking for a document: checked and audited at once, built only once the request is saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, authenticator_code
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.audit.services import AuditChainUnavailable
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.exports.models import Export
from orderwatch.exports.services import export_request

pytestmark = pytest.mark.django_db

REASON = "For the school's safeguarding lead"


def summary(actor, order, step_up=None, **parameters):
    return export_request(
        actor=actor,
        case_id=order.case_id,
        kind=Export.Kind.ORDER_SUMMARY,
        parameters={"order_id": str(order.pk), **parameters},
        step_up=step_up,
    )


def test_a_request_is_audited_and_built_once_it_commits(
    practitioner, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        export = export_request(
            actor=practitioner,
            case_id=case.pk,
            kind=Export.Kind.CHRONOLOGY,
            parameters={"kinds": ["risk", "breach"]},
        )
        export.refresh_from_db()
        assert export.status == Export.Status.QUEUED
    assert len(callbacks) == 1
    export.refresh_from_db()
    assert export.status == Export.Status.READY
    assert (export.created_by, export.parameters) == (practitioner, {"kinds": ["breach", "risk"]})
    event = AuditEvent.objects.get(verb=Verb.CHRONOLOGY_EXPORTED)
    assert (event.actor, event.case_id, event.payload) == (
        practitioner,
        case.pk,
        {"kinds": ["breach", "risk"]},
    )


def test_nothing_is_queued_when_the_audit_event_cannot_be_written(
    practitioner, case, monkeypatch, django_capture_on_commit_callbacks
):
    def audit_fails(**kwargs):
        raise AuditChainUnavailable("The audit event could not be written.")

    monkeypatch.setattr("orderwatch.exports.builders.audit_record", audit_fails)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(AuditChainUnavailable),
    ):
        export_request(
            actor=practitioner, case_id=case.pk, kind=Export.Kind.CHRONOLOGY, parameters={}
        )
    assert callbacks == []
    assert not Export.objects.exists()


def test_someone_outside_the_case_team_gets_404_and_nothing_is_recorded(outsider, case, order):
    with pytest.raises(Http404):
        summary(outsider, order)
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.SUMMARY_SHARED).exists()


def test_an_order_on_another_case_gets_404(practitioner, order):
    other = CaseTeamMembershipFactory(user=practitioner).case
    with pytest.raises(Http404):
        export_request(
            actor=practitioner,
            case_id=other.pk,
            kind=Export.Kind.ORDER_SUMMARY,
            parameters={"order_id": str(order.pk)},
        )


def test_an_unknown_chronology_kind_is_refused(practitioner, case):
    with pytest.raises(ValidationError):
        export_request(
            actor=practitioner,
            case_id=case.pk,
            kind=Export.Kind.CHRONOLOGY,
            parameters={"kinds": ["gossip"]},
        )
    assert not Export.objects.exists()


def test_a_summary_withholds_the_address_unless_chosen_with_reason_and_code(practitioner, order):
    assert summary(practitioner, order).parameters == {
        "order_id": str(order.pk),
        "include_address": False,
    }
    with pytest.raises(PermissionDenied):
        summary(practitioner, order, include_address=True, reason=REASON)
    step_up = mfa_step_up(user=practitioner, code=authenticator_code(practitioner))
    with pytest.raises(ValidationError) as error:
        summary(practitioner, order, include_address=True, reason="x", step_up=step_up)
    assert "reason" in error.value.message_dict

    export = summary(practitioner, order, include_address=True, reason=REASON, step_up=step_up)

    # The reason is an audit note, not kept with the document nor in the hashed payload.
    assert export.parameters == {"order_id": str(order.pk), "include_address": True}
    shared = AuditEvent.objects.filter(verb=Verb.SUMMARY_SHARED).order_by("sequence")
    assert [e.payload["include_address"] for e in shared] == [False, True]
    assert [[n.text for n in e.notes.all()] for e in shared] == [[], [REASON]]
    assert REASON not in str(shared.last().chain_body())
    assert shared.last().fields == ["protected_address"]


def test_an_auditor_on_the_team_may_have_a_summary_without_the_address_only(case, order):
    auditor = UserFactory(role=User.Role.AUDITOR)
    CaseTeamMembershipFactory(case=case, user=auditor)
    assert summary(auditor, order).parameters["include_address"] is False
    step_up = mfa_step_up(user=auditor, code=authenticator_code(auditor))
    with pytest.raises(PermissionDenied):
        summary(auditor, order, include_address=True, reason=REASON, step_up=step_up)
