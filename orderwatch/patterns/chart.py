"""A timeline chart of a case's incidents by date and severity, as an accessible SVG string.

Pure: no Django, no database. The same string goes in the page and the chronology and
evidence-bundle PDFs. The chart has a title and a summary (`<desc>`), and `timeline_rows`
gives the table a page shows next to it. No scripts, external references or `style`
attributes (the CSP forbids inline styles): presentation attributes only.

Severity is shown by row as well as colour; an exact time is a dot, an approximate one a bar
from its earliest to its latest moment (ADR 0009). Dates are read in `tz` (Europe/London).

A case with more than `GROUP_ABOVE` incidents is drawn and listed by week or month instead
(`group_by`): one mark per period and severity, its height growing with the count, and one
table row per period. The page stays small and readable whatever the number of incidents.
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from orderwatch.core.govuk_dates import time_label
from orderwatch.patterns.analysis import KIND_WORDS, RANK, Incident

LONDON = ZoneInfo("Europe/London")
TITLE = "Timeline of incidents by date and severity"

WIDTH, HEIGHT = 640, 240
PLOT_LEFT, PLOT_RIGHT = 88.0, 600.0
PLOT_TOP, PLOT_BOTTOM = 44.0, 200.0
# Rows from the top: most serious first, then those not rated, set apart.
ROWS = {4: 60.0, 3: 88.0, 2: 116.0, 1: 144.0, None: 180.0}
SEVERITY_LABELS = {4: "Severe", 3: "High", 2: "Moderate", 1: "Low", None: "Not rated"}
MAX_TICKS = 6
# Not strftime("%b"): that depends on the locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DOT_RADIUS = 4.0
BAR_HEIGHT = 8.0
MIN_BAR_WIDTH = 3.0  # a range too short to see is still drawn as a bar, not a dot
# Marker labels sit on these lines above the plot (baselines), apart by LABEL_GAP at least.
LABEL_LINES = (12.0, 25.0, 38.0)
LABEL_GAP = 6.0
CHAR_WIDTH = 6.2  # a generous average for 12px Arial, so estimated widths err wide

# Contrast on white: text 19:1, blue 5.2:1, red 4.5:1, grey 7:1 (GOV.UK palette).
TEXT = "#0b0c0c"
POINT = "#1d70b8"
SEVERE = "#d4351c"
NOT_RATED = "#505a5f"
GRID = "#b1b4b6"

_ID = re.compile(r"[A-Za-z][\w-]*")

# More incidents than this are drawn and listed by week or month, not one by one.
GROUP_ABOVE = 200
# A chart spanning more than this many days groups by month; a shorter one by week.
WEEKS_UP_TO_DAYS = 183
GROUP_MIN_HEIGHT, GROUP_MAX_HEIGHT = 4.0, 16.0

GroupBy = Literal["week", "month"]


@dataclass(frozen=True)
class Marker:
    """A date to mark on the chart, e.g. "Order made", "Order varied", "Order ends"."""

    on: dt.date
    label: str


def timeline_svg(
    incidents: Sequence[Incident],
    *,
    markers: Sequence[Marker],
    start: dt.date,
    end: dt.date,
    title_id: str = "pattern-chart",
    tz: dt.tzinfo = LONDON,
    group_by: GroupBy | None = None,
) -> str:
    """Return a standalone SVG of `incidents` from `start` to `end` (whole days, inclusive).

    Incidents wholly outside the dates are left out; those partly outside are drawn up to
    the edge. Both are counted in the description. Markers outside the dates are left out.
    Shapes are drawn in the order given; with `group_by`, one per period and severity. O(n).
    """
    if end < start:
        raise ValueError("the chart ends before it starts")
    if not _ID.fullmatch(title_id):
        raise ValueError("title_id must be a letter then letters, digits, '-' or '_'")
    scale = _Scale(start, end, tz)
    shown, clipped, left_out = [], 0, 0
    for incident in incidents:
        if incident.latest < scale.begins or incident.earliest >= scale.ends:
            left_out += 1
            continue
        clipped += incident.earliest < scale.begins or incident.latest >= scale.ends
        shown.append(incident)
    shown_markers = [marker for marker in markers if start <= marker.on <= end]

    title, desc = f"{title_id}-title", f"{title_id}-desc"
    summary = _summary(
        shown, shown_markers, clipped=clipped, left_out=left_out, start=start, end=end
    )
    if group_by is not None:
        summary += f" Drawn by {group_by}: one mark per {group_by} and severity, taller for more."
        shapes = _grouped_shapes(shown, scale, group_by)
    else:
        shapes = [_shape(incident, scale) for incident in shown]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title} {desc}" font-family="Arial, sans-serif" font-size="12" '
        f'fill="{TEXT}">',
        f'<title id="{title}">{TITLE}</title>',
        f'<desc id="{desc}">{_text(summary)}</desc>',
        *_axes(scale),
        *_markers(shown_markers, scale),
        *shapes,
        "</svg>",
    ]
    return "\n".join(parts)


def timeline_rows(
    incidents: Sequence[Incident],
    markers: Sequence[Marker],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    tz: dt.tzinfo = LONDON,
) -> list[tuple[str, str, str]]:
    """Return (date, what, severity) rows in time order: the table to show beside the chart.

    Give the chart's `start` and `end` to list only what it shows; markers sort before
    incidents on their day.
    """
    first = dt.datetime.min.replace(tzinfo=dt.UTC) if start is None else _midnight(start, tz)
    after = (
        dt.datetime.max.replace(tzinfo=dt.UTC)
        if end is None
        else _midnight(end + dt.timedelta(days=1), tz)
    )
    rows: list[tuple[tuple, tuple[str, str, str]]] = []
    for marker in markers:
        on = _midnight(marker.on, tz)
        if first <= on < after:
            rows.append(((on, 0, marker.label), (_day(marker.on), marker.label, "")))
    for incident in incidents:
        if incident.latest < first or incident.earliest >= after:
            continue
        rows.append(
            (
                (incident.earliest, 1, incident.latest, incident.id),
                (
                    _when(incident, tz),
                    _what(incident),
                    SEVERITY_LABELS[incident.severity],
                ),
            )
        )
    rows.sort(key=lambda row: row[0])
    return [row for _, row in rows]


def group_for(start: dt.date, end: dt.date) -> GroupBy:
    """Return how to group a chart from `start` to `end`: by week up to about six months."""
    return "week" if (end - start).days <= WEEKS_UP_TO_DAYS else "month"


def grouped_rows(
    incidents: Sequence[Incident],
    markers: Sequence[Marker],
    group_by: GroupBy,
    *,
    tz: dt.tzinfo = LONDON,
) -> list[tuple[str, str, str]]:
    """Return (period, what, severity) rows in time order, one per week or month with
    incidents: how many, of which kinds, how serious. Markers keep a row of their own,
    before the incidents of their period."""
    periods: dict[dt.date, list[Incident]] = {}
    for incident in incidents:
        first = _period_start(incident.earliest.astimezone(tz).date(), group_by)
        periods.setdefault(first, []).append(incident)
    rows = [((marker.on, 0), (_day(marker.on), marker.label, "")) for marker in markers]
    for first, members in periods.items():
        kinds = Counter(kind for incident in members for kind in incident.kinds)
        what = ", ".join(
            f"{KIND_WORDS.get(kind, kind.replace('_', ' '))} ({count})"
            for kind, count in sorted(kinds.items(), key=lambda k: (-RANK.get(k[0], 0), k[0]))
        )
        severities = Counter(incident.severity for incident in members)
        how = ", ".join(
            f"{SEVERITY_LABELS[severity]} {severities[severity]}"
            for severity in ROWS
            if severities[severity]
        )
        rows.append(
            (
                (first, 1),
                (_period_label(first, group_by), f"{_incidents(len(members))}: {what}", how),
            )
        )
    rows.sort(key=lambda row: row[0])
    return [row for _, row in rows]


def _period_start(day: dt.date, group_by: GroupBy) -> dt.date:
    if group_by == "week":
        return day - dt.timedelta(days=day.weekday())  # weeks start on Monday
    return day.replace(day=1)


def _period_end(first: dt.date, group_by: GroupBy) -> dt.date:
    if group_by == "week":
        return first + dt.timedelta(days=6)
    month = first.year * 12 + first.month  # the next month, counted from year 0
    return dt.date(month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _period_label(first: dt.date, group_by: GroupBy) -> str:
    if group_by == "week":
        return f"Week of {_day(first)}"
    return f"{MONTHS[first.month - 1]} {first.year}"


class _Scale:
    """Map moments between the start of `start` and the end of `end` (in `tz`) to x."""

    def __init__(self, start: dt.date, end: dt.date, tz: dt.tzinfo) -> None:
        self.start, self.end, self.tz = start, end, tz
        self.begins = _midnight(start, tz)
        self.ends = _midnight(end + dt.timedelta(days=1), tz)
        self.span = (self.ends - self.begins).total_seconds()

    def x(self, moment: dt.datetime) -> float:
        share = (moment.timestamp() - self.begins.timestamp()) / self.span
        return PLOT_LEFT + min(1.0, max(0.0, share)) * (PLOT_RIGHT - PLOT_LEFT)


def _axes(scale: _Scale) -> list[str]:
    parts = []
    for severity, y in ROWS.items():
        parts.append(
            f'<line x1="{PLOT_LEFT:.1f}" y1="{y:.1f}" x2="{PLOT_RIGHT:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{PLOT_LEFT - 8:.1f}" y="{y + 4:.1f}" text-anchor="end">'
            f"{SEVERITY_LABELS[severity]}</text>"
        )
    parts.append(
        f'<line x1="{PLOT_LEFT:.1f}" y1="{PLOT_BOTTOM:.1f}" x2="{PLOT_RIGHT:.1f}" '
        f'y2="{PLOT_BOTTOM:.1f}" stroke="{TEXT}" stroke-width="1"/>'
    )
    for on, label in _ticks(scale.start, scale.end):
        x = scale.x(_midnight(on, scale.tz))
        parts.append(
            f'<line x1="{x:.1f}" y1="{PLOT_BOTTOM:.1f}" x2="{x:.1f}" y2="{PLOT_BOTTOM + 5:.1f}" '
            f'stroke="{TEXT}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{PLOT_BOTTOM + 18:.1f}" text-anchor="middle">{label}</text>'
        )
    return parts


def _ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Return at most MAX_TICKS month starts ("Jan 2026"); the two ends if there are none."""
    first = start.year * 12 + start.month - 1 + (start.day > 1)  # the first month start in range
    last = end.year * 12 + end.month - 1
    if last < first:
        return [(start, _day(start)), (end, _day(end))] if end > start else [(start, _day(start))]
    step = -(-(last - first + 1) // MAX_TICKS)
    ticks = []
    for month in range(first, last + 1, step):
        on = dt.date(month // 12, month % 12 + 1, 1)
        ticks.append((on, f"{MONTHS[on.month - 1]} {on.year}"))
    return ticks


def _markers(markers: Sequence[Marker], scale: _Scale) -> list[str]:
    """Draw each marker's dashed line, and its label on the first line above the plot where it
    does not run into another; a label with no room is left to the description and the table
    (the line keeps it as a tooltip)."""
    taken: list[list[tuple[float, float]]] = [[] for _ in LABEL_LINES]
    parts = []
    for marker in sorted(markers, key=lambda m: m.on):
        x = scale.x(_midnight(marker.on, scale.tz))
        label = _text(f"{marker.label} {_day(marker.on)}")
        width = len(f"{marker.label} {_day(marker.on)}") * CHAR_WIDTH
        # On the side of the line with more room, unless that side runs off the chart.
        start_side = x <= (PLOT_LEFT + PLOT_RIGHT) / 2 and x + 3 + width <= WIDTH
        start_side = start_side or x - 3 - width < 0
        span = (x + 3, x + 3 + width) if start_side else (x - 3 - width, x - 3)
        line = next(
            (
                index
                for index, spans in enumerate(taken)
                if all(span[1] + LABEL_GAP < a or b + LABEL_GAP < span[0] for a, b in spans)
            ),
            None,
        )
        top = PLOT_TOP - 2 if line is None else LABEL_LINES[line] + 4
        text = ""
        if line is not None:
            taken[line].append(span)
            anchor, label_x = ("start", span[0]) if start_side else ("end", span[1])
            text = (
                f'<text x="{label_x:.1f}" y="{LABEL_LINES[line]:.1f}" '
                f'text-anchor="{anchor}">{label}</text>'
            )
        parts.append(
            f'<g class="marker"><title>{label}</title><line x1="{x:.1f}" y1="{top:.1f}" '
            f'x2="{x:.1f}" y2="{PLOT_BOTTOM:.1f}" stroke="{TEXT}" stroke-width="1.5" '
            f'stroke-dasharray="4 3"/>{text}</g>'
        )
    return parts


def _shape(incident: Incident, scale: _Scale) -> str:
    y = ROWS[incident.severity]
    colour = {4: SEVERE, None: NOT_RATED}.get(incident.severity, POINT)
    about = _text(
        f"{_when(incident, scale.tz)}: {_what(incident)} ({SEVERITY_LABELS[incident.severity]})"
    )
    data = f'data-incident="{_attribute(incident.id)}"'
    if incident.earliest == incident.latest:
        x = scale.x(incident.earliest)
        return (
            f'<circle {data} cx="{x:.1f}" cy="{y:.1f}" r="{DOT_RADIUS:.1f}" fill="{colour}">'
            f"<title>{about}</title></circle>"
        )
    x1, x2 = scale.x(incident.earliest), scale.x(incident.latest)
    if x2 - x1 < MIN_BAR_WIDTH:
        half = MIN_BAR_WIDTH / 2
        middle = min(max((x1 + x2) / 2, PLOT_LEFT + half), PLOT_RIGHT - half)
        x1, x2 = middle - half, middle + half
    return (
        f'<rect {data} x="{x1:.1f}" y="{y - BAR_HEIGHT / 2:.1f}" width="{x2 - x1:.1f}" '
        f'height="{BAR_HEIGHT:.1f}" rx="{BAR_HEIGHT / 2:.1f}" fill="{colour}">'
        f"<title>{about}</title></rect>"
    )


def _grouped_shapes(incidents: Sequence[Incident], scale: _Scale, group_by: GroupBy) -> list[str]:
    """Draw one bar per period and severity, across the period, taller for more incidents."""
    counts = Counter(
        (_period_start(incident.earliest.astimezone(scale.tz).date(), group_by), incident.severity)
        for incident in incidents
    )
    most = max(counts.values(), default=1)
    parts = []
    for (first, severity), count in sorted(counts.items(), key=lambda item: item[0][0]):
        last = _period_end(first, group_by)
        x1 = scale.x(_midnight(first, scale.tz))
        x2 = max(scale.x(_midnight(last + dt.timedelta(days=1), scale.tz)), x1 + MIN_BAR_WIDTH)
        height = GROUP_MIN_HEIGHT + (GROUP_MAX_HEIGHT - GROUP_MIN_HEIGHT) * count / most
        y = ROWS[severity]
        colour = {4: SEVERE, None: NOT_RATED}.get(severity, POINT)
        about = _text(
            f"{_period_label(first, group_by)}: {_incidents(count)} ({SEVERITY_LABELS[severity]})"
        )
        parts.append(
            f'<rect x="{x1:.1f}" y="{y - height / 2:.1f}" width="{x2 - x1:.1f}" '
            f'height="{height:.1f}" fill="{colour}"><title>{about}</title></rect>'
        )
    return parts


def _summary(
    shown: Sequence[Incident],
    markers: Sequence[Marker],
    *,
    clipped: int,
    left_out: int,
    start: dt.date,
    end: dt.date,
) -> str:
    """Return the chart in words: "3 incidents between 3 Feb 2026 and 1 Jun 2026; ..."."""
    between = f"between {_day(start)} and {_day(end)}"
    if not shown:
        parts = [f"No incidents {between}"]
    else:
        parts = [f"{_incidents(len(shown))} {between}"]
        rated = [incident.severity for incident in shown if incident.severity is not None]
        if rated:
            parts.append(f"most serious severity {SEVERITY_LABELS[max(rated)]}")
        if len(rated) < len(shown):
            parts.append(f"{len(shown) - len(rated)} not rated")
        approximate = sum(incident.earliest != incident.latest for incident in shown)
        if approximate:
            parts.append(f"{approximate} with approximate times, drawn as bars")
        if clipped:
            parts.append(f"{clipped} partly outside these dates, drawn up to the edge")
    if left_out:
        parts.append(f"{_incidents(left_out)} outside these dates left out")
    summary = "; ".join(parts) + "."
    if markers:
        summary += " Marked: " + ", ".join(f"{m.label} {_day(m.on)}" for m in markers) + "."
    return summary


def _when(incident: Incident, tz: dt.tzinfo) -> str:
    """Return when, GOV.UK style: "3 Feb 2026, 2:15pm", or a range "3 Feb 2026 to 5 Feb 2026"."""
    earliest, latest = incident.earliest.astimezone(tz), incident.latest.astimezone(tz)
    if earliest == latest:
        return f"{_day(earliest.date())}, {time_label(earliest.time())}"
    if _whole_days(earliest, latest):
        if earliest.date() == latest.date():
            return f"{_day(earliest.date())}, time not known"
        return f"{_day(earliest.date())} to {_day(latest.date())}"
    if earliest.date() == latest.date():
        return (
            f"{_day(earliest.date())}, {time_label(earliest.time())} to {time_label(latest.time())}"
        )
    return f"{_day(earliest.date())} to {_day(latest.date())}"


def _whole_days(earliest: dt.datetime, latest: dt.datetime) -> bool:
    """Return True for a date or a range of dates: from midnight to the last moment of a day."""
    return earliest.time() == dt.time.min and latest.time() >= dt.time(23, 59, 59)


def _what(incident: Incident) -> str:
    kinds = sorted(incident.kinds, key=lambda kind: (-RANK.get(kind, 0), kind))
    words = ", ".join(KIND_WORDS.get(kind, kind.replace("_", " ")) for kind in kinds)
    words = words or "incident"
    return words[0].upper() + words[1:]


def _midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    # In UTC, so that differences and comparisons are between instants, not wall-clock times.
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


def _day(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _incidents(count: int) -> str:
    return "1 incident" if count == 1 else f"{count} incidents"


def _text(text: str) -> str:
    return escape(text)


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})
