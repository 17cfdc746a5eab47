"""Reading tasks: only on cases the user works on now (and, for a team manager, choosing a new
lead for a case whose lead's account was deactivated: ADR 0017)."""

import datetime as dt

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from orderwatch.access.policy import lead_vacancies, visible_cases
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
    """Return the user's open tasks on their cases, overdue first, then by due date.

    A team manager asked to choose a new lead sees that task before joining the case team.
    """
    on_their_cases = models.Q(case__in=visible_cases(user))
    new_lead = models.Q(kind=Task.Kind.NEW_LEAD, case__in=lead_vacancies(user))
    tasks = Task.objects.filter(
        on_their_cases | new_lead, assignee=user, done_at__isnull=True
    ).select_related("case")
    return _overdue_first(tasks, timezone.localdate())
