from django.urls import path

from orderwatch.safety import views

app_name = "safety"

urlpatterns = [
    path("safety-plan/", views.safety_plan, name="plan"),
    path("safety-plan/actions/new/", views.safety_action_new, name="action-new"),
    path(
        "safety-plan/actions/<uuid:action_id>/done/",
        views.safety_action_done,
        name="action-done",
    ),
    path("safety-plan/measures/new/", views.safety_measure_new, name="measure-new"),
    path("safety-plan/agreements/new/", views.safety_agreement_new, name="agreement-new"),
    path("safety-plan/reviews/new/", views.safety_review_new, name="review-new"),
    path("risk/new/", views.risk_level_new, name="risk-new"),
]
