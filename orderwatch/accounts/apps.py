from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "orderwatch.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from orderwatch.accounts.middleware import mark_session_start

        user_logged_in.connect(mark_session_start, dispatch_uid="orderwatch_session_start")
