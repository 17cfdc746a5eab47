"""Prometheus metrics (ADR 0033): requests and their latency by route, the background queue,
failed tasks, the reminder sweep's duration and the time audit events take to write.

Counts kept in memory are per process; with `PROMETHEUS_MULTIPROC_DIR` set (one directory per
host, shared by the host's gunicorn workers, background workers and scheduler) every process
writes them to files there and a scrape of any app instance on the host adds them up. What
lives in the database (the queue, failed tasks) is read from it at scrape time, so every
instance reports the same numbers.

`/metrics` is answered before any other middleware (no session, cookie, sign-in or audit
event), and only to a client in ORDERWATCH_METRICS_ALLOWED_NETWORKS that connected directly:
a request that came through a proxy (it carries `X-Forwarded-For`) is refused however it
reached the application. Refused, it is an unknown page like any other: 404.
"""

import ipaddress
import logging
import os
from time import perf_counter

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from orderwatch.core import forwarded
from orderwatch.core.logs import route_of

logger = logging.getLogger(__name__)

PATH = "/metrics"
# Any other method (a client can send any word) is counted as "other", so labels stay few.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUESTS = Counter(
    "orderwatch_http_requests",
    "Requests answered, by method, route name and status.",
    ["method", "route", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "orderwatch_http_request_duration_seconds",
    "Time to answer a request, by route name.",
    ["route"],
)
SWEEP_SECONDS = Histogram(
    "orderwatch_reminders_sweep_duration_seconds",
    "Time a reminder sweep (`send_reminders`) took, when it ran.",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600),
)
AUDIT_WRITE_SECONDS = Histogram(
    "orderwatch_audit_write_duration_seconds",
    "Time to append an audit event to its chain, waiting for the chain's head included.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


class TaskQueueCollector(Collector):
    """The background queue as the database holds it, read when metrics are scraped."""

    def collect(self):
        try:
            waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
            failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
        except DatabaseError as error:
            # The other metrics still help most while the database is away.
            logger.warning("Metrics: the task queue could not be read (%s)", type(error).__name__)
            return
        yield GaugeMetricFamily(
            "orderwatch_task_queue_depth",
            "Background tasks waiting to run (queued in the database, all workers).",
            value=waiting,
        )
        yield GaugeMetricFamily(
            "orderwatch_task_failed_results",
            "Background tasks that failed, as their results are kept in the database.",
            value=failed,
        )


def exposition() -> bytes:
    """Return every metric in Prometheus' text format: this process's (or, in multiprocess
    mode, every process's on this host) and the database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    from_database = CollectorRegistry()
    from_database.register(TaskQueueCollector())
    return generate_latest(registry) + generate_latest(from_database)


def scrape_allowed(meta: dict, allowed: list[str]) -> bool:
    """Return whether the request's direct peer is an allowed scraper.

    The peer is `REMOTE_ADDR`, never a forwarded address; and a request that carries a
    forwarded address came through a proxy (nginx on loopback, say), so it is refused.
    """
    if meta.get("HTTP_X_FORWARDED_FOR") or meta.get("HTTP_FORWARDED"):
        return False
    peer = forwarded.client_address(meta.get("REMOTE_ADDR"), [], ())
    if peer is None:
        return False
    address = ipaddress.ip_address(peer)
    return any(
        address.version == network.version and address in network
        for network in forwarded.trusted_networks(allowed)
    )


class MetricsEndpointMiddleware:
    """Answer `/metrics` for an allowed scraper before anything else runs; otherwise pass the
    request on, where `/metrics` is an unknown page (404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if (
            request.path_info == PATH
            and request.method in {"GET", "HEAD"}
            and scrape_allowed(request.META, settings.ORDERWATCH_METRICS_ALLOWED_NETWORKS)
        ):
            response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class RequestMetricsMiddleware:
    """Count each request and time it, by route name (never the path)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        started = perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        method = request.method if request.method in METHODS else "other"
        HTTP_REQUESTS.labels(method, route, str(response.status_code)).inc()
        HTTP_REQUEST_SECONDS.labels(route).observe(perf_counter() - started)
        return response
