"""Safety plan and risk pages in the access matrix (see orderwatch/access/tests/)."""

from orderwatch.access.tests.routes import CASE_CHANGE_PAGE, CASE_PAGE, Route, case_kwargs
from orderwatch.cases.models import Case
from orderwatch.safety.models import SafetyAction, SafetyPlan


def action_kwargs(case: Case) -> dict:
    """An open action on the case's plan, for the member to mark done."""
    plan, _ = SafetyPlan.objects.get_or_create(case=case)
    action = SafetyAction.objects.create(plan=plan, what="Fit a door chain", who="Housing")
    return {"case_id": case.pk, "action_id": action.pk}


ROUTES = [
    Route("safety:plan", CASE_PAGE, case_kwargs),
    Route("safety:action-new", CASE_CHANGE_PAGE, case_kwargs),
    Route("safety:measure-new", CASE_CHANGE_PAGE, case_kwargs),
    Route("safety:agreement-new", CASE_CHANGE_PAGE, case_kwargs),
    Route("safety:review-new", CASE_CHANGE_PAGE, case_kwargs),
    Route("safety:risk-new", CASE_CHANGE_PAGE, case_kwargs),
    # Marking an action done is a POST that returns to the plan.
    Route("safety:action-done", {**CASE_CHANGE_PAGE, "member": 302}, action_kwargs, method="post"),
]
