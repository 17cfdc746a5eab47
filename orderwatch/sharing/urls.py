from django.urls import path

from orderwatch.sharing import views

app_name = "sharing"

# Included under cases/<uuid:case_id>/sharing/.
urlpatterns = [
    path("", views.sharing_list, name="list"),
    path("parties/new/", views.party_new, name="party-new"),
    path("parties/<uuid:party_id>/", views.party_edit, name="party-edit"),
    path(
        "parties/<uuid:party_id>/contact-details/",
        views.party_contact,
        name="party-contact",
    ),
    path("shares/new/", views.share_new, name="share-new"),
]
