from django.urls import path  # noqa: F401

from orderwatch.sharing import views  # noqa: F401

app_name = "sharing"

urlpatterns = []
