"""Reading safety plans and risk levels for a case already granted to the caller."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from orderwatch.cases.models import Case
from orderwatch.safety.models import (
    RiskAssessment,
    SafetyAction,
    SafetyAgreement,
    SafetyMeasure,
    SafetyPlan,
    SafetyReview,
)
from orderwatch.tasks.models import Task


@dataclass(frozen=True)
class RiskPicture:
    current: RiskAssessment | None
    breach_since: bool  # a breach was recorded after the level was last set


@dataclass(frozen=True)
class SafetyPlanPage:
    """Everything the safety plan page shows, read with a fixed number of queries."""

    open_reviews: list[Task]
    risk: RiskPicture
    actions: list[SafetyAction]
    measures: list[SafetyMeasure]
    agreements: list[SafetyAgreement]
    reviews: list[SafetyReview]


def safety_plan_get(*, case: Case) -> SafetyPlan | None:
    """Return the case's plan with its actions, measures and reviews, or None if not begun."""
    return (
        SafetyPlan.objects.filter(case=case)
        .prefetch_related(
            "actions__done_by",
            "measures",
            "agreements",
            Prefetch(
                "reviews",
                queryset=SafetyReview.objects.select_related("created_by").prefetch_related(
                    "tasks__reasons"
                ),
            ),
        )
        .first()
    )


def open_reviews(*, case: Case) -> QuerySet[Task]:
    """Return the case's open safety-plan review (one at most: ADR 0030) with who it is for
    and its reasons, oldest first."""
    return (
        case.tasks.filter(kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True)
        .select_related("assignee")
        .prefetch_related("reasons")
        .order_by("created_at")
    )


def risk_history(*, case: Case) -> QuerySet[RiskAssessment]:
    """Return every risk level set on the case, newest (the current one) first."""
    return case.risk_assessments.select_related("created_by").order_by("-created_at", "-pk")


def reviews_open_and_newest(*, case: Case, newest: int) -> list[Task]:
    """Return, in one read, the case's open safety-plan review tasks (a few at most) and its
    `newest` review tasks whether open or done, with who opened them and who each is for."""
    reviews = case.tasks.filter(kind=Task.Kind.SAFETY_REVIEW)
    latest = reviews.order_by("-created_at", "-pk").values("pk")[:newest]
    return list(
        reviews.filter(Q(done_at__isnull=True) | Q(pk__in=latest))
        .select_related("created_by", "assignee")
        .order_by("-created_at", "-pk")
    )


def risk_newest(*, case: Case, count: int) -> list[RiskAssessment]:
    """Return the `count` latest risk levels set, newest (the current one) first, each with
    whether a breach was recorded after it."""
    later = case.breaches.filter(created_at__gt=OuterRef("created_at"))
    return list(risk_history(case=case).annotate(breach_since=Exists(later))[:count])


def risk_picture(
    *,
    case: Case,
    newest: list[RiskAssessment] | None = None,
    breaches_recorded: int | None = None,
) -> RiskPicture:
    """Return the current level and whether a breach since then calls for a re-assessment.

    `newest` (from `risk_newest`) and the number of `breaches_recorded`, if the caller has
    read them already.
    """
    newest = risk_newest(case=case, count=1) if newest is None else newest
    if newest:
        return RiskPicture(current=newest[0], breach_since=newest[0].breach_since)
    any_breach = case.breaches.exists() if breaches_recorded is None else breaches_recorded > 0
    return RiskPicture(current=None, breach_since=any_breach)


def safety_plan_page(*, case: Case) -> SafetyPlanPage:
    """Return the plan, its open reviews and the risk picture of a case already granted."""
    plan = safety_plan_get(case=case)
    return SafetyPlanPage(
        open_reviews=list(open_reviews(case=case)),
        risk=risk_picture(case=case),
        actions=list(plan.actions.all()) if plan else [],
        measures=list(plan.measures.all()) if plan else [],
        agreements=list(plan.agreements.all()) if plan else [],
        reviews=list(plan.reviews.all()) if plan else [],
    )
