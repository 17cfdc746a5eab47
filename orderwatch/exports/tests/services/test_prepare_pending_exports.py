"""The sweep: builds whose task was lost are queued again, and documents past their time go."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from orderwatch.exports.models import Export
from orderwatch.exports.tests.factories import ExportFactory

pytestmark = pytest.mark.django_db


def test_a_build_whose_task_was_lost_is_queued_again_after_a_while(
    practitioner, case, time_machine
):
    export = ExportFactory(case=case, created_by=practitioner)
    call_command("prepare_pending_exports")
    assert Export.objects.get(pk=export.pk).status == Export.Status.QUEUED

    time_machine.shift(dt.timedelta(minutes=15))
    call_command("prepare_pending_exports")
    assert Export.objects.get(pk=export.pk).status == Export.Status.READY


def test_a_document_past_its_time_has_its_file_deleted(practitioner, case, time_machine, capsys):
    export = ExportFactory(case=case, created_by=practitioner, ready=True)
    name = export.file_name
    time_machine.shift(dt.timedelta(hours=23, minutes=59))
    call_command("prepare_pending_exports")
    assert default_storage.exists(name)

    time_machine.shift(dt.timedelta(minutes=1))
    capsys.readouterr()
    call_command("prepare_pending_exports")

    assert "1 expired files deleted" in capsys.readouterr().out
    assert not default_storage.exists(name)
    export.refresh_from_db()
    assert (export.status, export.file_name) == (Export.Status.EXPIRED, "")


def test_a_build_too_old_to_be_wanted_is_given_up(practitioner, case, time_machine):
    export = ExportFactory(case=case, created_by=practitioner)
    time_machine.shift(dt.timedelta(hours=24))
    call_command("prepare_pending_exports")
    assert Export.objects.get(pk=export.pk).status == Export.Status.EXPIRED


def test_report_only_changes_nothing(practitioner, case, time_machine, capsys):
    export = ExportFactory(case=case, created_by=practitioner, ready=True)
    ExportFactory(case=case, created_by=practitioner)
    time_machine.shift(dt.timedelta(hours=25))
    capsys.readouterr()
    call_command("prepare_pending_exports", "--report")
    assert capsys.readouterr().out == (
        "1 document builds waiting; 0 waiting to be retried; 0 failed every attempt in the "
        "last day.\n"
    )
    assert Export.objects.get(pk=export.pk).status == Export.Status.READY
