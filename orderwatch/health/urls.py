from django.contrib.auth.decorators import login_not_required
from django.urls import path

from orderwatch.health import views

app_name = "health"

# Probes from load balancers and orchestrators: no sign-in (ADR 0032).
urlpatterns = [
    path("live", login_not_required(views.LiveView.as_view()), name="live"),
    path("ready", login_not_required(views.ReadyView.as_view()), name="ready"),
]
