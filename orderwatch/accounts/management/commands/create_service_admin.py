"""Make a service administrator: staff who may correct the order-type catalogue, nothing more."""

from getpass import getpass

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orderwatch.accounts.models import Agency, User

CATALOGUE_PERMISSIONS = ("view_ordertype", "change_ordertype")


class Command(BaseCommand):
    help = "Create a staff account that can edit the order-type catalogue (not a superuser)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("display_name")
        parser.add_argument("--agency", required=True, help="The agency's name")

    def handle(self, *args, email, display_name, agency, **options):
        found = Agency.objects.filter(name=agency).first()
        if found is None:
            names = ", ".join(Agency.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"No agency is called that. Agencies: {names}")
        if User.objects.filter(email=email.lower()).exists():
            raise CommandError("An account with that email address already exists.")
        password = getpass("Password: ")
        if password != getpass("Password again: "):
            raise CommandError("The passwords do not match.")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, display_name=display_name, agency=found, is_staff=True
            )
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="orders", codename__in=CATALOGUE_PERMISSIONS
                )
            )
        self.stdout.write(
            f"Service administrator {user.email} created. They set up two-factor "
            "authentication the first time they sign in."
        )
