"""The REST API (version 1) and its OpenAPI schema. Each app contributes its own views."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from orderwatch.cases import api as cases_api
from orderwatch.patterns import api as patterns_api

app_name = "api"

# The API answers for itself (401/403 as JSON), so Django's sign-in redirect is not used here.
urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("cases/", login_not_required(cases_api.CaseListApi.as_view()), name="case-list"),
    path(
        "cases/<uuid:case_id>/",
        login_not_required(cases_api.CaseDetailApi.as_view()),
        name="case-detail",
    ),
    path(
        "cases/<uuid:case_id>/pattern/",
        login_not_required(patterns_api.CasePatternApi.as_view()),
        name="case-pattern",
    ),
]
