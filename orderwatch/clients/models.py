"""API clients: an agency's own systems, registered by one of its administrators (ADR 0042).

A client acts through its own account (role "API client"), so every service checks and audits
it as it does a person, and the access policy gives it the cases its agency works on. The OAuth2
application (django-oauth-toolkit) holds its secret, hashed; revoking deletes the application
and its tokens, and this record stays to say who registered and revoked the client.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import Agency
from orderwatch.core.models import RecordedModel


class ApiClient(RecordedModel):
    name = models.CharField(max_length=100)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_clients")
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="api_client",
    )
    client_id = models.CharField(max_length=100, unique=True)
    scopes = models.JSONField(default=list)
    expires_on = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clients:detail", kwargs={"client_id": self.pk})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def has_expired(self) -> bool:
        return timezone.localdate() > self.expires_on

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.has_expired and self.account.is_active
