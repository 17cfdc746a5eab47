from django.urls import path

from orderwatch.exports import views

app_name = "exports"

# Included under cases/<uuid:case_id>/exports/.
urlpatterns = [
    path("case-record/", views.case_record_request, name="case-record"),
    path("<uuid:export_id>/", views.export_detail, name="detail"),
    path("<uuid:export_id>/download/", views.export_download, name="download"),
]
