from django.urls import path

from orderwatch.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
]
