"""Check every audit chain against its head, and every checkpoint; name what is broken."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orderwatch.audit.selectors import (
    audit_chain_problems,
    audit_checkpoint_problems,
    audit_export_problems,
)


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chains and signed checkpoints; exits non-zero and names "
        "the first broken event of each broken chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            metavar="PATH",
            type=Path,
            help="also check that every checkpoint exported to PATH is in the database unchanged",
        )

    def handle(self, *args, **options):
        problems = self._report(audit_chain_problems())
        problems += self._report(audit_checkpoint_problems())
        if options["checkpoints"] is not None:
            try:
                with options["checkpoints"].open(encoding="utf-8") as exported:
                    problems += self._report(audit_export_problems(exported))
            except OSError as error:
                raise CommandError(f"Cannot read {options['checkpoints']}: {error}") from error
        if problems:
            raise CommandError(f"The audit log is not intact: {problems} problem(s) above.")
        self.stdout.write(self.style.SUCCESS("Audit chains and checkpoints intact."))

    def _report(self, problems) -> int:
        count = 0
        for problem in problems:
            count += 1
            self.stderr.write(problem)
        return count
