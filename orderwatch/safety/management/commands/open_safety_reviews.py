"""Open a safety-plan review for each order that has recently ended. Safe to run as often as
you like: an order's ending opens one review, ever."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from orderwatch.safety.services import safety_reviews_for_ended_orders


class Command(BaseCommand):
    help = "Open safety-plan reviews for orders that ended in the last two weeks."

    def handle(self, *args, **options):
        tasks = safety_reviews_for_ended_orders(today=timezone.localdate())
        self.stdout.write(f"{len(tasks)} ended orders have a safety-plan review task.")
