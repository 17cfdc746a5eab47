import logging

from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    name = "orderwatch.notifications"
    label = "notifications"

    def ready(self) -> None:
        from orderwatch.notifications.checks import notify_settings_check
        from orderwatch.notifications.notify_backend import CLIENT_LOGGER, WithoutNotifyErrorText

        checks.register(notify_settings_check)
        logging.getLogger(CLIENT_LOGGER).addFilter(WithoutNotifyErrorText())
