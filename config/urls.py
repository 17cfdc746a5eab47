"""Top-level URL configuration: one include per app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("service-admin/", admin.site.urls),
    path("", include("orderwatch.core.urls")),
    path("health/", include("orderwatch.health.urls")),
    path("accounts/", include("orderwatch.accounts.urls")),
    path("cases/", include("orderwatch.cases.urls")),
    path("", include("orderwatch.orders.urls")),
    path("cases/<uuid:case_id>/breaches/", include("orderwatch.breaches.urls")),
    path("cases/<uuid:case_id>/", include("orderwatch.safety.urls")),
    path("cases/<uuid:case_id>/chronology/", include("orderwatch.chronology.urls")),
    path("cases/<uuid:case_id>/sharing/", include("orderwatch.sharing.urls")),
    path("cases/<uuid:case_id>/evidence/", include("orderwatch.evidence.urls")),
    path("cases/<uuid:case_id>/exports/", include("orderwatch.exports.urls")),
    path("cases/<uuid:case_id>/diary/", include("orderwatch.diary.case_urls")),
    path("notes/", include("orderwatch.diary.urls")),
    path("reminders/", include("orderwatch.reminders.urls")),
    path("calendar/", include("orderwatch.calendar_feed.urls")),
    path("tasks/", include("orderwatch.tasks.urls")),
    path("notifications/", include("orderwatch.notifications.urls")),
    path("audit/", include("orderwatch.audit.urls")),
    path("patterns/", include("orderwatch.patterns.urls")),
    path("people/", include("orderwatch.people.urls")),
    path("", include("orderwatch.retention.urls")),
    path("api-clients/", include("orderwatch.clients.urls")),
    path("", include("orderwatch.imports.urls")),
    path("api/v1/", include("orderwatch.api.urls")),
]

# An outage anywhere (even in a middleware, before any view) gets the outage page, not a 500.
handler500 = "orderwatch.core.outage.server_error"
