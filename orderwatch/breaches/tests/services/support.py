"""Constants and helpers for the breach service tests."""

import datetime as dt

from orderwatch.accounts.mfa import StepUp, mfa_step_up
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import authenticator_code
from orderwatch.audit.models import AuditEvent
from orderwatch.breaches.models import Breach, BreachedCondition
from orderwatch.core.tests.clock import TODAY
from orderwatch.notifications.models import Notification
from orderwatch.tasks.models import Task

YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


def fresh_step_up(user: User) -> StepUp:
    return mfa_step_up(user=user, code=authenticator_code(user))


def counts() -> dict[str, int]:
    """Return how many of each thing a breach can make, to show nothing was saved."""
    return {
        model.__name__: model.objects.count()
        for model in (Breach, BreachedCondition, Task, Notification, AuditEvent)
    }
