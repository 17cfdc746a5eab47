"""Time the pattern analysis of a case with 10,000 incidents, and drawing its chart and table;
a benchmark, not a test.

Run with `python -m benchmarks.bench_pattern_analysis`. The aim is well under a second for each.
"""

import datetime as dt
import random
import statistics
import time

from orderwatch.patterns.analysis import RANK, Incident, OrderPeriod, analyse_pattern
from orderwatch.patterns.chart import Marker, timeline_rows, timeline_svg

INCIDENTS = 10_000
REPEATS = 7
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
# Exact, about a time, a date, a range of up to a fortnight: as breaches record them.
SPANS = (dt.timedelta(0), dt.timedelta(hours=2), dt.timedelta(days=1), dt.timedelta(days=14))


def generated_case(size: int, seed: int = 9) -> list[Incident]:
    """Return `size` incidents over three years, by two respondents towards two people."""
    rng = random.Random(seed)  # noqa: S311 (test data, not security)
    kinds = [*RANK, "other"]
    incidents = []
    for index in range(size):
        earliest = NOW - dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        incidents.append(
            Incident(
                id=f"incident-{index}",
                earliest=earliest,
                latest=earliest + rng.choice(SPANS),
                kinds=frozenset(rng.sample(kinds, rng.randint(1, 3))),
                severity=rng.choice([None, 1, 2, 3, 4]),
                respondent=rng.choice(["first", "second", None]),
                towards=rng.choice(["protected", "child"]),
                source=rng.choice(["breach", "evidence"]),
            )
        )
    return incidents


def _median(work) -> tuple[float, float, float]:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), min(timings), max(timings)


def main() -> None:
    incidents = generated_case(INCIDENTS)
    periods = [OrderPeriod(NOW - dt.timedelta(days=700), NOW + dt.timedelta(days=300))]
    markers = [Marker((NOW - dt.timedelta(days=700)).date(), "Order starts")]
    start, end = (NOW - dt.timedelta(days=3 * 365)).date(), NOW.date()
    for what, work in (
        ("pattern analysis", lambda: analyse_pattern(incidents, order_periods=periods, now=NOW)),
        (
            "chart and table",
            lambda: (
                timeline_svg(incidents, markers=markers, start=start, end=end),
                timeline_rows(incidents, markers),
            ),
        ),
    ):
        median, least, most = _median(work)
        print(  # noqa: T201 (the benchmark's output)
            f"{what} of {INCIDENTS:,} incidents: median {median:.3f}s "
            f"(min {least:.3f}s, max {most:.3f}s, {REPEATS} runs)"
        )


if __name__ == "__main__":
    main()
