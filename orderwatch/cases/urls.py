from django.urls import path

from orderwatch.cases import views

app_name = "cases"
TEAM = "<uuid:case_id>/team/<uuid:membership_id>/"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/people/new/", views.case_person_new, name="person-new"),
    path("<uuid:case_id>/address/new/", views.case_address_record, name="address-record"),
    path("<uuid:case_id>/address/reveal/", views.case_address_reveal, name="address-reveal"),
    path("<uuid:case_id>/team/add/", views.team_member_add, name="team-add"),
    path(TEAM + "remove/", views.team_member_remove, name="team-remove"),
    path(TEAM + "lead/", views.team_lead_hand_over, name="team-lead"),
    path("<uuid:case_id>/new-lead-needed/", views.lead_needed, name="lead-needed"),
    path("<uuid:case_id>/close/", views.case_close_checklist, name="close"),
    path("<uuid:case_id>/close/reason/", views.case_close_reason, name="close-reason"),
    path("<uuid:case_id>/close/check/", views.case_close_check, name="close-check"),
    path("<uuid:case_id>/reopen/", views.case_reopen_page, name="reopen"),
    path(TEAM + "address-access/", views.team_address_access, name="team-address-access"),
]
