"""Reading safety plans and risk levels for a case already granted to the caller."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from orderwatch.cases.models import Case
from orderwatch.safety.models import RiskAssessment, SafetyPlan, SafetyReview
from orderwatch.tasks.models import Task


@dataclass(frozen=True)
class RiskPicture:
    current: RiskAssessment | None
    breach_since: bool  # a breach was recorded after the level was last set


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
    """Return the safety-plan review tasks still open on the case, oldest first."""
    return case.tasks.filter(kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True).order_by(
        "created_at"
    )


def risk_history(*, case: Case) -> QuerySet[RiskAssessment]:
    return case.risk_assessments.select_related("created_by").order_by("-created_at")


def risk_picture(*, case: Case) -> RiskPicture:
    """Return the current level and whether a breach since then calls for a re-assessment."""
    current = risk_history(case=case).first()
    breaches = case.breaches.all()
    if current is not None:
        breaches = breaches.filter(created_at__gt=current.created_at)
    return RiskPicture(current=current, breach_since=breaches.exists())
