"""The production check (`make production-check`): the production stack on loopback, from a
clean checkout, driven through nginx by a browser (ADR 0035).

PostgreSQL (a cluster of its own from Debian's package, or a fresh database on the server
PRODUCTION_CHECK_DATABASE_URL names), moto's S3 server standing in for object storage, two
gunicorn app instances (deploy/gunicorn.conf.py) behind nginx (deploy/nginx/) with a
self-signed certificate for localhost, two background workers and one scheduler, all with the
production settings. Then one journey in Chromium: first sign-in with two factors, a case with
an order, a breach, an evidence photo uploaded and downloaded. One app instance is killed with
SIGKILL part-way, and the service must keep answering. Everything is stopped however it ends;
on a failure the logs are kept and their last lines shown.
"""

import argparse
import base64
import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import sys
import tempfile
import time
import traceback
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from deploy.production_check import journey, nginx
from deploy.production_check.processes import Stack, free_ports, wait_for_http
from deploy.throwaway_postgres import ThrowawayPostgreSQL

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
HOST = "localhost"
BUCKET = "orderwatch-production-check"
REGION = "eu-west-2"
EVIDENCE_MAX_REQUEST_BYTES = 4 * 1024 * 1024 * 1024  # the settings' default
REQUESTS_AFTER_THE_KILL = 10
ACCESS_LOG_FIELDS = {
    "time",
    "request_id",
    "method",
    "path",
    "status",
    "bytes_sent",
    "request_bytes",
    "seconds",
    "upstream",
    "upstream_status",
    "upstream_seconds",
}
# The scheduler runs these every 15 minutes, the first time as it starts (ADR 0036).
FREQUENT_JOBS = {
    "send_reminders",
    "audit_checkpoint",
    "send_pending_emails",
    "prepare_pending_exports",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("PRODUCTION_CHECK_DATABASE_URL", ""),
        help="A PostgreSQL database to create afresh (dropped first if it exists); by default "
        "a cluster of the check's own",
    )
    parser.add_argument(
        "--first-port",
        type=int,
        default=int(os.environ.get("PRODUCTION_CHECK_FIRST_PORT", "18400")),
        help="Loopback ports are taken from here on (up to 100 of them are tried)",
    )
    parser.add_argument("--timeout", type=int, default=600, help="Give up after this many s")
    args = parser.parse_args()
    sys.exit(0 if Check(args).run() else 1)


