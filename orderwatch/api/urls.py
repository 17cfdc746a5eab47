"""The REST API (version 1), its OpenAPI schema and its token endpoint. Each app contributes its
own views; every one answers for itself (401/403 as problem details), so Django's sign-in
redirect is not used here."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider.views import RevokeTokenView, TokenView

from orderwatch.api.problems import api_not_found
from orderwatch.breaches import api as breaches_api
from orderwatch.cases import api as cases_api
from orderwatch.core.compression import not_compressed
from orderwatch.core.uploads import accepts_files
from orderwatch.events import api as events_api
from orderwatch.evidence import api as evidence_api
from orderwatch.orders import api as orders_api
from orderwatch.patterns import api as patterns_api
from orderwatch.sharing import api as sharing_api

app_name = "api"

CASE = "cases/<uuid:case_id>/"
ORDER = f"{CASE}orders/<uuid:order_id>/"
BREACH = f"{CASE}breaches/<uuid:breach_id>/"


def _api(view, route: str, name: str):
    return path(route, login_not_required(view.as_view()), name=name)


def _token(view, route: str, name: str):
    # A token in the answer: never compressed (ADR 0013).
    return path(route, not_compressed(login_not_required(view.as_view())), name=name)


urlpatterns = [
    _api(SpectacularAPIView, "schema/", "schema"),
    # OAuth2 client credentials (ADR 0042): a registered client swaps its id and secret for a
    # bearer token, and may give a token back early.
    _token(TokenView, "token/", "token"),
    _token(RevokeTokenView, "token/revoke/", "token-revoke"),
    _api(cases_api.CaseListApi, "cases/", "case-list"),
    _api(cases_api.CaseDetailApi, CASE, "case-detail"),
    _api(cases_api.CasePersonListApi, f"{CASE}people/", "case-people"),
    _api(patterns_api.CasePatternApi, f"{CASE}pattern/", "case-pattern"),
    _api(orders_api.OrderListApi, f"{CASE}orders/", "order-list"),
    _api(orders_api.OrderDetailApi, ORDER, "order-detail"),
    _api(orders_api.ConditionListApi, f"{ORDER}conditions/", "order-conditions"),
    _api(orders_api.OrderChangeListApi, f"{ORDER}changes/", "order-changes"),
    _api(breaches_api.BreachListApi, f"{CASE}breaches/", "breach-list"),
    _api(breaches_api.BreachDetailApi, BREACH, "breach-detail"),
    _api(breaches_api.BreachPoliceReportApi, f"{BREACH}police-report/", "breach-police-report"),
    _api(sharing_api.ShareListApi, f"{CASE}shares/", "case-shares"),
    # Files: the evidence pages' limit on the request's size, answered 413 before it is read.
    path(
        f"{CASE}evidence/",
        accepts_files("ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES")(
            login_not_required(evidence_api.EvidenceListApi.as_view())
        ),
        name="case-evidence",
    ),
    _api(events_api.EventFeedApi, "events/", "events"),
    # Last: anything else under the API, a malformed id included, is a problem-details 404.
    re_path(r"^[\s\S]*$", login_not_required(api_not_found), name="not-found"),
]
