from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "orderwatch.access"
    label = "access"

    def ready(self) -> None:
        from orderwatch.access import policy  # noqa: F401  (registers the permission rules)
