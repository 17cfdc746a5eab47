"""The day the team is next alerted about an open review that is overdue.

Open reviews get their due date, so the sweep looks at each on that day (or at once if it
has passed) and schedules the alerts from there.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def schedule_open_reviews(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    Task.objects.filter(kind="safety_review", done_at__isnull=True).update(
        overdue_alert_on=F("due_on")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("tasks", "0003_alter_task_origin"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="overdue_alert_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True), ("overdue_alert_on__isnull", False)),
                fields=["overdue_alert_on"],
                name="task_overdue_alert",
            ),
        ),
    ]
