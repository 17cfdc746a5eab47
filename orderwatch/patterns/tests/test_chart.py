"""The timeline chart as an accessible SVG string. Pure: no Django, no database."""

import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderwatch.patterns.analysis import Incident
from orderwatch.patterns.chart import (
    CHAR_WIDTH,
    PLOT_LEFT,
    PLOT_RIGHT,
    WIDTH,
    Marker,
    group_for,
    grouped_rows,
    timeline_rows,
    timeline_svg,
)

LONDON = ZoneInfo("Europe/London")
SVG = "{http://www.w3.org/2000/svg}"
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
MARKERS = (Marker(dt.date(2026, 2, 3), "Order made"), Marker(dt.date(2026, 6, 1), "Order ends"))


def incident(
    id: str,
    on: dt.datetime,
    *,
    lasting: dt.timedelta = dt.timedelta(0),
    severity: int | None = 2,
    kinds: frozenset[str] = frozenset({"direct_contact"}),
) -> Incident:
    return Incident(id=id, earliest=on, latest=on + lasting, kinds=kinds, severity=severity)


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=LONDON)


def chart(*incidents: Incident, markers=MARKERS, start=START, end=END) -> str:
    return timeline_svg(incidents, markers=markers, start=start, end=end)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the module's own output, not untrusted input)


def shapes(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("data-incident") is not None]


def desc(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


def test_chart_is_an_image_labelled_by_its_title_and_description():
    root = parse(chart(incident("a", at(3, 1))))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 640 240"
    title, description = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {description.get('id')}"
    assert title.get("id") == "pattern-chart-title"
    assert title.text == "Timeline of incidents by date and severity"


def test_description_summarises_the_incidents_and_markers():
    svg = chart(
        incident("a", at(3, 1), severity=4),
        incident("b", at(3, 2), severity=None),
        incident("c", at(3, 3), lasting=dt.timedelta(days=2)),
    )

    assert desc(parse(svg)) == (
        "3 incidents between 1 Jan 2026 and 30 Jun 2026; most serious severity Severe; "
        "1 not rated; 1 with approximate times, drawn as bars. "
        "Marked: Order made 3 Feb 2026, Order ends 1 Jun 2026."
    )


def test_one_shape_per_incident_in_range_in_its_severity_row():
    severities = (1, 2, 3, 4, None)
    svg = chart(*(incident(f"i{s}", at(n + 2, 10), severity=s) for n, s in enumerate(severities)))
    found = shapes(parse(svg))

    assert [e.get("data-incident") for e in found] == ["i1", "i2", "i3", "i4", "iNone"]
    assert all(e.tag == f"{SVG}circle" for e in found)
    ys = [float(e.get("cy")) for e in found]
    assert ys[3] < ys[2] < ys[1] < ys[0] < ys[4]  # Severe at the top, Not rated at the bottom
    assert found[3].get("fill") == "#d4351c"
    # The y axis names the rows.
    labels = {e.text for e in parse(svg).iter(f"{SVG}text")}
    assert {"Low", "Moderate", "High", "Severe", "Not rated"} <= labels


def test_an_approximate_time_is_a_bar_from_earliest_to_latest():
    svg = chart(incident("range", at(2, 1), lasting=dt.timedelta(days=28)))
    (bar,) = shapes(parse(svg))
    width = PLOT_RIGHT - PLOT_LEFT
    days = (END - START).days + 1

    assert bar.tag == f"{SVG}rect"
    x, bar_width = float(bar.get("x")), float(bar.get("width"))
    expected_x = PLOT_LEFT + width * (31 + 0.5) / days
    assert x == pytest.approx(expected_x, abs=0.1)
    assert bar_width == pytest.approx(width * 28 / days, abs=0.2)


def test_incidents_outside_the_dates_are_left_out_or_drawn_to_the_edge():
    svg = chart(
        incident("before", at(1, 1) - dt.timedelta(days=5)),
        incident("straddles", at(1, 1) - dt.timedelta(days=5), lasting=dt.timedelta(days=10)),
        incident("inside", at(3, 1)),
    )
    root = parse(svg)
    found = {e.get("data-incident"): e for e in shapes(root)}

    assert set(found) == {"straddles", "inside"}
    assert float(found["straddles"].get("x")) == PLOT_LEFT
    assert "1 partly outside these dates, drawn up to the edge" in desc(root)
    assert "1 incident outside these dates left out" in desc(root)


def test_markers_are_dashed_lines_with_their_labels():
    root = parse(chart(incident("a", at(3, 1))))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "marker"]

    assert [g.find(f"{SVG}text").text for g in groups] == [
        "Order made 3 Feb 2026",
        "Order ends 1 Jun 2026",
    ]
    assert all(g.find(f"{SVG}line").get("stroke-dasharray") for g in groups)


