"""Each case event, kept so agencies' systems can follow what happens (the API's event feed,
ADR 0042): ids, kinds and times only, never words, so the feed says no more than an alert."""

from django.db import models

from orderwatch.cases.models import Case
from orderwatch.events.table import CaseEvent


class CaseEventEntry(models.Model):
    # A number, so a reader of the feed asks for what came after the last one it saw.
    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="event_entries")
    kind = models.CharField(max_length=32, choices=CaseEvent.choices)
    subject_id = models.UUIDField(help_text="The record the event made or is about.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "case event entries"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.id}"
