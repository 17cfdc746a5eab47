"""National-scale benchmark on PostgreSQL: generate 10k / 100k / 1M cases, then measure the key
pages against a signed-in trivial page, the reminder sweep, concurrent writes, and a case page
while a busy sweep runs. Measured and printed (Markdown), never asserted.

    BENCH_DATABASE_URL=postgres://orderwatch@127.0.0.1:54330/ow_bench \\
        .venv/bin/python -m benchmarks.national.run --sizes 10k,100k

Each size gets its own fresh database, named after BENCH_DATABASE_URL's (ow_bench_10k, …;
dropped and made again each run). Without BENCH_DATABASE_URL, DATABASE_URL is used.
"""

import argparse
import contextlib
import datetime as dt
import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import asdict
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit, urlunsplit

from benchmarks.national.serve import THREADS

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
TRIVIAL = "/calendar/"  # signed in, one small query of its own: the calendar feed settings
ROUNDS = 15
BUSY_SWEEP_PAGE_TIMEOUT = 1800
CLIENTS = (1, 4, 16)
# Server processes for the writes, sharing one socket, each answering one request at a time:
# gunicorn's sync workers, twice the cores plus one, as its documentation advises. Threads in
# one process share its interpreter lock, so a save holding a case's row waited for other
# requests' parsing and rendering, and every save on that case waited with it.
WRITE_SERVER_PROCESSES = 2 * (os.cpu_count() or 1) + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated: 1k, 10k, 100k, 1m")
    parser.add_argument("--write-seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a size, inside its own database
    args = parser.parse_args()
    if args.one:
        _measure_one(args.one, args)
        return
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("Set BENCH_DATABASE_URL (or DATABASE_URL) to a PostgreSQL database.")
    labels = args.sizes.lower().split(",")
    if unknown := set(labels) - SIZES.keys():
        sys.exit(f"Unknown size {', '.join(sorted(unknown))}: choose from {', '.join(SIZES)}.")
    print(_machine(base))
    for label in labels:
        url = _fresh_database(base, label)
        env = os.environ | {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": __package__ + ".settings",
        }
        command = [sys.executable, "-m", __package__ + ".run", "--one", label]
        command += ["--write-seconds", str(args.write_seconds), "--rounds", str(args.rounds)]
        subprocess.run(command, env=env, check=True)


def _fresh_database(base: str, label: str) -> str:
    import psycopg

    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_{label}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def _machine(base: str) -> str:
    import psycopg

    with psycopg.connect(base) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    with open("/proc/meminfo") as meminfo:
        kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    return (
        f"## National scale\n\nMachine: {os.cpu_count()} CPUs (`nproc`), "
        f"{kib / 1024 / 1024:.0f} GiB memory, PostgreSQL {version}; "
        f"run on {dt.datetime.now(dt.UTC):%Y-%m-%d}.\n"
    )


# Inside one size's database.


def _measure_one(label: str, args) -> None:
    import logging

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.national.generate import generate

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic() - started
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    generated = generate(SIZES[label])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    counts = _row_counts()
    print(
        f"\n### {label} cases\n\nGenerated in {generated.seconds:.0f} s (migrations "
        f"{migrated:.0f} s before it); database {size}. Rows: "
        + ", ".join(f"{n:,} {name}" for name, n in counts.items())
        + ".\n",
        flush=True,
    )
    with _server(processes=1) as port:
        client = Http(port)
        cookies = {
            "practitioner": _session_cookie(generated.practitioner),
            "manager": _session_cookie(generated.manager),
        }
        print(_pages_report(client, cookies, _pages(generated), args.rounds), flush=True)
        print(_sweeps_report(client, cookies["practitioner"], generated), flush=True)
    print(_writes_report(generated, args.write_seconds), flush=True)


def _row_counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "cases": "cases_case",
        "users": "accounts_user",
        "team memberships": "cases_caseteammembership",
        "people": "cases_caseperson",
        "orders": "orders_order",
        "conditions": "orders_condition",
        "order changes": "orders_orderchange",
        "breaches": "breaches_breach",
        "evidence items": "evidence_evidenceitem",
        "tasks": "tasks_task",
    }
    with connection.cursor() as cursor:
        return {
            name: cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for name, table in tables.items()
        }


