"""Check the audit hash chain and name the first event that breaks it."""

from django.core.management.base import BaseCommand, CommandError

from orderwatch.audit.selectors import audit_chain_break


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero at the first broken event."

    def handle(self, *args, **options):
        broken = audit_chain_break()
        if broken is not None:
            raise CommandError(f"Audit chain broken at event #{broken.sequence}: {broken.reason}.")
        self.stdout.write(self.style.SUCCESS("Audit chain intact."))
