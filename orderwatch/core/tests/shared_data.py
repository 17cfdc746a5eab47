"""Data made once for a module's many tests, instead of once per test.

It is made inside a transaction that stays open while the module's tests run: each test's own
transaction (pytest-django's `db`) is then a savepoint within it, rolled back after the test as
usual, so a test still cannot change what the next one sees. The outer transaction is rolled
back after the module's last test. Only for modules without transactional tests (`live_server`,
`transactional_db`), which would flush the tables under it.
"""

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def made_once(django_db_blocker, make: Callable[[], T]) -> Iterator[T]:
    """Yield what `make()` returns, made in a transaction rolled back afterwards.

    For a module-scoped generator fixture: `yield from made_once(django_db_blocker, make)`.
    """
    atomic = transaction.atomic()
    # As Django marks its TestCase's own: durable blocks (a service's) may open inside it.
    atomic._from_testcase = True
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            made = make()
        except BaseException as error:
            atomic.__exit__(type(error), error, error.__traceback__)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
