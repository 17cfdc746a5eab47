import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Behaviour, Breach
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.evidence.models import EvidenceIncident
from orderwatch.evidence.services import (
    evidence_incident_mark,
    evidence_incident_unmark,
    evidence_item_remove,
)
from orderwatch.evidence.tests.factories import item_added

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(practitioner, case):
    return item_added(actor=practitioner, case=case)


def _mark(actor, item, behaviours=(Behaviour.THREATS,), severity=Breach.Severity.HIGH):
    return evidence_incident_mark(
        actor=actor, case=item.case, item=item, behaviours=list(behaviours), severity=severity
    )


def test_an_item_is_marked_with_its_behaviours_sorted_once_each(practitioner, item):
    incident = _mark(
        practitioner, item, [Behaviour.THREATS, Behaviour.DAMAGE, Behaviour.THREATS], 2
    )
    assert incident.item == item
    assert incident.behaviours == ["damage", "threats"]
    assert incident.severity == Breach.Severity.MODERATE
    assert incident.created_by == practitioner
    event = AuditEvent.objects.get(verb=Verb.EVIDENCE_INCIDENT_MARKED)
    assert (event.object_id, event.case_id) == (str(item.pk), item.case_id)
    assert event.payload == {"behaviours": ["damage", "threats"], "severity": 2}


def test_marking_again_changes_the_judgement(practitioner, colleague, item):
    _mark(practitioner, item)
    changed = _mark(colleague, item, [Behaviour.ONLINE], None)
    incident = EvidenceIncident.objects.get()
    assert incident.pk == changed.pk
    assert (incident.behaviours, incident.severity) == (["online"], None)
    assert incident.created_by == practitioner  # who first marked it stays
    assert AuditEvent.objects.filter(verb=Verb.EVIDENCE_INCIDENT_MARKED).count() == 2


def test_marking_notes_the_cases_pattern_in_the_same_transaction(practitioner, item, monkeypatch):
    noted = []
    monkeypatch.setattr(
        "orderwatch.events.services.pattern_escalations_note",
        lambda *, actor, case: noted.append((actor, case)) or [],
    )
    _mark(practitioner, item)
    assert noted == [(practitioner, item.case)]


def test_a_failed_pattern_note_leaves_nothing_marked(practitioner, item, monkeypatch):
    def fail(*, actor, case):
        raise RuntimeError

    monkeypatch.setattr("orderwatch.events.services.pattern_escalations_note", fail)
    with pytest.raises(RuntimeError):
        _mark(practitioner, item)
    assert not EvidenceIncident.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.EVIDENCE_INCIDENT_MARKED).exists()


def test_unmarking_withdraws_the_judgement(practitioner, item):
    _mark(practitioner, item)
    evidence_incident_unmark(actor=practitioner, case=item.case, item=item)
    assert not EvidenceIncident.objects.exists()
    event = AuditEvent.objects.get(verb=Verb.EVIDENCE_INCIDENT_UNMARKED)
    assert (event.object_id, event.payload) == (str(item.pk), {})


def test_unmarking_an_item_never_marked_changes_nothing(practitioner, item):
    evidence_incident_unmark(actor=practitioner, case=item.case, item=item)
    assert not AuditEvent.objects.filter(verb=Verb.EVIDENCE_INCIDENT_UNMARKED).exists()


@pytest.mark.parametrize(
    ("behaviours", "severity", "errors"),
    [
        ([], 1, {"behaviours": ["Select at least one kind of behaviour"]}),
        (["shouting"], 1, {"behaviours": ["Select kinds of behaviour from the list"]}),
        (["threats"], 5, {"severity": ["Select how serious it was, or Not rated"]}),
        (["threats"], 0, {"severity": ["Select how serious it was, or Not rated"]}),
    ],
)
def test_incomplete_answers_are_refused_and_nothing_is_saved(
    practitioner, item, behaviours, severity, errors
):
    with pytest.raises(ValidationError) as refused:
        _mark(practitioner, item, behaviours, severity)
    assert refused.value.message_dict == errors
    assert not EvidenceIncident.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.EVIDENCE_INCIDENT_MARKED).exists()


def test_a_removed_item_is_not_marked(practitioner, item):
    evidence_item_remove(actor=practitioner, item=item, reason="Added by mistake.")
    with pytest.raises(ValidationError, match="A removed item cannot be marked"):
        _mark(practitioner, item)
    assert not EvidenceIncident.objects.exists()


def test_a_correction_carries_the_judgement_so_the_latest_version_counts(practitioner, item):
    _mark(practitioner, item)
    correction = item_added(
        actor=practitioner, case=item.case, kind="note", uploads=[], corrects=item
    )
    carried = EvidenceIncident.objects.get(item=correction)
    assert (carried.behaviours, carried.severity) == ([Behaviour.THREATS], Breach.Severity.HIGH)
    event = AuditEvent.objects.filter(verb=Verb.EVIDENCE_INCIDENT_MARKED).latest("sequence")
    assert event.payload["carried_from"] == str(item.pk)


def test_a_corrected_item_is_not_marked_its_correction_is(practitioner, item):
    item_added(actor=practitioner, case=item.case, kind="note", uploads=[], corrects=item)
    with pytest.raises(ValidationError, match="This item has been corrected"):
        _mark(practitioner, item)
    assert not EvidenceIncident.objects.exists()


def test_an_item_whose_correction_was_removed_may_be_marked(practitioner, item):
    correction = item_added(
        actor=practitioner, case=item.case, kind="note", uploads=[], corrects=item
    )
    evidence_item_remove(actor=practitioner, item=correction, reason="Added by mistake.")
    assert _mark(practitioner, item).item == item


def test_an_item_of_another_case_is_a_404(practitioner, case, outsider, other_case):
    theirs = item_added(actor=outsider, case=other_case)
    with pytest.raises(Http404):
        evidence_incident_mark(
            actor=practitioner, case=case, item=theirs, behaviours=["threats"], severity=None
        )
    with pytest.raises(Http404):
        evidence_incident_unmark(actor=practitioner, case=case, item=theirs)
    assert not EvidenceIncident.objects.exists()


def test_an_auditor_on_the_team_may_not_mark_or_unmark(practitioner, auditor, case, item):
    CaseTeamMembershipFactory(case=case, user=auditor)
    with pytest.raises(PermissionDenied):
        _mark(auditor, item)
    _mark(practitioner, item)
    with pytest.raises(PermissionDenied):
        evidence_incident_unmark(actor=auditor, case=case, item=item)
    assert EvidenceIncident.objects.exists()


def test_someone_outside_the_case_team_gets_404(outsider, item):
    with pytest.raises(Http404):
        _mark(outsider, item)
    with pytest.raises(Http404):
        evidence_incident_unmark(actor=outsider, case=item.case, item=item)
    assert not EvidenceIncident.objects.exists()


def test_the_victim_survivors_diary_account_gets_404(case, item):
    diary_user = DiaryAccessFactory(case=case).user
    with pytest.raises(Http404):
        _mark(diary_user, item)
    with pytest.raises(Http404):
        evidence_incident_unmark(actor=diary_user, case=case, item=item)
    assert not EvidenceIncident.objects.exists()
