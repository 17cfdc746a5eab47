import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.evidence.models import ChainEntry, EvidenceRemoval
from orderwatch.evidence.selectors import chain_problem
from orderwatch.evidence.services import evidence_item_remove
from orderwatch.evidence.tests.factories import item_added
from orderwatch.evidence.tests.services.conftest import stored_files

pytestmark = pytest.mark.django_db

REASON = "Added to the wrong case by mistake."


@pytest.fixture
def item(practitioner, case):
    return item_added(actor=practitioner, case=case)


def test_the_bytes_go_and_the_record_stays_on_the_chain(
    practitioner, case, item, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        removal = evidence_item_remove(actor=practitioner, item=item, reason=f"  {REASON} ")

    assert (removal.reason, removal.created_by) == (REASON, practitioner)
    assert stored_files(media) == []
    file = item.files.get()
    assert file.removed_at is not None
    assert file.sha256  # the record of what it was stays
    entry = ChainEntry.objects.get(kind="removed")
    assert (entry.sequence, entry.item, entry.author) == (2, item, practitioner)
    assert AuditEvent.objects.filter(verb=Verb.EVIDENCE_ITEM_REMOVED).count() == 1
    assert chain_problem(case=case) is None


def test_nothing_is_deleted_if_the_removal_is_not_committed(practitioner, item, media, monkeypatch):
    def audit_down(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr("orderwatch.evidence.services.audit_record", audit_down)
    with pytest.raises(RuntimeError):
        evidence_item_remove(actor=practitioner, item=item, reason=REASON)
    assert len(stored_files(media)) == 1
    assert not EvidenceRemoval.objects.exists()
    assert item.files.get().removed_at is None


def test_a_reason_is_required(practitioner, item):
    with pytest.raises(ValidationError) as refused:
        evidence_item_remove(actor=practitioner, item=item, reason=" ")
    assert refused.value.message_dict == {"reason": ["Enter why the item is being removed"]}
    assert not EvidenceRemoval.objects.exists()


def test_an_item_is_removed_once(practitioner, item):
    evidence_item_remove(actor=practitioner, item=item, reason=REASON)
    with pytest.raises(ValidationError, match="already been removed"):
        evidence_item_remove(actor=practitioner, item=item, reason=REASON)
    assert ChainEntry.objects.filter(kind="removed").count() == 1


def test_a_team_manager_on_the_case_may_remove(case, item, idva_service):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    CaseTeamMembershipFactory(case=case, user=manager)
    evidence_item_remove(actor=manager, item=item, reason=REASON)
    assert EvidenceRemoval.objects.get().created_by == manager


def test_a_practitioner_who_is_not_the_lead_may_not_remove(colleague, item):
    with pytest.raises(PermissionDenied):
        evidence_item_remove(actor=colleague, item=item, reason=REASON)
    assert not EvidenceRemoval.objects.exists()


def test_someone_outside_the_case_team_gets_404(outsider, item):
    with pytest.raises(Http404):
        evidence_item_remove(actor=outsider, item=item, reason=REASON)
    assert not EvidenceRemoval.objects.exists()
