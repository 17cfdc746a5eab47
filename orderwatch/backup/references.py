"""The stored files that records name: what a backup must hold for its dump to be whole.

Every model that keeps a storage name is listed here; a test fails when a service stores files
for a model that is not.
"""

from dataclasses import dataclass

from django.db import models

from orderwatch.evidence.models import EvidenceFile
from orderwatch.exports.models import Export
from orderwatch.orders.models import OrderCopy


@dataclass(frozen=True)
class FileReference:
    """A model's field holding a storage name, and when its bytes are still kept."""

    model: type[models.Model]
    field: str
    kept: str = ""  # a further SQL condition, without parameters

    def sql(self) -> str:
        """Return the SQL (the same for PostgreSQL and SQLite) selecting the names."""
        table = self.model._meta.db_table
        column = self.model._meta.get_field(self.field).column
        where = f"\"{column}\" <> ''" + (f" AND {self.kept}" if self.kept else "")
        # Identifiers from the models' own metadata; nothing from outside.
        return f'SELECT "{column}" FROM "{table}" WHERE {where}'  # noqa: S608


FILE_REFERENCES = (
    FileReference(OrderCopy, "file_name"),
    # A removed item's record stays, but its bytes were deleted.
    FileReference(EvidenceFile, "stored_name", kept='"removed_at" IS NULL'),
    FileReference(Export, "file_name"),
)


def stored_file_names(cursor) -> set[str]:
    """Return every storage name the database behind `cursor` refers to.

    `cursor` is a Django cursor, or a `sqlite3` cursor on a dump: the names are read from the
    very snapshot that was dumped.
    """
    names: set[str] = set()
    for reference in FILE_REFERENCES:
        cursor.execute(reference.sql())
        names.update(name for (name,) in cursor.fetchall())
    return names
