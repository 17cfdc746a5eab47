"""Words typed for an audit event, kept outside its hashed body so they can be erased."""

import django.db.models.deletion
from django.db import migrations, models

import orderwatch.confidential.fields


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_signed_checkpoints"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=32)),
                ("text", orderwatch.confidential.fields.SealedTextField()),
                ("salt", models.CharField(max_length=64)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notes",
                        to="audit.auditevent",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("event", "name"), name="audit_note_event_name")
                ],
            },
        ),
    ]
