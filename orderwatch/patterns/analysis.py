"""The pattern in a case's incidents: how often, how close together, how serious, and prompts.

Pure: no Django, no database. The caller turns breaches and evidence items marked as
incidents into `Incident`s and gets back counts, intervals and flags. Flags are prompts for
a practitioner to consider, never legal findings: they say what "may amount to" an offence.

Times are honest: an incident happened somewhere between its earliest and latest moment,
counts once, and every conclusion says when approximate times limit it (ADR 0009).
"""

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from typing import Literal

# Behaviours (breaches.models.Behaviour values), least to most serious. The order is the one
# breaches.models.Behaviour is declared in ("least to most physically intrusive", kept for this
# use). It is a judgement, not a scale from guidance: police risk checklists (DASH) treat
# stalking and threats as high-risk markers in their own right, and whether damage is more
# serious than a threat depends on the facts. "other" is deliberately not ranked.
SERIOUSNESS: tuple[tuple[str, str], ...] = (
    ("indirect_contact", "indirect contact"),
    ("online", "online contact or tracking"),
    ("third_party", "contact through children or other people"),
    ("direct_contact", "direct contact in person"),
    ("attending", "going to the address or into the exclusion zone"),
    ("following", "following or watching"),
    ("threats", "threats"),
    ("damage", "damage to property"),
    ("violence", "violence"),
)
RANK = {kind: rank for rank, (kind, _) in enumerate(SERIOUSNESS, start=1)}
KIND_WORDS = dict(SERIOUSNESS)

# Behaviours associated with stalking: Protection from Harassment Act 1997 s.2A(3) gives
# following (a), publishing material about a person and monitoring their internet or
# electronic communications (c, d), loitering (e), interfering with property (f), watching or
# spying (g). Contacting by any means (b) is also listed, but almost every breach of a
# no-contact order is contact, so it is left out here to keep the prompt meaningful. The
# College of Policing / Suzy Lamplugh Trust "FOUR" mnemonic (Fixated, Obsessive, Unwanted,
# Repeated) cannot be read from behaviour codes alone; the prompt asks the practitioner to.
STALKING_KINDS = frozenset({"following", "attending", "online", "damage"})

# Breach.Severity: 1 Low, 2 Moderate, 3 High, 4 Severe.
SEVERITY_WORDS = {1: "low", 2: "moderate", 3: "high", 4: "severe"}

WINDOW_DAYS = (7, 30, 90)

# Trends compare the latest few (at most 3, at most half) with everything before them.
RECENT_AT_MOST = 3
MIN_INTERVALS_FOR_TREND = 3
MIN_RATED_FOR_TREND = 3
# Coming closer together: the recent average gap is at most half the earlier one.
SHORTENING_RATIO = 0.5
# More serious: the recent average severity is at least one step higher.
SEVERITY_RISE = 1.0
# Occasions far apart are less likely to be treated as one course of conduct (Lau v DPP
# [2000] EWHC QB 182, [2000] 1 FLR 799: two incidents charged between November 1998 and
# March 1999, about four months apart, were not one; citation and dates checked against the
# BAILII report). Three months is a judgement, not a rule from the case.
FAR_APART = dt.timedelta(days=90)

# Prompts, never findings: checked by tests against every reason produced.
MAY_BE_HARASSMENT = (
    "This may amount to harassment, a separate offence: consider reporting it as such."
)
MAY_BE_STALKING = (
    "This may amount to stalking, a separate offence: consider asking whether the behaviour "
    "feels fixated, obsessive, unwanted and repeated, and reporting it as such."
)
RISK_PROMPT = "This may mean the risk has increased: consider a risk review and the safety plan."

Source = Literal["breach", "evidence"]
# Flags that, once they hold, cannot stop holding as incidents are added (see escalation_key).
LASTING_CODES = frozenset({"course_of_conduct", "stalking_indicators", "first_more_serious"})


