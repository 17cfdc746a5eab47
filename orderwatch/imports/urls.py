from django.urls import path

from orderwatch.imports import views

app_name = "imports"

# Importing cases from a file (ADR 0043): agency administrators only.
urlpatterns = [
    path("import/", views.import_upload, name="upload"),
    path("import/template.csv", views.import_template, name="template"),
    path("import/check/", views.import_check, name="check"),
    path("import/<uuid:import_id>/", views.import_done, name="done"),
]
