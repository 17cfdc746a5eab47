"""The chaos check (`make chaos`): practitioners save breaches and evidence while the web server
and PostgreSQL are killed with `kill -9`, again and again; then count what was lost.

Run with `python -m benchmarks.chaos.run [--cycles N] [--clients N]`. It starts its own
PostgreSQL cluster on loopback (Debian's package, as CI uses), the web server as single-threaded
processes on one socket (gunicorn's sync workers' shape), and client processes that each post
the breach form and the evidence form (with a screenshot) on their own case, alternately. Like
a person, a client whose post gets no answer or an error sends the same form again (the same
one-time key) until it is acknowledged. Between kills the killed part is restarted.

At the end it prints, for breaches and evidence: acknowledged (a redirect to the record),
found, lost (acknowledged, not found), duplicated (one form, more than one record), orphaned
files (stored, no record) after the orphan sweep, and whether both chains verify and every
file matches its hash; and how long it took. Exit status 1 if anything was lost, duplicated,
orphaned or fails to verify.
"""

import argparse
import contextlib
import io
import logging
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from deploy.throwaway_postgres import ThrowawayPostgreSQL

SETTINGS = "benchmarks.chaos.settings"
SERVER_PROCESSES = 3
RESEND_FOR_SECONDS = 60  # a client gives up on one form after this long
HTTP_TIMEOUT = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="orderwatch-chaos-"))
    media = work / "media"
    media.mkdir()
    with PostgreSQL(work / "pg") as database:
        os.environ.update(
            DATABASE_URL=database.url,
            DJANGO_SETTINGS_MODULE=SETTINGS,
            CHAOS_MEDIA_ROOT=str(media),
        )
        cases, cookie = _set_up()
        with Server(work / "server.log") as server:
            report = _run(args, database, server, cases=cases, cookie=cookie, media=media)
        print(_report(report, media, time.monotonic() - started), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if report["ok"] else 1)


# The parts that are killed.


class PostgreSQL(ThrowawayPostgreSQL):
    """A throwaway cluster on loopback that can be killed and started again."""

    def __init__(self, data: Path):
        super().__init__(data, port=_free_port())
        self.url = f"{self.server_url}/orderwatch"

    def __enter__(self):
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
        self.create()
        return self

    def __exit__(self, *exc):
        self.stop(mode="immediate")

    def kill(self) -> None:
        """`kill -9` the postmaster and every process it started, as a power cut would."""
        lock = self.data / "postmaster.pid"
        _kill_tree(int(lock.read_text().split()[0]))
        # Stale now; PostgreSQL would see so itself, unless the dead postmaster is a zombie
        # nobody reaps (in a container without an init), whose PID still answers.
        for stale in (lock, *self.data.glob(".s.PGSQL.*")):
            stale.unlink()


class Server:
    """The web server: SERVER_PROCESSES single-threaded processes sharing one socket."""

    def __init__(self, log: Path):
        self.log, self.port, self.process = log, _free_port(), None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        if self.process is not None:
            _kill_tree(self.process.pid)

    def start(self) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.national.serve",
                    str(self.port),
                    "--processes",
                    str(SERVER_PROCESSES),
                    "--threads",
                    "1",
                ],
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        if self.process.stdout.readline().strip() != b"ready":
            raise RuntimeError(f"The web server did not start: see {self.log}")

    def kill(self) -> None:
        _kill_tree(self.process.pid)
        self.process.wait()


def _kill_tree(pid: int) -> None:
    children = [p for p in _all_pids() if _parent(p) == pid]
    for victim in [pid, *children]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in [pid, *children]) and time.monotonic() < deadline:
        time.sleep(0.05)


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The data and the clients.


def _set_up() -> tuple[list[str], str]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from benchmarks.national.generate import generate
    from benchmarks.national.run import SIZES, _session_cookie

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stderr(io.StringIO()):
        generated = generate(SIZES["1k"])
    cookie = _session_cookie(generated.practitioner)
    cases = [str(case_id) for case_id in generated.bench_case_ids]
    connections.close_all()
    return cases, cookie


