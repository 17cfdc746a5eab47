from django.urls import path

from orderwatch.diary import views

app_name = "diary"

# Included under notes/: a neutral address, since it stays in the phone's browser history.
urlpatterns = [
    path("", views.home, name="home"),
    path("add/", views.add, name="add"),
    path("start/<str:secret>/", views.start_link, name="start"),
    path("start/", views.start, name="start-form"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("exit/", views.exit_page, name="exit"),
    path("second-step/", views.second_step, name="second-step"),
    path("code/", views.code, name="code"),
]
