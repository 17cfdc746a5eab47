"""The database half of a backup: a dump taken in one snapshot, and loading a dump into an
empty database. PostgreSQL uses pg_dump and pg_restore; SQLite its online backup API."""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connection, transaction

from orderwatch.backup.references import stored_file_names

ENGINES = ("postgresql", "sqlite")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


def database_engine() -> str:
    """Return the engine of the default database, if backups support it."""
    if connection.vendor not in ENGINES:
        raise BackupError(f"Backups are made of PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def database_dump(path: Path) -> set[str]:
    """Write the whole database to `path` in one snapshot; return the stored file names that
    same snapshot refers to."""
    if database_engine() == "postgresql":
        return _postgresql_dump(path)
    return _sqlite_dump(path)


def database_file_names() -> set[str]:
    """Return the stored file names the database refers to now."""
    with connection.cursor() as cursor:
        return stored_file_names(cursor)


def database_is_empty() -> bool:
    """Whether the database has no tables at all (not even Django's migrations table)."""
    return not connection.introspection.table_names()


def database_load(path: Path) -> None:
    """Load the dump at `path` into this (empty) database."""
    if database_engine() == "postgresql":
        _postgresql_run(
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",  # else it would print the SQL
            str(path),
        )
        connection.close()  # its view of the (then empty) database is out of date
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as dump:
            dump.backup(connection.connection)


@transaction.atomic(durable=True)
def _postgresql_dump(path: Path) -> set[str]:
    # pg_dump joins this transaction's snapshot, and the names are read in it too, so the
    # names are exactly those the dump holds.
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _postgresql_run(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={path}",
        )
        return stored_file_names(cursor)


def _sqlite_dump(path: Path) -> set[str]:
    # The backup API copies every page in one step, under one read lock: a single snapshot.
    # The names are then read from the copy itself.
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        return stored_file_names(copy.cursor())


def _postgresql_run(tool: str, *arguments: str) -> None:
    """Run a PostgreSQL client tool against the default database; the password goes in the
    environment, never on the command line."""
    db = connection.settings_dict
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for variable, key in (
        ("PGDATABASE", "NAME"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    result = subprocess.run(  # noqa: S603 (fixed tool, arguments from settings)
        [postgresql_tool(tool), *arguments], env=env, capture_output=True, check=False
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"{tool} failed: {message[-1] if message else result.returncode}")


def postgresql_tool(tool: str) -> str:
    """Return the newest installed version of `tool` (it must not be older than the server)."""
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    found = str(installed[-1]) if installed else shutil.which(tool)
    if not found:
        raise BackupError(f"{tool} is needed: install the PostgreSQL client tools.")
    return found