class Check:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="orderwatch-production-check-"))
        self.timings: list[tuple[str, float]] = []
        self.facts: list[str] = []
        self.stack: Stack | None = None
        self.database: PostgreSQLCluster | None = None

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        print(f"-- {name}", flush=True)
        started = time.monotonic()
        try:
            yield
        except BaseException:
            self.timings.append((f"{name} (FAILED)", time.monotonic() - started))
            raise
        self.timings.append((name, time.monotonic() - started))

    def run(self) -> bool:
        started = time.monotonic()
        signal.signal(signal.SIGALRM, _out_of_time)
        signal.signal(signal.SIGTERM, _told_to_stop)  # so `finally` still stops the stack
        signal.alarm(self.args.timeout)
        passed = False
        try:
            self._run()
            passed = True
        except Exception as failure:  # reported with the logs, then the check fails
            traceback.print_exc()
            if self.stack is not None:
                print(self.stack.report_logs())
            self.facts.append(f"FAILED: {type(failure).__name__}: {failure}")
        finally:
            signal.alarm(0)
            with self.phase("Stop everything"):
                if self.stack is not None:
                    killed = self.stack.stop_all()
                    self.facts.append(
                        f"Stopped with SIGTERM: all but {', '.join(killed)} (SIGKILL after 10 s)."
                        if killed
                        else "Every process stopped on SIGTERM."
                    )
                if self.database is not None:
                    self.database.stop()
        print(self._summary(time.monotonic() - started, passed), flush=True)
        if passed:
            shutil.rmtree(self.folder, ignore_errors=True)
        else:
            print(f"Logs are kept in {self.folder}")
        return passed

    def _run(self) -> None:
        ports = free_ports(6, first=self.args.first_port, last=self.args.first_port + 99)
        pg_port, s3_port, app_1, app_2, https_port, http_port = ports
        base_url = f"https://{HOST}:{https_port}"
        with self.phase("PostgreSQL"):
            if self.args.database_url:
                database_url = fresh_database(self.args.database_url)
            else:
                self.database = PostgreSQLCluster(pg_port)
                database_url = self.database.start_fresh()
        # One folder for the host's processes' metrics, empty before any starts (ADR 0033).
        (self.folder / "metrics").mkdir()
        environment = production_environment(
            database_url=database_url, base_url=base_url, s3_port=s3_port
        ) | {"PROMETHEUS_MULTIPROC_DIR": str(self.folder / "metrics")}
        self.stack = stack = Stack(folder=self.folder, environment=environment)
        python = [sys.executable]
        manage = [*python, str(REPO / "manage.py")]

        with self.phase("Object storage (moto's S3 server)"):
            moto = stack.start(
                "moto", [*python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)]
            )
            wait_for_http(f"http://127.0.0.1:{s3_port}/", process=moto)
            storage = s3_client(environment)
            storage.create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
            )

        with self.phase("collectstatic and migrate, side by side"):
            stack.run_together(
                {
                    "collectstatic": [*manage, "collectstatic", "--no-input"],
                    "migrate": [*manage, "migrate", "--no-input"],
                }
            )
        with self.phase("An agency, its service administrator and a practitioner"):
            admin_password = secrets.token_urlsafe(18)
            stack.run(
                "create_service_admin",
                [
                    *manage,
                    "create_service_admin",
                    "admin@partnership.example",
                    "Sam Admin",
                    "--agency",
                    "Northshire Community Safety Partnership",
                    "--new-agency-kind",
                    "other",
                ],
                stdin=f"{admin_password}\n{admin_password}\n",
            )
            practitioner = journey.Account(
                email="pat.lead@idva.example",
                password=secrets.token_urlsafe(18),
                display_name="Pat Lead",
            )
            stack.run(
                "create_account",
                [
                    *manage,
                    "create_account",
                    practitioner.email,
                    practitioner.display_name,
                    "--agency",
                    "Northshire IDVA Service",
                    "--new-agency-kind",
                    "idva_service",
                    "--role",
                    "practitioner",
                ],
                stdin=f"{practitioner.password}\n{practitioner.password}\n",
            )

        with self.phase("TLS certificate, app instances, nginx, workers, scheduler"):
            certificate, key = self_signed_certificate(self.folder)
            apps = []
            for number, port in enumerate((app_1, app_2), start=1):
                apps.append(
                    stack.start(
                        f"app-{number}",
                        [str(BIN / "gunicorn"), "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
                        ORDERWATCH_GUNICORN_BIND=f"127.0.0.1:{port}",
                    )
                )
            access_log = self.folder / "nginx-access.log"
            site = self.folder / "orderwatch.conf"
            site.write_text(
                nginx.render(
                    nginx.TEMPLATE.read_text(),
                    {
                        "ORDERWATCH_SERVER_NAME": HOST,
                        "ORDERWATCH_BASE_URL": base_url,
                        "ORDERWATCH_HTTPS_PORT": f"127.0.0.1:{https_port}",
                        "ORDERWATCH_HTTP_PORT": f"127.0.0.1:{http_port}",
                        "ORDERWATCH_TLS_CERTIFICATE": str(certificate),
                        "ORDERWATCH_TLS_CERTIFICATE_KEY": str(key),
                        "ORDERWATCH_ACCESS_LOG": str(access_log),
                        "ORDERWATCH_APP_1": f"127.0.0.1:{app_1}",
                        "ORDERWATCH_APP_2": f"127.0.0.1:{app_2}",
                        "ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES": str(EVIDENCE_MAX_REQUEST_BYTES),
                    },
                )
            )
            main_conf = self.folder / "nginx.conf"
            main_conf.write_text(nginx.main_configuration(folder=self.folder, site=site))
            nginx_command = [
                nginx_binary(),
                "-p",
                f"{self.folder}/",
                "-e",
                str(self.folder / "nginx-error.log"),
                "-c",
                str(main_conf),
            ]
            stack.run("nginx-test", [*nginx_command, "-t"])
            proxy = stack.start("nginx", nginx_command)
            for number in (1, 2):
                stack.start(f"worker-{number}", [*manage, "run_worker", "--no-reload"])
            stack.start("scheduler", [*manage, "run_scheduler"])
            # Each instance is ready (database, storage, migrations, a worker's heartbeat) on
            # the plain-http probe a load balancer would use (ADR 0032).
            for app, port in zip(apps, (app_1, app_2), strict=True):
                wait_for_http(
                    f"http://127.0.0.1:{port}/health/ready",
                    process=app,
                    headers={"Host": HOST},
                    ready=True,
                )
            wait_for_http(f"{base_url}/accounts/sign-in/", process=proxy)

        self._journey(base_url, practitioner, apps[0], access_log, storage)

        with self.phase("TLS, logs and background processes"):
            self._check_tls_versions(https_port)
            self._check_access_log(base_url, access_log, http_port=http_port)
            self._check_metrics(app_2)
            self._check_app_logs()
            self._check_workers(database_url, killed=apps[0])

    def _journey(self, base_url, practitioner, doomed, access_log, storage) -> None:
        from playwright.sync_api import sync_playwright

        upload = journey.photo(secrets.token_bytes(16))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(
                base_url=base_url, ignore_https_errors=True, locale="en-GB", accept_downloads=True
            )
            context.set_default_timeout(20_000)
            page = context.new_page()
            with self.phase("Journey: first sign-in, two factors"):
                journey.sign_in_first_time(page, practitioner)
                self._check_production_settings(context, page)
            with self.phase("Journey: a case with an order"):
                case_path = journey.open_case(page)
                answered_by = upstreams(access_log)
                if len(answered_by) < 2:
                    raise RuntimeError(f"Only {answered_by} answered before the kill")
            with self.phase("Kill app instance 1 (SIGKILL); the service keeps answering"):
                logged_before = len(access_log.read_text().splitlines())
                doomed.kill()
                statuses = [
                    context.request.get(case_path, max_redirects=0).status
                    for _ in range(REQUESTS_AFTER_THE_KILL)
                ]
                if statuses != [200] * REQUESTS_AFTER_THE_KILL:
                    raise RuntimeError(f"After the kill, the case page answered {statuses}")
                time.sleep(0.5)  # nginx writes its log as each request ends
                after = access_log.read_text().splitlines()[logged_before:]
                retried = sum(1 for line in after if "," in json.loads(line)["upstream"])
                self.facts.append(
                    f"Before the kill both app instances answered; after it, "
                    f"{REQUESTS_AFTER_THE_KILL} of {REQUESTS_AFTER_THE_KILL} requests answered "
                    f"200 ({retried} passed on to the other instance after a refused connection)."
                )
            with self.phase("Journey: a breach, on the question pages"):
                journey.record_breach(page, case_path)
            with self.phase("Journey: evidence uploaded, downloaded, stored encrypted"):
                before = stored_objects(storage)
                downloaded = journey.add_and_download_evidence(
                    page, case_path, name="IMG_2041.png", data=upload
                )
                if downloaded != upload:
                    raise RuntimeError("The downloaded evidence differs from the upload")
                new = {k: v for k, v in stored_objects(storage).items() if k not in before}
                if not new:
                    raise RuntimeError("No new object in the bucket after the upload")
                if any(upload in stored or stored == upload for stored in new.values()):
                    raise RuntimeError("The evidence is stored in the bucket unencrypted")
                self.facts.append(
                    f"Evidence: {len(upload)} bytes up and the same bytes down; in the bucket "
                    f"as {len(new)} new object(s), none holding the bytes uploaded."
                )
            browser.close()

    def _check_access_log(self, base_url: str, access_log: Path, *, http_port: int) -> None:
        """nginx logs no query string, no secret in a path, no health check and no client;
        plain http only redirects; /metrics is not served from outside."""
        from playwright.sync_api import sync_playwright

        canary = secrets.token_hex(8)
        with sync_playwright() as playwright:
            request = playwright.request.new_context(base_url=base_url, ignore_https_errors=True)
            request.get(f"/accounts/sign-in/?next=/cases/{canary}-query/", max_redirects=0)
            request.get(f"/calendar/feed/{canary}-secret.ics", max_redirects=0)
            health = request.get("/health/live", max_redirects=0).status
            metrics = request.get("/metrics", max_redirects=0).status
            trace = request.fetch("/notes/", method="TRACE", max_redirects=0).status
            plain = request.get(f"http://{HOST}:{http_port}/cases/", max_redirects=0)
            request.dispose()
        if metrics != 404:
            raise RuntimeError(f"/metrics answered {metrics} from outside, not 404")
        if trace != 405:
            raise RuntimeError(f"TRACE answered {trace} through nginx, not 405")
        if (plain.status, plain.headers.get("location")) != (301, f"{base_url}/cases/"):
            raise RuntimeError(f"Plain http answered {plain.status}, not a redirect to https")
        time.sleep(0.5)  # nginx writes its log as each request ends
        text = access_log.read_text()
        lines = [json.loads(line) for line in text.splitlines()]
        if canary in text or "/calendar/feed/[secret]" not in text:
            raise RuntimeError("The access log holds a query string or a secret")
        if any(set(line) != ACCESS_LOG_FIELDS for line in lines):
            raise RuntimeError("An access log line has fields beyond those that name no one")
        if any("/health/" in line["path"] for line in lines):
            raise RuntimeError("The access log records health checks")
        if not all(line["request_id"] for line in lines):
            raise RuntimeError("An access log line has no request id")
        server_errors = [line for line in lines if line["status"] >= 500]
        if server_errors:
            raise RuntimeError(f"nginx answered with a server error: {server_errors[:3]}")
        self.facts.append(
            f"Access log: {len(lines)} JSON lines with request ids, no 5xx, no client, no query "
            f"string, secrets masked; /health/live ({health}) unlogged; /metrics 404 outside; "
            "TRACE 405; plain http redirects to https."
        )

    def _check_tls_versions(self, port: int) -> None:
        """nginx agrees TLS 1.2 and 1.3 and refuses 1.1 and 1.0, whatever the host's defaults."""
        agreed = {
            version.name: tls_handshake(port, version)
            for version in (
                ssl.TLSVersion.TLSv1,
                ssl.TLSVersion.TLSv1_1,
                ssl.TLSVersion.TLSv1_2,
                ssl.TLSVersion.TLSv1_3,
            )
        }
        expected = {"TLSv1": False, "TLSv1_1": False, "TLSv1_2": True, "TLSv1_3": True}
        if agreed != expected:
            raise RuntimeError(f"TLS versions agreed {agreed}, not {expected}")
        self.facts.append("TLS: 1.2 and 1.3 agreed; 1.0 and 1.1 refused.")

    def _check_production_settings(self, context, page) -> None:
        """The production settings hold behind nginx: __Host- cookies, Secure; HSTS once."""
        cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        session = cookies.get("__Host-sessionid")
        if session is None or not session["secure"] or not session["httpOnly"]:
            raise RuntimeError(f"No secure __Host-sessionid cookie: {sorted(cookies)}")
        response = page.request.get("/accounts/sign-in/", max_redirects=0)
        hsts = [
            h for h in response.headers_array if h["name"].lower() == "strict-transport-security"
        ]
        if len(hsts) != 1:
            raise RuntimeError(f"Strict-Transport-Security sent {len(hsts)} times, not once")
        self.facts.append(
            "Production settings behind nginx: __Host- session cookie (Secure, HttpOnly), "
            f"HSTS once ({hsts[0]['value']})."
        )

    def _check_metrics(self, port: int) -> None:
        """An instance's /metrics, scraped directly (nginx refuses it), adds up its processes'
        requests and reads the queue from the database."""
        request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Host": HOST})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            text = response.read().decode()
        served = [
            line
            for line in text.splitlines()
            if line.startswith("orderwatch_http_requests_total{") and 'status="200"' in line
        ]
        if not served or "orderwatch_task_queue_depth" not in text:
            raise RuntimeError("/metrics on an instance lacks request counts or the queue depth")
        self.facts.append(
            f"Metrics scraped from an instance directly: {len(served)} routes answered 200, "
            "and the task queue's depth."
        )

    def _check_app_logs(self) -> None:
        """Every line the app instances and workers wrote is JSON; request lines carry an id."""
        logs = [self.folder / f"{name}.log" for name in ("app-1", "app-2", "worker-1", "worker-2")]
        lines = [line for log in logs for line in log.read_text().splitlines() if line.strip()]
        try:
            records = [json.loads(line) for line in lines]
        except json.JSONDecodeError as error:
            raise RuntimeError(f"A log line is not JSON: {error.doc[:120]!r}") from None
        about_requests = [r for r in records if r.get("logger", "").startswith("django.request")]
        if any(not record.get("request_id") for record in about_requests):
            raise RuntimeError("A request's log line has no request id")
        self.facts.append(
            f"App and worker logs: {len(records)} lines, all JSON "
            f"({len(about_requests)} about requests, each with its request id)."
        )

    def _check_workers(self, database_url: str, *, killed) -> None:
        """Everything but the killed instance still runs; both workers beat; the scheduler ran
        its frequent jobs without an error."""
        if dead := [p.name for p in self.stack.dead() if p is not killed]:
            raise RuntimeError(f"Stopped during the check: {', '.join(dead)}")
        import psycopg

        with psycopg.connect(database_url) as connection:
            (beating,) = connection.execute(
                "SELECT count(*) FROM worker_workerheartbeat "
                "WHERE beat_at > now() - interval '60 seconds'"
            ).fetchone()
            ran = dict(
                connection.execute(
                    "SELECT command, last_error FROM worker_scheduledjob "
                    "WHERE last_finished_at IS NOT NULL"
                ).fetchall()
            )
        if beating < 2:
            raise RuntimeError(f"{beating} of 2 background workers record a heartbeat")
        if missing := FREQUENT_JOBS - set(ran):
            raise RuntimeError(f"The scheduler has not run {', '.join(sorted(missing))}")
        if failed := {command: error for command, error in ran.items() if error}:
            raise RuntimeError(f"Scheduled jobs failed: {failed}")
        self.facts.append(
            "Both background workers record a heartbeat; the scheduler ran "
            f"{', '.join(sorted(ran))} without an error."
        )

    def _summary(self, seconds: float, passed: bool) -> str:
        lines = ["", f"## Production check: {'passed' if passed else 'FAILED'}", ""]
        lines += [f"- {fact}" for fact in self.facts]
        lines += ["", "| step | seconds |", "|---|---:|"]
        lines += [f"| {name} | {took:.1f} |" for name, took in self.timings]
        lines.append(f"| **in all** | **{seconds:.1f}** |")
        return "\n".join(lines)


def tls_handshake(port: int, version: ssl.TLSVersion) -> bool:
    """Return whether nginx on `port` agrees a TLS handshake at exactly `version`.

    The client is willing to speak old versions (security level 0), so a refusal is nginx's.
    """
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE  # the check's own self-signed certificate
    client.set_ciphers("DEFAULT:@SECLEVEL=0")
    client.minimum_version = client.maximum_version = version
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=10) as connection,
            client.wrap_socket(connection, server_hostname=HOST) as tls,
        ):
            return tls.version() is not None
    except (ssl.SSLError, ConnectionResetError):
        return False


