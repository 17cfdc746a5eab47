from django.urls import path  # noqa: F401

from orderwatch.breaches import views  # noqa: F401

app_name = "breaches"

urlpatterns = []
