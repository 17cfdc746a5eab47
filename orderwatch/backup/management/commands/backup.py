"""Back up the database and the stored files into a new folder, with a manifest (ADR 0020)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orderwatch.backup.services import BackupError, backup_make


class Command(BaseCommand):
    help = (
        "Write a backup (a database dump in one snapshot, every stored file it refers to, and a "
        "manifest of their sizes and SHA-256) into a new or empty folder. No key is included: "
        "keep the keys apart (docs/how-to/backup-and-restore.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a new or empty folder")

    def handle(self, *args, **options):
        try:
            made = backup_make(destination=options["destination"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {options['destination']}: the {made.manifest.engine} "
                f"database and {len(made.manifest.files)} stored file(s)."
            )
        )
        self.stdout.write(
            f"Manifest SHA-256 (keep it apart from the backup): {made.manifest_sha256}"
        )