def upstreams(access_log: Path) -> set[str]:
    """Return the app instances that answered requests, from nginx's access log."""
    lines = access_log.read_text().splitlines()
    return {json.loads(line)["upstream"] for line in lines} - {""}


def _out_of_time(signum, frame):
    raise TimeoutError("The production check ran out of time")


def _told_to_stop(signum, frame):
    raise SystemExit("The production check was stopped (SIGTERM)")


def production_environment(*, database_url: str, base_url: str, s3_port: int) -> dict[str, str]:
    """Return the environment every process gets: the production settings, with throwaway keys
    made for this run, the database, and moto's S3 server as the object storage."""
    from cryptography.fernet import Fernet

    inherited = {
        name: value
        for name, value in os.environ.items()
        if name in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"}
    }
    return inherited | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "PYTHONUNBUFFERED": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ORDERWATCH_FIELD_KEYS": Fernet.generate_key().decode(),
        "ORDERWATCH_EVIDENCE_SIGNING_KEY": base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode(),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": HOST,
        "ORDERWATCH_BASE_URL": base_url,
        "ORDERWATCH_TRUSTED_PROXIES": "127.0.0.1",
        "ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES": str(EVIDENCE_MAX_REQUEST_BYTES),
        "ORDERWATCH_GUNICORN_WORKERS": "1",
        "ORDERWATCH_GUNICORN_THREADS": "4",
        "ORDERWATCH_S3_BUCKET": BUCKET,
        "ORDERWATCH_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "ORDERWATCH_S3_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "production-check",
        "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
    }


