"""What the database holds on disk, as bytes, and a search of it that ignores letter case.

Shared by the confidentiality canaries and the browser journeys' check that what was typed
into a sealed field never reaches the raw database (ADR 0023, 0024).
"""

import shutil
import subprocess
from pathlib import Path

from django.db import connection


def contains(haystack: bytes | str, needle: str) -> bool:
    """Case-insensitive, so an upper-cased or title-cased copy is caught too."""
    if isinstance(haystack, str):
        haystack = haystack.encode("utf-8", "replace")
    return needle.lower().encode() in haystack.lower()


def pg_dump_path() -> str:
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    found = str(installed[-1]) if installed else shutil.which("pg_dump")
    assert found, "pg_dump is needed to check the raw PostgreSQL data: install postgresql-client"
    return found


def raw_database_bytes() -> bytes:
    """Everything the database holds, as bytes: the SQLite image (file too), or a pg_dump."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        image = connection.connection.serialize()
        if not connection.is_in_memory_db():
            for path in (Path(db["NAME"]), Path(f"{db['NAME']}-wal")):
                image += path.read_bytes() if path.exists() else b""
        return image
    if connection.vendor == "postgresql":
        command = [pg_dump_path(), "--no-owner", "--dbname", db["NAME"]]
        for option, value in (
            ("--host", db["HOST"]),
            ("--port", db["PORT"]),
            ("--username", db["USER"]),
        ):
            if value:
                command += [option, str(value)]
        env = {"PATH": "/usr/bin:/bin", "PGPASSWORD": db["PASSWORD"] or ""}
        return subprocess.run(command, env=env, capture_output=True, check=True).stdout  # noqa: S603
    raise AssertionError(f"No raw-bytes check for {connection.vendor}: add one here")
