import pytest
from django.db import OperationalError, connection

# What a driver says when the database has gone: it names the server, which no probe may repeat.
DRIVER_MESSAGE = (
    'connection to server at "db-primary.internal" (10.20.30.40), port 5432 failed: '
    "Connection refused"
)


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files in a folder of this test's own, empty to begin with."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def database_down(monkeypatch):
    """Return a switch that takes the database away as a restart or failover does: every use
    of the connection fails, as reconnecting to a server that refuses connections fails."""

    def refused():
        raise OperationalError(DRIVER_MESSAGE)

    def switch(*, down: bool) -> None:
        if down:
            monkeypatch.setattr(connection, "ensure_connection", refused)
        else:
            monkeypatch.undo()

    return switch
