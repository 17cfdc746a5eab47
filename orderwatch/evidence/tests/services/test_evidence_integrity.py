"""Tampering outside the service is found; key rotation keeps every file readable."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.confidential.files import FileIntegrityError, encrypted_file_chunks
from orderwatch.evidence.models import EvidenceFile, EvidenceItem, EvidenceRemoval
from orderwatch.evidence.services import (
    evidence_chain_check,
    evidence_file_open,
    evidence_files_rewrap,
    evidence_item_remove,
)
from orderwatch.evidence.tests.factories import (
    PNG,
    EvidenceItemFactory,
    item_added,
    png_upload,
)
from orderwatch.evidence.tests.services.conftest import stored_files

pytestmark = pytest.mark.django_db


def test_an_intact_log_has_no_inconsistency_and_the_check_is_audited(practitioner, case):
    item_added(actor=practitioner, case=case)
    assert evidence_chain_check(actor=practitioner, case=case) is None
    assert AuditEvent.objects.get(verb=Verb.EVIDENCE_CHAIN_CHECKED).payload == {"intact": True}


def test_a_description_altered_in_the_database_is_reported(practitioner, case):
    item_added(actor=practitioner, case=case)
    altered = item_added(actor=practitioner, case=case)
    EvidenceItem.objects.filter(pk=altered.pk).update(description="Nothing happened.")
    assert evidence_chain_check(actor=practitioner, case=case) == (
        f"Entry 2: item {altered.pk} has changed since it was recorded"
    )
    assert AuditEvent.objects.get(verb=Verb.EVIDENCE_CHAIN_CHECKED).payload == {"intact": False}


def test_a_file_hash_altered_in_the_database_is_reported(practitioner, case):
    item = item_added(actor=practitioner, case=case)
    EvidenceFile.objects.filter(item=item).update(sha256="0" * 64)
    assert evidence_chain_check(actor=practitioner, case=case) == (
        f"Entry 1: item {item.pk} has changed since it was recorded"
    )


def test_a_removal_reason_altered_in_the_database_is_reported(practitioner, case):
    item = item_added(actor=practitioner, case=case)
    evidence_item_remove(actor=practitioner, item=item, reason="Added to the wrong case.")
    EvidenceRemoval.objects.update(reason="Not wanted.")
    assert evidence_chain_check(actor=practitioner, case=case) == (
        f"Entry 2: the reason item {item.pk} was removed has changed since it was recorded"
    )


def test_an_item_slipped_in_outside_the_service_is_reported(practitioner, case):
    item_added(actor=practitioner, case=case)
    item = EvidenceItemFactory(case=case)
    assert evidence_chain_check(actor=practitioner, case=case) == (
        f"Item {item.pk} is not on the chain"
    )


def test_altered_file_bytes_fail_the_download(practitioner, case, media):
    item = item_added(actor=practitioner, case=case, uploads=[png_upload()])
    file = item.files.get()
    path = media / file.stored_name
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0x01
    path.write_bytes(bytes(raw))
    _, chunks = evidence_file_open(
        actor=practitioner, case_id=case.pk, item_id=item.pk, file_id=file.pk
    )
    with pytest.raises(FileIntegrityError):
        b"".join(chunks)


def test_a_download_is_audited_and_gives_the_original(practitioner, case):
    item = item_added(actor=practitioner, case=case)
    file, chunks = evidence_file_open(
        actor=practitioner, case_id=case.pk, item_id=item.pk, file_id=item.files.get().pk
    )
    assert b"".join(chunks) == PNG
    assert AuditEvent.objects.get(verb=Verb.EVIDENCE_FILE_VIEWED).object_id == str(file.pk)


def test_rotating_the_key_keeps_every_file_readable(practitioner, case, media, settings):
    first = item_added(actor=practitioner, case=case)
    second = item_added(actor=practitioner, case=case, uploads=[png_upload(), png_upload()])
    old_key, new_key = settings.ORDERWATCH_FIELD_KEYS[0], Fernet.generate_key().decode()
    names_before = set(EvidenceFile.objects.values_list("stored_name", flat=True))

    settings.ORDERWATCH_FIELD_KEYS = [new_key, old_key]
    assert evidence_files_rewrap() == 3
    # The items' descriptions are sealed under the field keys too (ADR 0023): they are rotated
    # (and the files re-wrapped once more) before the old key goes.
    call_command("rotate_field_keys", stdout=io.StringIO())
    settings.ORDERWATCH_FIELD_KEYS = [new_key]

    files = EvidenceFile.objects.filter(item__in=[first, second])
    assert names_before.isdisjoint({f.stored_name for f in files})
    assert len(stored_files(media)) == 3
    for file in files:
        assert b"".join(encrypted_file_chunks(name=file.stored_name)) == PNG
    assert evidence_chain_check(actor=practitioner, case=case) is None
