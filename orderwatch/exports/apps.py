from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "orderwatch.exports"
    label = "exports"
