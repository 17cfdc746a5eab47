from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "orderwatch.evidence"
    label = "evidence"
