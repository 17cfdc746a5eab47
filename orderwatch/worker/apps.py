from django.apps import AppConfig
from django.core import checks


class WorkerConfig(AppConfig):
    name = "orderwatch.worker"
    label = "worker"

    def ready(self) -> None:
        from orderwatch.worker.checks import worker_timings_check

        checks.register(worker_timings_check)
