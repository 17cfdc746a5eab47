from django.urls import path

from orderwatch.diary import views

app_name = "diary-case"

# Included under cases/<uuid:case_id>/diary/.
urlpatterns = [
    path("", views.case_diary, name="overview"),
    path("invite/", views.case_diary_invite, name="invite"),
    path("end/", views.case_diary_end, name="end"),
]
