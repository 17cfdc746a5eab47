from django.apps import AppConfig


class BreachesConfig(AppConfig):
    name = "orderwatch.breaches"
    label = "breaches"
