"""Check every case's evidence chain (or one case's) and name the first inconsistency of each;
with --files, re-read every stored file too."""

from django.core.management.base import BaseCommand, CommandError

from orderwatch.cases.models import Case
from orderwatch.evidence.selectors import chain_problem, file_problem


class Command(BaseCommand):
    help = "Verify the evidence chains; exits non-zero if any case's chain is inconsistent."

    def add_arguments(self, parser):
        parser.add_argument("--case", metavar="REFERENCE", help="Check only this case.")
        parser.add_argument(
            "--files",
            action="store_true",
            help="Also re-read, decrypt and hash each stored file against its record.",
        )

    def handle(self, *args, **options):
        cases = Case.objects.order_by("reference")
        if options["case"]:
            cases = cases.filter(reference=options["case"])
            if not cases.exists():
                raise CommandError(f"No case has the reference {options['case']}.")
        broken = 0
        for case in cases.iterator():
            problem = chain_problem(case=case)
            if problem is None and options["files"]:
                problem = file_problem(case=case)
            if problem is not None:
                broken += 1
                self.stderr.write(f"Case {case.reference}: {problem}.")
        if broken:
            what = "evidence chain or file" if options["files"] else "evidence chain"
            raise CommandError(f"{broken} case(s) have an inconsistent {what}.")
        checked = "evidence chain and file" if options["files"] else "evidence chain"
        self.stdout.write(self.style.SUCCESS(f"Every {checked} checked is intact."))
