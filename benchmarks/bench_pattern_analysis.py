"""Time the pattern analysis of a case with 10,000 incidents; a benchmark, not a test.

Run with `python -m benchmarks.bench_pattern_analysis`. The aim is well under a second.
"""

import datetime as dt
import random
import statistics
import time

from orderwatch.patterns.analysis import RANK, Incident, OrderPeriod, analyse_pattern

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


def main() -> None:
    incidents = generated_case(INCIDENTS)
    periods = [OrderPeriod(NOW - dt.timedelta(days=700), NOW + dt.timedelta(days=300))]
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        analyse_pattern(incidents, order_periods=periods, now=NOW)
        timings.append(time.perf_counter() - started)
    print(  # noqa: T201 (the benchmark's output)
        f"pattern analysis of {INCIDENTS:,} incidents: median {statistics.median(timings):.3f}s "
        f"(min {min(timings):.3f}s, max {max(timings):.3f}s, {REPEATS} runs)"
    )


if __name__ == "__main__":
    main()
