"""Sign the heads of the audit chains that moved since the last checkpoint (run every 15
minutes), and append it to a file kept outside the database."""

from pathlib import Path

from django.core.management.base import BaseCommand

from orderwatch.audit.selectors import audit_checkpoint_export_lines
from orderwatch.audit.services import audit_checkpoint_make


class Command(BaseCommand):
    help = "Make a signed checkpoint of the audit chains' heads. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--export",
            metavar="PATH",
            type=Path,
            help="append the new checkpoint, with its entries, as one JSON line to PATH",
        )

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint_make()
        if checkpoint is None:
            self.stdout.write("No audit chain has moved since the last checkpoint; nothing done.")
            return
        if options["export"] is not None:
            with options["export"].open("a", encoding="utf-8") as exported:
                exported.writelines(audit_checkpoint_export_lines(checkpoint))
        self.stdout.write(
            f"Audit checkpoint {checkpoint.number}: {checkpoint.size} chain heads, "
            f"root {checkpoint.root}, signed by key {checkpoint.key_fingerprint}."
        )
