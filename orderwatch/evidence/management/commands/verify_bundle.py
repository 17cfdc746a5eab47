"""Check an evidence bundle offline with a public key the checker chose: no database needed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orderwatch.evidence.bundle_check import bundle_report


class Command(BaseCommand):
    help = (
        "Verify an evidence bundle (ZIP) against the public key published by the service; "
        "exits 1 and lists every problem if anything was changed after export."
    )
    requires_system_checks = []  # runs offline, where there may be no database or settings

    def add_arguments(self, parser):
        parser.add_argument("bundle", type=Path, help="the evidence bundle ZIP file")
        parser.add_argument(
            "--public-key",
            type=Path,
            required=True,
            help="the service's public key (.pem) from its signing key page, not from the bundle",
        )

    def handle(self, *args, bundle: Path, public_key: Path, **options):
        try:
            key = public_key.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read the public key {public_key}: {error}.") from error
        if not bundle.is_file():
            raise CommandError(f"There is no bundle file at {bundle}.")
        report = bundle_report(bundle, key)
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                "Bundle NOT verified: it is not exactly as the service exported and signed it."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Bundle verified: {report.file_count} files, chain of {report.chain_length} "
                f"entries, signed by key {report.key_fingerprint}."
            )
        )