@dataclass(frozen=True)
class Incident:
    """Something that happened, between `earliest` and `latest`, as the caller recorded it.

    `kinds` are behaviour codes; `severity` is 1-4 or None when not rated (evidence);
    `respondent` and `towards` are ids, None when not known. `source` is carried for the page,
    which shows breaches and evidence alike.
    """

    id: str
    earliest: dt.datetime
    latest: dt.datetime
    kinds: frozenset[str]
    severity: int | None = None
    respondent: str | None = None
    towards: str | None = None
    source: Source = "breach"
    # The bounds as POSIX seconds, worked out once: a large case's analysis compares them often.
    earliest_at: float = field(init=False, repr=False, compare=False)
    latest_at: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _require_aware(self.earliest, self.latest)
        object.__setattr__(self, "earliest_at", self.earliest.timestamp())
        object.__setattr__(self, "latest_at", self.latest.timestamp())
        if self.latest < self.earliest:
            raise ValueError(f"incident {self.id}: latest is before earliest")
        if self.severity is not None and self.severity not in SEVERITY_WORDS:
            raise ValueError(f"incident {self.id}: severity must be 1 to 4 or None")


@dataclass(frozen=True)
class OrderPeriod:
    """When an order was in force; `ends` is None while it still is (or "until further order")."""

    starts: dt.datetime
    ends: dt.datetime | None = None

    def __post_init__(self) -> None:
        _require_aware(self.starts)
        if self.ends is not None:
            _require_aware(self.ends)
            if self.ends < self.starts:
                raise ValueError("an order period ends before it starts")


@dataclass(frozen=True)
class Count:
    """Incidents certainly in a period, and those that may be (approximate times)."""

    definite: int
    possible: int

    @property
    def limited_by_precision(self) -> bool:
        return self.definite != self.possible

    def words(self) -> str:
        """Return the count as a page shows it: "3", or "between 2 and 4"."""
        if self.limited_by_precision:
            return f"between {self.definite} and {self.possible}"
        return str(self.definite)


@dataclass(frozen=True)
class WindowCount:
    days: int
    count: Count


@dataclass(frozen=True)
class Interval:
    """The gap between two incidents in time order, taken between their midpoints.

    Uncertain when the approximate times could change the gap by more than its own length.
    """

    from_incident: str
    to_incident: str
    gap: dt.timedelta
    uncertain: bool


@dataclass(frozen=True)
class Flag:
    """A prompt for the practitioner, with the incidents behind it and when it began.

    `code` is stable ("course_of_conduct", "stalking_indicators", "frequency_rising",
    "severity_rising", "first_more_serious:<behaviour>"). `since_incident` is the incident that
    tipped it (the start of the current run of the rule holding), `since` that incident's latest
    moment, so a range that may have ended recently counts as recent.
    """

    code: str
    respondent: str
    towards: str | None
    incident_ids: tuple[str, ...]
    since_incident: str
    since: dt.datetime
    reason: str
    limited_by_precision: bool = False

    @property
    def key(self) -> str:
        """Return what identifies the flag across analyses, e.g. for a dashboard."""
        return ":".join(part for part in (self.code, self.respondent, self.towards) if part)

    @property
    def escalation_key(self) -> str:
        """Return what identifies this escalation: raise a task once per key.

        A course of conduct, stalking indicators and a first more serious behaviour, once seen,
        stay seen: an earlier incident recorded late does not make them new. A rising trend can
        lapse and return, and is then new, so its key names the incident its run began with.
        """
        if self.code.split(":", 1)[0] in LASTING_CODES:
            return self.key
        return f"{self.key}@{self.since_incident}"


@dataclass(frozen=True)
class RespondentPattern:
    """One respondent's incidents in time order, and the intervals between them."""

    respondent: str
    incident_ids: tuple[str, ...]
    intervals: tuple[Interval, ...]


