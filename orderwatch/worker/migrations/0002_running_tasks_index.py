"""An index of the tasks being run, for the recovery every worker runs every few seconds: the
task table keeps every finished task until pruned, and is otherwise indexed for ready ones only.
Plain SQL that SQLite and PostgreSQL both take; the library's model is not ours to change."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("worker", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX worker_running_task_idx ON django_tasks_database_dbtaskresult "
                "(started_at) WHERE status = 'RUNNING'"
            ),
            reverse_sql="DROP INDEX worker_running_task_idx",
        ),
    ]
