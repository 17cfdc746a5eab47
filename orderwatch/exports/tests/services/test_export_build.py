"""Building a document: stored encrypted, built once, retried on failure and never lost."""

import dataclasses
import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.tests.factories import authenticator_code
from orderwatch.confidential.files import encrypted_file_chunks
from orderwatch.exports.builders import BUILDERS
from orderwatch.exports.models import Export
from orderwatch.exports.services import (
    EXPORT_MAX_ATTEMPTS,
    ExportNotBuilt,
    export_build,
    export_request,
    export_retry_delay,
)

pytestmark = pytest.mark.django_db

ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's default
SECRET = f"Details of the case at {ADDRESS}"


def pdf_text(export: Export) -> str:
    data = b"".join(encrypted_file_chunks(name=export.file_name))
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def summary_requested(actor, order, **parameters) -> Export:
    """A summary asked for, its build not yet run (the on-commit hook does not run here)."""
    return export_request(
        actor=actor,
        case_id=order.case_id,
        kind=Export.Kind.ORDER_SUMMARY,
        parameters={"order_id": str(order.pk), **parameters},
        step_up=mfa_step_up(user=actor, code=authenticator_code(actor)),
    )


@pytest.fixture
def failing_build(monkeypatch):
    """Make every order summary build fail with an error whose message holds case details."""
    calls = []

    def build(export, progress):
        calls.append(export.pk)
        raise RuntimeError(SECRET)

    builder = dataclasses.replace(BUILDERS[Export.Kind.ORDER_SUMMARY], build=build)
    monkeypatch.setitem(BUILDERS, Export.Kind.ORDER_SUMMARY, builder)
    return calls


def test_a_summary_is_built_as_a_pdf_and_stored_encrypted_until_it_expires(
    practitioner, order, settings
):
    settings.ORDERWATCH_EXPORT_KEEP_HOURS = 12
    export = summary_requested(practitioner, order)

    assert export_build(export_id=export.pk) is True

    export.refresh_from_db()
    assert export.status == Export.Status.READY
    assert (export.attempts, export.last_error) == (1, "")
    assert export.content_type == "application/pdf"
    assert (export.ready_at, export.expires_at) == (
        timezone.now(),
        timezone.now() + dt.timedelta(hours=12),
    )
    with default_storage.open(export.file_name, "rb") as stored:
        raw = stored.read()
    assert not raw.startswith(b"%PDF")
    assert b"must not contact" not in raw
    text = pdf_text(export)
    assert "The respondent must not contact the applicant directly." in text
    assert f"made 5 March 2026 at 10am by {practitioner.display_name}" in text
    assert ADDRESS not in text


def test_a_summary_with_the_address_chosen_holds_it(practitioner, order):
    export = summary_requested(
        practitioner, order, include_address=True, reason="For the school's safeguarding lead"
    )
    export_build(export_id=export.pk)
    export.refresh_from_db()
    assert ADDRESS in pdf_text(export)


def test_a_ready_document_is_not_built_again(practitioner, order):
    export = summary_requested(practitioner, order)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export_build(export_id=export.pk) is False
    assert Export.objects.get(pk=export.pk).file_name == export.file_name


def test_a_build_another_worker_claimed_is_left_to_it_unless_that_worker_died(
    practitioner, order, time_machine, failing_build
):
    export = summary_requested(practitioner, order)
    # As another worker leaves it while its build is under way.
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.BUILDING, attempts=1, attempted_at=timezone.now()
    )
    assert export_build(export_id=export.pk) is False
    call_command("prepare_pending_exports")
    assert failing_build == []

    time_machine.shift(dt.timedelta(minutes=10))
    call_command("prepare_pending_exports")
    assert failing_build == [export.pk]
    export.refresh_from_db()
    assert (export.status, export.attempts) == (Export.Status.QUEUED, 2)


def test_a_failed_build_is_recorded_without_its_message_and_retried_until_it_fails(
    practitioner, order, time_machine, failing_build, capsys
):
    export = summary_requested(practitioner, order)

    with pytest.raises(ExportNotBuilt) as raised:
        export_build(export_id=export.pk)

    assert ADDRESS not in str(raised.value)
    assert raised.value.__suppress_context__
    export.refresh_from_db()
    assert (export.status, export.attempts, export.last_error) == ("queued", 1, "RuntimeError")
    call_command("prepare_pending_exports")
    assert len(failing_build) == 1, "a retry waits for its delay"
    for attempt in range(1, EXPORT_MAX_ATTEMPTS):
        time_machine.shift(export_retry_delay(attempt))
        call_command("prepare_pending_exports")
    assert len(failing_build) == EXPORT_MAX_ATTEMPTS
    export.refresh_from_db()
    assert (export.status, export.attempts) == (Export.Status.FAILED, EXPORT_MAX_ATTEMPTS)
    assert export.file_name == ""

    capsys.readouterr()
    call_command("prepare_pending_exports", "--report")
    report = capsys.readouterr().out
    assert "1 failed every attempt in the last day" in report
    assert f"export {export.pk} (RuntimeError)" in report
    assert ADDRESS not in report


def test_the_requester_no_longer_on_the_team_gets_no_document(practitioner, case, order):
    export = summary_requested(practitioner, order)
    case.team_memberships.filter(user=practitioner).update(left_at=timezone.now())
    with pytest.raises(ExportNotBuilt):
        export_build(export_id=export.pk)
    export.refresh_from_db()
    assert (export.last_error, export.file_name) == ("Http404", "")


def test_the_worker_builds_the_queued_document_from_its_id_alone(
    practitioner, case, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(
            actor=practitioner, case_id=case.pk, kind=Export.Kind.CHRONOLOGY, parameters={}
        )
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs == {"args": [], "kwargs": {"export_id": str(export.pk)}}
    assert Export.objects.get(pk=export.pk).status == Export.Status.QUEUED

    run_worker()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    export.refresh_from_db()
    assert export.status == Export.Status.READY
    assert f"Chronology: case {case.reference}" in pdf_text(export)


def test_with_the_worker_a_failed_build_queues_its_own_retry(
    practitioner, order, run_worker, failing_build, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = summary_requested(practitioner, order)
    run_worker()
    # Time stands still here, so both were queued at the same moment: tell them by status.
    assert DBTaskResult.objects.count() == 2
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert ADDRESS not in str(failed.traceback)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after == timezone.now() + export_retry_delay(1)
    assert Export.objects.get(pk=export.pk).attempts == 1
