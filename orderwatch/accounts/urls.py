from django.urls import path

from orderwatch.accounts import views
from orderwatch.accounts.middleware import mfa_not_required

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", mfa_not_required(views.SignOutView.as_view()), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("two-factor/", views.mfa_verify, name="mfa-verify"),
    path("two-factor/set-up/", views.mfa_setup, name="mfa-setup"),
]
