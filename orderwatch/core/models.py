"""The base every domain record builds on."""

import uuid

from django.conf import settings
from django.db import models


class RecordedModel(models.Model):
    """A record with an unguessable id and who made it, when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
