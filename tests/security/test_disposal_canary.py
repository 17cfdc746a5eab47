"""After a case's records are disposed of (ADR 0041), nothing planted in them is left: not in
the database (read through the ORM, decrypted, and as raw bytes) nor in storage (every stored
file decrypted); and the audit and evidence chains still verify."""

import datetime as dt
import posixpath
import uuid
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.closing import closed
from orderwatch.confidential.fields import Confidential
from orderwatch.confidential.files import encrypted_file_chunks
from orderwatch.confidential.stored_files import STORED_FILES
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.services import evidence_item_add
from orderwatch.evidence.tests.factories import PNG, png_upload, yesterday_evening
from orderwatch.retention.models import CaseRetention
from orderwatch.retention.services.disposal import disposal_batch_confirm
from tests.security.raw_database import contains, raw_database_bytes
from tests.security.test_confidentiality_canary import plant_free_text_canaries, seed_canary_case


def decrypted_database() -> str:
    """Every value of every row of every model, as the service reads it (sealed fields
    decrypted, encrypted ones revealed)."""
    values = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model._base_manager.all().iterator():
            for name in fields:
                value = getattr(row, name)
                values.append(str(value.reveal() if isinstance(value, Confidential) else value))
    return "\n".join(values)


def _files_under(folder: str) -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _files_under(posixpath.join(folder, sub))


def decrypted_storage() -> bytes:
    """Every stored file, decrypted (and as stored, should any not be encrypted)."""
    found = b""
    for kind in STORED_FILES:
        for name in _files_under(kind.folder):
            with default_storage.open(name, "rb") as handle:
                found += handle.read()
            found += b"".join(encrypted_file_chunks(name=name))
    return found


def everything_held() -> bytes:
    return decrypted_database().encode() + raw_database_bytes() + decrypted_storage()


# Transactional, so pg_dump (another connection) sees the rows; see the confidentiality canary.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_disposal_nothing_planted_in_the_case_is_left_and_the_chains_verify(
    case, practitioner, order, idva_service, settings, tmp_path
):
    # A storage of its own, so every file in it is this test's (others' keys differ).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    token = seed_canary_case(case, practitioner)
    canaries = {"address": token, **plant_free_text_canaries(case, practitioner, order)}
    canaries["file"] = f"CANARY-file-{uuid.uuid4().hex}"
    evidence_item_add(
        actor=practitioner,
        case=case,
        kind=EvidenceItem.Kind.PHOTO,
        occurrence=yesterday_evening(),
        description="A photo",
        uploads=[png_upload(content=PNG + canaries["file"].encode())],
    )
    canaries["diary_email"] = "canary.keeper@mail.example"  # the diary keeper's sign-in
    closed(practitioner, case)
    # Positive control: before disposal every canary is found where the check looks.
    held = everything_held()
    assert [where for where, canary in canaries.items() if not contains(held, canary)] == []

    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    review_on = CaseRetention.objects.get(case=case).review_on
    with time_machine.travel(review_on + dt.timedelta(days=1), tick=False):
        # Committed for real here, so the files are deleted as in service (`on_commit`).
        disposal_batch_confirm(actor=admin, case_ids=[case.pk], proceedings_checked=[case.pk])

    held = everything_held()
    assert [where for where, canary in canaries.items() if contains(held, canary)] == []
    assert case.reference.encode() in raw_database_bytes()  # the tombstone stays
    call_command("audit_verify", stdout=StringIO())
    out = StringIO()
    call_command("verify_evidence_chain", "--files", stdout=out)
    assert "intact" in out.getvalue()
