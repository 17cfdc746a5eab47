"""Chronology pages in the access matrix (see orderwatch/access/tests/test_access_matrix.py)."""

from orderwatch.access.tests.routes import CASE_PAGE, Route, case_kwargs

ROUTES = [
    Route("chronology:timeline", CASE_PAGE, case_kwargs),
    # Asking for the PDF leads to the prepared document's page.
    Route(
        "chronology:pdf",
        {**CASE_PAGE, "member": 302, "member_auditor": 302},
        case_kwargs,
        method="post",
    ),
]
