from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "orderwatch.cases"
    label = "cases"