@dataclass(frozen=True)
class PatternAnalysis:
    """What the incidents on a case show, as counts, intervals, flags and caveats.

    Counts are of incidents during an order; `history` holds those wholly outside every
    order period (before it was made, or after it ended), which still count towards patterns.
    """

    windows: tuple[WindowCount, ...]
    order_life: Count
    history: tuple[str, ...]
    patterns: tuple[RespondentPattern, ...]
    flags: tuple[Flag, ...]
    notes: tuple[str, ...]

    def window(self, days: int) -> Count:
        """Return the count over the last `days` days (one of WINDOW_DAYS)."""
        for window in self.windows:
            if window.days == days:
                return window.count
        raise KeyError(days)

    def escalated_since(self, moment: dt.datetime) -> tuple[Flag, ...]:
        """Return the flags that began at or after `moment` (e.g. "in the last 30 days")."""
        return tuple(flag for flag in self.flags if flag.since >= moment)


def analyse_pattern(
    incidents: Iterable[Incident], *, order_periods: Sequence[OrderPeriod], now: dt.datetime
) -> PatternAnalysis:
    """Return the pattern in `incidents`, counted against `order_periods` up to `now`.

    The result does not depend on the order `incidents` come in. O(n log n).
    """
    _require_aware(now)
    timeline = sorted(incidents, key=_time_order)
    ids = [incident.id for incident in timeline]
    if len(set(ids)) != len(ids):
        raise ValueError("incident ids must be unique")
    in_force = _OrderTime(order_periods)
    windows, order_life, history, straddling = _counts(timeline, in_force, now)
    patterns, flags, no_respondent, no_towards = _patterns_and_flags(timeline)
    notes = _notes(
        windows,
        order_life,
        straddling,
        no_respondent,
        no_towards,
        has_order=bool(order_periods),
        flags=flags,
    )
    return PatternAnalysis(
        windows=windows,
        order_life=order_life,
        history=history,
        patterns=patterns,
        flags=tuple(sorted(flags, key=lambda f: (f.since, f.code, f.respondent, f.towards or ""))),
        notes=notes,
    )


def _require_aware(*moments: dt.datetime) -> None:
    if any(moment.utcoffset() is None for moment in moments):
        raise ValueError("times must be timezone-aware")


def _midpoint(incident: Incident) -> float:
    return (incident.earliest_at + incident.latest_at) / 2


def _time_order(incident: Incident) -> tuple[float, float, float, str]:
    # Ties broken by bounds then id, so any input order gives the same timeline.
    return (
        _midpoint(incident),
        incident.earliest_at,
        incident.latest_at,
        incident.id,
    )


def _overlap(first: Incident, second: Incident) -> bool:
    return first.latest >= second.earliest and second.latest >= first.earliest


class _OrderTime:
    """The union of the order periods, to ask whether a stretch of time is within it."""

    def __init__(self, periods: Sequence[OrderPeriod]) -> None:
        merged: list[list[float]] = []
        for period in sorted(periods, key=lambda p: p.starts):
            start = period.starts.timestamp()
            end = float("inf") if period.ends is None else period.ends.timestamp()
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def covers(self, earliest: float, latest: float) -> bool:
        index = bisect_right(self._starts, earliest) - 1
        return index >= 0 and latest <= self._ends[index]

    def touches(self, earliest: float, latest: float) -> bool:
        index = bisect_right(self._starts, latest) - 1
        return index >= 0 and self._ends[index] >= earliest


def _counts(
    timeline: Sequence[Incident], in_force: _OrderTime, now: dt.datetime
) -> tuple[tuple[WindowCount, ...], Count, tuple[str, ...], int]:
    """Count incidents during the order, overall and in each window ending `now`."""
    end = now.timestamp()
    starts = {days: (now - dt.timedelta(days=days)).timestamp() for days in WINDOW_DAYS}
    definite = dict.fromkeys(WINDOW_DAYS, 0)
    possible = dict.fromkeys(WINDOW_DAYS, 0)
    life_definite = life_possible = 0
    history: list[str] = []
    for incident in timeline:
        earliest, latest = incident.earliest_at, incident.latest_at
        if not in_force.touches(earliest, latest):
            history.append(incident.id)
            continue
        covered = in_force.covers(earliest, latest)
        life_possible += 1
        life_definite += covered
        for days, start in starts.items():
            if covered and start <= earliest and latest <= end:
                definite[days] += 1
            clipped = (max(earliest, start), min(latest, end))
            if clipped[0] <= clipped[1] and in_force.touches(*clipped):
                possible[days] += 1
    windows = tuple(
        WindowCount(days, Count(definite[days], possible[days])) for days in WINDOW_DAYS
    )
    return (
        windows,
        Count(life_definite, life_possible),
        tuple(history),
        life_possible - life_definite,
    )


