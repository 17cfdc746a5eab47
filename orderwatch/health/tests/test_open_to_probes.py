"""The probes are open to anyone and leave no trace: no sign-in, session, cookie or audit event;
under production settings, plain http on the private network is answered, not redirected
(ADR 0032)."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent
from orderwatch.core.tests.test_settings import SAFE_ENV, _load_production

pytestmark = pytest.mark.django_db

PROBES = [reverse("health:live"), reverse("health:ready")]


@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize("probe", PROBES)
def test_probes_need_no_sign_in_while_every_other_page_still_does(client, probe):
    assert client.get(probe).status_code == 200
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize("probe", PROBES)
def test_probes_set_no_cookie_and_start_no_session(client, probe):
    response = client.get(probe)
    assert response.status_code == 200
    assert not response.has_header("Set-Cookie")
    assert not response.cookies
    assert not Session.objects.exists()


@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize("probe", PROBES)
def test_probes_write_no_audit_event_even_for_a_signed_in_user(client, practitioner, probe):
    assert client.get(probe).status_code == 200
    sign_in_with_two_factor(client, practitioner)
    events = AuditEvent.objects.count()
    response = client.get(probe)
    assert response.status_code == 200
    assert practitioner.email not in response.text
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("probe", PROBES)
def test_probes_take_no_posts(client, probe):
    # Only reads: a post is refused (by the CSRF check first, as for every page).
    assert client.post(probe).status_code in {403, 405}


# Run in a fresh interpreter on production settings: migrate an in-memory database, start a
# worker's heartbeat, then probe as a load balancer does, over plain http on the private network.
PROBE_UNDER_PRODUCTION = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from orderwatch.worker.services import worker_heartbeat_record

call_command("migrate", verbosity=0)
worker_heartbeat_record(worker_id="worker-1")
client = Client()

def answer(path, host="orderwatch.example", **headers):
    response = client.get(path, HTTP_HOST=host, **headers)
    return {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "cookies": response.has_header("Set-Cookie"),
    }

print(json.dumps({
    "live": answer("/health/live"),
    "ready": answer("/health/ready"),
    "ready_https": answer("/health/ready", HTTP_X_FORWARDED_PROTO="https"),
    "page": answer("/cases/"),
    "live_other_host": answer("/health/live", host="10.0.0.5:8000"),
}))
"""


def test_under_production_settings_probes_over_plain_http_are_answered_not_redirected(tmp_path):
    result = _load_production(
        code=PROBE_UNDER_PRODUCTION, ORDERWATCH_MEDIA_ROOT=str(tmp_path / "media")
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["live"] == {"status": 200, "location": "", "cookies": False}
    assert answers["ready"] == {"status": 200, "location": "", "cookies": False}
    assert answers["ready_https"]["status"] == 200
    # Every other page is still sent to https.
    assert answers["page"]["status"] == 301
    assert answers["page"]["location"] == f"https://{SAFE_ENV['ALLOWED_HOSTS']}/cases/"
    # ALLOWED_HOSTS is not widened for probes: they send the service's host name.
    assert answers["live_other_host"]["status"] == 400
