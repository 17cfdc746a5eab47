from django.urls import path

from orderwatch.calendar_feed import views

app_name = "calendar_feed"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("new/", views.create, name="create"),
    path("revoke/", views.revoke, name="revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
