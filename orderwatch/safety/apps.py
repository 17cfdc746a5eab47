from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "orderwatch.safety"
    label = "safety"
