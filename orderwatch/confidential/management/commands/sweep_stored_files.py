"""Remove stored files no record names (and part-written ones) once a day old; report records
whose file is missing. Safe to run as often as you like: schedule it daily."""

from django.core.management.base import BaseCommand, CommandError

from orderwatch.confidential.services import stored_files_sweep


class Command(BaseCommand):
    help = (
        "Remove stored files older than a day that no record names, and part-written files; "
        "report records whose file is missing (exits non-zero if any). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--report", action="store_true", help="Only report; remove nothing.")

    def handle(self, *args, report: bool, **options):
        result = stored_files_sweep(remove=not report)
        verb = "would be removed" if report else "removed"
        self.stdout.write(
            f"{len(result.removed)} orphaned or part-written file(s) {verb}; "
            f"{result.young} younger than a day kept."
        )
        for name in result.removed:
            self.stdout.write(f"  {verb}: {name}")
        for problem in result.missing:
            self.stderr.write(str(problem))
        if result.missing:
            raise CommandError(f"{len(result.missing)} record(s) have no stored file.")
