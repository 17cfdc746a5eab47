from django.apps import AppConfig


class ConfidentialConfig(AppConfig):
    name = "orderwatch.confidential"
    label = "confidential"
