from django.urls import path

from orderwatch.reminders import views

app_name = "reminders"

urlpatterns = [
    path("tasks/<uuid:task_id>/decision/", views.expiry_decision, name="decision"),
]
