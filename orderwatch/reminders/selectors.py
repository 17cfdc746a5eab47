"""Reading expiry reminders: only on cases the user works on now."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404

from orderwatch.access.policy import visible_cases
from orderwatch.accounts.models import User
from orderwatch.orders.models import Order, OrderType
from orderwatch.orders.selectors import order_state
from orderwatch.orders.status import OrderState
from orderwatch.reminders.models import ExpiryDecision
from orderwatch.tasks.models import Task


@dataclass(frozen=True)
class ExpiryTaskPage:
    """An expiry reminder with its order, what the catalogue offers, and any decision made."""

    task: Task
    order: Order
    state: OrderState
    reminded_end: dt.date | None  # the end date the reminder was opened for
    alternatives: list[OrderType]
    decision: ExpiryDecision | None

    @property
    def extended_since(self) -> bool:
        return self.reminded_end is not None and self.reminded_end != self.state.ends_on

    @property
    def can_be_extended(self) -> bool:
        return self.order.order_type.fixed_maximum_days is None


def _reminded_end(task: Task) -> dt.date | None:
    try:
        return dt.date.fromisoformat(task.origin_key.split(":", 1)[0])
    except ValueError:
        return None


def expiry_task_page(*, user: User, task_id) -> ExpiryTaskPage:
    """Return an expiry reminder on a case the user may see, with its order; else 404."""
    try:
        task = Task.objects.select_related("case", "assignee", "done_by").get(
            pk=task_id, kind=Task.Kind.EXPIRY_DECISION, case__in=visible_cases(user)
        )
        order = (
            Order.objects.select_related("order_type")
            .prefetch_related("changes", "order_type__alternatives")
            .get(pk=task.origin_id, case=task.case)
        )
    except (Task.DoesNotExist, Order.DoesNotExist, ValueError) as error:
        raise Http404 from error
    decision = (
        task.expiry_decisions.select_related("alternative", "created_by").first()
        if task.is_done
        else None
    )
    return ExpiryTaskPage(
        task=task,
        order=order,
        state=order_state(order),
        reminded_end=_reminded_end(task),
        alternatives=sorted(order.order_type.alternatives.all(), key=lambda t: t.name),
        decision=decision,
    )
