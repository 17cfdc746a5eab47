from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "orderwatch.accounts"
    label = "accounts"