def _patterns_and_flags(
    timeline: Sequence[Incident],
) -> tuple[tuple[RespondentPattern, ...], list[Flag], int, int]:
    """Return each respondent's pattern and flags; unknowns are never combined with knowns."""
    by_respondent: dict[str, list[Incident]] = defaultdict(list)
    no_respondent = no_towards = 0
    for incident in timeline:
        if incident.respondent is None:
            no_respondent += 1
        else:
            by_respondent[incident.respondent].append(incident)
    patterns = []
    flags: list[Flag] = []
    for respondent in sorted(by_respondent):
        incidents = by_respondent[respondent]
        patterns.append(
            RespondentPattern(respondent, tuple(i.id for i in incidents), _intervals(incidents))
        )
        flags += _frequency_flags(respondent, incidents)
        flags += _severity_flags(respondent, incidents)
        flags += _first_more_serious_flags(respondent, incidents)
        by_person: dict[str, list[Incident]] = defaultdict(list)
        for incident in incidents:
            if incident.towards is None:
                no_towards += 1
            else:
                by_person[incident.towards].append(incident)
        for towards in sorted(by_person):
            flags += _course_of_conduct_flags(respondent, towards, by_person[towards])
    return tuple(patterns), flags, no_respondent, no_towards


def _intervals(incidents: Sequence[Incident]) -> tuple[Interval, ...]:
    intervals = []
    for first, second in pairwise(incidents):
        gap = _midpoint(second) - _midpoint(first)
        spread = (first.latest - first.earliest) + (second.latest - second.earliest)
        intervals.append(
            Interval(first.id, second.id, dt.timedelta(seconds=gap), spread.total_seconds() > gap)
        )
    return tuple(intervals)


