from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "orderwatch.worker"
    label = "worker"
