from django.urls import path  # noqa: F401

from orderwatch.reminders import views  # noqa: F401

app_name = "reminders"

urlpatterns = []
