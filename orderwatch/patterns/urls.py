from django.urls import path

from orderwatch.patterns import views

app_name = "patterns"

urlpatterns = [
    path("", views.pattern_dashboard, name="dashboard"),
]
