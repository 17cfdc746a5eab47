from django.urls import path  # noqa: F401

app_name = "evidence"

# Included under cases/<uuid:case_id>/evidence/.
urlpatterns: list = []
