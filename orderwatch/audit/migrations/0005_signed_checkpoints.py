"""Signed checkpoints over the audit chains' heads, append-only like the events."""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chains_per_case")]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("number", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField()),
                ("previous_hash", models.CharField(max_length=64)),
                ("root", models.CharField(max_length=64)),
                ("size", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64, unique=True)),
                ("signature", models.CharField(max_length=128)),
                ("key_fingerprint", models.CharField(max_length=80)),
            ],
        ),
        migrations.CreateModel(
            name="AuditCheckpointEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chain", models.CharField(max_length=64)),
                ("position", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                (
                    "checkpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="audit.auditcheckpoint",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("checkpoint", "chain"), name="audit_checkpoint_entry_chain"
                    )
                ],
                "indexes": [
                    models.Index(fields=["chain", "position"], name="audit_audit_chain_f11adc_idx")
                ],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="auditcheckpoint",
            trigger=pgtrigger.compiler.Trigger(
                name="audit_checkpoint_append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="1d55ad79dc4f25522468795e85e70fafbb9f662a",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_audit_checkpoint_append_only_5e4cd",
                    table="audit_auditcheckpoint",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="auditcheckpointentry",
            trigger=pgtrigger.compiler.Trigger(
                name="audit_checkpoint_entry_append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="e8f36250eb64f0b3eba07cd924d9cd900f3669e9",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_audit_checkpoint_entry_append_only_8b283",
                    table="audit_auditcheckpointentry",
                    when="BEFORE",
                ),
            ),
        ),
    ]
