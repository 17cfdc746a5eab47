"""Check every case's evidence chain (or one case's) and name the first inconsistency of each."""

from django.core.management.base import BaseCommand, CommandError

from orderwatch.cases.models import Case
from orderwatch.evidence.selectors import chain_problem


class Command(BaseCommand):
    help = "Verify the evidence chains; exits non-zero if any case's chain is inconsistent."

    def add_arguments(self, parser):
        parser.add_argument("--case", metavar="REFERENCE", help="Check only this case.")

    def handle(self, *args, **options):
        cases = Case.objects.order_by("reference")
        if options["case"]:
            cases = cases.filter(reference=options["case"])
            if not cases.exists():
                raise CommandError(f"No case has the reference {options['case']}.")
        broken = 0
        for case in cases.iterator():
            problem = chain_problem(case=case)
            if problem is not None:
                broken += 1
                self.stderr.write(f"Case {case.reference}: {problem}.")
        if broken:
            raise CommandError(f"{broken} case(s) have an inconsistent evidence chain.")
        self.stdout.write(self.style.SUCCESS("Every evidence chain checked is intact."))
