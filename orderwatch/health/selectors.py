"""What the readiness probe reads from the database, one query each."""

import functools

from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


@functools.cache
def migrations_in_code() -> frozenset[tuple[str, str]]:
    """Return every migration the running code has, as (app, name), a squashed migration in
    place of those it replaces.

    Read from disk once per process: the code does not change under it, and a deploy restarts it.
    """
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def migrations_unapplied() -> set[tuple[str, str]]:
    """Return the migrations of the running code that the database has not recorded as applied.

    Applied migrations the code does not know (a newer release migrated first) are not counted:
    the expand-then-contract migrations of an online upgrade keep old code working.
    """
    applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
    return set(migrations_in_code()) - applied
