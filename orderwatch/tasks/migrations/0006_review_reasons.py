"""Reasons on safety-plan reviews, and each case's open reviews merged into one (ADR 0030).

Every review task, open or done, gets the event that opened it as its first reason, so an
event seen again finds its review. Where a case has more than one open review, the one due
first is kept: the others' reasons move to it, with when each was added, and so do the
pattern escalations that asked for them; then the others are deleted. Nothing else points
at an open review. The constraint that keeps one open review per case follows in 0007.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ORIGINS = [
    ("breach", "A breach was recorded"),
    ("incident", "An incident that matches no condition was recorded"),
    ("address_change", "The victim-survivor moved"),
    ("order_ended", "An order ended"),
    ("order_ending", "An order is ending soon"),
    ("sharing", "Someone who needs to know has not been told"),
    ("pattern", "The pattern of incidents has changed"),
    ("lead_deactivated", "The lead's account was deactivated"),
]
# The titles as `safety.services.review_title` gives them on the day of this migration.
TITLES = {
    "breach": "Review the safety plan after a breach",
    "address_change": "Review the safety plan after a move",
    "order_ended": "Review the safety plan: an order has ended",
    "pattern": "Review risk and the safety plan: the pattern of incidents has changed",
}


def _title(origins: list[str]) -> str:
    if len(origins) == 1:
        return TITLES[origins[0]]
    start = "Review risk and the safety plan" if "pattern" in origins else "Review the safety plan"
    return f"{start}: {len(origins)} things have happened"


def merge_open_reviews(apps, schema_editor):
    task_model = apps.get_model("tasks", "Task")
    reason_model = apps.get_model("tasks", "TaskReason")
    escalation_model = apps.get_model("patterns", "PatternEscalation")
    reviews = task_model.objects.filter(kind="safety_review")
    reason_model.objects.bulk_create(
        reason_model(
            task_id=task.pk,
            origin=task.origin,
            origin_id=task.origin_id,
            created_by_id=task.created_by_id,
        )
        for task in reviews.order_by("created_at", "pk").iterator()
    )
    # `created_at` is set on insert (auto_now_add): give each reason its task's time again.
    reason_model.objects.update(
        created_at=models.Subquery(
            task_model.objects.filter(pk=models.OuterRef("task_id")).values("created_at")[:1]
        )
    )
    open_by_case: dict = {}
    for task in reviews.filter(done_at__isnull=True).order_by("due_on", "created_at", "pk"):
        open_by_case.setdefault(task.case_id, []).append(task)
    for kept, *merged in open_by_case.values():
        if not merged:
            continue
        merged_ids = [task.pk for task in merged]
        reason_model.objects.filter(task_id__in=merged_ids).update(task_id=kept.pk)
        escalation_model.objects.filter(review_id__in=merged_ids).update(review_id=kept.pk)
        task_model.objects.filter(pk__in=merged_ids).delete()
        origins = list(
            reason_model.objects.filter(task_id=kept.pk)
            .order_by("created_at", "pk")
            .values_list("origin", flat=True)
        )
        task_model.objects.filter(pk=kept.pk).update(title=_title(origins))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_sealed_free_text"),
        ("patterns", "0001_initial"),
        ("tasks", "0005_new_lead_tasks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskReason",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("modified_at", models.DateTimeField(auto_now=True)),
                ("origin", models.CharField(choices=ORIGINS, max_length=32)),
                (
                    "origin_id",
                    models.UUIDField(help_text="The record whose event is the reason."),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reasons",
                        to="tasks.task",
                    ),
                ),
            ],
            options={"ordering": ["created_at", "pk"]},
        ),
        migrations.AddConstraint(
            model_name="taskreason",
            constraint=models.UniqueConstraint(
                fields=("origin", "origin_id"), name="one_reason_per_event"
            ),
        ),
        migrations.AlterField(
            model_name="task",
            name="origin",
            field=models.CharField(choices=ORIGINS, max_length=32),
        ),
        migrations.RunPython(merge_open_reviews, migrations.RunPython.noop),
    ]
