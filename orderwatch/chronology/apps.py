from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "orderwatch.chronology"
    label = "chronology"
