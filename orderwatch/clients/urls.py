from django.urls import path

from orderwatch.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.api_client_list, name="list"),
    path("new/", views.api_client_register, name="new"),
    path("<uuid:client_id>/", views.api_client_detail, name="detail"),
    path("<uuid:client_id>/revoke/", views.api_client_revoke, name="revoke"),
    path("<uuid:client_id>/webhook/", views.api_client_webhook_add, name="webhook_add"),
    path(
        "<uuid:client_id>/webhook/remove/", views.api_client_webhook_remove, name="webhook_remove"
    ),
]
