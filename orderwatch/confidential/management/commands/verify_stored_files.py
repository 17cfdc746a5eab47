"""Re-read, decrypt and hash every stored file against its record; name each problem."""

from django.core.management.base import BaseCommand, CommandError

from orderwatch.confidential.selectors import stored_file_problems
from orderwatch.confidential.stored_files import STORED_FILES

KINDS = {kind.folder: kind for kind in STORED_FILES}


class Command(BaseCommand):
    help = (
        "Re-read every stored file (order copies, prepared documents, evidence), decrypt it "
        "and check its SHA-256 against its record; exits non-zero on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            choices=sorted(KINDS),
            action="append",
            help="Check only this kind (repeat for several); all kinds by default.",
        )

    def handle(self, *args, kind: list[str] | None, **options):
        kinds = [KINDS[k] for k in kind] if kind else STORED_FILES
        problems = 0
        for problem in stored_file_problems(kinds=kinds):
            problems += 1
            self.stderr.write(f"{problem}.")
        if problems:
            raise CommandError(f"{problems} stored file(s) are missing or do not match.")
        self.stdout.write(self.style.SUCCESS("Every stored file checked is whole and matches."))
