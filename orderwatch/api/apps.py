from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "orderwatch.api"
    label = "api"
    verbose_name = "API"
