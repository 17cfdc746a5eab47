"""Split the one audit chain into chains (per case, per actor, `system`).

Events written before this keep their body and hashes: they become the `legacy` chain, at
position = their sequence, and the old chain head becomes that chain's head.
"""

from django.core.management.color import no_style
from django.db import migrations, models
from django.utils import timezone

LEGACY_CHAIN = "legacy"


def number_the_legacy_chain(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEvent")._meta.db_table)
    postgresql = schema_editor.connection.vendor == "postgresql"
    # The append-only trigger refuses every UPDATE. This one only fills the new position column
    # (no hashed content of any row changes), so the trigger is off for this statement alone.
    with schema_editor.connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(f"UPDATE {table} SET position = sequence")  # noqa: S608
        if postgresql:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def continue_numbering(apps, schema_editor):
    """Start the new identity after the highest existing event (Django does not on PostgreSQL)."""
    events = apps.get_model("audit", "AuditEvent")
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [events]):
        schema_editor.execute(sql)


def move_the_head(apps, schema_editor):
    head = apps.get_model("audit", "ChainHead").objects.filter(pk=1).first()
    if head is not None and head.sequence > 0:
        apps.get_model("audit", "AuditChain").objects.create(
            key=LEGACY_CHAIN, position=head.sequence, hash=head.hash, updated_at=timezone.now()
        )


def move_the_head_back(apps, schema_editor):
    if apps.get_model("audit", "AuditEvent").objects.exclude(chain=LEGACY_CHAIN).exists():
        raise RuntimeError("Events have been written on the new chains; they cannot go back.")
    legacy = apps.get_model("audit", "AuditChain").objects.filter(key=LEGACY_CHAIN).first()
    apps.get_model("audit", "ChainHead").objects.create(
        pk=1,
        sequence=legacy.position if legacy else 0,
        hash=legacy.hash if legacy else "0" * 64,
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_verbs_in_code_and_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default=LEGACY_CHAIN, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="position",
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(number_the_legacy_chain, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "position"), name="audit_event_chain_position"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.BigAutoField(primary_key=True, serialize=False),
        ),
        migrations.RunPython(continue_numbering, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("key", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("position", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("updated_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.RunPython(move_the_head, move_the_head_back),
        migrations.DeleteModel(name="ChainHead"),
    ]
