"""The evidence bundle as a prepared document: built by the worker from the case's records,
checked before anyone can download it, and only for those who may change the case."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import BreachFactory, breach_account
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.diary.services import diary_entry_add
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.evidence.bundle_check import bundle_problems
from orderwatch.evidence.models import EvidenceFile
from orderwatch.evidence.services import evidence_breach_link, evidence_item_remove
from orderwatch.evidence.signing import public_key_pem
from orderwatch.evidence.tests.factories import PNG, item_added, png_upload, yesterday_evening
from orderwatch.exports.models import Export
from orderwatch.exports.services import export_open, export_request

pytestmark = pytest.mark.django_db


def bundle_of(export: Export, user: User) -> bytes:
    export.refresh_from_db()
    assert export.status == Export.Status.READY, export.last_error
    _, _, chunks = export_open(actor=user, case_id=export.case_id, export_id=export.pk)
    return b"".join(chunks)


def request_bundle(user, case, django_capture_on_commit_callbacks) -> Export:
    with django_capture_on_commit_callbacks(execute=True):
        return export_request(
            actor=user, case_id=case.pk, kind=Export.Kind.EVIDENCE_BUNDLE, parameters={}
        )


def test_the_bundle_holds_every_original_and_verifies_with_the_published_key(
    practitioner, case, django_capture_on_commit_callbacks
):
    photo = item_added(actor=practitioner, case=case)
    breach = BreachFactory(case=case)
    evidence_breach_link(actor=practitioner, item=photo, breach=breach)
    keeper = DiaryAccessFactory(case=case).user
    diary_entry_add(
        actor=keeper,
        occurrence=yesterday_evening(),
        description="He was outside again.",
        uploads=[png_upload("IMG_1.png")],
    )
    mistake = item_added(actor=practitioner, case=case)
    evidence_item_remove(actor=practitioner, item=mistake, reason="Added to the wrong case.")

    export = request_bundle(practitioner, case, django_capture_on_commit_callbacks)
    content = bundle_of(export, practitioner)

    assert bundle_problems(io.BytesIO(content), public_key_pem()) == []
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        originals = [n for n in bundle.namelist() if n.startswith("files/")]
        assert len(originals) == 2  # the removed item's file is gone; its record stays
        assert all(bundle.read(name) == PNG for name in originals)
        assert bundle.read("index.pdf").startswith(b"%PDF-")
    assert manifest["case_reference"] == case.reference
    assert len(manifest["items"]) == 3
    assert len(manifest["chain"]) == 4  # three added, one removed
    assert export.progress_done == export.progress_total == 100
    assert AuditEvent.objects.filter(verb=Verb.EVIDENCE_BUNDLE_EXPORTED, actor=practitioner)


def test_evidence_altered_in_storage_is_never_handed_over(
    practitioner, case, django_capture_on_commit_callbacks, settings
):
    item_added(actor=practitioner, case=case)
    EvidenceFile.objects.update(sha256="0" * 64)  # the file no longer matches its record
    export = request_bundle(practitioner, case, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status != Export.Status.READY
    assert export.file_name == ""
    assert export.last_error == "BundleRefused"


def test_only_those_who_may_change_the_case_may_export_its_evidence(
    practitioner, outsider, case, django_capture_on_commit_callbacks
):
    item_added(actor=practitioner, case=case)
    member_auditor = UserFactory(agency=practitioner.agency, role=User.Role.AUDITOR)
    CaseTeamMembershipFactory(case=case, user=member_auditor)
    with pytest.raises(PermissionDenied):
        request_bundle(member_auditor, case, django_capture_on_commit_callbacks)
    with pytest.raises(Http404):
        request_bundle(outsider, case, django_capture_on_commit_callbacks)
    assert not Export.objects.exists()


def index_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        reader = PdfReader(io.BytesIO(bundle.read("index.pdf")))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_index_ends_with_the_cases_pattern_of_incidents(
    practitioner, case, order, django_capture_on_commit_callbacks
):
    item_added(actor=practitioner, case=case)
    for what in (
        "He waited by the bakery on Elm Row.",
        "He followed her car to the leisure centre.",
    ):
        breach_record(
            actor=practitioner,
            case=case,
            account=breach_account(order.conditions.get(), what_happened=what),
        )

    export = request_bundle(practitioner, case, django_capture_on_commit_callbacks)
    content = bundle_of(export, practitioner)

    assert bundle_problems(io.BytesIO(content), public_key_pem()) == []
    text = index_text(content)
    pattern = text[text.index("Pattern of incidents") :]
    assert "Counted: 2 breaches." in pattern
    assert "harassment" not in pattern  # facts only: no prompts for the police or CPS
    assert "Not rated" in pattern  # the chart's axis, drawn as text
    assert "Elm Row" not in text
    assert "leisure centre" not in text


def test_the_index_of_a_case_with_no_incidents_says_so(
    practitioner, case, django_capture_on_commit_callbacks
):
    item_added(actor=practitioner, case=case)
    export = request_bundle(practitioner, case, django_capture_on_commit_callbacks)
    text = index_text(bundle_of(export, practitioner))
    assert "Pattern of incidents No incidents have been recorded on this case" in text


def test_building_the_bundle_takes_the_same_queries_with_2_and_50_breaches(
    practitioner, case, order, django_assert_num_queries, django_capture_on_commit_callbacks
):
    item_added(actor=practitioner, case=case)
    BreachFactory.create_batch(2, case=case, created_by=practitioner)
    with CaptureQueriesContext(connection) as few:
        request_bundle(practitioner, case, django_capture_on_commit_callbacks)
    BreachFactory.create_batch(48, case=case, created_by=practitioner)
    with django_assert_num_queries(len(few.captured_queries)):
        request_bundle(practitioner, case, django_capture_on_commit_callbacks)
    assert Export.objects.filter(status=Export.Status.READY).count() == 2
