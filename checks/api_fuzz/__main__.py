"""Schemathesis against the API of a live server, with a real client token (issue 21, ADR 0042).

A fresh database with the demo's cases, an API client of the demo IDVA service registered as an
administrator registers one (every scope), the service on loopback, then `schemathesis run` on
the published schema with that token: every operation, bounded examples, every check but one
(see below). Any
failure fails the run. `make api-fuzz`; `.ci/run` runs it after the suites.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
MAX_EXAMPLES = os.environ.get("API_FUZZ_MAX_EXAMPLES", "10")

REGISTER = """
import datetime as dt, json
from django.utils import timezone
from orderwatch.accounts.models import User
from orderwatch.clients.scopes import SCOPES
from orderwatch.clients.services import api_client_register
admin = User.objects.get(email="admin@idva.example")
client, secret = api_client_register(
    actor=admin, name="Fuzzing", scopes=list(SCOPES),
    expires_on=timezone.localdate() + dt.timedelta(days=30),
)
from orderwatch.access.policy import visible_cases
from orderwatch.breaches.models import Breach
breach = Breach.objects.filter(case__in=visible_cases(client.account)).select_related("case")[0]
order = breach.case.orders.first()
print(json.dumps({
    "id": client.client_id, "secret": secret,
    "case_id": str(breach.case_id), "order_id": str(order.pk), "breach_id": str(breach.pk),
}))
"""

# The demo's ids in every path, so the generated calls reach the services, not just 404s.
CONFIG = """
[parameters]
"path.case_id" = "{case_id}"
"path.order_id" = "{order_id}"
"path.breach_id" = "{breach_id}"

# A call that may not write to the case is refused as such first (403, 404, or 409 when it is
# closed), whatever headers it lacks; then a missing Idempotency-Key is a 400.
[checks.missing_required_header]
expected-statuses = ["400", "403", "404", "409"]
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py, with arguments this script gives
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _token(base: str, client: dict) -> str:
    import base64

    credentials = base64.b64encode(f"{client['id']}:{client['secret']}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - loopback, a URL this script made
        f"{base}/api/v1/token/",
        data=b"grant_type=client_credentials",
        headers={"Authorization": f"Basic {credentials}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return json.load(answer)["access_token"]


def _wait_for(base: str, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("The server stopped before it answered.")
        try:
            urllib.request.urlopen(f"{base}/health/live", timeout=2)  # noqa: S310
        except OSError:
            time.sleep(0.5)
        else:
            return
    raise SystemExit("The server did not answer within a minute.")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="orderwatch-api-fuzz-") as work:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{work}/fuzz.sqlite3",
            "ORDERWATCH_MEDIA_ROOT": f"{work}/media",
            # The limits are tested elsewhere; here every generated call must be answered.
            "ORDERWATCH_API_CLIENT_RATE": "1000000/minute",
        }
        _manage(env, "migrate", "--no-input", "-v", "0")
        _manage(env, "load_demo")
        client = json.loads(_manage(env, "shell", "-c", REGISTER).strip().splitlines()[-1])
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(work, "server.log").open("w")  # noqa: SIM115 - open while the server runs
        server = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(base, server)
            token = _token(base, client)
            config = Path(work, "schemathesis.toml")
            config.write_text(CONFIG.format(**client))
            run = subprocess.run(  # noqa: S603
                [
                    str(Path(PYTHON).with_name("schemathesis")),
                    "--config-file",
                    str(config),
                    "run",
                    f"{base}/api/v1/schema/",
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--max-examples",
                    MAX_EXAMPLES,
                    "--checks",
                    "all",
                    # Schema-valid requests the services refuse (a date in the future, an
                    # answer another answer makes required, a case already closed, a stale
                    # If-Match) are right to be refused: JSON Schema cannot say those rules.
                    "--exclude-checks",
                    "positive_data_acceptance",
                    "--seed",
                    "21",
                    "--no-color",
                ],
                cwd=work,  # its cache stays in the temporary directory
                env=env,
                check=False,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        if run.returncode != 0:
            sys.stdout.write(Path(work, "server.log").read_text()[-20000:])
        return run.returncode


if __name__ == "__main__":
    sys.exit(main())
