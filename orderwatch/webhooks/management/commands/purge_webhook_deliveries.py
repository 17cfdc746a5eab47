"""Delete old rows of the webhooks' delivery logs (ADR 0045). Run daily by the scheduler."""

from django.core.management.base import BaseCommand

from orderwatch.webhooks.services import webhook_deliveries_purge


class Command(BaseCommand):
    help = (
        "Delete finished webhook deliveries older than ORDERWATCH_WEBHOOK_LOG_KEEP_DAYS. "
        "Safe to re-run."
    )

    def handle(self, *args, **options):
        purged = webhook_deliveries_purge()
        self.stdout.write(f"{purged} webhook deliveries deleted.")
