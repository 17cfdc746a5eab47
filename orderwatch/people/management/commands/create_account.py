"""Make a usable account from the server, in an agency: for a partnership with no agency
administrator yet, and for `make production-check`. Everyone else is onboarded by their
agency's administrator, with an emailed set-up link."""

from getpass import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from orderwatch.accounts.models import Agency
from orderwatch.people.services import ASSIGNABLE_ROLES, person_create_on_the_server


class Command(BaseCommand):
    help = (
        "Create an account that can sign in (it sets up two-factor authentication first). The "
        "password is asked for, or read from standard input when that is not a terminal; "
        "never given on the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("display_name")
        parser.add_argument("--agency", required=True, help="The agency's name")
        parser.add_argument("--role", required=True, choices=[str(r) for r in ASSIGNABLE_ROLES])
        parser.add_argument(
            "--new-agency-kind",
            choices=Agency.Kind.values,
            help="Create the agency, of this kind, if there is none of that name yet",
        )

    def handle(self, *args, email, display_name, agency, role, new_agency_kind=None, **options):
        password = getpass("Password: ")
        if password != getpass("Password again: "):
            raise CommandError("The passwords do not match.")
        try:
            person = person_create_on_the_server(
                email=email,
                display_name=display_name,
                agency_name=agency,
                role=role,
                password=password,
                new_agency_kind=new_agency_kind,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Account {person.email} created. They set up two-factor authentication the first "
            "time they sign in."
        )
