"""Background work for prepared documents, through django-tasks. Thin: it calls one service.

Queued with `transaction.on_commit` by `export_request`; run by `manage.py run_worker` (or at
once, in-process, by the immediate backend in tests). The argument is an id only.
"""

from django_tasks import task

from orderwatch.exports import services


@task()
def export_build(export_id: str) -> bool:
    """Build and store a requested document (once, however often run)."""
    return services.export_build(export_id=export_id)
