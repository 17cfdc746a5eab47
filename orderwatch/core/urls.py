from django.urls import path

from orderwatch.core import views
from orderwatch.evidence import public_key

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    # Public, so anyone given an evidence bundle can check who signed it.
    path("evidence-signing-key/", public_key.evidence_public_key, name="evidence-signing-key"),
    path(
        "evidence-signing-key.pem",
        public_key.evidence_public_key_pem,
        name="evidence-signing-key-pem",
    ),
]
