"""Reminder pages in the access matrix (see orderwatch/access/tests/test_access_matrix.py)."""

import datetime as dt

from orderwatch.access.tests.routes import CASE_CHANGE_PAGE, CASE_PAGE, Route
from orderwatch.cases.models import Case
from orderwatch.tasks.models import Task
from orderwatch.tasks.services import case_task_owner


def expiry_task_kwargs(case: Case) -> dict:
    """An open expiry reminder about the case's order, for its lead."""
    order = case.orders.get()
    # The same reminder every time it is asked for, so a crawl of every route can reuse it.
    task, _ = Task.objects.get_or_create(
        kind=Task.Kind.EXPIRY_DECISION,
        origin=Task.Origin.ORDER_ENDING,
        origin_id=order.pk,
        origin_key=f"{order.ends_on.isoformat()}:2w",
        defaults={
            "case": case,
            "title": "Consider extension or an alternative protective order",
            "assignee": case_task_owner(case),
            "due_on": order.ends_on - dt.timedelta(days=7),
        },
    )
    return {"task_id": task.pk}


ROUTES = [
    # Everyone on the team may read the reminder; only those who may change the case decide.
    Route("reminders:decision", CASE_PAGE, expiry_task_kwargs),
    Route(
        "reminders:decision",
        {**CASE_CHANGE_PAGE, "member": 302},
        expiry_task_kwargs,
        method="post",
        data={
            "decision": "extend",
            "reason": "The victim-survivor wants the protection to continue.",
        },
    ),
]
