"""The access matrix's vocabulary: visitors, expected answers and routes.

Each app lists its own URLs in `<app>/tests/access_routes.py` (a `ROUTES` list) with these;
`test_access_matrix` runs them all as every kind of visitor.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from orderwatch.cases.models import Case

SIGN_IN_REDIRECT = 302
TWO_FACTOR_REDIRECT = 302
VISITORS = [
    "anonymous",  # not signed in
    "member",  # practitioner on the case team
    "member_auditor",  # auditor on the case team: may read, not reveal or change
    "removed",  # practitioner who was on the case team and has been taken off it
    "outsider",  # practitioner in another agency, on other cases only
    "auditor",  # auditor in the lead's agency, on no case team
    "password_only",  # case member who has entered a password but not yet a two-factor code
]
# The victim-survivor keeping a diary on the case. Outside their diary they get 404 on every
# route, so a route names what they get only where that differs (the diary's own pages).
DIARY_USER = "diary_user"
# Agency administrators: of the lead's agency, and of another agency. They are on no case team,
# so every case URL answers them 404 (CASE_PAGE); they are run only on the routes that name them.
AGENCY_ADMIN = "agency_admin"
OTHER_AGENCY_ADMIN = "other_agency_admin"
ADMIN_VISITORS = [AGENCY_ADMIN, OTHER_AGENCY_ADMIN]


@dataclass(frozen=True)
class Route:
    name: str
    expect: dict[str, int]
    kwargs: Callable[[Case], dict] = lambda case: {}
    method: str = "get"
    data: dict | str = field(default_factory=dict)


def case_kwargs(case: Case) -> dict:
    return {"case_id": case.pk}


# For case URLs a visitor outside the case team gets 404, never 403: the case does not exist
# for them.
CASE_PAGE = {
    "anonymous": SIGN_IN_REDIRECT,
    "member": 200,
    "member_auditor": 200,
    "removed": 404,
    "outsider": 404,
    "auditor": 404,
    "password_only": TWO_FACTOR_REDIRECT,
    AGENCY_ADMIN: 404,
}
CASE_CHANGE_PAGE = {**CASE_PAGE, "member_auditor": 403}
# The API answers for itself: 401 (asking for a bearer token) with no credentials at all.
CASE_API = {**CASE_PAGE, "anonymous": 401, "password_only": 403}
# A write the caller may make gets as far as reading what was sent: without an Idempotency-Key
# (or with an empty body), 400.
CASE_API_WRITE = {**CASE_API, "member": 400, "member_auditor": 403}
SIGNED_IN_PAGE = {"anonymous": SIGN_IN_REDIRECT, "password_only": TWO_FACTOR_REDIRECT}
API = {"anonymous": 401, "password_only": 403}
VERIFIED = VISITORS[1:-1]
