"""Delete lockout records and recorded sign-in sessions past their retention (run daily)."""

from django.core.management.base import BaseCommand

from orderwatch.accounts.services.sign_in_records import sign_in_records_purge


class Command(BaseCommand):
    help = (
        "Delete sign-in records older than ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS (30 by "
        "default). Safe to re-run."
    )

    def handle(self, *args, **options):
        purged = sign_in_records_purge()
        self.stdout.write(
            f"Deleted {purged.lockout_attempts} lockout attempt(s), {purged.lockout_failures} "
            f"lockout failure(s), {purged.sign_in_log} sign-in log row(s) and "
            f"{purged.sessions} sign-in session record(s)."
        )
