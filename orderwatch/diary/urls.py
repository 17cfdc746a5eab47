from django.urls import path

from orderwatch.core import views as core_views
from orderwatch.diary import plan_views, views

app_name = "diary"

# Included under notes/: a neutral address, since it stays in the phone's browser history.
urlpatterns = [
    path("", views.home, name="home"),
    path("add/", views.add, name="add"),
    # What the lead shows in the diary (ADR 0046): neutral addresses, as above.
    path("guide/", views.your_order, name="order"),
    path("guide/hide/", views.your_order_hide, name="order-hide"),
    # The keeper's part of the safety plan; a plain word in the address (it stays in history).
    path("steps/", plan_views.plan, name="plan"),
    # Before the invitation link, whose secret would otherwise take "sent" and "confirm".
    path("start/sent/", views.start_sent, name="start-sent"),
    path("start/confirm/<uuid:invite_id>/<str:token>/", views.confirm_link, name="confirm"),
    path("start/confirm/", views.confirm, name="confirm-form"),
    path("start/<str:secret>/", views.start_link, name="start"),
    path("start/", views.start, name="start-form"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("exit/", views.exit_page, name="exit"),
    # The notes' own accessibility, privacy and cookies pages (ADR 0029).
    path("accessibility/", core_views.notes_accessibility, name="accessibility"),
    path("privacy/", core_views.notes_privacy, name="privacy"),
    path("cookies/", core_views.notes_cookies, name="cookies"),
    path("second-step/", views.second_step, name="second-step"),
    path("code/", views.code, name="code"),
]
