"""Task pages in the access matrix (see orderwatch/access/tests/)."""

import datetime as dt
import uuid

from orderwatch.access.tests.routes import CASE_CHANGE_PAGE, Route
from orderwatch.cases.models import Case
from orderwatch.tasks.models import Task
from orderwatch.tasks.services import case_task_owner


def general_task_kwargs(case: Case) -> dict:
    """An open general task on the case, for its lead."""
    lead = case_task_owner(case)
    task = Task.objects.create(
        case=case,
        kind=Task.Kind.GENERAL,
        title="Check the order has been served",
        assignee=lead,
        due_on=dt.date(2026, 1, 5),
        origin=Task.Origin.BREACH,
        origin_id=uuid.uuid4(),
    )
    return {"task_id": task.pk}


ROUTES = [
    # Completing a task is a POST that returns to "My cases"; off the case team it is 404.
    Route("tasks:complete", {**CASE_CHANGE_PAGE, "member": 302}, general_task_kwargs, "post"),
]
