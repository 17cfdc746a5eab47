"""Restore a backup into an empty database and empty storage (ADR 0020)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orderwatch.backup.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database and empty file storage, after "
        "checking every file against the manifest. Refuses, changing nothing, otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the backup's folder")

    def handle(self, *args, **options):
        try:
            manifest = backup_restore(folder=options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup made at {manifest.made_at}: the database and "
                f"{len(manifest.files)} stored file(s)."
            )
        )
        self.stdout.write("Next: manage.py migrate, audit_verify and verify_evidence_chain.")
