"""The stack's processes: each started in its own session (so it can be stopped or killed
whole, workers and all), with its output in its own log file."""

import contextlib
import os
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

LOG_LINES_SHOWN = 25


@dataclass
class Process:
    name: str
    log: Path
    popen: subprocess.Popen

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL the process and everything it started, as a crash would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def last_lines(self, count: int = LOG_LINES_SHOWN) -> list[str]:
        try:
            return self.log.read_text(errors="replace").splitlines()[-count:]
        except OSError:
            return []


@dataclass
class Stack:
    """Every process the check started, stopped in reverse order however the check ends."""

    folder: Path
    environment: dict[str, str]
    processes: list[Process] = field(default_factory=list)

    def start(self, name: str, command: Sequence[str], **environment: str) -> Process:
        log = self.folder / f"{name}.log"
        with open(log, "ab") as output:
            popen = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self.environment | environment,
                start_new_session=True,
            )
        process = Process(name=name, log=log, popen=popen)
        self.processes.append(process)
        return process

    def run(self, name: str, command: Sequence[str], *, stdin: str = "") -> None:
        """Run a one-off command to the end, in a new session (so a password prompt reads
        standard input, not a terminal); its output goes to its log."""
        self.run_together({name: command}, stdin=stdin)

    def run_together(self, commands: dict[str, Sequence[str]], *, stdin: str = "") -> None:
        """Run one-off commands side by side, each to the end; fail if any fails."""
        running = {}
        for name, command in commands.items():
            log = self.folder / f"{name}.log"
            with open(log, "ab") as output:
                running[name] = (
                    log,
                    subprocess.Popen(
                        list(command),
                        stdin=subprocess.PIPE,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        env=self.environment,
                        start_new_session=True,
                    ),
                )
        failed = []
        try:
            for _log, popen in running.values():
                popen.communicate(stdin.encode(), timeout=300)
        finally:  # out of time, or interrupted: none of them is left running
            for _log, popen in running.values():
                if popen.poll() is None:
                    os.killpg(popen.pid, signal.SIGKILL)
                    popen.wait()
        for name, (log, popen) in running.items():
            if popen.returncode != 0:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-LOG_LINES_SHOWN:])
                failed.append(f"{name} failed ({popen.returncode}); {log}:\n{tail}")
        if failed:
            raise RuntimeError("\n".join(failed))

    def stop_all(self, grace: float = 10) -> list[str]:
        """SIGTERM every process group at once, SIGKILL what is left after `grace` seconds;
        return the names of those that had to be killed."""
        running = [process for process in reversed(self.processes) if process.alive()]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(timeout=max(0.0, deadline - time.monotonic()))
        killed = [process.name for process in running if process.alive()]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.popen.pid, signal.SIGKILL)  # the group: stray children too
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(timeout=5)
        return killed

    def dead(self) -> list[Process]:
        return [process for process in self.processes if not process.alive()]

    def report_logs(self) -> str:
        parts = []
        for process in self.processes:
            parts.append(f"--- {process.name}: {process.log} (last lines)")
            parts.extend(process.last_lines())
        return "\n".join(parts)


def free_ports(count: int, *, first: int, last: int) -> list[int]:
    """Return `count` loopback ports between `first` and `last` that nothing listens on."""
    found = []
    for port in range(first, last + 1):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"Fewer than {count} free ports between {first} and {last}")


def wait_for_http(
    url: str,
    *,
    process: Process,
    headers: dict[str, str] | None = None,
    seconds: float = 60,
    ready: bool = False,
) -> None:
    """Wait until `url` answers at all (any HTTP status; with `ready`, 200 only), or fail if
    its process ends first."""
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE  # the check's own self-signed certificate
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} stopped while starting: see {process.log}")
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
        try:
            with urllib.request.urlopen(request, timeout=5, context=unverified):  # noqa: S310
                return
        except urllib.error.HTTPError:
            if not ready:
                return
            time.sleep(0.25)
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{process.name} did not answer {url} within {seconds:.0f} s")
