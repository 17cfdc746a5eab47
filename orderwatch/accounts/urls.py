from django.urls import include, path

from orderwatch.accounts import views
from orderwatch.accounts.middleware import mfa_not_required

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", mfa_not_required(views.SignOutView.as_view()), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("two-factor/", views.mfa_verify, name="mfa-verify"),
    path("two-factor/set-up/", views.mfa_setup, name="mfa-setup"),
    path("your-account/", views.account, name="account"),
    path("your-account/password/", views.password_change, name="password-change"),
    path(
        "your-account/sign-out-everywhere-else/",
        views.sessions_end_others,
        name="sessions-end-others",
    ),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path("password-reset/new-password/", views.password_reset_new, name="password-reset-new"),
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        views.password_reset_link,
        name="password-reset-link",
    ),
    path("set-up/password/", views.account_setup, name="account-setup"),
    path("set-up/<str:uidb64>/<str:token>/", views.account_setup_link, name="account-setup-link"),
    path("", include("orderwatch.accounts.passkey_urls")),
]
