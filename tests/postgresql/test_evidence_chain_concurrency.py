"""The chain's protections that need PostgreSQL: concurrent adds, and append-only entries.

Items added to one case at the same moment still form a single chain. Each thread has its own
database connection, so the adds really are concurrent transactions; the lock on the case row
makes them queue for the next place on the chain. (SQLite takes its write lock at BEGIN, so the
same holds there by construction; CI runs this on PostgreSQL.)
"""

import threading

import pytest
from django.db import DatabaseError, connections, transaction

from orderwatch.evidence.models import ChainEntry
from orderwatch.evidence.selectors import chain_problem
from orderwatch.evidence.tests.factories import item_added

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ADDS = 6


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_concurrent_adds_queue_for_their_place_on_the_chain(practitioner, case):
    barrier, errors = threading.Barrier(ADDS), []

    def add():
        try:
            barrier.wait()
            item_added(actor=practitioner, case=case)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add) for _ in range(ADDS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sequences = list(ChainEntry.objects.filter(case=case).values_list("sequence", flat=True))
    assert sorted(sequences) == list(range(1, ADDS + 1))
    assert chain_problem(case=case) is None


@pytest.mark.parametrize(
    "change",
    [lambda entries: entries.update(item_hash="0" * 64), lambda entries: entries.delete()],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_remove_an_entry(practitioner, case, change):
    item_added(actor=practitioner, case=case)
    with pytest.raises(DatabaseError), transaction.atomic():
        change(ChainEntry.objects.filter(case=case))
    assert chain_problem(case=case) is None
