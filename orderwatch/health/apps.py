from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "orderwatch.health"
    label = "health"
