"""Agencies, the people who work in them, and their second factors."""

import uuid
from binascii import unhexlify

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.crypto import salted_hmac
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from orderwatch.confidential.fields import Confidential, EncryptedTextField
from orderwatch.core.govuk_dates import moment_label


class Agency(models.Model):
    """An organisation around a family: police force, probation, a school, an IDVA service…"""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        PROBATION = "probation", "Probation"
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
        EARLY_HELP = "early_help", "Early Help"
        IDVA_SERVICE = "idva_service", "IDVA service"
        SCHOOL = "school", "School"
        HEALTH = "health", "Health"
        HOUSING = "housing", "Housing"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    def create_user(self, email: str, password: str | None = None, **fields):
        if fields.get("agency") is not None and not isinstance(fields["agency"], Agency):
            fields["agency"] = Agency.objects.get(pk=fields["agency"])  # from a command line
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in: a professional, whose access follows from their case teams, or a
    victim-survivor, who sees only their own diary (orderwatch/diary)."""

    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner"
        TEAM_MANAGER = "team_manager", "Team manager"
        AGENCY_ADMIN = "agency_admin", "Agency administrator"
        AUDITOR = "auditor", "Auditor"
        VICTIM_SURVIVOR = "victim_survivor", "Victim-survivor (own diary only)"
        API_CLIENT = "api_client", "API client (an agency's own system)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=150)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text="Every professional has one; a victim-survivor has none.",
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PRACTITIONER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    security_stamp = models.UUIDField(
        default=uuid.uuid4,
        help_text="Changes when sign-in factors change, which ends every other session.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name", "agency"]

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="victim_survivor", agency__isnull=True)
                | (~models.Q(role="victim_survivor") & models.Q(agency__isnull=False)),
                name="professionals_have_an_agency_victim_survivors_none",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_victim_survivor(self) -> bool:
        return self.role == self.Role.VICTIM_SURVIVOR

    def _get_session_auth_hash(self, secret=None) -> str:
        # Sessions carry a hash of the password and the security stamp: changing either
        # signs the user out everywhere else on their next request.
        return salted_hmac(
            "orderwatch.accounts.User.session_auth_hash",
            f"{self.password}:{self.security_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def rotate_security_stamp(self) -> None:
        """End every session of this user (callers keep their own with update_session_auth_hash)."""
        self.security_stamp = uuid.uuid4()
        self.save(update_fields=["security_stamp"])


def authenticator_secret_new() -> Confidential:
    """Return a new authenticator secret (20 random bytes, hex), encrypted."""
    return Confidential.from_plaintext(random_hex(20))


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP): django-otp's `TOTPDevice`, but with its secret encrypted
    with the field keys, so a copy of the database cannot make codes (ADR 0024).

    Checking a code is django-otp's own (its replay protection, drift and throttling): only
    where the secret is read from differs.
    """

    key = EncryptedTextField(
        default=authenticator_secret_new, help_text="The secret, hex-encoded, encrypted."
    )
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(
        default=-1, help_text="The time step of the last code accepted: no code is used twice."
    )

    class Meta:
        verbose_name = "authenticator app"

    verify_token = TOTPDevice.verify_token
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    @property
    def bin_key(self) -> bytes:
        """Return the secret (read by django-otp to check a code and to build the QR code)."""
        return unhexlify(self.key.reveal().encode())

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)


class RecoveryCodeSet(TimestampMixin, ThrottlingMixin, Device):
    """A user's one-use recovery codes, kept only as slow password hashes (ADR 0024): each is
    shown once, when made, and cannot be read back from the database."""

    class Meta:
        verbose_name = "recovery code set"

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        """Use up the code `token` if it is one of this set's; throttled as django-otp's are."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = next((c for c in self.codes.all() if check_password(token, c.digest)), None)
        # Deleted by its own query, so two requests racing with one code cannot both use it.
        if match is None or not RecoveryCode.objects.filter(pk=match.pk).delete()[0]:
            self.throttle_increment()
            return False
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    """One recovery code, as a password hash (`make_password`)."""

    code_set = models.ForeignKey(RecoveryCodeSet, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=128)

    def __str__(self) -> str:
        return "Recovery code"


class UserSession(models.Model):
    """A signed-in session of a user, so they can see where they are signed in and end the others.

    Django's session store cannot be searched by user. The row holds no address: only the
    browser and system, summarised from the User-Agent header. It outlives its session only
    until the user next signs in or looks at their sessions (`orderwatch.accounts.selectors`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()
    device = models.CharField(
        max_length=100, help_text="Browser and system, e.g. Firefox on Linux."
    )

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self) -> str:
        return f"{self.device}, signed in {moment_label(self.signed_in_at)}"


class PasswordResetRequest(models.Model):
    """A request for a password reset email, kept a day to throttle requests.

    The email address and the client's IP address are kept only as keyed hashes (HMAC with
    the service's secret key): enough to count requests, not to read either back. A request
    for an address with no account is kept the same way, with no user.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_at = models.DateTimeField()
    email_digest = models.CharField(max_length=64)
    client_digest = models.CharField(max_length=64)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["email_digest", "requested_at"]),
            models.Index(fields=["client_digest", "requested_at"]),
            models.Index(fields=["requested_at"]),
        ]

    def __str__(self) -> str:
        return f"Password reset request, {moment_label(self.requested_at)}"
