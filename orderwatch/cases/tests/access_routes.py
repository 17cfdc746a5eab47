"""Closing and reopening a case in the access matrix (see orderwatch/access/tests/): the lead
may; a read-only member gets 403; anyone outside the case team gets 404."""

from orderwatch.access.tests.routes import CASE_CHANGE_PAGE, Route, case_kwargs

# Without answers from the checklist, the later pages send the lead back to it; reopening an
# open case sends them back to the case.
REDIRECTS_THE_LEAD = {**CASE_CHANGE_PAGE, "member": 302}

ROUTES = [
    Route("cases:close", CASE_CHANGE_PAGE, case_kwargs),
    Route("cases:close", CASE_CHANGE_PAGE, case_kwargs, method="post"),  # the checklist again
    Route("cases:close-reason", REDIRECTS_THE_LEAD, case_kwargs),
    Route("cases:close-check", REDIRECTS_THE_LEAD, case_kwargs),
    Route("cases:close-check", REDIRECTS_THE_LEAD, case_kwargs, method="post"),
    Route("cases:reopen", REDIRECTS_THE_LEAD, case_kwargs),
    Route("cases:reopen", REDIRECTS_THE_LEAD, case_kwargs, method="post"),
]
