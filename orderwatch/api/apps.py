from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "orderwatch.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from orderwatch.api import schema  # noqa: F401 - registers the token's description
