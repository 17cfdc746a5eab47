"""Reading safety plans and risk levels for a case already granted to the caller."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from orderwatch.cases.models import Case
from orderwatch.safety.models import (
    RiskAssessment,
    SafetyAction,
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
    reviews: list[SafetyReview]


def safety_plan_get(*, case: Case) -> SafetyPlan | None:
    """Return the case's plan with its actions, measures and reviews, or None if not begun."""
    return (
        SafetyPlan.objects.filter(case=case)
        .prefetch_related(
            "actions__done_by",
            "measures",
            Prefetch(
                "reviews",
                queryset=SafetyReview.objects.select_related("created_by").prefetch_related(
                    "tasks"
                ),
            ),
        )
        .first()
    )


def open_reviews(*, case: Case) -> QuerySet[Task]:
    """Return the safety-plan review tasks still open on the case, oldest first, with who
    each is for."""
    return (
        case.tasks.filter(kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True)
        .select_related("assignee")
        .order_by("created_at")
    )


def risk_history(*, case: Case) -> QuerySet[RiskAssessment]:
    """Return every risk level set on the case, newest (the current one) first."""
    return case.risk_assessments.select_related("created_by").order_by("-created_at")


def risk_picture(*, case: Case) -> RiskPicture:
    """Return the current level and whether a breach since then calls for a re-assessment."""
    later = case.breaches.filter(created_at__gt=OuterRef("created_at"))
    current = risk_history(case=case).annotate(breach_since=Exists(later)).first()
    if current is None:
        return RiskPicture(current=None, breach_since=case.breaches.exists())
    return RiskPicture(current=current, breach_since=current.breach_since)


def safety_plan_page(*, case: Case) -> SafetyPlanPage:
    """Return the plan, its open reviews and the risk picture of a case already granted."""
    plan = safety_plan_get(case=case)
    return SafetyPlanPage(
        open_reviews=list(open_reviews(case=case)),
        risk=risk_picture(case=case),
        actions=list(plan.actions.all()) if plan else [],
        measures=list(plan.measures.all()) if plan else [],
        reviews=list(plan.reviews.all()) if plan else [],
    )
