"""What each import made (ADR 0043): references and counts, never a name."""

from django.db import models
from django.urls import reverse

from orderwatch.accounts.models import Agency
from orderwatch.core.models import RecordedModel


class CaseImport(RecordedModel):
    """The cases an agency administrator (`created_by`) imported from one file, all together.

    It holds the cases' references (safe anywhere) rather than links to them, so it says what
    was imported even after those cases' records are disposed of.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    references = models.JSONField(default=list, blank=True)
    cases = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0)
    conditions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("imports:done", kwargs={"import_id": self.pk})
