"""Prometheus metrics at /metrics: only for an allowed scraper connecting directly, counting
requests by route name (never the path), with the queue and failed tasks read from the
database, the sweep's duration and the audit write time; added up across processes."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.core.metrics import scrape_allowed
from orderwatch.notifications.tasks import notification_email_send
from orderwatch.reminders.services import reminders_sweep

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _scrape(client, remote_addr="127.0.0.1", **headers):
    return client.get("/metrics", REMOTE_ADDR=remote_addr, headers=headers)


def _samples(response) -> dict[tuple, float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def _value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_an_allowed_scraper_gets_the_metrics_without_cookies_or_sign_in(client):
    response = _scrape(client)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    samples = _samples(response)
    assert ("orderwatch_task_queue_depth", ()) in samples
    assert ("orderwatch_task_failed_results", ()) in samples


@pytest.mark.parametrize("remote_addr", ["203.0.113.5", "10.0.0.7", "::ffff:192.0.2.1"])
def test_any_other_client_gets_the_ordinary_not_found_page(client, remote_addr):
    response = _scrape(client, remote_addr)
    assert response.status_code == 404
    assert b"orderwatch_" not in response.content


def test_a_scrape_through_a_proxy_on_loopback_is_refused(client):
    # nginx on the same host connects from 127.0.0.1 and adds X-Forwarded-For.
    assert _scrape(client, "127.0.0.1", **{"X-Forwarded-For": "127.0.0.1"}).status_code == 404
    assert _scrape(client, "127.0.0.1", Forwarded="for=127.0.0.1").status_code == 404


def test_the_allowed_networks_are_a_setting(client, settings):
    settings.ORDERWATCH_METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert _scrape(client, "10.20.3.4").status_code == 200
    assert _scrape(client, "127.0.0.1").status_code == 404


def test_an_ipv4_scraper_over_an_ipv6_socket_is_recognised():
    meta = {"REMOTE_ADDR": "::ffff:127.0.0.1"}
    assert scrape_allowed(meta, ["127.0.0.1"])
    assert not scrape_allowed({"REMOTE_ADDR": "not an address"}, ["127.0.0.1"])


def test_requests_are_counted_and_timed_by_route_name(client):
    labels = {"method": "GET", "route": "accounts:sign-in", "status": "200"}
    before = _value("orderwatch_http_requests_total", **labels)
    timed = _value("orderwatch_http_request_duration_seconds_count", route="accounts:sign-in")

    client.get(reverse("accounts:sign-in"))
    client.get(reverse("accounts:sign-in"))

    assert _value("orderwatch_http_requests_total", **labels) == before + 2
    after = _value("orderwatch_http_request_duration_seconds_count", route="accounts:sign-in")
    assert after == timed + 2
    scraped = _samples(_scrape(client))
    assert scraped[("orderwatch_http_requests_total", tuple(sorted(labels.items())))] >= 2


def test_no_path_query_or_form_value_becomes_a_label(client):
    token = f"canary{uuid.uuid4().hex}"
    client.get(f"/cases/{token}/?q={token}")
    client.post(f"{reverse('accounts:sign-in')}?q={token}", {"username": token, "password": "x"})
    client.generic(token.upper()[:12], "/")

    text = _scrape(client).content.decode()
    assert token not in text.lower()
    assert 'route="<unmatched>"' in text
    assert 'method="other"' in text


def test_the_queue_depth_and_failed_tasks_come_from_the_database(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(3):
        notification_email_send.enqueue(notification_id=str(uuid.uuid4()))
    DBTaskResult.objects.filter(
        pk=DBTaskResult.objects.values_list("pk", flat=True).first()
    ).update(status=TaskResultStatus.FAILED)

    samples = _samples(_scrape(client))

    assert samples[("orderwatch_task_queue_depth", ())] == 2
    assert samples[("orderwatch_task_failed_results", ())] == 1


def test_without_the_database_the_other_metrics_are_still_served(client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("the database is away")

    monkeypatch.setattr(DBTaskResult.objects, "filter", unavailable)
    response = _scrape(client)
    assert response.status_code == 200
    assert b"orderwatch_task_queue_depth" not in response.content
    assert b"orderwatch_http_requests_total" in response.content


def test_the_reminder_sweep_and_audit_writes_are_timed(practitioner):
    sweeps = _value("orderwatch_reminders_sweep_duration_seconds_count")
    writes = _value("orderwatch_audit_write_duration_seconds_count")

    reminders_sweep(today=timezone.localdate())
    with transaction.atomic():
        audit_record(actor=practitioner, verb=Verb.SIGNED_IN, target=practitioner)

    assert _value("orderwatch_reminders_sweep_duration_seconds_count") == sweeps + 1
    assert _value("orderwatch_audit_write_duration_seconds_count") >= writes + 1


_IN_ANOTHER_PROCESS = """
import django
django.setup()
from orderwatch.core import metrics
{work}
"""


def _in_process(work: str, directory: Path) -> str:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "DATABASE_URL": "sqlite:///:memory:",  # no tables: the queue cannot be read
    }
    return subprocess.run(  # noqa: S603 (a fixed command)
        [sys.executable, "-c", _IN_ANOTHER_PROCESS.format(work=work)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_in_multiprocess_mode_a_scrape_adds_up_every_process_on_the_host(tmp_path):
    # A web worker and the scheduler, each a process of its own, then a scrape from a third.
    _in_process("metrics.HTTP_REQUESTS.labels('GET', 'cases:list', '200').inc(3)", tmp_path)
    _in_process("metrics.SWEEP_SECONDS.observe(12)", tmp_path)
    scraped = _in_process("print(metrics.exposition().decode())", tmp_path)

    assert 'orderwatch_http_requests_total{method="GET",route="cases:list",status="200"} 3.0' in (
        scraped
    )
    assert "orderwatch_reminders_sweep_duration_seconds_count 1.0" in scraped