def label_spans(root: ET.Element) -> list[tuple[float, float, float]]:
    """Return (line, left, right) of each marker label, its width estimated as the chart does."""
    spans = []
    for group in root.iter(f"{SVG}g"):
        text = group.find(f"{SVG}text")
        if group.get("class") != "marker" or text is None:
            continue
        x, width = float(text.get("x")), len(text.text) * CHAR_WIDTH
        left = x if text.get("text-anchor") == "start" else x - width
        spans.append((float(text.get("y")), left, left + width))
    return spans


def test_labels_of_markers_close_together_go_on_separate_lines():
    close = [Marker(dt.date(2026, 3, day), f"Order {day} varied") for day in (1, 2, 3)]
    spans = label_spans(parse(chart(markers=close)))

    assert len({line for line, _, _ in spans}) == 3


def test_a_label_with_no_room_is_left_to_the_tooltip_and_the_description():
    crowded = [Marker(dt.date(2026, 3, day), f"Order {day} varied") for day in range(1, 6)]
    root = parse(chart(markers=crowded))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "marker"]

    assert len(groups) == 5
    assert len(label_spans(root)) == 3
    assert all(g.find(f"{SVG}title").text.startswith("Order ") for g in groups)
    assert "Order 5 varied 5 Mar 2026" in desc(root)


@given(st.lists(st.integers(0, (END - START).days), max_size=12))
def test_marker_labels_never_overlap_or_leave_the_chart(days):
    markers = [Marker(START + dt.timedelta(days=d), "Non-molestation order: varied") for d in days]
    spans = label_spans(parse(chart(markers=markers)))

    assert all(left >= 0 and right <= WIDTH for _, left, right in spans)
    for index, (line, left, right) in enumerate(spans):
        for other_line, other_left, other_right in spans[index + 1 :]:
            assert line != other_line or right <= other_left or other_right <= left


def test_month_ticks_are_labelled():
    labels = [e.text for e in parse(chart()).iter(f"{SVG}text")]

    assert {"Jan 2026", "Feb 2026", "Jun 2026"} <= set(labels)


def test_text_is_escaped():
    nasty = 'x<&>"y'
    svg = chart(
        incident(nasty, at(3, 1), kinds=frozenset({"<script>"})),
        markers=[Marker(dt.date(2026, 3, 1), "Order <&> varied")],
    )
    root = parse(svg)

    assert "<script>" not in svg
    assert shapes(root)[0].get("data-incident") == nasty
    assert "Order <&> varied 1 Mar 2026" in {e.text for e in root.iter(f"{SVG}text")}


def test_no_inline_styles_scripts_or_external_references():
    svg = chart(incident("a", at(3, 1)), incident("b", at(3, 1), lasting=dt.timedelta(days=3)))

    assert "style=" not in svg
    assert "<script" not in svg
    assert "href" not in svg
    assert "url(" not in svg


def test_output_is_deterministic():
    incidents = [incident(str(n), at(1 + n % 6, 1 + n % 28), severity=n % 4 + 1) for n in range(50)]

    assert chart(*incidents) == chart(*incidents)


def test_no_incidents_gives_a_valid_chart_that_says_so():
    root = parse(chart(markers=()))

    assert shapes(root) == []
    assert desc(root) == "No incidents between 1 Jan 2026 and 30 Jun 2026."


def test_a_short_range_without_month_starts_labels_its_ends():
    root = parse(chart(start=dt.date(2026, 2, 3), end=dt.date(2026, 2, 20), markers=()))

    assert {"3 Feb 2026", "20 Feb 2026"} <= {e.text for e in root.iter(f"{SVG}text")}


def test_bad_dates_and_title_ids_are_refused():
    with pytest.raises(ValueError, match="ends before"):
        chart(start=END, end=START)
    with pytest.raises(ValueError, match="title_id"):
        timeline_svg([], markers=(), start=START, end=END, title_id='x" onload="y')


def test_rows_list_markers_and_incidents_in_time_order():
    rows = timeline_rows(
        [
            incident("late", at(3, 1, hour=14), severity=None, kinds=frozenset()),
            incident(
                "early",
                at(2, 3, hour=9),
                lasting=dt.timedelta(hours=8),
                severity=4,
                kinds=frozenset({"threats", "online"}),
            ),
            incident("long", at(4, 1), lasting=dt.timedelta(days=3), severity=1),
        ],
        MARKERS,
    )

    assert rows == [
        ("3 Feb 2026", "Order made", ""),
        ("3 Feb 2026, 9am to 5pm", "Threats, online contact or tracking", "Severe"),
        ("1 Mar 2026, 2pm", "Incident", "Not rated"),
        ("1 Apr 2026 to 4 Apr 2026", "Direct contact in person", "Low"),
        ("1 Jun 2026", "Order ends", ""),
    ]


def test_rows_can_be_limited_to_the_charts_dates():
    rows = timeline_rows(
        [incident("in", at(3, 1)), incident("out", at(8, 1))],
        MARKERS,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
    )

    assert rows == [("1 Mar 2026, midday", "Direct contact in person", "Moderate")]