@contextlib.contextmanager
def _server(processes: int, threads: int = THREADS, log=None):
    """Run `serve.py` with `processes` processes of `threads` threads (its log to `log`, if
    given); yield its port."""
    port = _free_port()
    command = [sys.executable, "-m", __package__ + ".serve", str(port)]
    command += ["--processes", str(processes), "--threads", str(threads)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log)
    try:
        if server.stdout.readline().strip() != b"ready":
            raise RuntimeError("The benchmark server did not start")
        yield port
    finally:
        server.terminate()
        server.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _session_cookie(user) -> str:
    """Return a Cookie header for a session signed in with both factors, as tests make one."""
    from django.conf import settings
    from django.test import Client

    from orderwatch.accounts.tests.factories import sign_in_with_two_factor

    client = sign_in_with_two_factor(Client(), user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Http:
    """One HTTP/1.0 client (a new connection per request, as wsgiref serves)."""

    def __init__(self, port: int):
        self.port = port

    def get(self, path: str, cookie: str, timeout: float = 120) -> tuple[float, int, int, int]:
        """Return seconds, queries, status and body bytes of one GET."""
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        queries = int(response.getheader("X-Bench-Queries", "-1"))
        return time.perf_counter() - started, queries, response.status, len(body)

    def exchange(
        self, method: str, path: str, cookie: str, body: bytes | None = None, content_type=""
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        """Return the status, headers and body of one request."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": cookie} | ({"Content-Type": content_type} if content_type else {})
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


def _pages(generated) -> list[tuple[str, str, str]]:
    from benchmarks.national.generate import _uuid

    case = generated.bench_case_ids[6]  # case 7: 11 breaches, 5 evidence items, 2 orders
    order = _uuid(generated.salt, "order", "7:1")
    return [
        ("My cases", "/cases/", "practitioner"),
        ("Case page", f"/cases/{case}/", "practitioner"),
        ("Order page", f"/cases/{case}/orders/{order}/", "practitioner"),
        ("Breach form", f"/cases/{case}/breaches/new/", "practitioner"),
        ("Chronology", f"/cases/{case}/chronology/", "practitioner"),
        ("Evidence log", f"/cases/{case}/evidence/", "practitioner"),
        ("Orders ending soon", "/orders/ending-soon/", "practitioner"),
        ("Cases to look at (team manager)", "/patterns/", "manager"),
    ]


def _pages_report(client: Http, cookies, pages, rounds: int) -> str:
    """Time each page right after the trivial page, with the same client and user."""
    for _, path, who in pages:  # warm up: templates, caches, connections
        for _ in range(2):
            client.get(TRIVIAL, cookies[who])
            client.get(path, cookies[who])
    lines = [
        f"Pages ({rounds} rounds; wsgiref server in its own process, {16} threads, DEBUG off; "
        f"one sequential client; trivial page `{TRIVIAL}`, signed in with two factors):\n",
        "| Page | median ms | trivial ms | latency × trivial | throughput × trivial "
        "| queries (trivial) | KB | status |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    timings = {path: ([], []) for _, path, _ in pages}
    for _ in range(rounds):  # round-robin, so a busy moment on the machine touches every page
        for _, path, who in pages:
            timings[path][1].append(client.get(TRIVIAL, cookies[who]))
            timings[path][0].append(client.get(path, cookies[who]))
    for name, path, _ in pages:
        page, trivial = timings[path]
        page_ms = statistics.median(p[0] for p in page) * 1000
        trivial_ms = statistics.median(t[0] for t in trivial) * 1000
        statuses = sorted({p[2] for p in page} | {t[2] for t in trivial})
        lines.append(
            f"| {name} | {page_ms:.1f} | {trivial_ms:.1f} | {page_ms / trivial_ms:.2f} "
            f"| {trivial_ms / page_ms:.2f} | {page[-1][1]} ({trivial[-1][1]}) "
            f"| {page[-1][3] / 1024:.0f} | {','.join(map(str, statuses))} |"
        )
    return "\n".join(lines) + "\n"


def _timed_sweep(today: dt.date) -> dict:
    from django.db import connection

    from orderwatch.reminders.services import reminders_sweep

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = reminders_sweep(today=today)
    return {"seconds": time.perf_counter() - started, "queries": count, "result": asdict(result)}


def _sweep_in_child(today: dt.date, results) -> None:
    results.put(_timed_sweep(today))


def _sweeps_report(client: Http, cookie: str, generated) -> str:
    """The first sweep of the day (busy: every reminder in the window) with a case page asked
    for again and again beside it; then the same day again (nothing due); then the next day."""
    from django.db import connections
    from django.utils import timezone

    today = timezone.localdate()
    case_page = f"/cases/{generated.bench_case_ids[6]}/"
    connections.close_all()  # the child makes its own
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    sweep = context.Process(target=_sweep_in_child, args=(today, results))
    sweep.start()
    during = []
    while sweep.is_alive():
        started = time.perf_counter()
        try:
            seconds, _, status, _ = client.get(case_page, cookie, timeout=BUSY_SWEEP_PAGE_TIMEOUT)
        except TimeoutError:
            seconds, status = time.perf_counter() - started, "no answer"
        during.append((seconds, status))
    busy = results.get()
    sweep.join()
    runs = [("Busy (first run of the day)", busy)]
    runs.append(("Nothing due (same day again)", _timed_sweep(today)))
    runs.append(("A normal day (the next day)", _timed_sweep(today + dt.timedelta(days=1))))
    lines = [
        "Reminder sweep (`reminders_sweep`, in process):\n",
        "| Run | seconds | queries | what it did |",
        "|---|---:|---:|---|",
    ]
    for name, run in runs:
        did = ", ".join(f"{k} {v}" for k, v in run["result"].items() if k != "ran")
        lines.append(f"| {name} | {run['seconds']:.1f} | {run['queries']:,} | {did} |")
    times = [s for s, _ in during]
    statuses = Counter(status for _, status in during)
    lines.append(
        f"\nCase page while the busy sweep ran: {len(times)} requests, median "
        f"{statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms "
        f"(statuses {dict(statuses)}).\n"
    )
    return "\n".join(lines)


class FormPage(HTMLParser):
    """The names and values of a page's form fields, as a browser reads them, and the heading
    each value is under."""

    def __init__(self, html: str):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.headings: dict[tuple[str, str], str] = {}
        self._heading, self._in_heading = "", False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h2", "h3"):
            self._heading, self._in_heading = "", True
        elif tag in ("input", "textarea", "select") and "name" in attrs:
            value = attrs.get("value") or ""
            self.fields.setdefault(attrs["name"], []).append(value)
            self.headings[attrs["name"], value] = self._heading

    def handle_endtag(self, tag):
        if tag in ("h2", "h3"):
            self._in_heading = False

    def handle_data(self, data):
        if self._in_heading:
            self._heading += data

    def answers(self, answers: dict) -> dict:
        """Return `answers` with the CSRF token, after checking the form asks each question."""
        if unasked := set(answers) - self.fields.keys():
            raise RuntimeError(f"The form no longer asks {', '.join(sorted(unasked))}")
        return {"csrfmiddlewaretoken": self.fields["csrfmiddlewaretoken"][0], **answers}


def _date_boxes(name: str, day: dt.date) -> dict[str, str]:
    """Return what the Day, Month and Year boxes of GOV.UK date question `name` post."""
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _breach_answers(condition: str) -> dict[str, dict]:
    """Each question page's answers, in order, as a practitioner gives them: a breach of
    `condition` (a condition of an order in force) yesterday at about 9pm, reported on 101."""
    from django.utils import timezone

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    now = timezone.localtime()
    return {
        "police": {"police_reported": "yes"},
        "police-report": {
            **_date_boxes("police_reported_on", yesterday),
            "police_method": "101",
            "police_reference": "NP-26-4471",
            "police_officer_not_known": "on",
        },
        "probation": {"respondent_supervised": "not_known"},
        "other-agencies": {"other_agencies": "none"},
        "reported-to-you": {
            **_date_boxes("reported_to_practitioner_at", now.date()),
            "reported_to_practitioner_at-time": f"{now:%H:%M}",
            "reported_by": "victim_survivor",
        },
        "precision": {"happened_precision": "approximate"},
        "when": {**_date_boxes("happened_on", yesterday), "happened_at_time": "21:00"},
        "where": {"location": "protected_address"},
        "what-happened": {
            "what_happened": "He knocked on the door and shouted through the letterbox."
        },
        "behaviour": {"behaviours": ["attending", "direct_contact"]},
        "severity": {"severity": "3"},
        "others-present": {"others_present": "none"},
        "witnesses": {"witnesses": "none"},
        "conditions": {"conditions": [condition], f"how_{condition}": "He came to the door."},
        "actions": {"actions": ["police_report"]},
    }


def breach_steps(http: "Http", cookie: str, case_id) -> tuple[list[tuple], str]:
    """Return the posts that record one breach on the case (each question page, then "Save
    breach" on Check your answers, which carries the one-time key), and the cookie with the
    CSRF cookie added. Each page is opened and answered once here, as a browser would, which
    checks that it asks its questions (a page applies only after the answers before it)."""
    base = f"/cases/{case_id}/breaches/new/"
    steps = []
    for slug, answers in _breach_answers("").items():
        path = f"{base}{slug}/"
        status, headers, html = http.exchange("GET", path, cookie)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        for set_cookie in headers.get_all("Set-Cookie") or []:  # the CSRF cookie, the first time
            cookie += "; " + set_cookie.split(";")[0]
        page = FormPage(html.decode())
        if slug == "conditions":
            condition = next(
                value
                for value in page.fields["conditions"]
                if "(in force" in page.headings["conditions", value]
            )
            answers = _breach_answers(condition)[slug]  # noqa: PLW2901 (now with the condition)
        step = (path, page.answers(answers), None)
        body, content_type = _body(step[1], None)
        status, _headers, _ = http.exchange("POST", path, cookie, body, content_type)
        if status not in (302, 303):
            raise RuntimeError(f"POST {path} answered {status}")
        steps.append(step)
    csrf = steps[0][1]["csrfmiddlewaretoken"]
    steps.append((f"{base}check/", {"csrfmiddlewaretoken": csrf}, None))
    return steps, cookie


def _evidence_answers(form: FormPage) -> dict:
    """A screenshot from yesterday (the file itself goes with it, see `_multipart`)."""
    from django.utils import timezone

    return form.answers(
        {
            "kind": "screenshot",
            "happened_precision": "date",
            **_date_boxes("happened_on", timezone.localdate() - dt.timedelta(days=1)),
            "description": "Screenshot of a message from a new account, sent last night.",
        }
    )


def _screenshot() -> bytes:
    """Return a small real PNG (64 by 64 pixels of noise, about 12 KB)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + os.urandom(64 * 3) for _ in range(64))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _multipart(answers: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """Return a multipart/form-data body and its content type, as a browser sends a form."""
    boundary = "----OrderWatchBench" + os.urandom(8).hex()
    parts = []
    for name, values in answers.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _body(answers: dict, files: dict | None) -> tuple[bytes, str]:
    """Return a form's body and content type: each save is a form shown afresh (a new key)."""
    if files is None:
        return urlencode(answers, doseq=True).encode(), "application/x-www-form-urlencoded"
    return _multipart(answers, files)


def _writer(job: tuple) -> tuple[Counter, Counter]:
    """As a practitioner in a browser: open the breach question pages and the evidence form on
    one case, then record a breach (every page, then the save) and a screenshot, alternately,
    from `start` until `deadline`.

    A save counts when the answer is a redirect to the record made and the record exists.
    """
    port, cookie, case_id, start, deadline = job
    from django.db import connection

    from orderwatch.breaches.models import Breach
    from orderwatch.evidence.models import EvidenceItem

    http = Http(port)
    posts = {}
    posts["breach"], cookie = breach_steps(http, cookie, case_id)
    path = f"/cases/{case_id}/evidence/new/"
    status, _headers, html = http.exchange("GET", path, cookie)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    posts["evidence"] = [
        (
            path,
            _evidence_answers(FormPage(html.decode())),
            {"files": ("screenshot.png", _screenshot())},
        )
    ]
    made = {"breach": [], "evidence": []}
    errors = Counter()
    time.sleep(max(0, start - time.time()))
    attempt = 0
    while time.time() < deadline:
        kind = ("breach", "evidence")[attempt % 2]
        attempt += 1
        # Each save is a form shown afresh: the last post (the save) carries a new key.
        key = {"submission_key": str(uuid.uuid4())}
        for number, (path, answers, files) in enumerate(posts[kind], start=1):
            last = number == len(posts[kind])
            body, content_type = _body(answers | key if last else answers, files)
            try:
                status, headers, _ = http.exchange("POST", path, cookie, body, content_type)
            except OSError as error:
                errors[f"{kind}: {type(error).__name__}"] += 1
                break
            if status not in (302, 303):
                errors[f"{kind}: {status}"] += 1
                break
            if last:
                made[kind].append(headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    models = {"breach": Breach, "evidence": EvidenceItem}
    done = Counter(
        {kind: models[kind].objects.filter(pk__in=ids).count() for kind, ids in made.items()}
    )
    connection.close()
    for kind, ids in made.items():
        if missing := len(ids) - done[kind]:
            errors[f"{kind}: redirected, no record"] += missing
    return done, errors


def _server_errors(log: str) -> Counter:
    """Count the server's failed requests by what they were (breach or evidence) and whether
    PostgreSQL reported a deadlock."""
    errors = Counter()
    for record in re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", log):
        if "Internal Server Error" not in record:
            continue
        kind = "breach" if "/breaches/" in record.split("\n", 1)[0] else "evidence"
        errors[f"{kind}: deadlock" if "deadlock detected" in record else f"{kind}: 500"] += 1
    return errors


def _writes_report(generated, seconds: float) -> str:
    """Concurrent practitioners posting the breach and evidence forms over HTTP (separate
    processes), each on its own bench case, and all on one case."""
    from django.db import connections

    lines = [
        f"Writes ({seconds:.0f} s each; each client a process posting the breach form and the "
        f"evidence form with a screenshot, alternately, over HTTP to {WRITE_SERVER_PROCESSES} "
        "server processes answering one request at a time, as gunicorn's sync workers do):\n",
        "| Cases | clients | saves/s | breaches | evidence | errors |",
        "|---|---:|---:|---:|---:|---|",
    ]
    cookie = _session_cookie(generated.practitioner)
    context = multiprocessing.get_context("fork")
    # Each run starts on bench cases no earlier run wrote to (a case's pattern analysis, run on
    # every breach, grows with its breaches): 1 + 4 + 16 on different cases, then 3 single cases.
    unused = iter(generated.bench_case_ids)

    def run(clients: int, cases: list, seconds: float) -> list[tuple[Counter, Counter]]:
        connections.close_all()
        start = time.time() + 3  # time for every client to start and open its forms
        jobs = [
            (port, cookie, cases[n % len(cases)], start, start + seconds) for n in range(clients)
        ]
        with context.Pool(clients) as pool:
            return pool.map(_writer, jobs)

    with (
        tempfile.NamedTemporaryFile("w+") as log,
        open(log.name, "a") as server_log,  # its own offset, always at the end
        _server(WRITE_SERVER_PROCESSES, threads=1, log=server_log) as port,
    ):
        # Warm up every server process (first requests load code and open connections) on the
        # last bench case, which nothing else here writes to.
        run(2 * WRITE_SERVER_PROCESSES, [generated.bench_case_ids[-1]], 2)
        for where in ("different cases", "one case"):
            for clients in CLIENTS:
                cases = [next(unused) for _ in range(clients if where == "different cases" else 1)]
                log_start = log.seek(0, os.SEEK_END)
                results = run(clients, cases, seconds)
                time.sleep(0.5)  # for the server's last log lines
                log.seek(log_start)
                done = sum((r[0] for r in results), Counter())
                errors = sum((r[1] for r in results), Counter())
                logged = _server_errors(log.read())
                lines.append(
                    f"| {where} | {clients} | {sum(done.values()) / seconds:.1f} "
                    f"| {done['breach']} | {done['evidence']} | {_errors(errors, logged)} |"
                )
    return "\n".join(lines) + "\n"


def _errors(errors: Counter, logged: Counter) -> str:
    """Errors by kind, then what the server logged about its 500s."""
    if not errors:
        return "0"
    kinds = ", ".join(f"{kind} × {n}" for kind, n in errors.most_common())
    if logged:
        kinds += "; server log: " + ", ".join(f"{k} × {n}" for k, n in logged.most_common())
    return f"{errors.total()} ({kinds})"


if __name__ == "__main__":
    main()
