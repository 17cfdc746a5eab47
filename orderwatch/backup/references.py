"""The stored files that records name, as SQL: what a backup must hold for its dump to be whole.

Built from `confidential.stored_files.STORED_FILES`, the one list of models that store files,
so the backup, the orphan sweep, the file checks and key rotation cannot disagree. Plain SQL,
not the ORM, because a backup reads the names from the very snapshot it dumped (a `sqlite3`
cursor on the copy, for SQLite).
"""

from django.apps import apps

from orderwatch.confidential.stored_files import STORED_FILES, StoredFileKind


def _sql(kind: StoredFileKind) -> str:
    """Return the SQL (the same for PostgreSQL and SQLite) selecting the kind's names."""
    model = apps.get_model(kind.model)
    table = model._meta.db_table
    column = model._meta.get_field(kind.name_field).column
    where = [f"\"{column}\" <> ''"]
    for lookup, value in kind.live.items():
        name, _, operator = lookup.partition("__")
        live_column = model._meta.get_field(name).column
        if operator == "isnull":
            where.append(f'"{live_column}" IS {"" if value else "NOT "}NULL')
        elif operator == "" and isinstance(value, str):
            where.append(f"\"{live_column}\" = '{value.replace(chr(39), chr(39) * 2)}'")
        else:
            raise ValueError(f"{kind.model}: no SQL for the lookup {lookup!r}")
    # Identifiers and values from the list in code; nothing from outside.
    return f'SELECT "{column}" FROM "{table}" WHERE {" AND ".join(where)}'  # noqa: S608


def stored_file_names(cursor) -> set[str]:
    """Return every storage name the database behind `cursor` refers to.

    `cursor` is a Django cursor, or a `sqlite3` cursor on a dump: the names are read from the
    very snapshot that was dumped.
    """
    names: set[str] = set()
    for kind in STORED_FILES:
        cursor.execute(_sql(kind))
        names.update(name for (name,) in cursor.fetchall())
    return names
