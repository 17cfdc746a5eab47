"""Pattern pages in the access matrix (see orderwatch/access/tests/test_access_matrix.py)."""

from orderwatch.access.tests.routes import (
    CASE_API,
    SIGN_IN_REDIRECT,
    TWO_FACTOR_REDIRECT,
    Route,
    case_kwargs,
)

ROUTES = [
    Route("api:case-pattern", CASE_API, case_kwargs),
    # For team managers only (none among the matrix's visitors); each case on it is one the
    # manager is on (tested in tests/views).
    Route(
        "patterns:dashboard",
        {
            "anonymous": SIGN_IN_REDIRECT,
            "member": 403,
            "member_auditor": 403,
            "removed": 403,
            "outsider": 403,
            "auditor": 403,
            "password_only": TWO_FACTOR_REDIRECT,
        },
    ),
]
