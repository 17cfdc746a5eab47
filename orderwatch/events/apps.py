from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "orderwatch.events"
    label = "events"
    verbose_name = "Case events"
