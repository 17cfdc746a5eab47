"""National-scale benchmark on PostgreSQL: generate 10k / 100k / 1M cases, then measure the key
pages against a signed-in trivial page, the reminder sweep, concurrent writes, and a case page
while a busy sweep runs. Measured and printed (Markdown), never asserted.

    BENCH_DATABASE_URL=postgres://orderwatch@127.0.0.1:54330/ow_bench \\
        .venv/bin/python -m benchmarks.national.run --sizes 10k,100k

Each size gets its own fresh database, named after BENCH_DATABASE_URL's (ow_bench_10k, …;
dropped and made again each run). Without BENCH_DATABASE_URL, DATABASE_URL is used.
"""

import argparse
import datetime as dt
import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict
from urllib.parse import urlsplit, urlunsplit

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
TRIVIAL = "/calendar/"  # signed in, one small query of its own: the calendar feed settings
ROUNDS = 15
BUSY_SWEEP_PAGE_TIMEOUT = 1800
CLIENTS = (1, 4, 16)


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
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", __package__ + ".serve", str(port)], stdout=subprocess.PIPE
    )
    try:
        server.stdout.readline()  # "ready"
        client = Http(port)
        cookies = {
            "practitioner": _session_cookie(generated.practitioner),
            "manager": _session_cookie(generated.manager),
        }
        print(_pages_report(client, cookies, _pages(generated), args.rounds), flush=True)
        print(_sweeps_report(client, cookies["practitioner"], generated), flush=True)
        print(_writes_report(generated, args.write_seconds), flush=True)
    finally:
        server.terminate()
        server.wait()


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


def _writer(job: tuple) -> tuple[Counter, Counter]:
    """Record breaches and add evidence notes, alternately, on one case until the deadline."""
    actor_id, case_id, deadline = job
    from django.utils import timezone

    from orderwatch.accounts.models import User
    from orderwatch.breaches.occurrence import Occurrence, Precision
    from orderwatch.breaches.services import breach_record
    from orderwatch.breaches.tests.factories import breach_account
    from orderwatch.cases.models import Case
    from orderwatch.evidence.models import EvidenceItem
    from orderwatch.evidence.services import evidence_item_add

    actor = User.objects.get(pk=actor_id)
    case = Case.objects.get(pk=case_id)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    done, errors = Counter(), Counter()
    while time.time() < deadline:
        kind = "breach" if sum(done.values()) % 2 == 0 else "evidence"
        try:
            if kind == "breach":
                breach_record(actor=actor, case=case, account=breach_account())
            else:
                evidence_item_add(
                    actor=actor,
                    case=case,
                    kind=EvidenceItem.Kind.NOTE,
                    occurrence=Occurrence(Precision.DATE, yesterday),
                    description="Note of a phone call about a message from a new account.",
                )
            done[kind] += 1
        except Exception as error:
            deadlock = " (deadlock)" if "deadlock detected" in str(error) else ""
            errors[f"{kind}: {type(error).__name__}{deadlock}"] += 1
    return done, errors


def _writes_report(generated, seconds: float) -> str:
    """Concurrent writers (separate processes, calling the services), each on its own bench
    case, and all on one case."""
    from django.db import connections

    lines = [
        f"Writes ({seconds:.0f} s each; each client a process calling `breach_record` and "
        "`evidence_item_add` alternately):\n",
        "| Cases | clients | saves/s | breaches | evidence | errors |",
        "|---|---:|---:|---:|---:|---|",
    ]
    context = multiprocessing.get_context("fork")
    # Each run starts on bench cases no earlier run wrote to (a case's pattern analysis, run on
    # every breach, grows with its breaches): 1 + 4 + 16 on different cases, then 3 single cases.
    unused = iter(generated.bench_case_ids)
    for where in ("different cases", "one case"):
        for clients in CLIENTS:
            connections.close_all()
            deadline = time.time() + 2 + seconds  # time for every process to start
            cases = [next(unused) for _ in range(clients if where == "different cases" else 1)]
            jobs = [
                (generated.practitioner.pk, cases[n % len(cases)], deadline) for n in range(clients)
            ]
            with context.Pool(clients) as pool:
                results = pool.map(_writer, jobs)
            done = sum((r[0] for r in results), Counter())
            errors = sum((r[1] for r in results), Counter())
            lines.append(
                f"| {where} | {clients} | {sum(done.values()) / seconds:.1f} | {done['breach']} "
                f"| {done['evidence']} | {_errors(errors)} |"
            )
    return "\n".join(lines) + "\n"


def _errors(errors: Counter) -> str:
    kinds = ", ".join(f"{kind} × {n}" for kind, n in errors.most_common())
    return f"{errors.total()} ({kinds})" if errors else "0"


if __name__ == "__main__":
    main()
