"""Check every audit chain against its head, every note against its event, and every
checkpoint; name what is broken."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orderwatch.audit.selectors import (
    audit_chain_problems,
    audit_checkpoint_problems,
    audit_export_lines,
    audit_export_problems,
    audit_note_problems,
)


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chains, notes and signed checkpoints, and the chains against "
        "the exported checkpoints; exits non-zero and names what is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--against",
            "--checkpoints",
            dest="against",
            metavar="PATH",
            type=Path,
            help="the exported checkpoints (a folder, or one file) to check the database "
            "against; ORDERWATCH_AUDIT_CHECKPOINT_EXPORT by default",
        )

    def handle(self, *args, **options):
        problems = self._report(audit_chain_problems())
        problems += self._report(audit_note_problems())
        problems += self._report(audit_checkpoint_problems())
        against = options["against"] or settings.ORDERWATCH_AUDIT_CHECKPOINT_EXPORT
        if against:
            try:
                problems += self._report(audit_export_problems(audit_export_lines(Path(against))))
            except OSError as error:
                raise CommandError(f"Cannot read {against}: {error}") from error
        if problems:
            raise CommandError(f"The audit log is not intact: {problems} problem(s) above.")
        self.stdout.write(self.style.SUCCESS("Audit chains and checkpoints intact."))

    def _report(self, problems) -> int:
        count = 0
        for problem in problems:
            count += 1
            self.stderr.write(problem)
        return count