def s3_client(environment: dict[str, str]):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=environment["ORDERWATCH_S3_ENDPOINT_URL"],
        region_name=REGION,
        aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
    )


def stored_objects(storage) -> dict[str, bytes]:
    listed = storage.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: storage.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listed
    }


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """Write a one-day certificate for localhost and its key; return their paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = folder / "localhost.crt", folder / "localhost.key"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_path, key_path


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(found, os.X_OK):
        raise RuntimeError("nginx is not installed: apt-get install nginx (make production-check)")
    return found


def fresh_database(server_url: str) -> str:
    """Drop and create the database `server_url` names, on its server; return its URL."""
    import psycopg

    parts = urlsplit(server_url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise RuntimeError("The database name may hold letters, digits and _ only")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return server_url


class PostgreSQLCluster(ThrowawayPostgreSQL):
    """The check's own cluster, in a folder of its own, gone when stopped; no fsync."""

    def __init__(self, port: int):
        folder = Path(tempfile.mkdtemp(prefix="orderwatch-production-check-pg-"))
        super().__init__(folder, port=port, durable=False)

    def start_fresh(self) -> str:
        """Make and start the cluster; return its database's URL."""
        self.create()
        return f"{self.server_url}/orderwatch"

    def stop(self, *, mode: str = "fast") -> None:
        super().stop(mode=mode)
        shutil.rmtree(self.data, ignore_errors=True)
