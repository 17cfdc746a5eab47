from django.apps import AppConfig


class PatternsConfig(AppConfig):
    name = "orderwatch.patterns"
    label = "patterns"
