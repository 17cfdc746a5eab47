from django.urls import path

from orderwatch.diary import plan_views, views

app_name = "diary-case"

# Included under cases/<uuid:case_id>/diary/.
urlpatterns = [
    path("", views.case_diary, name="overview"),
    path("invite/", views.case_diary_invite, name="invite"),
    path("end/", views.case_diary_end, name="end"),
    # What the diary shows (ADR 0046).
    path("orders/<uuid:order_id>/show/", views.case_diary_order_share, name="order-share"),
    path("orders/<uuid:order_id>/stop/", views.case_diary_order_withdraw, name="order-withdraw"),
    path("order-hidden/", views.case_diary_order_hidden, name="order-hidden"),
    path("their-order/", views.case_diary_preview, name="preview"),
    path("plan/", plan_views.case_diary_plan, name="plan"),
    path("plan/withdraw/", plan_views.case_diary_plan_withdraw, name="plan-withdraw"),
]
