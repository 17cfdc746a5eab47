"""Reading breaches: through the access policy, with a fixed number of queries per page."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.http import Http404

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.breaches.models import Breach, BreachedCondition
from orderwatch.cases.models import Case
from orderwatch.orders.models import Condition
from orderwatch.orders.selectors import OrderWithState, order_state
from orderwatch.tasks.models import Task

CASE_PAGE_BREACHES = 5
# Newest first by the earliest moment each could have happened (the chronology's order).
NEWEST_FIRST = ("-happened_on", F("happened_at_time").desc(nulls_last=True), "-created_at", "-pk")
# What a list of breaches never loads: free text and confidential details (their own pages show
# those).
LIST_DEFERRED = (
    "what_happened",
    "witness_details",
    "others_present_details",
    "location_details",
    "reported_by_details",
    "action_details",
    "other_agencies_details",
)


@dataclass(frozen=True)
class OrderToPickFrom:
    """An order on the case and its conditions, for saying which were breached."""

    order: OrderWithState
    conditions: list[Condition]


def breach_get(*, user: User, case_id, breach_id) -> Breach:
    """Return a breach on a case the user may see, with what its page shows; else 404."""
    case = access_case(user, case_id)
    try:
        return (
            Breach.objects.select_related("case", "created_by")
            .prefetch_related(
                Prefetch(
                    "breached",
                    queryset=BreachedCondition.objects.select_related(
                        "condition__order__order_type"
                    ).order_by("condition__created_at"),
                )
            )
            .get(pk=breach_id, case=case)
        )
    except (Breach.DoesNotExist, ValueError) as error:
        raise Http404 from error


def conditions_to_pick(*, case: Case) -> list[OrderToPickFrom]:
    """Return the case's orders with their conditions, newest order first."""
    orders = case.orders.select_related("order_type").prefetch_related("changes", "conditions")
    return [
        OrderToPickFrom(OrderWithState(order, order_state(order)), list(order.conditions.all()))
        for order in orders
        if order.conditions.all()
    ]


def breach_for_change(*, user: User, case_id, breach_id) -> Breach:
    """Return a breach the user may change (404 if they cannot see it, 403 if read-only)."""
    breach = breach_get(user=user, case_id=case_id, breach_id=breach_id)
    if not user.has_perm("cases.change_case", breach.case):
        raise PermissionDenied
    return breach


def breach_for_witness_reveal(*, user: User, case_id, breach_id) -> Breach:
    """Return a breach whose witness details the user may ask to see (404 / 403 otherwise)."""
    breach = breach_get(user=user, case_id=case_id, breach_id=breach_id)
    if not user.has_perm("breaches.reveal_witness_details", breach.case):
        raise PermissionDenied
    return breach


def breach_review_task(*, breach: Breach) -> Task | None:
    """Return the safety-plan review the breach (or incident) is a reason for, with who it is
    for."""
    return (
        Task.objects.filter(
            case=breach.case,
            kind=Task.Kind.SAFETY_REVIEW,
            reasons__origin__in=[Task.Origin.BREACH, Task.Origin.INCIDENT],
            reasons__origin_id=breach.pk,
        )
        .select_related("assignee", "done_by")
        .first()
    )


@dataclass(frozen=True)
class CaseBreaches:
    """What the case page shows about breaches: the latest few and what needs attention."""

    recent: list[Breach]
    total: int  # breaches and incidents
    police_report_outstanding: int
    incidents: int = 0  # conduct that matches no condition (ADR 0030)

    @property
    def breaches(self) -> int:
        return self.total - self.incidents


def case_breaches(*, case: Case) -> QuerySet[Breach]:
    """Return a granted case's breaches, latest first, for a paginated list."""
    return case.breaches.defer(*LIST_DEFERRED)


@dataclass(frozen=True)
class BreachCounts:
    breaches: int
    incidents: int  # conduct that matches no condition (ADR 0030)


def case_breach_counts(*, case: Case) -> BreachCounts:
    """Return how many breaches and how many incidents a granted case has, in one query."""
    counts = case.breaches.aggregate(
        total=Count("pk"), incidents=Count("pk", filter=Q(matches_no_condition=True))
    )
    return BreachCounts(counts["total"] - counts["incidents"], counts["incidents"])


def breached_with_orders() -> Prefetch:
    """Prefetch the conditions each breach breached, with their orders' types (no wording)."""
    return Prefetch(
        "breached",
        queryset=BreachedCondition.objects.select_related("condition__order__order_type")
        .defer("how", "condition__place", "condition__wording", "condition__exceptions")
        .order_by("condition__created_at"),
    )


def case_breaches_summary(*, case: Case, limit: int = CASE_PAGE_BREACHES) -> CaseBreaches:
    """Return the latest breaches (newest first, as the chronology orders them, with who
    recorded them and what they breached) and the counts, in two queries: each row carries
    the case's counts, so no breaches means no rows and counts of nought."""
    outstanding = Q(police_reported=False, not_reported_resolution="")
    recent = list(
        case.breaches.defer(*LIST_DEFERRED)
        .select_related("created_by")
        .prefetch_related(breached_with_orders())
        .annotate(
            case_total=Window(Count("pk")),
            case_outstanding=Window(Count("pk", filter=outstanding)),
            case_incidents=Window(Count("pk", filter=Q(matches_no_condition=True))),
        )
        .order_by(*NEWEST_FIRST)[:limit]
    )
    return CaseBreaches(
        recent=recent,
        total=recent[0].case_total if recent else 0,
        police_report_outstanding=recent[0].case_outstanding if recent else 0,
        incidents=recent[0].case_incidents if recent else 0,
    )
