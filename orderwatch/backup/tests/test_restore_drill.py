"""The backup → restore drill (issue 16's "done when"): a backup restored into a fresh
database and fresh storage, in a process of its own, passes both chain checks and gives back
each file as it was stored. CI runs it on SQLite and on PostgreSQL."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from orderwatch.evidence.tests.factories import PNG, sha256
from orderwatch.orders.tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def fresh_database(transactional_db, tmp_path):
    """Return the URL of a new, empty database: a file for SQLite, a second database on the
    same server for PostgreSQL (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drill(mode: str, folder: Path, *, database_url: str, media: Path) -> dict:
    """Run the drill's restore half in a new process, with the keys passed from outside."""
    keys = {
        name: getattr(settings, name)
        for name in (
            "SECRET_KEY",
            "ORDERWATCH_FIELD_KEYS",
            "ORDERWATCH_EVIDENCE_SIGNING_KEY",
            "ORDERWATCH_AUDIT_SIGNING_KEY",
        )
    }
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "DRILL_MEDIA_ROOT": str(media),
        "DRILL_KEYS": json.dumps(keys),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "orderwatch.backup.tests.drill", mode, str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_backup_restores_into_a_fresh_database_and_storage_intact(
    recorded, tmp_path, fresh_database
):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    media = tmp_path / "restored-media"

    restored = drill("restore", tmp_path / "backup", database_url=fresh_database, media=media)

    assert "Restored the backup" in restored["output"]
    assert "Audit chains and checkpoints intact." in restored["output"]
    assert "Every evidence chain checked is intact." in restored["output"]
    assert restored["breaches"] == [str(recorded.breach.pk)]
    evidence_file = recorded.item.files.get()
    assert restored["evidence"] == {"id": str(evidence_file.pk), "sha256": sha256(PNG)}
    assert restored["copy"] == {"id": str(recorded.copy.pk), "sha256": sha256(PDF_BYTES)}


def test_a_restore_into_storage_that_is_not_empty_changes_nothing(
    recorded, tmp_path, fresh_database
):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    media = tmp_path / "restored-media"
    media.mkdir()
    (media / "someone-elses-file").write_bytes(b"not ours")

    result = drill("refuse", tmp_path / "backup", database_url=fresh_database, media=media)

    assert "The file storage is not empty, so nothing was restored" in result["refused"]
    assert result["tables"] == []
    assert result["media"] == ["someone-elses-file"]
