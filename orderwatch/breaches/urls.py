from django.urls import path

from orderwatch.breaches import views

app_name = "breaches"

# Included under cases/<uuid:case_id>/breaches/.
urlpatterns = [
    path("", views.breach_list, name="list"),
    path("new/", views.breach_new, name="new"),
    path("new/check/", views.breach_check, name="check"),
    path("new/discard/", views.breach_draft_forget, name="discard"),
    path("new/<slug:question>/", views.breach_question, name="question"),
    path("<uuid:breach_id>/", views.breach_detail, name="detail"),
    path("<uuid:breach_id>/police-report/", views.breach_police_report, name="police-report"),
    path(
        "<uuid:breach_id>/witnesses/reveal/",
        views.breach_witnesses_reveal,
        name="witnesses-reveal",
    ),
]
