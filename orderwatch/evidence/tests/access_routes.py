"""Evidence pages in the access matrix (see orderwatch/access/tests/test_access_matrix.py)."""

from orderwatch.access.tests.routes import CASE_CHANGE_PAGE, CASE_PAGE, Route, case_kwargs
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.models import Case
from orderwatch.evidence.tests.factories import item_added


def item_kwargs(case: Case) -> dict:
    """A photo added by the lead, and a breach to link it to, so every page has something."""
    item = case.evidence_items.first()
    if item is None:
        lead = case.team_memberships.get(is_lead=True).user
        item = item_added(actor=lead, case=case)
        BreachFactory(case=case)
    return {"case_id": case.pk, "item_id": item.pk}


def file_kwargs(case: Case) -> dict:
    kwargs = item_kwargs(case)
    return {**kwargs, "file_id": case.evidence_items.get(pk=kwargs["item_id"]).files.get().pk}


ROUTES = [
    Route("evidence:log", CASE_PAGE, case_kwargs),
    Route("evidence:new", CASE_CHANGE_PAGE, case_kwargs),
    # A post with nothing in it is refused on the form, never saved (200, with errors).
    Route("evidence:new", CASE_CHANGE_PAGE, case_kwargs, method="post"),
    Route("evidence:check", CASE_PAGE, case_kwargs, method="post"),
    # Asking for the bundle leads to the prepared document's page; read-only members may not.
    Route("evidence:bundle", {**CASE_CHANGE_PAGE, "member": 302}, case_kwargs, method="post"),
    Route("evidence:detail", CASE_PAGE, item_kwargs),
    Route("evidence:file", CASE_PAGE, file_kwargs),
    Route("evidence:correct", CASE_CHANGE_PAGE, item_kwargs),
    Route("evidence:link", CASE_CHANGE_PAGE, item_kwargs),
    Route("evidence:link", CASE_CHANGE_PAGE, item_kwargs, method="post"),
    # A post with nothing in it is refused on the form, never saved (200, with errors).
    Route("evidence:incident", CASE_CHANGE_PAGE, item_kwargs),
    Route("evidence:incident", CASE_CHANGE_PAGE, item_kwargs, method="post"),
    # Removal is for the lead practitioner (the member here) or a team manager on the case.
    Route("evidence:remove", CASE_CHANGE_PAGE, item_kwargs),
    Route("evidence:remove", CASE_CHANGE_PAGE, item_kwargs, method="post"),
]
