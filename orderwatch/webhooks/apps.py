from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "orderwatch.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
