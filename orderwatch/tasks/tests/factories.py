import datetime as dt
import uuid

import factory
from django.utils import timezone

from orderwatch.tasks.models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    """An open general task on the case, due in a week (opened straight, not via a service)."""

    class Meta:
        model = Task

    kind = Task.Kind.GENERAL
    title = factory.Sequence(lambda n: f"Task {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    origin = Task.Origin.BREACH
    origin_id = factory.LazyFunction(uuid.uuid4)
