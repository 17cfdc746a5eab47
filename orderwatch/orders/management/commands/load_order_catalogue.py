"""Bring the order-type catalogue in the database up to date with its data file."""

from django.core.management.base import BaseCommand

from orderwatch.orders.catalogue import load_catalogue
from orderwatch.orders.models import OrderType


class Command(BaseCommand):
    help = "Create or update order types from orderwatch/orders/catalogue/<name>.json."

    def add_arguments(self, parser):
        parser.add_argument("--catalogue", default="uk")

    def handle(self, *args, catalogue, **options):
        count = load_catalogue(OrderType, catalogue)
        self.stdout.write(f"{count} order types loaded from the '{catalogue}' catalogue.")
