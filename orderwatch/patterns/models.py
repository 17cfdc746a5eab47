"""Escalations noticed in a case's pattern of incidents, each recorded once.

The analysis itself is worked out on every read (`analysis.py`); only the moment a new flag
was first noticed is stored, so a review is asked for once per escalation and a manager can
see what changed recently.
"""

from django.db import models
from django.urls import reverse

from orderwatch.cases.models import Case
from orderwatch.core.models import RecordedModel
from orderwatch.tasks.models import Task


class PatternEscalation(RecordedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pattern_escalations")
    escalation_key = models.CharField(
        max_length=255, help_text="analysis.Flag.escalation_key: the flag and what tipped it."
    )
    code = models.CharField(max_length=64, help_text="analysis.Flag.code, e.g. course_of_conduct.")
    reason = models.TextField(help_text="The prompt as it read when first noticed.")
    review = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The review of risk and the safety plan it asked the lead for.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "escalation_key"], name="an_escalation_is_noticed_once"
            ),
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.code} on {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"case_id": self.case_id}) + "#pattern"