def _run(args, database, server, *, cases: list[str], cookie: str, media: Path) -> dict:
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    results = context.Queue()
    clients = [
        context.Process(target=_client, args=((n, server.port, cookie, cases[n], stop, results),))
        for n in range(args.clients)
    ]
    for client in clients:
        client.start()
    chance = random.Random(args.seed)  # noqa: S311 (when to kill, not a secret)
    kills = Counter()
    for cycle in range(args.cycles):
        time.sleep(chance.uniform(1.0, 4.0))
        if cycle % 2 == 0:
            server.kill()
            kills["web server"] += 1
            server.start()
        else:
            database.kill()
            kills["PostgreSQL"] += 1
            database.start()
    time.sleep(2)
    stop.set()
    outcomes = [results.get(timeout=RESEND_FOR_SECONDS + 30) for _ in clients]
    for client in clients:
        client.join(timeout=30)
    return _check(outcomes, kills, media)


def _client(job: tuple) -> None:
    """Record breaches and evidence on one case until told to stop, sending each post again
    (same key) until it is acknowledged; report every record sent and what acknowledged it.

    A breach is its question pages, then the save on Check your answers, which carries the key.
    """
    number, port, cookie, case_id, stop, results = job
    from benchmarks.national.run import (
        FormPage,
        Http,
        _body,
        _evidence_answers,
        _screenshot,
        breach_steps,
    )

    http = Http(port)
    forms, sent, acknowledged, gave_up = {}, [], {}, []
    deadline = time.monotonic() + RESEND_FOR_SECONDS
    while "breach" not in forms:
        try:
            forms["breach"], cookie = breach_steps(http, cookie, case_id)
        except (OSError, RuntimeError):  # the server was killed part-way: open them again
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    path = f"/cases/{case_id}/evidence/new/"
    _status, headers, html = _resend(lambda: http.exchange("GET", path, cookie))
    evidence = _evidence_answers(FormPage(html.decode()))
    forms["evidence"] = [(path, evidence, {"files": ("screenshot.png", _screenshot())})]
    count = 0
    while not stop.is_set():
        kind = ("breach", "evidence")[count % 2]
        count += 1
        marker = f"chaos {number}-{count}"
        text = "what_happened" if kind == "breach" else "description"
        key = {"submission_key": str(uuid.uuid4())}
        sent.append((kind, marker))
        try:
            for step, (path, answers, files) in enumerate(forms[kind], start=1):
                last = step == len(forms[kind])
                typed = answers | {text: marker} if text in answers else answers
                body, content_type = _body(typed | key if last else typed, files)
                _status, headers, _ = _resend(
                    lambda path=path, body=body, content_type=content_type: http.exchange(
                        "POST", path, cookie, body, content_type
                    ),
                    until_redirect=True,
                )
        except TimeoutError:
            gave_up.append(marker)
            continue
        acknowledged[marker] = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    results.put({"sent": sent, "acknowledged": acknowledged, "gave_up": gave_up})


def _resend(exchange, *, until_redirect: bool = False):
    """Send again after a refused connection, no answer or a 5xx, as a person would."""
    deadline = time.monotonic() + RESEND_FOR_SECONDS
    while time.monotonic() < deadline:
        try:
            status, headers, body = exchange()
        except OSError:
            time.sleep(0.2)
            continue
        if status >= 500:
            time.sleep(0.2)
            continue
        if until_redirect and status not in (302, 303):
            raise RuntimeError(f"A form was refused with {status}")
        return status, headers, body
    raise TimeoutError


