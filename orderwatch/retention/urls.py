from django.urls import path

from orderwatch.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.legal_hold_list, name="list"),
    path("<uuid:case_id>/", views.legal_hold_place, name="place"),
    path("<uuid:case_id>/<uuid:hold_id>/lift/", views.legal_hold_lift, name="lift"),
]
