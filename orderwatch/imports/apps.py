from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "orderwatch.imports"
    label = "imports"
    verbose_name = "Imports"
