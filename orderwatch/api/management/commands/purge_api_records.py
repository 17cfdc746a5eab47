"""Delete the API's old rate-limit counts, request fingerprints and expired tokens (daily)."""

from django.core.management.base import BaseCommand

from orderwatch.api.services import api_records_purge


class Command(BaseCommand):
    help = (
        "Delete old API rate-limit counts, request fingerprints and expired tokens. Safe to re-run."
    )

    def handle(self, *args, **options):
        purged = api_records_purge()
        self.stdout.write(
            f"Deleted {purged.rate_windows} rate-limit count(s) and {purged.fingerprints} "
            "request fingerprint(s), and the expired tokens."
        )
