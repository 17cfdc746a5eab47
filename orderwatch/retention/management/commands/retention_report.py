"""List closed cases with their retention class, review date and legal holds: a dry run."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from orderwatch.retention.selectors import retention_report


class Command(BaseCommand):
    help = (
        "List closed cases (reference only) with their retention class, review date and legal "
        "holds in force. A dry run: nothing is changed or disposed of."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--due",
            action="store_true",
            help="Only cases whose review date has come (on or before --on).",
        )
        parser.add_argument("--on", help="The day to report as of, YYYY-MM-DD (default today).")

    def handle(self, *args, due, on, **options):
        try:
            today = dt.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError as error:
            raise CommandError("--on must be a date as YYYY-MM-DD") from error
        rows = [row for row in retention_report() if not due or row.review_on <= today]
        self.stdout.write("reference\tclosed_on\tclass\treview_on\tstate\tholds")
        for row in rows:
            if row.holds:
                state = "held"
            elif row.review_on > today:
                state = "kept"
            elif row.confirm_before_disposal:
                state = "due, confirm no proceedings first"
            else:
                state = "due"
            if not row.reviewed:
                state += " (not yet recorded on the case)"
            self.stdout.write(
                "\t".join(
                    [
                        row.reference,
                        row.closed_on.isoformat(),
                        row.retention_class,
                        row.review_on.isoformat(),
                        state,
                        ",".join(row.holds) or "-",
                    ]
                )
            )
        held = sum(1 for row in rows if row.holds)
        self.stdout.write(
            f"{len(rows)} closed case(s) listed as of {today.isoformat()}, {held} under legal "
            "hold. Nothing was changed."
        )
