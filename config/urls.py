"""Top-level URL configuration: one include per app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("service-admin/", admin.site.urls),
    path("", include("orderwatch.core.urls")),
    path("accounts/", include("orderwatch.accounts.urls")),
    path("cases/", include("orderwatch.cases.urls")),
    path("", include("orderwatch.orders.urls")),
    path("audit/", include("orderwatch.audit.urls")),
    path("api/v1/", include("orderwatch.api.urls")),
]
