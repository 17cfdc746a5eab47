"""Make a service administrator: staff who may correct the order-type catalogue and set up the
partnership's agencies and each agency's administrators, nothing more."""

from getpass import getpass

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orderwatch.accounts.models import Agency, User

CATALOGUE_PERMISSIONS = ("view_ordertype", "change_ordertype")
# (app label, codename): the catalogue, the agencies, and creating agency administrators.
SERVICE_ADMIN_PERMISSIONS = [
    *(("orders", codename) for codename in CATALOGUE_PERMISSIONS),
    ("accounts", "view_agency"),
    ("accounts", "add_agency"),
    ("accounts", "change_agency"),
    ("people", "view_agencyadministrator"),
    ("people", "add_agencyadministrator"),
]


class Command(BaseCommand):
    help = (
        "Create a staff account that can edit the order-type catalogue, agencies and agency "
        "administrators (not a superuser)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("display_name")
        parser.add_argument("--agency", required=True, help="The agency's name")
        parser.add_argument(
            "--new-agency-kind",
            choices=Agency.Kind.values,
            help="Create the agency, of this kind, if there is none of that name yet (the "
            "first service administrator of a new partnership)",
        )

    def handle(self, *args, email, display_name, agency, new_agency_kind=None, **options):
        found = Agency.objects.filter(name=agency).first()
        if found is None and new_agency_kind:
            found = Agency(name=agency, kind=new_agency_kind)
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
            if found._state.adding:
                found.save()
            user = User.objects.create_user(
                email, password, display_name=display_name, agency=found, is_staff=True
            )
            user.user_permissions.set(
                permission
                for permission in Permission.objects.select_related("content_type").filter(
                    codename__in=[codename for _, codename in SERVICE_ADMIN_PERMISSIONS]
                )
                if (permission.content_type.app_label, permission.codename)
                in SERVICE_ADMIN_PERMISSIONS
            )
        self.stdout.write(
            f"Service administrator {user.email} created. They set up two-factor "
            "authentication the first time they sign in."
        )
