"""Breach pages in the access matrix (see orderwatch/access/tests/test_access_matrix.py)."""

from orderwatch.access.tests.routes import CASE_CHANGE_PAGE, CASE_PAGE, Route, case_kwargs
from orderwatch.breaches.models import Known
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.models import Case
from orderwatch.confidential.fields import Confidential


def breach_kwargs(case: Case) -> dict:
    """A breach with witnesses and no police report yet, so every breach page has work."""
    breach = case.breaches.first() or BreachFactory(
        case=case,
        witnesses=Known.GIVEN,
        witness_details=Confidential.from_plaintext("A neighbour, 07700 900123"),
    )
    return {"case_id": case.pk, "breach_id": breach.pk}


def question_kwargs(case: Case) -> dict:
    return {"case_id": case.pk, "question": "what-happened"}


# Without a breach started, Check your answers sends a member to the start; discarding one
# sends them back there too.
STARTS_OVER = {**CASE_CHANGE_PAGE, "member": 302}

ROUTES = [
    Route("breaches:list", CASE_PAGE, case_kwargs),
    Route("breaches:new", CASE_CHANGE_PAGE, case_kwargs),
    Route("breaches:question", CASE_CHANGE_PAGE, question_kwargs),
    Route(
        "breaches:question",
        STARTS_OVER,
        question_kwargs,
        method="post",
        data={"what_happened": "He waited outside the school."},
    ),
    Route("breaches:check", STARTS_OVER, case_kwargs),
    Route("breaches:discard", STARTS_OVER, case_kwargs, method="post"),
    Route("breaches:detail", CASE_PAGE, breach_kwargs),
    Route("breaches:police-report", CASE_CHANGE_PAGE, breach_kwargs),
    Route("breaches:witnesses-reveal", CASE_CHANGE_PAGE, breach_kwargs),
]
