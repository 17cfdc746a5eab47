from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "orderwatch.demo"
    label = "demo"
