from django.urls import path

from orderwatch.retention import views

app_name = "retention"

urlpatterns = [
    path("legal-holds/", views.legal_hold_list, name="list"),
    path("legal-holds/<uuid:case_id>/", views.legal_hold_place, name="place"),
    path("legal-holds/<uuid:case_id>/<uuid:hold_id>/lift/", views.legal_hold_lift, name="lift"),
    # Disposal at the end of retention (ADR 0041): agency administrators only.
    path("disposal/", views.disposal_due, name="disposal-due"),
    path("disposal/check/", views.disposal_check, name="disposal-check"),
    path("disposal/<uuid:batch_id>/", views.disposal_batch, name="disposal-batch"),
]
