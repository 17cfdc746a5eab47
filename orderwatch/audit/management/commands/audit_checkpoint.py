"""Sign the heads of the audit chains that moved since the last checkpoint (run every 15
minutes), and write every checkpoint not yet there to a folder outside the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orderwatch.audit.services import audit_checkpoint_make, audit_checkpoints_export


class Command(BaseCommand):
    help = (
        "Make a signed checkpoint of the audit chains' heads, and export the checkpoints not yet "
        "exported to ORDERWATCH_AUDIT_CHECKPOINT_EXPORT (or --export). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--export",
            metavar="DIR",
            type=Path,
            help="the folder to export checkpoints to, instead of "
            "ORDERWATCH_AUDIT_CHECKPOINT_EXPORT",
        )

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint_make()
        if checkpoint is None:
            self.stdout.write("No audit chain has moved: no checkpoint made.")
        else:
            self.stdout.write(
                f"Audit checkpoint {checkpoint.number}: {checkpoint.size} chain heads, "
                f"root {checkpoint.root}, signed by key {checkpoint.key_fingerprint}."
            )
        directory = options["export"] or settings.ORDERWATCH_AUDIT_CHECKPOINT_EXPORT
        if not directory:
            return
        try:
            exported = audit_checkpoints_export(directory=Path(directory))
        except OSError as error:
            raise CommandError(f"Cannot export the audit checkpoints: {error}") from error
        if exported:
            numbers = ", ".join(str(number) for number in exported)
            self.stdout.write(f"Exported audit checkpoint(s) {numbers} to {directory}.")
