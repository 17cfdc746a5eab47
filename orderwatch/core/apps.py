from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "orderwatch.core"
    label = "core"
