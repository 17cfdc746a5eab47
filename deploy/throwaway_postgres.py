"""A throwaway cluster of Debian's PostgreSQL on one loopback port, for the checks that run the
service against a real server of their own (`make production-check`, `make chaos`).

As root, the cluster runs as the package's `postgres` account (PostgreSQL refuses root).
"""

import os
import shutil
import subprocess
from pathlib import Path


def postgres_bin() -> Path:
    """Return the newest installed PostgreSQL's programs."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
    return versions[-1]


class ThrowawayPostgreSQL:
    """A cluster in `data` (made, owned by `postgres` when root) that can be started, stopped
    and started again; `durable=False` turns off fsync for speed."""

    def __init__(self, data: Path, *, port: int, durable: bool = True):
        self.data, self.port, self.durable = data, port, durable
        self.bin = postgres_bin()
        self.server_url = f"postgres://orderwatch@127.0.0.1:{port}"

    def _run(self, *command: str, silent: bool = False) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603 (PostgreSQL's own programs, with our arguments)
            [*prefix, *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if silent else None,
            timeout=120,
        )

    def create(self) -> None:
        """Make the cluster: user `orderwatch`, trusted on loopback, and its database."""
        self.data.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        initdb = str(self.bin / "initdb")
        self._run(initdb, "-D", str(self.data), "-U", "orderwatch", "--auth=trust", "-E", "UTF8")
        self.start()
        createdb = str(self.bin / "createdb")
        self._run(
            createdb, "-h", "127.0.0.1", "-p", str(self.port), "-U", "orderwatch", "orderwatch"
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data}"
        if not self.durable:
            options += " -c fsync=off"
        pg_ctl = str(self.bin / "pg_ctl")
        log = str(self.data / "server.log")
        self._run(pg_ctl, "-D", str(self.data), "-w", "-l", log, "-o", options, "start")

    def stop(self, *, mode: str = "fast") -> None:
        """Stop the server (`mode` as pg_ctl's), or do nothing if it is not running."""
        pg_ctl = str(self.bin / "pg_ctl")
        try:
            self._run(pg_ctl, "-D", str(self.data), "-m", mode, "stop", silent=True)
        except (subprocess.SubprocessError, OSError):
            return
