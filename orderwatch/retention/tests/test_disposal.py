"""Disposing of closed cases' records once their review date has passed, a batch at a time
(ADR 0041): all or nothing, never a case under legal hold, a tombstone left, chains intact."""

import datetime as dt
import uuid
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.http import Http404
from django.test import TestCase
from django.utils import timezone

from orderwatch.access.policy import CaseClosed, access_case, case_lock
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.audit.tests.test_audit_record import database_owner_tampering
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import Case, CaseTeamMembership
from orderwatch.cases.tests.closing import closed
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.core.submissions import SubmittedAlready
from orderwatch.diary.services import (
    diary_invite_create,
    diary_setup_confirm,
    diary_setup_request,
    diary_setup_token,
)
from orderwatch.evidence.models import ChainEntry, EvidenceFile
from orderwatch.evidence.selectors import chain_problem
from orderwatch.evidence.services import evidence_item_remove
from orderwatch.evidence.tests.factories import item_added
from orderwatch.retention import selectors
from orderwatch.retention.disposal import DISPOSED, KEPT
from orderwatch.retention.models import CaseDisposal, CaseRetention, DisposalBatch, LegalHold
from orderwatch.retention.services.disposal import disposal_batch_confirm
from orderwatch.retention.tests.factories import LegalHoldFactory

pytestmark = pytest.mark.django_db

# Adult case records are kept for six years after closing (schedules/uk.json).
DUE = dt.timedelta(days=6 * 366 + 1)


def later(days: dt.timedelta = DUE):
    return time_machine.travel(timezone.now() + days, tick=False)


def closed_case(lead) -> Case:
    case = CaseFactory()
    CaseTeamMembershipFactory(case=case, user=lead, is_lead=True)
    closed(lead, case)
    return case


def dispose(actor, cases, **kwargs) -> DisposalBatch:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return disposal_batch_confirm(actor=actor, case_ids=[c.pk for c in cases], **kwargs)


def dispose_worked(actor, case) -> DisposalBatch:
    """Dispose of a case with evidence and a breach: its class asks that the administrator
    confirm no proceedings are possible any more."""
    return dispose(actor, [case], proceedings_checked=[case.pk])


