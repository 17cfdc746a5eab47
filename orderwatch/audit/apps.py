from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "orderwatch.audit"
    label = "audit"
