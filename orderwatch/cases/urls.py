from django.urls import path

from orderwatch.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/people/new/", views.case_person_new, name="person-new"),
    path("<uuid:case_id>/address/reveal/", views.case_address_reveal, name="address-reveal"),
]
