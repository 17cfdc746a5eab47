from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "orderwatch.sharing"
    label = "sharing"
