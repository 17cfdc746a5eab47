from django.urls import path

from orderwatch.orders import views

app_name = "orders"

ORDER = "cases/<uuid:case_id>/orders/<uuid:order_id>/"

urlpatterns = [
    path("orders/ending-soon/", views.orders_ending_soon, name="ending-soon"),
    path("cases/<uuid:case_id>/orders/new/", views.order_new, name="new"),
    path(
        "cases/<uuid:case_id>/address-changes/new/",
        views.address_change_new,
        name="address-change-new",
    ),
    path(ORDER, views.order_detail, name="detail"),
    path(ORDER + "conditions/new/", views.condition_new, name="condition-new"),
    path(
        ORDER + "conditions/<uuid:condition_id>/end/",
        views.condition_end,
        name="condition-end",
    ),
    path(ORDER + "changes/new/", views.order_change_new, name="change-new"),
    path(ORDER + "copies/new/", views.order_copy_upload, name="copy-upload"),
    path(ORDER + "copies/checked/", views.order_copy_check, name="copy-check"),
    path(ORDER + "copies/<uuid:copy_id>/", views.order_copy_download, name="copy-download"),
    path(ORDER + "summary/", views.order_summary, name="summary"),
]
