"""Queue again alert emails that are due a try and have no live task; report what is
outstanding. Safe to run as often as you like."""

from django.core.management.base import BaseCommand

from orderwatch.notifications.services import (
    EMAIL_MAX_ATTEMPTS,
    notification_email_backlog,
    notification_emails_requeue,
)


class Command(BaseCommand):
    help = (
        "Queue alert emails whose task was lost or whose retry is due, then report how many "
        "are waiting, retrying and failed. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--report", action="store_true", help="Only report; queue nothing, change nothing."
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help=f"Give emails that failed {EMAIL_MAX_ATTEMPTS} times a fresh set of attempts.",
        )

    def handle(self, *args, report: bool, retry_failed: bool, **options):
        if not report:
            queued = notification_emails_requeue(retry_failed=retry_failed)
            self.stdout.write(f"{queued} alert emails queued.")
        backlog = notification_email_backlog()
        self.stdout.write(
            f"{backlog.waiting} alert emails waiting to be sent; {backlog.retrying} waiting "
            f"to be retried; {len(backlog.failed)} failed every attempt."
        )
        for notification_id, error in backlog.failed:
            self.stdout.write(f"  failed: notification {notification_id} ({error})")
