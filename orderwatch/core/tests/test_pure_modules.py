"""The modules said to be pure (docs/architecture.md) load no Django, so they stay testable and
usable without a database or settings."""

import subprocess
import sys
from pathlib import Path

import pytest

PURE_MODULES = [
    "orderwatch.accounts.user_agents",
    "orderwatch.audit.chain",
    "orderwatch.backup.manifest",
    "orderwatch.breaches.counting",
    "orderwatch.breaches.occurrence",
    "orderwatch.cases.closing",
    "orderwatch.chronology.timeline",
    "orderwatch.core.date_input",
    "orderwatch.core.forwarded",
    "orderwatch.core.govuk_dates",
    "orderwatch.core.transport",
    "orderwatch.diary.breach_check",
    "orderwatch.diary.plan_words",
    "orderwatch.evidence.bundle_check",
    "orderwatch.evidence.chain",
    "orderwatch.imports.sheet",
    "orderwatch.orders.plain_words",
    "orderwatch.orders.restrictions",
    "orderwatch.orders.status",
    "orderwatch.patterns.analysis",
    "orderwatch.patterns.chart",
    "orderwatch.patterns.kept",
    "orderwatch.reminders.schedule",
    "orderwatch.retention.schedule",
    "orderwatch.tasks.working_days",
    "orderwatch.webhooks.addresses",
    "orderwatch.webhooks.signing",
    "orderwatch.worker.schedule",
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_the_module_imports_without_django(module):
    root = Path(__file__).resolve().parents[3]
    script = (
        f"import sys; sys.path.insert(0, {str(root)!r}); "
        f"import {module}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(  # noqa: S603 (a fixed command)
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