def _recent_size(total: int) -> int:
    return min(RECENT_AT_MOST, total // 2)


def _current_run(holds: Sequence[bool]) -> int | None:
    """Return where the run of True that reaches the end began, or None if the last is False."""
    if not holds or not holds[-1]:
        return None
    start = len(holds) - 1
    while start > 0 and holds[start - 1]:
        start -= 1
    return start


def _frequency_flags(respondent: str, incidents: Sequence[Incident]) -> list[Flag]:
    """Flag when the latest gaps average at most half the earlier ones (times at midpoints)."""
    times = [_midpoint(incident) for incident in incidents]

    def average_gaps(last: int) -> tuple[float, float]:
        split = last - _recent_size(last)
        return (times[last] - times[split]) / (last - split), (times[split] - times[0]) / split

    def shortening(last: int) -> bool:
        if last < MIN_INTERVALS_FOR_TREND:
            return False
        recent_gap, earlier_gap = average_gaps(last)
        return earlier_gap > 0 and recent_gap <= SHORTENING_RATIO * earlier_gap

    start = _current_run([shortening(last) for last in range(len(incidents))])
    if start is None:
        return []
    last = len(incidents) - 1
    recent = _recent_size(last)
    split = last - recent
    recent_gap, earlier_gap = average_gaps(last)
    # Still true with every time at its least favourable: the split incident as early as it
    # could be, the first and last as late as they could be.
    least_earlier = (incidents[split].earliest - incidents[0].latest).total_seconds()
    most_recent = (incidents[last].latest - incidents[split].earliest).total_seconds()
    certain = least_earlier > 0 and most_recent / recent <= SHORTENING_RATIO * least_earlier / split
    gaps = (
        f"about {_duration_words(recent_gap)} between the latest incidents, compared with "
        f"about {_duration_words(earlier_gap)} before"
    )
    if certain:
        reason = f"Incidents by this respondent are coming closer together: {gaps}. {RISK_PROMPT}"
    else:
        reason = (
            f"Incidents by this respondent may be coming closer together ({gaps}), but some "
            f"times are approximate, so this is not certain. {RISK_PROMPT}"
        )
    return [
        Flag(
            code="frequency_rising",
            respondent=respondent,
            towards=None,
            incident_ids=tuple(incident.id for incident in incidents[split:]),
            since_incident=incidents[start].id,
            since=incidents[start].latest,
            reason=reason,
            limited_by_precision=not certain,
        )
    ]


def _severity_flags(respondent: str, incidents: Sequence[Incident]) -> list[Flag]:
    """Flag when the latest ratings average at least one step above the earlier ones."""
    rated = [incident for incident in incidents if incident.severity is not None]
    totals = [0, *accumulate(incident.severity or 0 for incident in rated)]

    def means(last: int) -> tuple[float, float]:
        recent = _recent_size(last + 1)
        split = last + 1 - recent
        return (totals[last + 1] - totals[split]) / recent, totals[split] / split

    def rising(last: int) -> bool:
        if last + 1 < MIN_RATED_FOR_TREND:
            return False
        recent_mean, earlier_mean = means(last)
        return recent_mean - earlier_mean >= SEVERITY_RISE

    start = _current_run([rising(last) for last in range(len(rated))])
    if start is None:
        return []
    last = len(rated) - 1
    split = last + 1 - _recent_size(last + 1)
    recent_mean, earlier_mean = means(last)
    # Which incidents are "latest" is uncertain when the two either side of the split overlap.
    uncertain = _overlap(rated[split - 1], rated[split])
    reason = (
        f"The latest incidents by this respondent were rated more serious (on average "
        f"{_severity_words(recent_mean)}) than earlier ones (on average "
        f"{_severity_words(earlier_mean)})."
    )
    if uncertain:
        reason += " Some times are approximate, so which incidents are the latest is not certain."
    return [
        Flag(
            code="severity_rising",
            respondent=respondent,
            towards=None,
            incident_ids=tuple(incident.id for incident in rated[split:]),
            since_incident=rated[start].id,
            since=rated[start].latest,
            reason=f"{reason} {RISK_PROMPT}",
            limited_by_precision=uncertain,
        )
    ]


def _first_more_serious_flags(respondent: str, incidents: Sequence[Incident]) -> list[Flag]:
    """Flag each incident whose most serious behaviour ranks above every earlier incident's."""
    flags = []
    highest: Incident | None = None
    highest_rank = 0  # until an incident has a ranked behaviour, there is nothing to rise above
    for incident in incidents:
        rank = max((RANK[kind] for kind in incident.kinds if kind in RANK), default=0)
        if highest is not None and rank > highest_rank:
            kind = SERIOUSNESS[rank - 1][0]
            earlier = SERIOUSNESS[highest_rank - 1][1]
            reason = (
                f"This is the first incident by this respondent involving {KIND_WORDS[kind]}; "
                f"the most serious before it involved {earlier}. {RISK_PROMPT}"
            )
            uncertain = _overlap(highest, incident)
            if uncertain:
                reason += " Their times overlap, so which came first is not certain."
            flags.append(
                Flag(
                    code=f"first_more_serious:{kind}",
                    respondent=respondent,
                    towards=None,
                    incident_ids=(incident.id,),
                    since_incident=incident.id,
                    since=incident.latest,
                    reason=reason,
                    limited_by_precision=uncertain,
                )
            )
        if rank > highest_rank:
            highest, highest_rank = incident, rank
    return flags


def _course_of_conduct_flags(
    respondent: str, towards: str, incidents: Sequence[Incident]
) -> list[Flag]:
    """Flag two or more incidents by one respondent towards one person (PHA 1997 s.7(3)(a)).

    Conduct towards two or more people (s.1(1A)) needs an aim the data cannot show, so each
    person is considered separately.
    """
    if len(incidents) < 2:
        return []
    ids = tuple(incident.id for incident in incidents)
    # Two occasions are certain only if some incident ended before another began.
    separate = min(i.latest for i in incidents) < max(i.earliest for i in incidents)
    gaps = (_midpoint(incidents[-1]) - _midpoint(incidents[0])) / (len(incidents) - 1)
    reason = f"{len(incidents)} incidents by the same respondent towards the same person."
    notes = ""
    if not separate:
        notes += " Their times overlap, so check they were separate occasions."
    if gaps > FAR_APART.total_seconds():
        notes += (
            f" They were far apart (about {_duration_words(gaps)} between them on average): "
            "occasions far apart are less likely to be seen as one course of conduct, so record "
            "what links them."
        )
    flags = [
        Flag(
            code="course_of_conduct",
            respondent=respondent,
            towards=towards,
            incident_ids=ids,
            since_incident=incidents[1].id,
            since=incidents[1].latest,
            reason=f"{reason} {MAY_BE_HARASSMENT}{notes}",
            limited_by_precision=not separate,
        )
    ]
    stalking = [
        (index, incident)
        for index, incident in enumerate(incidents)
        if incident.kinds & STALKING_KINDS
    ]
    if stalking:
        tipping = incidents[max(1, stalking[0][0])]
        kinds = sorted(
            {kind for _, incident in stalking for kind in incident.kinds & STALKING_KINDS},
            key=RANK.__getitem__,
        )
        flags.append(
            Flag(
                code="stalking_indicators",
                respondent=respondent,
                towards=towards,
                incident_ids=tuple(incident.id for _, incident in stalking),
                since_incident=tipping.id,
                since=tipping.latest,
                reason=(
                    f"{reason} Some involve behaviour associated with stalking "
                    f"({_list_words([KIND_WORDS[kind] for kind in kinds])}). {MAY_BE_STALKING}"
                    f"{notes}"
                ),
                limited_by_precision=not separate,
            )
        )
    return flags


def _notes(
    windows: Sequence[WindowCount],
    order_life: Count,
    straddling: int,
    no_respondent: int,
    no_towards: int,
    *,
    has_order: bool,
    flags: Sequence[Flag],
) -> tuple[str, ...]:
    """Return the caveats a reader needs: where precision or missing details limit the result."""
    notes = []
    if not has_order:
        notes.append("No order is recorded, so every incident is counted as history.")
    if order_life.limited_by_precision or any(w.count.limited_by_precision for w in windows):
        notes.append(
            "Some times are approximate, so some counts are a range: the lower figure is "
            "incidents certainly in the period, the higher those that may have been."
        )
    if straddling:
        notes.append(
            f"{_incidents_words(straddling)} may have happened before or after the order was "
            "in force; the times are not precise enough to tell."
        )
    if no_respondent:
        notes.append(
            f"{_incidents_words(no_respondent)} do not say who was responsible, so they are left "
            "out of the pattern. If it was the respondent, recording that may show a course of "
            "conduct or a change in the pattern."
        )
    if no_towards:
        notes.append(
            f"{_incidents_words(no_towards)} do not say who they were towards, so they are left "
            "out of the course of conduct prompts. Recording who may show a course of conduct."
        )
    if any(flag.limited_by_precision for flag in flags):
        notes.append("Approximate times limit some of these prompts; each one says how.")
    return tuple(notes)


def _incidents_words(count: int) -> str:
    return "1 incident" if count == 1 else f"{count} incidents"


def _list_words(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _severity_words(mean: float) -> str:
    return SEVERITY_WORDS[round(mean)]


def _duration_words(seconds: float) -> str:
    """Return a gap in rough words: "5 hours", "3 days", "6 weeks", "12 months", "3 years"."""
    days = seconds / 86400
    unit, size = "year", 365.25
    for limit, unit_below, size_below in (
        (1, "hour", 1 / 24),
        (14, "day", 1),
        (61, "week", 7),
        (730, "month", 30.44),
    ):
        if days < limit:
            unit, size = unit_below, size_below
            break
    amount = max(1, round(days / size))
    return f"{amount} {unit}{'' if amount == 1 else 's'}"
