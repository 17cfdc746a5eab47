"""Every kind of record that names an encrypted stored file: the one list the key rotation, the
orphan sweep and the file checks go through. Add a kind here when a model stores a file."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import QuerySet


@dataclass(frozen=True)
class StoredFileKind:
    """A model whose rows name stored files, the folder they are stored in, and which rows
    should still have their bytes (a removed evidence file, an expired document have none)."""

    label: str
    model: str
    name_field: str
    folder: str
    live: dict[str, object] = field(default_factory=dict)
    sha256_field: str = "sha256"
    case_path: str = "case"  # the lookup from a row to its case, for disposal (ADR 0041)

    def rows(self) -> QuerySet:
        """Return the rows whose file should be in storage."""
        return apps.get_model(self.model)._base_manager.filter(**self.live)

    def names_for_case(self, case_id) -> list[str]:
        """Return the names of every file the case's rows name, live or not (for disposal)."""
        rows = apps.get_model(self.model)._base_manager.filter(**{self.case_path: case_id})
        return [name for name in rows.values_list(self.name_field, flat=True) if name]


STORED_FILES = (
    StoredFileKind(
        "Evidence file",
        "evidence.EvidenceFile",
        "stored_name",
        "evidence",
        {"removed_at__isnull": True},
        case_path="item__case",
    ),
    StoredFileKind(
        "Order copy", "orders.OrderCopy", "file_name", "order-copies", case_path="order__case"
    ),
    StoredFileKind(
        "Prepared document", "exports.Export", "file_name", "exports", {"status": "ready"}
    ),
)
