"""Queue again document builds that are due a try and have no live task, delete prepared
documents past their time, and report what is outstanding. Safe to run as often as you like."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from orderwatch.exports.services import export_backlog, exports_expire, exports_requeue


class Command(BaseCommand):
    help = (
        "Queue document builds whose task was lost or whose retry is due, delete prepared "
        "documents past their time, then report how many builds are waiting, retrying and "
        "failed (in the last day). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--report", action="store_true", help="Only report; queue nothing, change nothing."
        )

    def handle(self, *args, report: bool, **options):
        if not report:
            queued = exports_requeue()
            deleted = exports_expire()
            self.stdout.write(f"{queued} document builds queued; {deleted} expired files deleted.")
        backlog = export_backlog(since=timezone.now() - dt.timedelta(days=1))
        self.stdout.write(
            f"{backlog.waiting} document builds waiting; {backlog.retrying} waiting to be "
            f"retried; {len(backlog.failed)} failed every attempt in the last day."
        )
        for export_id, error in backlog.failed:
            self.stdout.write(f"  failed: export {export_id} ({error})")
