from django.urls import path

from orderwatch.people import views

app_name = "people"
PERSON = "<uuid:person_id>/"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("new/", views.person_new, name="new"),
    path(PERSON, views.person_detail, name="detail"),
    path(PERSON + "role/", views.person_role, name="role"),
    path(PERSON + "deactivate/", views.person_deactivate_page, name="deactivate"),
    path(PERSON + "reactivate/", views.person_reactivate_page, name="reactivate"),
    path(
        PERSON + "reset-authenticator/",
        views.person_authenticator_reset_page,
        name="authenticator-reset",
    ),
    path(PERSON + "set-up-link/", views.person_setup_link, name="setup-link"),
]
