"""Measure the key pages beside a trivial signed-in page: requests per second through Django's
test client (no network), queries and bytes of HTML; a benchmark, not a test.

Run with `DATABASE_URL=postgres://... python -m benchmarks.bench_pages` (it builds its data
in a fresh test database, test_<name>, and drops it at the end). `--large N` sets the
breaches on the large case (default 10,000).
"""

import argparse
import gzip
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

SECONDS = 2.0


def _build(large: int):
    """Return a signed-in client, a small case with an order, and a case with `large`
    breaches."""
    from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
    from orderwatch.breaches.models import Breach
    from orderwatch.breaches.tests.factories import BreachFactory
    from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
    from orderwatch.evidence.tests.factories import EvidenceItemFactory
    from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory

    user = UserFactory(role="team_manager", display_name="Bench Lead")
    cases = []
    for breaches in (3, large):
        case = CaseFactory()
        CaseTeamMembershipFactory(case=case, user=user, is_lead=True)
        order = OrderFactory(case=case)
        ConditionFactory(order=order)
        Breach.objects.bulk_create(
            [BreachFactory.build(case=case, created_by=user) for _ in range(breaches)],
            batch_size=1000,
        )
        for _ in range(3):
            EvidenceItemFactory(case=case, created_by=user)
        cases.append((case, order))
    client = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    sign_in_with_two_factor(client, user)
    return client, cases


def _pages(cases) -> list[tuple[str, str]]:
    (small, order), (large, _) = cases
    pages = [
        ("trivial (notifications)", reverse("notifications:list")),
        ("My cases", reverse("cases:list")),
        ("Orders ending soon", reverse("orders:ending-soon")),
        ("Cases to look at", reverse("patterns:dashboard")),
    ]
    for label, case in (("small", small), ("10k", large)):
        kw = {"case_id": case.pk}
        pages += [
            (f"case ({label})", reverse("cases:detail", kwargs=kw)),
            (f"chronology ({label})", reverse("chronology:timeline", kwargs=kw)),
            (f"evidence log ({label})", reverse("evidence:log", kwargs=kw)),
            (f"breach form ({label})", reverse("breaches:new", kwargs=kw)),
        ]
    pages.append(
        ("order", reverse("orders:detail", kwargs={"case_id": small.pk, "order_id": order.pk}))
    )
    return pages


def _measure(client: Client, url: str) -> tuple[float, int, int, int, str]:
    client.get(url)  # warm up (templates, connection)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries.captured_queries)  # read now: later requests reset the log
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    body = response.content
    encoding = response.get("Content-Encoding", "")
    raw = gzip.decompress(body) if encoding == "gzip" else body
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < SECONDS or count < 3:
        client.get(url)
        count += 1
    rate = count / (time.perf_counter() - started)
    return rate, query_count, len(raw), len(body), encoding


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=10_000)
    args = parser.parse_args()
    setup_test_environment()
    # A fresh test database (test_<name>), dropped at the end: nothing is left behind.
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _report(*_build(args.large))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _report(client: Client, cases) -> None:
    base = None
    print(  # noqa: T201 (the benchmark's output)
        f"{'page':34} {'req/s':>7} {'ratio':>6} {'queries':>7} {'HTML':>10} {'sent':>10}"
    )
    for label, url in _pages(cases):
        rate, queries, raw, sent, encoding = _measure(client, url)
        base = base or rate
        print(  # noqa: T201
            f"{label:34} {rate:7.1f} {rate / base:6.2f} {queries:7d} {raw:10,d} {sent:10,d}"
            f" {encoding}"
        )


if __name__ == "__main__":
    main()
