"""The probes (ADR 0032): `/health/live`, the process answers; `/health/ready`, it can serve.

Open to anyone and to every middleware (no session, cookie or audit event), never cached, and
saying only "ok" or "unavailable": 200 when every check passes, 503 otherwise.
"""

import asyncio

from django.http import JsonResponse
from health_check.views import HealthCheckView

from orderwatch.health.checks import readiness_checks

OK = "ok"
UNAVAILABLE = "unavailable"


class ProbeView(HealthCheckView):
    """django-health-check's view (checks run together, never cached), with one fixed answer:
    the library's formats name each check's class and the error it raised."""

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        outcomes = {result.check.name: UNAVAILABLE if result.error else OK for result in results}
        healthy = UNAVAILABLE not in outcomes.values()
        body = {"status": OK if healthy else UNAVAILABLE}
        if outcomes:
            body["checks"] = outcomes
        return JsonResponse(body, status=200 if healthy else 503)


class LiveView(ProbeView):
    """Checks nothing: that the process answers is the news. No database, so a database outage
    never makes an orchestrator restart healthy app processes."""

    checks = ()


class ReadyView(ProbeView):
    """Checks the database, stored-file storage, that migrations are applied and, where tasks
    wait for one, that a worker is alive."""

    def get_checks(self):
        return readiness_checks()
