"""The migration step that seals existing plain-text columns (ADR 0023), and unseals them back.

Used after an `AlterField` to a sealed field: the rows are read and written with raw SQL (the
historical model would try to decrypt the plaintext), a batch at a time in primary-key order,
so a large table is never held in memory. Empty values stay empty, as the sealed fields store
them.
"""

from collections.abc import Callable, Sequence

from django.db.migrations.operations.base import Operation

from orderwatch.confidential import cipher

BATCH = 500


class SealFields(Operation):
    """Encrypt the named columns of `model_name` in place; the reverse decrypts them."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name: str, fields: Sequence[str]):
        self.model_name = model_name
        self.fields = list(fields)

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "fields": self.fields}
        return (self.__class__.__qualname__, [], kwargs)

    def state_forwards(self, app_label, state):
        pass  # the data changes, not the schema

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        columns_rewrite(schema_editor.connection, model, self.fields, cipher.encrypt)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        columns_rewrite(schema_editor.connection, model, self.fields, cipher.decrypt)

    def describe(self):
        return f"Encrypt {', '.join(self.fields)} of {self.model_name} at rest"

    @property
    def migration_name_fragment(self):
        return f"seal_{self.model_name.lower()}"


def columns_rewrite(
    connection,
    model,
    fields: Sequence[str],
    change: Callable[[str], str],
    *,
    batch: int = BATCH,
    lock: bool = False,
) -> int:
    """Apply `change` to every non-empty value of `fields` in `model`'s table; return how many
    rows changed. Reads and writes raw column values, `batch` rows at a time; with `lock`, the
    rows read stay locked until the caller's transaction ends (where the database can lock)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    for_update = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    # Only quoted names and an integer are put in the SQL; values go as parameters.
    read = f"SELECT {pk}, {columns} FROM {table} {{where}}ORDER BY {pk} LIMIT {int(batch)}"  # noqa: S608
    read += for_update
    assignments = ", ".join(f"{quote(model._meta.get_field(n).column)} = %s" for n in fields)
    update = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(read.format(where=""))
        rows = cursor.fetchall()
        while rows:
            updates = [
                [change(value) if value else value for value in values] + [key]
                for key, *values in rows
                if any(values)
            ]
            if updates:
                cursor.executemany(update, updates)
                changed += len(updates)
            cursor.execute(read.format(where=f"WHERE {pk} > %s "), [rows[-1][0]])
            rows = cursor.fetchall()
    return changed
