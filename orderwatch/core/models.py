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


class Submission(models.Model):
    """A create form's one-time key, claimed in the transaction that saved what the form made.

    A second post with the same key (a double click, a resend after a lost answer, a retry
    after a crash) finds it and is shown what the first one saved, instead of saving again.
    """

    key = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)
    url = models.CharField(max_length=300)  # the page of what it saved: ids only, never words

    def __str__(self) -> str:
        return f"Submission {self.key}"
