from django.urls import path  # noqa: F401

from orderwatch.calendar_feed import views  # noqa: F401

app_name = "calendar_feed"

urlpatterns = []
