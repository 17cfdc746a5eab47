import time

import factory
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from orderwatch.accounts.models import (
    Agency,
    AuthenticatorApp,
    RecoveryCode,
    RecoveryCodeSet,
    User,
)

TEST_PASSWORD = "a-long-test-password-42"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    kind = Agency.Kind.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a confirmed authenticator app, unless `authenticator=False`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@agency.example")
    display_name = factory.Sequence(lambda n: f"Test User {n}")
    agency = factory.SubFactory(AgencyFactory)
    role = User.Role.PRACTITIONER
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        if create and extracted is not False:
            AuthenticatorApp.objects.create(user=self, name="Authenticator app", confirmed=True)


def authenticator_code(user: User) -> str:
    """Return a code the user's authenticator app would show that has not been used yet.

    TOTP refuses a code from a time step already used; with the default tolerance of one
    step, the next step's code is accepted, so two codes can be had per 30 seconds.
    """
    device = AuthenticatorApp.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t - totp.t() + 1)
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_two_factor(client: Client, user: User) -> Client:
    """Sign `client` in as `user` with two-factor authentication passed, as after the real flow."""
    client.force_login(user)
    device = AuthenticatorApp.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def recovery_codes_give(user: User, *codes: str) -> RecoveryCodeSet:
    """Give `user` these recovery codes, stored as the service stores them (hashed)."""
    code_set = RecoveryCodeSet.objects.create(user=user, name="Recovery codes")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(code_set=code_set, digest=make_password(code)) for code in codes
    )
    return code_set
