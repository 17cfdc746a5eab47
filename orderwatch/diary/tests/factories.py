import datetime as dt
import time

import factory
from django.utils import timezone
from django_otp.oath import TOTP

from orderwatch.accounts.models import AuthenticatorApp, User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.diary.models import DiaryAccess, DiaryInvite
from orderwatch.diary.services import DIARY_USER_NAME, secret_hash


class DiaryUserFactory(UserFactory):
    """A victim-survivor's diary account: no agency, and no authenticator unless asked."""

    email = factory.Sequence(lambda n: f"notes{n}@mail.example")
    display_name = DIARY_USER_NAME
    agency = None
    role = User.Role.VICTIM_SURVIVOR

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        if create and extracted:
            AuthenticatorApp.objects.create(user=self, name="Authenticator app", confirmed=True)


class DiaryInviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiaryInvite

    case = factory.SubFactory(CaseFactory)
    secret_hash = factory.Sequence(lambda n: secret_hash(f"test-secret-{n}"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=72))


class DiaryAccessFactory(factory.django.DjangoModelFactory):
    """An open diary on `case`, set up from a used invitation."""

    class Meta:
        model = DiaryAccess

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(DiaryUserFactory)
    invite = factory.LazyAttribute(
        lambda o: DiaryInviteFactory(case=o.case, used_at=timezone.now())
    )


def code_for(device: AuthenticatorApp) -> str:
    """Return the code an authenticator app being set up with `device` shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"