def test_rows_say_when_only_the_day_or_the_days_are_known():
    """As recorded: a date (midnight to the day's last moment) or a range of whole days."""
    last_moment = dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    rows = timeline_rows(
        [
            incident("day", at(3, 1, hour=0), lasting=last_moment),
            incident("days", at(4, 1, hour=0), lasting=dt.timedelta(days=2) + last_moment),
        ],
        [],
    )

    assert [when for when, _, _ in rows] == [
        "1 Mar 2026, time not known",
        "1 Apr 2026 to 3 Apr 2026",
    ]


@st.composite
def incidents_in_range(draw) -> list[Incident]:
    found = []
    for index in range(draw(st.integers(0, 20))):
        day = draw(st.integers(0, (END - START).days))
        minute = draw(st.integers(0, 24 * 60 - 1))
        earliest = dt.datetime.combine(START, dt.time(), tzinfo=LONDON) + dt.timedelta(
            days=day, minutes=minute
        )
        lasting = dt.timedelta(minutes=draw(st.sampled_from([0, 1, 120, 1440, 30 * 1440])))
        found.append(
            Incident(
                id=f"i{index}",
                earliest=earliest,
                latest=earliest + lasting,
                kinds=frozenset(),
                severity=draw(st.none() | st.integers(1, 4)),
            )
        )
    return found


@given(incidents_in_range())
def test_every_shape_lies_within_the_plot_area(incidents):
    found = shapes(parse(timeline_svg(incidents, markers=MARKERS, start=START, end=END)))

    assert len(found) == len(incidents)
    for shape in found:
        if shape.tag == f"{SVG}circle":
            assert PLOT_LEFT <= float(shape.get("cx")) <= PLOT_RIGHT
        else:
            x, width = float(shape.get("x")), float(shape.get("width"))
            assert width > 0
            assert x >= PLOT_LEFT
            assert x + width <= PLOT_RIGHT + 0.1  # rounding to one decimal place


# Many incidents: drawn and listed by week or month.


def many(count: int, days: int = 181) -> list[Incident]:
    """Return `count` incidents spread over `days` days from 1 January 2026, of every
    severity."""
    start, every = at(1, 1, 0), dt.timedelta(days=days) / count
    return [
        incident(f"i{n}", start + every * n, severity=(None, 1, 2, 3, 4)[n % 5])
        for n in range(count)
    ]


def test_a_chart_by_month_draws_one_mark_per_month_and_severity_and_says_so():
    incidents = many(3000)
    svg = timeline_svg(incidents, markers=MARKERS, start=START, end=END, group_by="month")
    root = parse(svg)
    marks = root.findall(f"{SVG}rect")
    assert len(marks) == 6 * 5  # January to June, five severities each
    titles = [mark.find(f"{SVG}title").text for mark in marks]
    assert any(title.startswith("Jan 2026: ") and "(Severe)" in title for title in titles)
    assert "Drawn by month" in root.find(f"{SVG}desc").text
    assert f"{len(incidents)} incidents between" in root.find(f"{SVG}desc").text


def test_a_taller_mark_means_more_incidents():
    incidents = [incident(f"a{n}", at(1, 5)) for n in range(9)] + [incident("b", at(2, 5))]
    svg = timeline_svg(incidents, markers=(), start=START, end=END, group_by="month")
    january, february = parse(svg).findall(f"{SVG}rect")
    assert float(january.get("height")) > float(february.get("height"))
    assert "9 incidents" in january.find(f"{SVG}title").text


def test_grouped_rows_count_each_week_with_its_kinds_and_severities():
    monday = at(3, 2, 9)  # Monday 2 March 2026
    incidents = [
        incident("a", monday, severity=4),
        incident("b", monday + dt.timedelta(days=6), kinds=frozenset({"following"})),
        incident("c", monday + dt.timedelta(days=7)),
    ]
    rows = grouped_rows(incidents, [Marker(dt.date(2026, 3, 4), "Order made")], "week")
    assert rows == [
        (
            "Week of 2 Mar 2026",
            "2 incidents: following or watching (1), direct contact in person (1)",
            "Severe 1, Moderate 1",
        ),
        ("4 Mar 2026", "Order made", ""),
        ("Week of 9 Mar 2026", "1 incident: direct contact in person (1)", "Moderate 1"),
    ]


def test_short_charts_group_by_week_and_long_ones_by_month():
    assert group_for(START, START + dt.timedelta(days=120)) == "week"
    assert group_for(START, START + dt.timedelta(days=400)) == "month"


@pytest.mark.parametrize(("group_by", "periods"), [("week", 158), ("month", 37)])
def test_grouping_keeps_the_chart_and_table_bounded_by_the_dates_not_the_count(group_by, periods):
    incidents = many(10_000, days=3 * 365)
    end = START + dt.timedelta(days=3 * 365)
    svg = timeline_svg(incidents, markers=MARKERS, start=START, end=end, group_by=group_by)
    assert svg.count("<rect") <= 5 * periods  # one per period and severity at most
    assert len(grouped_rows(incidents, MARKERS, group_by)) <= periods + len(MARKERS)
