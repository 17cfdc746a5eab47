"""Reading tasks: only on cases the user works on now."""

import datetime as dt

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from orderwatch.access.policy import visible_cases
from orderwatch.accounts.models import User
from orderwatch.tasks.models import Task


def _overdue_first(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    return tasks.annotate(
        is_overdue=models.Case(
            models.When(due_on__lt=today, then=models.Value(True)),
            default=models.Value(False),
            output_field=models.BooleanField(),
        )
    ).order_by("-is_overdue", "due_on", "created_at")


def my_tasks(*, user: User) -> QuerySet[Task]:
    """Return the user's open tasks on their cases, overdue first, then by due date."""
    tasks = Task.objects.filter(
        assignee=user, done_at__isnull=True, case__in=visible_cases(user)
    ).select_related("case")
    return _overdue_first(tasks, timezone.localdate())