def _check(outcomes: list[dict], kills: Counter, media: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from orderwatch.breaches.models import Breach
    from orderwatch.evidence.models import EvidenceItem

    connections.close_all()
    sent = [entry for outcome in outcomes for entry in outcome["sent"]]
    acknowledged = {k: v for outcome in outcomes for k, v in outcome["acknowledged"].items()}
    # The texts are sealed (ADR 0023): the database cannot match a prefix, so the generated
    # rows (a thousand cases) are read and matched here.
    texts = [
        *Breach.objects.values_list("what_happened", flat=True),
        *EvidenceItem.objects.values_list("description", flat=True),
    ]
    found = Counter(text for text in texts if text.startswith("chaos "))
    report = {"kills": kills, "kinds": {}}
    for kind in ("breach", "evidence"):
        markers = [marker for k, marker in sent if k == kind]
        acked = [m for m in markers if m in acknowledged]
        report["kinds"][kind] = {
            "sent": len(markers),
            "acknowledged": len(acked),
            "found": sum(1 for m in markers if found[m]),
            "lost": sum(1 for m in acked if not found[m]),
            "duplicated": sum(found[m] - 1 for m in markers if found[m] > 1),
        }
    report["gave up"] = sum(len(o["gave_up"]) for o in outcomes)
    verified = {}
    for command, options in (("audit_verify", []), ("verify_evidence_chain", [])):
        out = io.StringIO()
        try:
            call_command(command, *options, stdout=out, stderr=out)
            verified[command] = "intact"
        except (SystemExit, Exception) as failure:  # reported, not raised
            verified[command] = f"FAILED: {failure} {out.getvalue().strip()[-300:]}"
    report["verified"] = verified
    report["files"] = _files_check(media)
    report["ok"] = (
        all(k["lost"] == 0 and k["duplicated"] == 0 for k in report["kinds"].values())
        and all(v == "intact" for v in verified.values())
        and report["files"]["orphaned"] == 0
        and not report["files"]["not matching"]
    )
    return report


def _files_check(media: Path) -> dict:
    """Sweep the stored files as the daily sweep will a day from now (every client and server
    stopped, so no file is part way), then count stored files no record names, and check each
    file the chaos saved against its SHA-256 (decrypting it, as a download does)."""
    from django.db import connection
    from django.utils import timezone

    from orderwatch.backup.references import stored_file_names
    from orderwatch.confidential.files import FileIntegrityError, encrypted_file_verified_chunks
    from orderwatch.confidential.services import ORPHAN_AGE, stored_files_sweep
    from orderwatch.evidence.models import EvidenceFile

    # The generated cases' evidence rows have no files (the generator writes rows only): the
    # sweep would log each as missing. The check's own files are checked one by one below.
    logging.getLogger("orderwatch.confidential.selectors").setLevel(logging.CRITICAL)
    on_disk = {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}
    with connection.cursor() as cursor:
        named = stored_file_names(cursor)
    before = len(on_disk - named)
    stored_files_sweep(now=timezone.now() + ORPHAN_AGE)
    on_disk = {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}
    not_matching = []
    made = [
        (name, sha256)
        for name, sha256, description in EvidenceFile.objects.values_list(
            "stored_name", "sha256", "item__description"
        )
        if description.startswith("chaos ")
    ]
    for name, sha256 in made:
        try:
            for _ in encrypted_file_verified_chunks(name=name, sha256=sha256):
                pass
        except (FileIntegrityError, OSError):
            not_matching.append(name)
    return {
        "checked": len(made),
        "not matching": not_matching,
        "orphaned before the sweep": before,
        "orphaned": len(on_disk - named),
    }


def _report(report: dict, media: Path, seconds: float) -> str:
    lines = [
        "## Chaos check",
        "",
        f"Kills: {', '.join(f'{what} × {n}' for what, n in report['kills'].items())}; "
        f"{seconds:.0f} s in all.",
        "",
        "| | sent | acknowledged | found | lost | duplicated |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, counts in report["kinds"].items():
        lines.append(
            f"| {kind} | {counts['sent']} | {counts['acknowledged']} | {counts['found']} "
            f"| {counts['lost']} | {counts['duplicated']} |"
        )
    lines += [
        "",
        f"Forms given up on after {RESEND_FOR_SECONDS} s of resending: {report['gave up']}.",
        f"Chains: {', '.join(f'{c} {v}' for c, v in report['verified'].items())}.",
        f"Files: {report['files']['checked']} saved by the check, "
        f"{len(report['files']['not matching'])} not matching their hash; "
        f"{report['files']['orphaned before the sweep']} stored with no record before the "
        f"sweep, {report['files']['orphaned']} after it.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