@pytest.fixture
def worked_case(practitioner, case, order, settings, tmp_path):
    """`case` with an order, a breach, evidence (one item removed), a diary, then closed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.first()))
    kept = item_added(actor=practitioner, case=case)
    removed = item_added(actor=practitioner, case=case, description="Added by mistake.")
    evidence_item_remove(actor=practitioner, item=removed, reason="The wrong case.")
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    invite = diary_setup_request(secret=secret, email="keeper@mail.example", password="x" * 14)
    diary_setup_confirm(invite_id=invite.pk, token=diary_setup_token(invite))
    closed(practitioner, case)
    case.stored = [f.stored_name for f in EvidenceFile.objects.filter(item=kept)]
    return case


def test_every_model_that_reaches_a_case_is_disposed_of_or_kept_on_purpose():
    named = {label for label, _lookup in DISPOSED} | set(KEPT)
    reaching = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target is Case or (target is not None and target._meta.label in named - set(KEPT)):
                reaching.add(model._meta.label)
    assert reaching - named == set(), "Decide what disposal does with these (retention/disposal.py)"
    assert {label for label, _ in DISPOSED} & set(KEPT) == set()


def test_a_due_case_is_disposed_of_leaving_only_its_tombstone(
    worked_case, practitioner, idva_service
):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    keeper = User.objects.get(email="keeper@mail.example")
    assert all(default_storage.exists(name) for name in worked_case.stored)
    with later():
        assert [row.reference for row in selectors.disposal_due(user=admin).due] == [
            worked_case.reference
        ]
        batch = dispose_worked(admin, worked_case)

    worked_case.refresh_from_db()
    assert worked_case.status == Case.Status.DISPOSED
    assert not worked_case.protected_address
    for label, lookup in DISPOSED:
        assert not apps.get_model(label)._base_manager.filter(**{lookup: worked_case.pk}).exists()
    assert not any(default_storage.exists(name) for name in worked_case.stored)
    tombstone = CaseDisposal.objects.get(case=worked_case)
    assert (tombstone.reference, tombstone.batch, tombstone.retention_class) == (
        worked_case.reference,
        batch,
        "adult_case_record",
    )
    assert (batch.confirmed_by, batch.agency) == (admin, idva_service)
    keeper.refresh_from_db()
    assert "keeper" not in keeper.email
    assert not keeper.is_active
    assert not keeper.has_usable_password()
    # Nobody can reach it any more, and nothing can be written to it.
    with pytest.raises(Http404):
        access_case(practitioner, worked_case.pk)
    verbs = set(AuditEvent.objects.filter(case_id=worked_case.pk).values_list("verb", flat=True))
    assert Verb.CASE_RECORDS_DISPOSED in verbs
    assert AuditEvent.objects.filter(verb=Verb.DISPOSAL_CONFIRMED, actor=admin).count() == 1
    # It leaves the retention report, and is not offered again.
    with later():
        assert selectors.disposal_due(user=admin).due == []
    assert worked_case.reference not in {row.reference for row in selectors.retention_report()}


def test_the_audit_and_evidence_chains_still_verify_after_disposal(worked_case, idva_service):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    entries = ChainEntry.objects.filter(case=worked_case).count()
    with later():
        dispose_worked(admin, worked_case)
    worked_case.refresh_from_db()
    assert ChainEntry.objects.filter(case=worked_case).count() == entries == 3
    call_command("audit_verify", stdout=StringIO())
    out = StringIO()
    call_command("verify_evidence_chain", "--files", stdout=out)
    assert "intact" in out.getvalue()
    assert chain_problem(case=worked_case) is None


def test_a_disposed_cases_evidence_chain_still_shows_tampering(worked_case, idva_service):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    with later():
        dispose_worked(admin, worked_case)
    worked_case.refresh_from_db()
    entry = ChainEntry.objects.filter(case=worked_case).order_by("sequence")[1]
    with database_owner_tampering(ChainEntry):
        ChainEntry.objects.filter(pk=entry.pk).update(item_hash="0" * 64)
    assert chain_problem(case=worked_case) == (
        "Entry 2 has been altered: its contents do not match its hash"
    )


def test_a_case_under_legal_hold_is_never_in_a_batch(practitioner, idva_service):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    held, free = closed_case(practitioner), closed_case(practitioner)
    LegalHoldFactory(case=held, kind=LegalHold.Kind.DOMESTIC_HOMICIDE_REVIEW)
    with later():
        due = selectors.disposal_due(user=admin)
        assert [row.reference for row in due.due] == [free.reference]
        assert [row.reference for row in due.held] == [held.reference]
        with pytest.raises(ValidationError) as refused:
            dispose(admin, [held, free])
    assert refused.value.message_dict["cases"] == [f"Case {held.reference} is under legal hold"]
    # All or nothing: the other case of the batch is untouched too.
    assert set(Case.objects.filter(pk__in=[held.pk, free.pk]).values_list("status", flat=True)) == {
        Case.Status.CLOSED
    }
    assert not DisposalBatch.objects.exists()
    assert CaseTeamMembership.objects.filter(case=held).exists()


def test_a_lifted_hold_lets_the_case_go(practitioner, idva_service):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    case = closed_case(practitioner)
    LegalHoldFactory(
        case=case, lifted_at=timezone.now(), lifted_by=admin, lift_reason="Proceedings ended."
    )
    with later():
        dispose(admin, [case])
    assert not LegalHold.objects.filter(case=case).exists()  # its reasons go with the case


def test_a_case_not_yet_due_or_reopened_stops_the_batch(practitioner, idva_service):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    case = closed_case(practitioner)
    with pytest.raises(ValidationError) as refused:
        dispose(admin, [case])
    assert refused.value.message_dict["cases"] == [
        f"Case {case.reference} is not due for disposal yet"
    ]
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


def test_a_class_that_asks_for_it_needs_proceedings_confirmed_over(
    practitioner, idva_service, case, order
):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.first()))
    closed(practitioner, case)
    review = CaseRetention.objects.get(case=case)
    assert review.confirm_before_disposal
    with time_machine.travel(review.review_on + dt.timedelta(days=1), tick=False):
        assert selectors.disposal_due(user=admin).due[0].confirm_before_disposal
        with pytest.raises(ValidationError) as refused:
            dispose(admin, [case])
        assert "Confirm that no proceedings are possible" in refused.value.messages[0]
        dispose(admin, [case], proceedings_checked=[str(case.pk)])  # as a form posts it
    assert Case.objects.get(pk=case.pk).status == Case.Status.DISPOSED


def test_only_an_administrator_of_the_lead_agency_disposes(practitioner, idva_service, police):
    case = closed_case(practitioner)
    other_admin = UserFactory(agency=police, role=User.Role.AGENCY_ADMIN)
    with later():
        assert selectors.disposal_due(user=other_admin).due == []
        with pytest.raises(Http404):
            dispose(other_admin, [case])
        with pytest.raises(PermissionDenied):
            dispose(practitioner, [case])
        with pytest.raises(Http404):
            dispose(UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN), [CaseFactory()])
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


def test_an_empty_batch_is_refused_with_a_message(idva_service):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    with pytest.raises(ValidationError) as refused:
        disposal_batch_confirm(actor=admin, case_ids=[])
    assert refused.value.message_dict["cases"] == [
        "Select the cases whose records are to be disposed of"
    ]


def test_the_same_confirmation_sent_twice_disposes_once(practitioner, idva_service):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    first, second = closed_case(practitioner), closed_case(practitioner)
    key = uuid.uuid4()
    with later():
        dispose(admin, [first], submission_key=key)
        with pytest.raises(SubmittedAlready):
            dispose(admin, [second], submission_key=key)
    assert DisposalBatch.objects.count() == 1
    assert Case.objects.get(pk=second.pk).status == Case.Status.CLOSED


def test_a_disposed_case_refuses_every_write(worked_case, idva_service, practitioner):
    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    with later():
        dispose_worked(admin, worked_case)
    with pytest.raises(CaseClosed):
        case_lock(worked_case.pk, while_closed=True)
