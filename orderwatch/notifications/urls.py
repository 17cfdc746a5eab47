from django.urls import path

from orderwatch.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notifications_mark_all_read, name="mark-all-read"),
    path("<uuid:notification_id>/", views.notification_open, name="open"),
]
