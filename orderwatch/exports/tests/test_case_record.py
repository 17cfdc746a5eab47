"""The case record (issue 21, ADR 0044): everything held about a case, in JSON and a readable
PDF; the address and witness details only when chosen with a reason and a fresh code."""

import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from orderwatch.accounts.mfa import StepUp
from orderwatch.audit.models import AuditEvent, AuditNote, Verb
from orderwatch.breaches.models import Breach, Known
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import BreachFactory, breach_account
from orderwatch.cases.models import Case, CaseTeamChange
from orderwatch.cases.tests.closing import closed
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.diary.models import (
    DiaryEntryCheck,
    DiaryOrderShare,
    DiaryPlanShare,
    DiarySetting,
)
from orderwatch.diary.services import (
    diary_invite_create,
    diary_setup_confirm,
    diary_setup_request,
    diary_setup_token,
)
from orderwatch.evidence.models import EvidenceBreachLink, EvidenceIncident
from orderwatch.evidence.services import evidence_item_remove
from orderwatch.evidence.tests.factories import item_added
from orderwatch.exports.builders import BUILDERS, case_record_json, case_record_pdf
from orderwatch.exports.case_record import NOT_EXPORTED, SECTIONS, case_record_read
from orderwatch.exports.models import Export
from orderwatch.exports.services import export_build, export_request
from orderwatch.orders.models import AddressChange, OrderChange
from orderwatch.patterns.models import PatternEscalation
from orderwatch.reminders.models import ExpiryDecision
from orderwatch.retention.models import LegalHold
from orderwatch.safety.models import (
    RiskAssessment,
    SafetyAction,
    SafetyAgreement,
    SafetyMeasure,
    SafetyPlan,
    SafetyReview,
)
from orderwatch.sharing.models import SharingEvent
from orderwatch.sharing.tests.factories import ShareFactory
from orderwatch.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "case-record.schema.json"
ADDRESS = "1 Test Street, Testtown, TT1 1TT"
OLD_ADDRESS = "9 Former Road, Oldtown, OT9 9OT"
PLACE = "Anywhere within Testtown Park"
WITNESS = "Wendy Witness, 07700 900123"


def fresh(user) -> StepUp:
    return StepUp(user_id=user.pk, verified_at=timezone.now())


@pytest.fixture
def worked_case(practitioner, case, order):
    """`case` with one of everything that can be held about a case, then closed."""
    condition = order.conditions.get()
    condition.place = PLACE
    condition.save()
    breach = breach_record(
        actor=practitioner,
        case=case,
        account=breach_account(condition, witnesses=Known.GIVEN, witness_details=WITNESS),
    )
    item = item_added(actor=practitioner, case=case)
    removed = item_added(actor=practitioner, case=case, description="Added by mistake.")
    evidence_item_remove(actor=practitioner, item=removed, reason="The wrong case.")
    EvidenceBreachLink.objects.create(item=item, breach=breach, created_by=practitioner)
    EvidenceIncident.objects.create(item=item, behaviours=["direct_contact"], severity=2)
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    invite = diary_setup_request(secret=secret, email="keeper@mail.example", password="x" * 14)
    diary_setup_confirm(invite_id=invite.pk, token=diary_setup_token(invite))
    OrderChange.objects.create(
        order=order, kind=OrderChange.Kind.VARIED, made_on=dt.date(2026, 3, 1), what_changed="X"
    )
    ExpiryDecision.objects.create(
        order=order,
        ends_on=dt.date(2026, 9, 1),
        decision=ExpiryDecision.Decision.NO_FURTHER_ORDER,
        reason="Order no longer needed.",
    )
    AddressChange.objects.create(
        case=case,
        previous_address=OLD_ADDRESS,
        moved_on=dt.date(2026, 2, 1),
        next_step=AddressChange.NextStep.DO_NOT_VARY,
        reason="Talked it through.",
    )
    plan, _ = SafetyPlan.objects.get_or_create(case=case)
    SafetyAction.objects.create(plan=plan, what="Change the locks", who="Housing")
    SafetyMeasure.objects.create(
        plan=plan, kind=SafetyMeasure.Kind.LOCKS, status=SafetyMeasure.Status.PLANNED
    )
    SafetyAgreement.objects.create(
        plan=plan,
        kind=SafetyAgreement.Kind.WRITTEN_AGREEMENT,
        made_with="Parent",
        agreed_on=dt.date(2026, 3, 1),
        says="Keep to the plan.",
        review_on=dt.date(2026, 4, 1),
    )
    SafetyReview.objects.create(plan=plan, what_changed="Nothing new.")
    DiaryOrderShare.objects.create(case=case, order=order, created_by=practitioner)
    DiaryPlanShare.objects.create(case=case, review_on=dt.date(2026, 4, 1))
    DiarySetting.objects.create(case=case, order_hidden=True, changed_by=practitioner)
    DiaryEntryCheck.objects.create(item=item, happened=["third_party"])
    RiskAssessment.objects.create(case=case, level=RiskAssessment.Level.HIGH, reason="A breach")
    ShareFactory(party__case=case)
    SharingEvent.objects.get_or_create(case=case, kind="breach")
    task = TaskFactory(case=case, assignee=practitioner)
    PatternEscalation.objects.create(
        case=case, escalation_key="k", code="more_often", reason="More often", review=task
    )
    membership = case.team_memberships.get()
    CaseTeamChange.objects.create(case=case, membership=membership, kind="added")
    LegalHold.objects.create(
        case=case,
        kind=LegalHold.Kind.PROCEEDINGS,
        placed_by=practitioner,
        placed_at=timezone.now(),
    )
    closed(practitioner, case)
    return Case.objects.get(pk=case.pk)


