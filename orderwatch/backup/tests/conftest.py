"""A case with something of every kind that keeps a stored file, recorded through the services."""

import base64
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from orderwatch.audit.services import audit_checkpoint_make
from orderwatch.backup.database import postgresql_tool
from orderwatch.backup.manifest import manifest_read
from orderwatch.breaches.models import Breach
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import Case
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.tests.factories import item_added
from orderwatch.exports.models import Export
from orderwatch.exports.tests.factories import ExportFactory
from orderwatch.orders.models import OrderCopy
from orderwatch.orders.services import order_copy_add
from orderwatch.orders.tests.factories import OrderFactory, pdf_upload


@dataclass(frozen=True)
class Recorded:
    case: Case
    copy: OrderCopy
    breach: Breach
    item: EvidenceItem
    export: Export


@pytest.fixture(autouse=True)
def _audit_signing_key(settings):
    """Checkpoints signed with a key of their own, as in production."""
    settings.ORDERWATCH_AUDIT_SIGNING_KEY = base64.urlsafe_b64encode(
        secrets.token_bytes(32)
    ).decode()


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def recorded(media, practitioner, case) -> Recorded:
    """A case with an order and its copy, a breach, an evidence item with a file and a
    prepared document, and a signed audit checkpoint over it all."""
    order = OrderFactory(case=case)
    copy = order_copy_add(actor=practitioner, order=order, upload=pdf_upload())
    breach = breach_record(actor=practitioner, case=case, account=breach_account())
    item = item_added(actor=practitioner, case=case)
    export = ExportFactory(case=case, created_by=practitioner, ready=True)
    audit_checkpoint_make()
    return Recorded(case=case, copy=copy, breach=breach, item=item, export=export)


def dump_contents(folder: Path) -> bytes:
    """Return what the backup's database dump holds, readable (a PostgreSQL dump is compressed,
    so it is turned back into SQL first)."""
    manifest = manifest_read(folder)
    path = folder / manifest.dump.name
    if manifest.engine == "postgresql":
        command = [postgresql_tool("pg_restore"), "--file=-", str(path)]
        return subprocess.run(command, capture_output=True, check=True).stdout  # noqa: S603
    return path.read_bytes()
