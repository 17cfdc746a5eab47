"""Chronology pages in the access matrix (see orderwatch/access/tests/test_access_matrix.py)."""

from orderwatch.access.tests.routes import CASE_PAGE, Route, case_kwargs

ROUTES = [
    Route("chronology:timeline", CASE_PAGE, case_kwargs),
    Route("chronology:pdf", CASE_PAGE, case_kwargs),
]
