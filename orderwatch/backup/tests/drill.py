"""The restore half of the drill, in a process of its own with its own database and storage.

`python -m orderwatch.backup.tests.drill restore|refuse <backup folder>`, with the test
settings, DATABASE_URL, DRILL_MEDIA_ROOT and DRILL_KEYS (the keys as JSON: they come from
outside the backup, as in production). `restore` restores, runs both chain checks and opens
each stored file through its service as the case lead; `refuse` expects the restore to be
refused. Either prints one line of JSON for the test to read.
"""

import hashlib
import io
import json
import os
import sys


def _settings() -> None:
    from django.conf import settings

    for name, value in json.loads(os.environ["DRILL_KEYS"]).items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = os.environ["DRILL_MEDIA_ROOT"]

    import django

    django.setup()


def _sha256(chunks) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def restore(folder: str) -> dict:
    from django.core.management import call_command

    from orderwatch.breaches.models import Breach
    from orderwatch.cases.models import CaseTeamMembership
    from orderwatch.evidence.models import EvidenceFile
    from orderwatch.evidence.services import evidence_file_open
    from orderwatch.orders.models import OrderCopy
    from orderwatch.orders.services import order_copy_open

    out = io.StringIO()
    for command in (("restore", folder), ("audit_verify",), ("verify_evidence_chain",)):
        call_command(*command, stdout=out)  # raises, failing the drill, if a check fails
    lead = CaseTeamMembership.objects.select_related("user").get(is_lead=True).user
    evidence = EvidenceFile.objects.select_related("item").get()
    evidence, chunks = evidence_file_open(
        actor=lead, case_id=evidence.item.case_id, item_id=evidence.item_id, file_id=evidence.pk
    )
    copy = OrderCopy.objects.select_related("order").get()
    copy, copy_chunks = order_copy_open(actor=lead, order=copy.order, copy_id=copy.pk)
    return {
        "output": out.getvalue(),
        "breaches": [str(pk) for pk in Breach.objects.values_list("pk", flat=True)],
        "evidence": {"id": str(evidence.pk), "sha256": _sha256(chunks)},
        "copy": {"id": str(copy.pk), "sha256": _sha256(copy_chunks)},
    }


def refuse(folder: str) -> dict:
    from django.core.management import CommandError, call_command
    from django.db import connection

    try:
        call_command("restore", folder, stdout=io.StringIO())
    except CommandError as error:
        refused = str(error)
    else:
        refused = None
    return {
        "refused": refused,
        "tables": connection.introspection.table_names(),
        "media": sorted(os.listdir(os.environ["DRILL_MEDIA_ROOT"])),
    }


if __name__ == "__main__":
    mode, folder = sys.argv[1:]
    _settings()
    sys.stdout.write(json.dumps({"restore": restore, "refuse": refuse}[mode](folder)) + "\n")
