"""Do all scheduled work: safety-plan reviews for ended orders, expiry reminders and team
alerts (order ending, order ended, review overdue). Safe to run as often as you like, and
concurrently."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from orderwatch.reminders.services import reminders_sweep


class Command(BaseCommand):
    help = "Open expiry reminders and safety-plan reviews, and alert case teams. Safe to re-run."

    def handle(self, *args, **options):
        result = reminders_sweep(today=timezone.localdate())
        if not result.ran:
            self.stdout.write("Another reminder sweep is running; nothing done.")
            return
        self.stdout.write(
            f"{result.reviews_opened} ended orders have a safety-plan review task; "
            f"{result.reminders_opened} expiry reminders opened "
            f"({result.reminders_skipped} skipped: nobody on the case team); "
            f"{result.ending_alerts + result.expired_alerts + result.overdue_alerts} team alerts "
            f"sent ({result.ending_alerts} ending, {result.expired_alerts} ended, "
            f"{result.overdue_alerts} reviews overdue)."
        )
