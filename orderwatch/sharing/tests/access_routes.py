"""Sharing pages in the access matrix (see orderwatch/access/tests/test_access_matrix.py)."""

from orderwatch.access.tests.routes import CASE_CHANGE_PAGE, CASE_PAGE, Route, case_kwargs
from orderwatch.cases.models import Case
from orderwatch.sharing.tests.factories import PartyFactory


def party_kwargs(case: Case) -> dict:
    """A school contact with contact details, so every party page has something to show."""
    party = case.parties.first() or PartyFactory(case=case)
    return {"case_id": case.pk, "party_id": party.pk}


ROUTES = [
    Route("sharing:list", CASE_PAGE, case_kwargs),
    Route("sharing:party-new", CASE_CHANGE_PAGE, case_kwargs),
    Route("sharing:party-edit", CASE_CHANGE_PAGE, party_kwargs),
    # Contact details are for the people who share: read-only members do not see them.
    Route("sharing:party-contact", CASE_CHANGE_PAGE, party_kwargs),
    Route("sharing:share-new", CASE_CHANGE_PAGE, case_kwargs),
    # A post with nothing in it is refused on the form, never saved (200, with errors).
    Route("sharing:share-new", CASE_CHANGE_PAGE, case_kwargs, method="post"),
    Route("sharing:party-new", CASE_CHANGE_PAGE, case_kwargs, method="post"),
]
