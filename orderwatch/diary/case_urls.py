from django.urls import path

from orderwatch.diary import plan_views, views

app_name = "diary-case"

# Included under cases/<uuid:case_id>/diary/.
urlpatterns = [
    path("", views.case_diary, name="overview"),
    path("invite/", views.case_diary_invite, name="invite"),
    path("end/", views.case_diary_end, name="end"),
    path("plan/", plan_views.case_diary_plan, name="plan"),
    path("plan/withdraw/", plan_views.case_diary_plan_withdraw, name="plan-withdraw"),
]