def test_every_model_that_reaches_a_case_is_exported_or_left_out_on_purpose():
    exported = {section.model for section in SECTIONS}
    named = exported | set(NOT_EXPORTED) | {"cases.Case"}
    reaching = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target is Case or (target is not None and target._meta.label in exported):
                reaching.add(model._meta.label)
    assert reaching - named == set(), "Decide whether the case record holds these (case_record.py)"
    assert exported & set(NOT_EXPORTED) == set()
    for section in SECTIONS:  # every named field exists
        for name in section.fields:
            apps.get_model(section.model)._meta.get_field(name)


def test_the_guide_for_a_receiving_area_describes_every_section():
    guide = (SCHEMA.parent / "case-export.md").read_text()
    assert [s.key for s in SECTIONS if f"| `{s.key}` |" not in guide] == []


def test_a_case_with_one_of_everything_is_in_its_record_in_full(worked_case, practitioner):
    record = case_record_read(case=worked_case, made_by=practitioner)
    data = record.data

    assert data["format"] == "orderwatch-case-record/1"
    assert data["case"]["reference"] == worked_case.reference
    assert data["case"]["status"] == "closed"
    assert [key for key in (s.key for s in SECTIONS) if not data[key]] == []
    person = worked_case.people.get(role="victim_survivor")
    victim = next(row for row in data["people"] if row["id"] == str(person.pk))
    assert (victim["given_name"], victim["family_name"]) == (person.given_name, person.family_name)
    assert victim["date_of_birth"] == "1990-01-01"
    assert data["team"][0]["user"] == {
        "name": practitioner.display_name,
        "agency": practitioner.agency.name,
    }
    assert data["breaches"][0]["what_happened"] == Breach.objects.get().what_happened
    assert data["breached_conditions"][0]["condition"] == data["conditions"][0]["id"]
    assert data["evidence_items"][0]["content_sha256"]
    assert data["evidence_files"][0]["sha256"]
    assert "stored_name" not in data["evidence_files"][0]
    assert data["parties"][0]["contact_details"]
    assert {row["kind"] for row in data["closures"]} == {"closed"}
    verbs = {row["verb"] for row in data["audit_summary"]}
    assert {Verb.BREACH_RECORDED, Verb.CASE_CLOSED} <= verbs
    assert any("the signed evidence bundle" in item for item in data["not_included"])


def test_the_address_and_witness_details_are_withheld_unless_chosen(worked_case, practitioner):
    record = case_record_read(case=worked_case, made_by=practitioner)
    text = case_record_json(record).decode()
    for secret in (ADDRESS, OLD_ADDRESS, PLACE, WITNESS):
        assert secret not in text
    assert record.data["included"] == {"protected_address": False, "witness_details": False}
    assert record.data["case"]["protected_address"] is None
    assert record.data["breaches"][0]["witness_details"] is None

    address_only = case_record_read(
        case=worked_case, made_by=practitioner, include=frozenset({"protected_address"})
    )
    text = case_record_json(address_only).decode()
    assert all(secret in text for secret in (ADDRESS, OLD_ADDRESS, PLACE))
    assert WITNESS not in text

    both = case_record_read(
        case=worked_case,
        made_by=practitioner,
        include=frozenset({"protected_address", "witness_details"}),
    )
    assert both.data["breaches"][0]["witness_details"] == WITNESS


def test_the_json_is_utf8_and_matches_its_published_schema(worked_case, practitioner):
    worked_case.people.update(given_name="Zoë", aliases=["Zo"])
    record = case_record_read(case=worked_case, made_by=practitioner)
    document = json.loads(case_record_json(record).decode("utf-8"))
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    assert {person["given_name"] for person in document["people"]} == {"Zoë"}
    assert dt.datetime.fromisoformat(document["made_at"])
    broken = {**document, "format": "orderwatch-case-record/0"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads(SCHEMA.read_text()))


def test_the_pdf_is_readable_with_every_heading(worked_case, practitioner):
    record = case_record_read(case=worked_case, made_by=practitioner)
    pdf = case_record_pdf(record, case=worked_case, made_by=practitioner)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert f"Case record: case {worked_case.reference}" in text
    for heading in ("People", "Case team", "Orders", "Breaches and incidents", "Sharing log"):
        assert heading in text
    assert "What was done on the case" in text
    assert "Withheld (the protected address was not chosen)" in text
    assert ADDRESS not in text


