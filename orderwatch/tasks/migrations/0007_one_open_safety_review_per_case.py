"""One open safety-plan review per case, in the database (ADR 0030); 0006 merged any others.

Its own migration: on PostgreSQL a table cannot be altered in the transaction that just
deleted rows from it with deferred foreign-key checks still pending.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tasks", "0006_review_reasons")]

    operations = [
        migrations.AddConstraint(
            model_name="task",
            constraint=models.UniqueConstraint(
                condition=models.Q(("done_at__isnull", True), ("kind", "safety_review")),
                fields=("case",),
                name="one_open_safety_review_per_case",
            ),
        ),
    ]
