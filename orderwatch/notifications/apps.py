from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "orderwatch.notifications"
    label = "notifications"
