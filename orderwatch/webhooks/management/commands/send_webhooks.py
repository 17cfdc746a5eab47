"""Make and queue webhook deliveries of new case events (ADR 0045). Safe to run as often as you
like; the scheduler runs it every minute."""

from django.core.management.base import BaseCommand

from orderwatch.webhooks.services import webhook_deliveries_queue


class Command(BaseCommand):
    help = "Make webhook deliveries of new case events and queue those due. Safe to re-run."

    def handle(self, *args, **options):
        queued = webhook_deliveries_queue()
        self.stdout.write(f"{queued} webhook deliveries queued.")
