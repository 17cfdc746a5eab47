"""The chronology's pure logic: merging, ties, approximate times and the filter. No database."""

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.chronology import timeline
from orderwatch.chronology.timeline import (
    Entry,
    Kind,
    at_moment,
    from_occurrence,
    merge,
    newest,
    on_day,
    time_label,
    wanted,
)

LONDON = ZoneInfo("Europe/London")
RECORDED = dt.datetime(2026, 3, 5, 10, 0, tzinfo=LONDON)


def entry(key: str, when, kind: Kind = Kind.BREACH, recorded_at=RECORDED) -> Entry:
    return Entry(kind=kind, key=key, when=when, title=key, recorded_at=recorded_at)


def keys(entries) -> list[str]:
    return [e.key for e in entries]


def test_merge_puts_every_source_in_one_list_newest_first():
    orders = [entry("order made", on_day(dt.date(2026, 1, 10), LONDON), Kind.ORDER)]
    breaches = [
        entry("breach in March", on_day(dt.date(2026, 3, 1), LONDON)),
        entry("breach in February", on_day(dt.date(2026, 2, 1), LONDON)),
    ]
    risk = [entry("risk set", at_moment(dt.datetime(2026, 2, 15, 9, tzinfo=LONDON), LONDON))]
    assert keys(merge(orders, breaches, risk)) == [
        "breach in March",
        "risk set",
        "breach in February",
        "order made",
    ]


def test_an_approximate_time_sorts_by_the_time_given():
    day = dt.date(2026, 3, 4)
    about_nine = from_occurrence(Occurrence(Precision.APPROXIMATE, day, dt.time(21, 0)), LONDON)
    at_noon = at_moment(dt.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON), LONDON)
    assert keys(merge([entry("about 9pm", about_nine), entry("noon", at_noon)])) == [
        "about 9pm",
        "noon",
    ]


def test_a_range_sorts_by_the_earliest_day_it_could_have_been():
    some_time = from_occurrence(
        Occurrence(Precision.RANGE, dt.date(2026, 2, 1), until=dt.date(2026, 2, 20)), LONDON
    )
    mid_february = on_day(dt.date(2026, 2, 10), LONDON)
    late_january = on_day(dt.date(2026, 1, 30), LONDON)
    merged = merge(
        [entry("range", some_time), entry("10 Feb", mid_february)], [entry("30 Jan", late_january)]
    )
    assert keys(merged) == ["10 Feb", "range", "30 Jan"]


def test_a_date_without_a_time_sorts_before_timed_events_that_day():
    day = dt.date(2026, 3, 4)
    date_only = from_occurrence(Occurrence(Precision.DATE, day), LONDON)
    morning = from_occurrence(Occurrence(Precision.EXACT, day, dt.time(8, 30)), LONDON)
    assert keys(merge([entry("date only", date_only), entry("8:30am", morning)])) == [
        "8:30am",
        "date only",
    ]


def test_ties_on_the_same_moment_go_by_when_recorded_then_key():
    day = on_day(dt.date(2026, 3, 4), LONDON)
    first = entry("b-first", day, recorded_at=RECORDED)
    later = entry("a-later", day, recorded_at=RECORDED + dt.timedelta(minutes=5))
    same_a = entry("c", day, recorded_at=RECORDED)
    assert keys(merge([first, same_a, later])) == ["a-later", "c", "b-first"]
    assert keys(merge([later, first, same_a])) == ["a-later", "c", "b-first"]


@given(st.permutations(range(6)))
def test_merge_is_the_same_whatever_order_the_sources_come_in(permutation):
    days = [on_day(dt.date(2026, 3, 1 + n % 3), LONDON) for n in range(6)]
    entries = [entry(f"e{n}", days[n]) for n in range(6)]
    shuffled = [entries[i] for i in permutation]
    assert keys(merge(shuffled)) == keys(merge(entries))


def test_occurrence_labels_stay_honest_about_precision():
    day = dt.date(2026, 3, 4)
    assert (
        from_occurrence(Occurrence(Precision.APPROXIMATE, day, dt.time(21, 0)), LONDON).label
        == "4 March 2026 at about 9pm"
    )
    ranged = from_occurrence(Occurrence(Precision.RANGE, day, until=dt.date(2026, 3, 6)), LONDON)
    assert ranged.label == "Some time between 4 March 2026 and 6 March 2026"
    assert ranged.machine == "2026-03-04"
    timed = from_occurrence(Occurrence(Precision.EXACT, day, dt.time(21, 5)), LONDON)
    assert timed.machine == "2026-03-04T21:05+00:00"


def test_a_recorded_moment_is_shown_in_local_time():
    summer_utc = dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.UTC)
    when = at_moment(summer_utc, LONDON)
    assert when.label == "1 July 2026 at 9:30am"
    assert when.machine == "2026-07-01T09:30+01:00"


def test_times_are_written_in_govuk_style():
    assert time_label(dt.time(9, 0)) == "9am"
    assert time_label(dt.time(21, 30)) == "9:30pm"
    assert time_label(dt.time(12, 0)) == "midday"
    assert time_label(dt.time(0, 0)) == "midnight"


def test_filter_keeps_the_chosen_kinds_in_order():
    entries = merge(
        [
            entry("order", on_day(dt.date(2026, 1, 1), LONDON), Kind.ORDER),
            entry("breach", on_day(dt.date(2026, 2, 1), LONDON), Kind.BREACH),
            entry("risk", on_day(dt.date(2026, 3, 1), LONDON), Kind.RISK),
        ]
    )
    assert keys(_select(entries, {Kind.BREACH})) == ["breach"]
    assert keys(_select(entries, {Kind.ORDER, Kind.RISK})) == ["risk", "order"]


def _select(entries, kinds):
    return [e for e in entries if wanted(e.kind, kinds)]


def test_no_kinds_chosen_means_everything():
    entries = [entry("order", on_day(dt.date(2026, 1, 1), LONDON), Kind.ORDER)]
    assert _select(entries, set()) == entries


def test_the_module_needs_no_django():
    tree = ast.parse(Path(timeline.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    pure = {"orderwatch.core.govuk_dates"}  # itself free of Django
    assert not {name for name in imported - pure if name.split(".")[0] in ("django", "orderwatch")}


def test_newest_keeps_only_the_latest_entries():
    entries = [entry(f"e{n}", on_day(dt.date(2026, 1, 1 + n), LONDON)) for n in range(10)]
    assert keys(newest(entries, 3)) == ["e9", "e8", "e7"]


def test_byline_says_recorded_by_for_events_that_happened_elsewhere():
    when = on_day(dt.date(2026, 1, 1), LONDON)
    made = Entry(Kind.ORDER, "o", when, "Order made", RECORDED, by="Pat Lead")
    reviewed = Entry(Kind.REVIEW, "r", when, "Reviewed", RECORDED, by="Pat Lead", by_recorded=False)
    nobody = Entry(Kind.ORDER, "e", when, "Order ended", RECORDED)
    assert made.byline == "recorded by Pat Lead"
    assert reviewed.byline == "by Pat Lead"
    assert nobody.byline == ""
