"""`/health/ready`: 200 while the database, storage, migrations and a worker are all there, 503
as soon as one is not, and 200 again when it returns (ADR 0032)."""

import datetime as dt

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse

from orderwatch.health.selectors import migrations_in_code
from orderwatch.health.tests.conftest import DRIVER_MESSAGE
from orderwatch.worker.models import WorkerHeartbeat
from orderwatch.worker.services import worker_heartbeat_record
from orderwatch.worker.tests.factories import worker_last_heard

pytestmark = pytest.mark.django_db

READY = reverse("health:ready")
ALL_OK = {
    "status": "ok",
    "checks": {"database": "ok", "storage": "ok", "migrations": "ok", "worker": "ok"},
}


def unavailable(*names: str) -> dict:
    """The body when the checks `names` fail and the others pass."""
    checks = {name: "unavailable" if name in names else "ok" for name in ALL_OK["checks"]}
    return {"status": "unavailable", "checks": checks}


@pytest.fixture
def tasks_queued_in_database(settings, media_root):
    """Background tasks wait in the database for `run_worker`, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ORDERWATCH_WORKER_LEASE_SECONDS = 60


@pytest.fixture
def worker_running(tasks_queued_in_database):
    worker_heartbeat_record(worker_id="worker-1")


@pytest.mark.usefixtures("worker_running")
def test_ready_when_everything_is_up_in_three_queries(client, django_assert_num_queries):
    # SELECT 1, the applied migrations, a heartbeat within the lease: whatever the data.
    with django_assert_num_queries(3):
        response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == ALL_OK
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("worker_running")
def test_ready_turns_unavailable_when_the_database_goes_and_ok_when_it_returns(
    client, database_down
):
    assert client.get(READY).status_code == 200

    database_down(down=True)
    response = client.get(READY)
    assert response.status_code == 503
    # Everything that needs the database says so; what the driver said goes nowhere near it.
    assert response.json() == unavailable("database", "migrations", "worker")
    for detail in ("db-primary", "10.20.30.40", "5432", "refused", "Error", DRIVER_MESSAGE):
        assert detail not in response.text

    database_down(down=False)
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == ALL_OK


@pytest.mark.usefixtures("tasks_queued_in_database")
def test_ready_is_unavailable_while_no_worker_has_beaten_within_the_lease(client):
    assert client.get(READY).json() == unavailable("worker")  # none ever started

    worker_last_heard("worker-1", ago=dt.timedelta(seconds=61))  # stopped over a lease ago
    response = client.get(READY)
    assert response.status_code == 503
    assert response.json() == unavailable("worker")

    worker_heartbeat_record(worker_id="worker-1")  # it is back
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == ALL_OK


@pytest.mark.usefixtures("tasks_queued_in_database")
def test_one_live_worker_among_stopped_ones_is_enough(client):
    worker_last_heard("worker-1", ago=dt.timedelta(hours=2))
    worker_last_heard("worker-2", ago=dt.timedelta(seconds=5))
    assert client.get(READY).status_code == 200


@pytest.mark.usefixtures("worker_running")
def test_ready_is_unavailable_while_a_migration_of_the_code_is_unapplied(client):
    # New code before `migrate`: the database lacks the latest migration of an app.
    latest = MigrationRecorder.Migration.objects.filter(app="worker").latest("name")
    latest.delete()
    response = client.get(READY)
    assert response.status_code == 503
    assert response.json() == unavailable("migrations")
    assert latest.name not in response.text

    MigrationRecorder.Migration.objects.create(app=latest.app, name=latest.name)  # migrated
    assert client.get(READY).json() == ALL_OK


@pytest.mark.usefixtures("worker_running")
def test_migrations_applied_by_newer_code_do_not_make_older_code_unready(client):
    MigrationRecorder.Migration.objects.create(app="worker", name="9999_from_the_next_release")
    assert client.get(READY).status_code == 200


def test_the_code_knows_its_migrations_with_squashes_in_place_of_what_they_replace():
    in_code = migrations_in_code()
    assert ("worker", "0001_initial") in in_code
    assert ("django_otp_webauthn", "0001_squashed_0003_webauthncredential_hash_binary_to_hex") in (
        in_code
    )
    assert ("django_otp_webauthn", "0002_alter_webauthncredential_btime") not in in_code


@pytest.mark.usefixtures("worker_running")
def test_the_storage_check_leaves_nothing_behind(client, media_root):
    media_root.mkdir()
    for _ in range(3):
        assert client.get(READY).json() == ALL_OK
    assert list(media_root.iterdir()) == []  # no probe file, and no folder for them


@pytest.mark.usefixtures("worker_running")
def test_ready_is_unavailable_while_storage_cannot_be_written_and_ok_when_it_can(
    client, settings, media_root
):
    media_root.parent.mkdir(exist_ok=True)
    media_root.write_text("a file where the folder should be")  # unwritable, as a full disk is
    response = client.get(READY)
    assert response.status_code == 503
    assert response.json() == unavailable("storage")
    assert str(media_root) not in response.text

    media_root.unlink()
    assert client.get(READY).json() == ALL_OK


def test_where_tasks_run_without_a_worker_ready_does_not_wait_for_one(
    client, media_root, django_assert_num_queries
):
    # The immediate backend runs each task in the process that queued it: no worker to check.
    assert not WorkerHeartbeat.objects.exists()
    with django_assert_num_queries(2):
        response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "migrations": "ok"},
    }
