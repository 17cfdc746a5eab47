"""`verify_stored_files`: every order copy, prepared document and evidence file re-read,
decrypted and hashed against its record; each problem named, with a non-zero exit."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orderwatch.exports.models import Export
from orderwatch.exports.tests.factories import ExportFactory
from orderwatch.orders.models import OrderCopy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def document(case, practitioner) -> Export:
    return ExportFactory(case=case, created_by=practitioner, ready=True)


def _verify(*args) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="1 stored file"):
        call_command("verify_stored_files", *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_whole_files_pass(order, document):
    out = StringIO()
    call_command("verify_stored_files", stdout=out, stderr=StringIO())
    assert "Every stored file checked is whole and matches." in out.getvalue()


def test_an_altered_order_copy_is_named(media, order, document):
    copy = order.copies.get()
    stored = media / copy.file_name
    raw = bytearray(stored.read_bytes())
    raw[-5] ^= 1
    stored.write_bytes(raw)
    assert _verify() == (
        f"Order copy {copy.pk}: the file is altered or damaged "
        "(Chunk 0 failed its integrity check).\n"
    )


def test_a_missing_prepared_document_is_named(media, order, document):
    (media / document.file_name).unlink()
    assert _verify() == f"Prepared document {document.pk}: the file is missing.\n"


def test_a_file_that_is_not_the_one_recorded_is_named(order, document):
    # Each file decrypts, but the record names another's bytes (swapped, or the hash changed).
    copy = order.copies.get()
    OrderCopy.objects.filter(pk=copy.pk).update(sha256="0" * 64)
    assert _verify("--kind", "order-copies") == (
        f"Order copy {copy.pk}: the file is altered or damaged "
        "(The file does not match the SHA-256 recorded for it).\n"
    )


def test_one_kind_can_be_checked_alone(media, order, document):
    (media / document.file_name).unlink()
    out = StringIO()
    call_command("verify_stored_files", "--kind", "order-copies", stdout=out, stderr=StringIO())
    assert "whole and matches" in out.getvalue()
