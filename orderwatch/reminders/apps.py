from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "orderwatch.reminders"
    label = "reminders"
