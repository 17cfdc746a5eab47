from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "orderwatch.clients"
    label = "clients"
    verbose_name = "API clients"
