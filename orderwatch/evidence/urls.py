from django.urls import path

from orderwatch.evidence import views

app_name = "evidence"

# Included under cases/<uuid:case_id>/evidence/.
urlpatterns = [
    path("", views.evidence_log, name="log"),
    path("new/", views.evidence_new, name="new"),
    path("check/", views.evidence_check, name="check"),
    path("bundle/", views.evidence_bundle, name="bundle"),
    path("<uuid:item_id>/", views.evidence_detail, name="detail"),
    path("<uuid:item_id>/correct/", views.evidence_new, name="correct"),
    path("<uuid:item_id>/link/", views.evidence_link, name="link"),
    path("<uuid:item_id>/incident/", views.evidence_incident, name="incident"),
    path("<uuid:item_id>/remove/", views.evidence_remove, name="remove"),
    path("<uuid:item_id>/files/<uuid:file_id>/", views.evidence_file, name="file"),
]
