"""Reading orders: through the access policy, with a fixed number of queries per page."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import access_case, open_cases
from orderwatch.accounts.models import User
from orderwatch.orders import restrictions, status
from orderwatch.orders.models import AddressChange, Order, OrderChange, OrderCopy, OrderType

ORDER_PAGE_PREFETCH = (
    "conditions",
    "changes",
    "copies",
    "protected_people",
    Prefetch("order_type__alternatives", queryset=OrderType.objects.order_by("name")),
)


@dataclass(frozen=True)
class OrderWithState:
    order: Order
    state: status.OrderState


def _today() -> dt.date:
    return timezone.localdate()


def order_state(order: Order, today: dt.date | None = None) -> status.OrderState:
    """Return the order's state today from its (prefetched) changes."""
    return status.order_state(
        starts_on=order.starts_on,
        ends_on=order.ends_on,
        until_further_order=order.until_further_order,
        changes=[
            status.Change(c.kind, c.made_on, c.new_ends_on, c.until_further_order)
            for c in order.changes.all()
        ],
        today=today or _today(),
    )


def conditions_in_force(order: Order, today: dt.date | None = None) -> list:
    """Return the order's (prefetched) conditions that have not ended by today."""
    today = today or _today()
    return [c for c in order.conditions.all() if c.ended_on is None or c.ended_on > today]


def conditions_ended(order: Order, today: dt.date | None = None) -> list:
    in_force = conditions_in_force(order, today)
    return [c for c in order.conditions.all() if c not in in_force]


def order_restrictions(order: Order) -> list[restrictions.Restriction]:
    return restrictions.restrictions_at_a_glance(
        ((c.kind, c.wording) for c in conditions_in_force(order)),
        copy_verified=order.copy_checked_at is not None,
    )


def order_get(*, user: User, case_id, order_id) -> Order:
    """Return an order on a case the user may see, with everything its page shows; else 404."""
    case = access_case(user, case_id)
    try:
        return (
            Order.objects.select_related("case", "order_type", "respondent", "copy_checked_by")
            .prefetch_related(*ORDER_PAGE_PREFETCH)
            .get(pk=order_id, case=case)
        )
    except (Order.DoesNotExist, ValueError) as error:
        raise Http404 from error


def case_orders(*, case) -> list[OrderWithState]:
    """Return a case's orders with their state, newest first (the case is already granted),
    read with all that the case page's pattern and recent events need of them too."""
    orders = (
        case.orders.select_related("order_type", "created_by")
        .prefetch_related(
            Prefetch("changes", queryset=OrderChange.objects.select_related("created_by")),
            "conditions",
            "protected_people",
        )
        .annotate(has_copy=Exists(OrderCopy.objects.filter(order=OuterRef("pk"))))
    )
    return [OrderWithState(order, order_state(order)) for order in orders]


def _with_states(orders: Iterable[Order]) -> list[OrderWithState]:
    today = _today()
    return [OrderWithState(order, order_state(order, today)) for order in orders]


def orders_ending_soon(*, user: User, within_days: int | None = None) -> list[OrderWithState]:
    """Return orders on the user's open cases that are in force and end within the window."""
    days = within_days if within_days is not None else settings.ORDERWATCH_EXPIRY_WINDOW_DAYS
    orders = (
        Order.objects.filter(case__in=open_cases(user))
        .select_related("case", "order_type")
        .prefetch_related("changes", "order_type__alternatives")
    )
    ending = [o for o in _with_states(orders) if status.ends_within(o.state, days)]
    return sorted(ending, key=lambda o: o.state.days_to_end)


def next_order_end(orders: Iterable[Order]) -> OrderWithState | None:
    """Return the order in force that ends soonest, for the "My cases" list."""
    in_force = [o for o in _with_states(orders) if o.state.in_force and o.state.ends_on]
    return min(in_force, key=lambda o: o.state.ends_on, default=None)


def orders_prefetch() -> Prefetch:
    """Prefetch a case list's orders with what `next_order_end` needs."""
    return Prefetch(
        "orders",
        queryset=Order.objects.select_related("order_type").prefetch_related("changes"),
    )


def order_for_change(*, user: User, case_id, order_id) -> Order:
    """Return an order the user may change: 404 if they cannot see it, 403 if read-only."""
    order = order_get(user=user, case_id=case_id, order_id=order_id)
    if not user.has_perm("cases.change_case", order.case):
        raise PermissionDenied
    return order


def case_moves(*, case) -> QuerySet[AddressChange]:
    """Return the recorded moves on a case the caller has already been granted, newest first,
    with who recorded them (for the chronology) and without the previous address."""
    return (
        case.address_changes.defer("previous_address")
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def condition_get(*, order: Order, condition_id):
    """Return a condition of an order already granted to the caller; 404 for any other id."""
    for condition in order.conditions.all():
        if str(condition.pk) == str(condition_id):
            return condition
    raise Http404