def test_reading_a_record_asks_the_database_a_fixed_number_of_times(worked_case, practitioner):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            case_record_read(case=worked_case, made_by=practitioner)
        return len(captured)

    before = queries()
    BreachFactory.create_batch(5, case=worked_case, created_by=practitioner)
    ShareFactory.create_batch(3, party__case=worked_case)
    assert queries() == before


def ask(actor, case, step_up=None, **parameters) -> Export:
    with TestCase.captureOnCommitCallbacks(execute=False):
        return export_request(
            actor=actor,
            case_id=case.pk,
            kind=Export.Kind.CASE_RECORD,
            parameters={"formats": ["pdf", "json"], **parameters},
            step_up=step_up,
        )


def test_asking_makes_one_document_per_format_and_is_audited_without_personal_data(
    worked_case, practitioner
):
    first = ask(practitioner, worked_case)
    exports = Export.objects.filter(kind=Export.Kind.CASE_RECORD).order_by("created_at")
    assert {e.parameters["format"] for e in exports} == {"pdf", "json"}
    assert len({e.parameters["request"] for e in exports}) == 1
    assert first in exports
    event = AuditEvent.objects.get(verb=Verb.CASE_RECORD_REQUESTED)
    assert first.parameters["format"] == "pdf"  # the readable one is shown first
    assert event.payload == {"formats": ["pdf", "json"], "included": []}
    assert event.fields == ["contact_details"]  # always in it, as on the sharing page
    assert not AuditNote.objects.filter(event=event).exists()


def test_choosing_the_address_needs_a_reason_and_a_fresh_code_and_the_reason_is_a_note(
    worked_case, practitioner
):
    with pytest.raises(PermissionDenied):
        ask(practitioner, worked_case, include_address=True, reason="Transfer to Leeds")
    stale = StepUp(user_id=practitioner.pk, verified_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        ask(practitioner, worked_case, stale, include_address=True, reason="Transfer to Leeds")
    with pytest.raises(ValidationError):
        ask(practitioner, worked_case, fresh(practitioner), include_witnesses=True, reason="x")
    assert not Export.objects.exists()

    ask(
        practitioner,
        worked_case,
        fresh(practitioner),
        include_address=True,
        include_witnesses=True,
        reason="Transfer to Leeds",
    )
    event = AuditEvent.objects.get(verb=Verb.CASE_RECORD_REQUESTED)
    assert event.payload["included"] == ["protected_address", "witness_details"]
    assert event.fields == ["contact_details", "protected_address", "witness_details"]
    assert "Leeds" not in json.dumps(event.payload)
    assert AuditNote.objects.get(event=event).text == "Transfer to Leeds"


def test_a_member_the_lead_has_not_allowed_the_address_cannot_include_it(worked_case, idva_service):
    from orderwatch.accounts.tests.factories import UserFactory

    colleague = UserFactory(agency=idva_service)
    CaseTeamMembershipFactory(case=worked_case, user=colleague, may_see_address=False)
    with pytest.raises(PermissionDenied):
        ask(
            colleague,
            worked_case,
            fresh(colleague),
            include_address=True,
            reason="A transfer to Leeds",
        )
    ask(
        colleague,
        worked_case,
        fresh(colleague),
        include_witnesses=True,
        reason="A transfer to Leeds",
    )


def test_outside_the_team_the_case_does_not_exist_and_an_auditor_may_not_export(
    worked_case, outsider, auditor
):
    with pytest.raises(Http404):
        ask(outsider, worked_case)
    CaseTeamMembershipFactory(case=worked_case, user=auditor)
    with pytest.raises(PermissionDenied):
        ask(auditor, worked_case)


def test_both_documents_build_encrypted_and_download_as_pdf_and_json(worked_case, practitioner):
    ask(
        practitioner,
        worked_case,
        fresh(practitioner),
        include_address=True,
        reason="A subject access request",
    )
    for export in Export.objects.filter(kind=Export.Kind.CASE_RECORD):
        assert export_build(export_id=export.pk)
        export.refresh_from_db()
        expected = {"pdf": "application/pdf", "json": "application/json"}
        assert export.content_type == expected[export.parameters["format"]]
    assert BUILDERS[Export.Kind.CASE_RECORD].filename_stem == "case-record"


def test_a_build_refuses_the_address_once_the_requester_may_no_longer_see_it(
    worked_case, practitioner
):
    ask(
        practitioner,
        worked_case,
        fresh(practitioner),
        include_address=True,
        reason="A subject access request",
    )
    worked_case.team_memberships.update(may_see_address=False)
    export = Export.objects.filter(kind=Export.Kind.CASE_RECORD).first()
    with pytest.raises(Exception, match="PermissionDenied"):
        export_build(export_id=export.pk)
