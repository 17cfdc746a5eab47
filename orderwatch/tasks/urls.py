from django.urls import path

from orderwatch.tasks import views

app_name = "tasks"

urlpatterns = [
    path("<uuid:task_id>/done/", views.task_complete, name="complete"),
]
