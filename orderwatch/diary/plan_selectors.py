"""Reads for the page where the lead chooses their part of the safety plan to show in the
victim-survivor's diary (issue 22, ADR 0046).

Apart from `diary.selectors` only so the two could be written at once; it belongs with them.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from orderwatch.access.policy import CaseClosed, access_case
from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.diary.models import DiaryPlanShare
from orderwatch.safety.models import SafetyAction, SafetyMeasure


def case_for_plan_share(*, user: User, case_id) -> Case:
    """Return the case if `user` may choose what its diary shows of the safety plan: 404 if
    they cannot see it, 403 if it is closed or they may not choose (only the lead, or a team
    manager on the case)."""
    case = access_case(user, case_id)
    if case.is_closed:
        raise CaseClosed
    if not user.has_perm("diary.share_with_keeper", case):
        raise PermissionDenied
    return case


@dataclass(frozen=True)
class PlanChoices:
    actions: list[SafetyAction]
    measures: list[SafetyMeasure]
    shown: DiaryPlanShare | None  # what the diary shows now, if anything
    shown_actions: list[str]  # ids, as the form's checkboxes hold them
    shown_measures: list[str]


def plan_share_choices(*, case: Case) -> PlanChoices:
    """Return the actions and practical measures of the case's (already granted) safety plan,
    oldest first, and what of them its diary shows now."""
    shown = (
        DiaryPlanShare.objects.filter(case=case, withdrawn_at__isnull=True)
        .prefetch_related("actions", "measures")
        .first()
    )
    return PlanChoices(
        actions=list(SafetyAction.objects.filter(plan__case=case).order_by("created_at", "pk")),
        measures=list(SafetyMeasure.objects.filter(plan__case=case).order_by("created_at", "pk")),
        shown=shown,
        shown_actions=[str(a.pk) for a in shown.actions.all()] if shown else [],
        shown_measures=[str(m.pk) for m in shown.measures.all()] if shown else [],
    )
