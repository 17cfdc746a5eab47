"""Key rotation covers stored files too: every order copy, evidence file and prepared document
stays readable once the old key is removed."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from orderwatch.confidential.files import encrypted_file_chunks
from orderwatch.evidence.models import EvidenceFile
from orderwatch.evidence.tests.factories import PNG, item_added
from orderwatch.exports.models import Export
from orderwatch.exports.services import export_request
from orderwatch.orders.models import OrderCopy

pytestmark = pytest.mark.django_db


def test_every_stored_file_is_readable_after_the_old_key_goes(
    settings, practitioner, case, order, capsys, django_capture_on_commit_callbacks
):
    item_added(actor=practitioner, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        export_request(
            actor=practitioner, case_id=case.pk, kind=Export.Kind.CHRONOLOGY, parameters={}
        )
    stored = {
        "copy": (OrderCopy.objects.get(), "file_name"),
        "evidence": (EvidenceFile.objects.get(), "stored_name"),
        "export": (Export.objects.get(status=Export.Status.READY), "file_name"),
    }
    before = {key: getattr(row, field) for key, (row, field) in stored.items()}
    contents = {key: b"".join(encrypted_file_chunks(name=name)) for key, name in before.items()}

    old_key = settings.ORDERWATCH_FIELD_KEYS[0]
    settings.ORDERWATCH_FIELD_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_field_keys")
    settings.ORDERWATCH_FIELD_KEYS = settings.ORDERWATCH_FIELD_KEYS[:1]

    assert "Re-wrapped 3 stored file(s)" in capsys.readouterr().out
    assert contents["evidence"] == PNG
    for key, (row, field) in stored.items():
        row.refresh_from_db()
        name = getattr(row, field)
        assert name != before[key]  # a new copy under the new key; the old one is deleted
        assert b"".join(encrypted_file_chunks(name=name)) == contents[key]
