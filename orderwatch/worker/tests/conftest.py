import pytest


@pytest.fixture(autouse=True)
def _database_task_backend(settings, thursday_morning):
    """Tasks are queued in the database, as in production, on Thursday 5 March 2026 at 10am."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ORDERWATCH_WORKER_LEASE_SECONDS = 60
    settings.ORDERWATCH_WORKER_HEARTBEAT_SECONDS = 0.1
