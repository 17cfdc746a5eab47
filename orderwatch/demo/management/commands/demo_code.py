"""Print the current authenticator code for a demo account, so the demo works without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from orderwatch.accounts.models import AuthenticatorApp
from orderwatch.demo import data


class Command(BaseCommand):
    help = "Show the 6-digit code a demo account's authenticator app would show now."

    def add_arguments(self, parser):
        parser.add_argument("email", help="A demo account's email address")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes are for local use only (DEBUG is off).")
        if email.lower() not in {row[0] for row in data.USERS}:
            raise CommandError("That is not a demo account.")
        device = (
            AuthenticatorApp.objects.filter(user__email=email.lower())
            .order_by("-confirmed")
            .first()
        )
        if device is None:
            raise CommandError("Sign in with this account first: the set-up page makes its key.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
