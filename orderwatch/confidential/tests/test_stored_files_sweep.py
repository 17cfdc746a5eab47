"""The orphan sweep: files no record names go once a day old, named files and young ones never;
records whose file is missing are reported, by id only, with a non-zero exit."""

import datetime as dt
import logging
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orderwatch.confidential.files import PARTIAL_FOLDER, EncryptedFileWriter, encrypted_file_store
from orderwatch.confidential.services import stored_files_sweep
from orderwatch.evidence.models import EvidenceFile
from orderwatch.evidence.tests.factories import PDF, item_added
from orderwatch.exports.tests.factories import ExportFactory

pytestmark = pytest.mark.django_db
TWO_DAYS_AGO = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).timestamp()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _orphan(folder: str) -> str:
    """Store a file as a service does, then lose its record (as a crash before commit would)."""
    return encrypted_file_store(
        source=[PDF], folder=folder, allowed_types={"application/pdf"}, max_bytes=len(PDF)
    ).name


def _age(media, name: str) -> None:
    os.utime(media / name, (TWO_DAYS_AGO, TWO_DAYS_AGO))


def _files(media) -> set[str]:
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def _sweep(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("sweep_stored_files", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def named_files(media, practitioner, case, order) -> set[str]:
    """One file of each kind a record names, all two days old."""
    evidence = item_added(actor=practitioner, case=case).files.get().stored_name
    copy = order.copies.get().file_name
    export = ExportFactory(case=case, created_by=practitioner, ready=True).file_name
    for name in (evidence, copy, export):
        _age(media, name)
    return {evidence, copy, export}


def test_an_old_orphan_goes_and_a_young_one_and_every_named_file_stay(media, named_files):
    old = [_orphan(folder) for folder in ("evidence", "order-copies", "exports")]
    for name in old:
        _age(media, name)
    young = _orphan("evidence")

    out, err = _sweep()

    assert _files(media) == named_files | {young}
    assert "3 orphaned or part-written file(s) removed; 1 younger than a day kept." in out
    assert err == ""


def test_a_file_abandoned_part_way_goes_once_a_day_old(media):
    EncryptedFileWriter().write(PDF * 5000)  # never finished, as a crash mid-upload leaves it
    (old,) = (media / PARTIAL_FOLDER).iterdir()
    os.utime(old, (TWO_DAYS_AGO, TWO_DAYS_AGO))
    EncryptedFileWriter().write(PDF * 5000)
    (young,) = set((media / PARTIAL_FOLDER).iterdir()) - {old}

    report = stored_files_sweep()

    assert _files(media) == {f"{PARTIAL_FOLDER}/{young.name}"}
    assert report.removed == [f"{PARTIAL_FOLDER}/{old.name}"]


def test_the_sweep_is_safe_to_re_run(media, named_files):
    _age(media, _orphan("order-copies"))
    first, _ = _sweep()
    second, _ = _sweep()
    assert "1 orphaned" in first
    assert "0 orphaned or part-written file(s) removed" in second
    assert _files(media) == named_files


def test_report_only_removes_nothing(media, named_files):
    orphan = _orphan("exports")
    _age(media, orphan)
    out, _ = _sweep("--report")
    assert f"would be removed: {orphan}" in out
    assert _files(media) == named_files | {orphan}


def test_a_removed_evidence_files_bytes_are_not_kept_for_it(media, practitioner, case):
    # The removal is recorded and its bytes deleted on commit; if that delete failed, the sweep
    # finishes it. The record stays.
    file = item_added(actor=practitioner, case=case).files.get()
    _age(media, file.stored_name)
    EvidenceFile.objects.filter(pk=file.pk).update(removed_at=dt.datetime.now(dt.UTC))
    stored_files_sweep()
    assert _files(media) == set()
    assert EvidenceFile.objects.filter(pk=file.pk).exists()


def test_a_record_whose_file_is_missing_is_reported_by_id_with_an_error_and_non_zero_exit(
    media, named_files, practitioner, order, caplog
):
    copy = order.copies.get()
    (media / copy.file_name).unlink()
    err = StringIO()
    with caplog.at_level(logging.ERROR), pytest.raises(CommandError, match="1 record"):
        call_command("sweep_stored_files", stdout=StringIO(), stderr=err)
    assert err.getvalue() == f"Order copy {copy.pk}: the file is missing\n"
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.getMessage() == f"Stored file missing: Order copy {copy.pk}"
    assert named_files - {copy.file_name} <= _files(media)  # nothing else touched
