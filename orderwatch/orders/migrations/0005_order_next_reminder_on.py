"""The reminder sweep's bookkeeping on each order: the day it next has something to do.

Every existing order gets today, so the first sweep after this looks at each one once and
schedules its next visit; from then on a sweep reads only what is due (the partial index).
"""

from django.conf import settings
from django.db import migrations, models

import orderwatch.orders.models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("orders", "0004_condition_ended"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="next_reminder_on",
            field=models.DateField(
                blank=True, default=orderwatch.orders.models.today_local, null=True
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                condition=models.Q(("next_reminder_on__isnull", False)),
                fields=["next_reminder_on"],
                name="order_next_reminder",
            ),
        ),
    ]
