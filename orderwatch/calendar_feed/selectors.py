"""Reading calendar feeds: what a link shows is always scoped to its owner's cases, now."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import open_cases
from orderwatch.accounts.models import User
from orderwatch.calendar_feed.models import CalendarFeed
from orderwatch.calendar_feed.services import token_hash
from orderwatch.orders.models import Order
from orderwatch.orders.selectors import order_state
from orderwatch.tasks.models import Task


@dataclass(frozen=True)
class FeedEntry:
    """One all-day event: references only (a case reference and a label), never a name."""

    uid: str
    on: dt.date
    summary: str
    path: str


def live_feed(*, user: User) -> CalendarFeed | None:
    """Return the user's working calendar link, if they have one."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_owner(*, token: str) -> User:
    """Return whose feed a link is; 404 for a revoked or unknown link or an inactive user."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    return feed.user


def feed_entries(*, user: User) -> list[FeedEntry]:
    """Return the user's open tasks, the end dates of orders in force on their cases, and the
    open safety-plan reviews on those cases, in date order. Four queries, whatever the data."""
    cases = open_cases(user)
    today = timezone.localdate()
    entries = []
    tasks = Task.objects.filter(
        Q(assignee=user) | Q(kind=Task.Kind.SAFETY_REVIEW), case__in=cases, done_at__isnull=True
    ).select_related("case")
    for task in tasks:
        label = task.get_kind_display()
        if task.assignee_id != user.pk:
            label = f"{label} (for someone else on the team)"
        entries.append(
            FeedEntry(
                uid=f"task-{task.pk}",
                on=task.due_on,
                summary=f"{label} – case {task.case.reference}",
                path=task.get_absolute_url(),
            )
        )
    orders = Order.objects.filter(case__in=cases).select_related("case").prefetch_related("changes")
    for order in orders:
        state = order_state(order, today)
        if state.in_force and state.ends_on is not None:
            entries.append(
                FeedEntry(
                    uid=f"order-end-{order.pk}",
                    on=state.ends_on,
                    summary=f"Order ends – case {order.case.reference}",
                    path=order.get_absolute_url(),
                )
            )
    return sorted(entries, key=lambda e: (e.on, e.uid))
