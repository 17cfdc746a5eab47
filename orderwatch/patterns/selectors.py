"""The pattern on a case, read from its breaches and the evidence marked as incidents.

The case is already granted by the caller (the case page, the PDFs); every read here is
scoped to that one case and takes a fixed number of queries, whatever the number of incidents.
"""

import datetime as dt
from dataclasses import dataclass, replace
from types import MappingProxyType
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from orderwatch.access.policy import open_cases
from orderwatch.accounts.models import User
from orderwatch.breaches.models import Breach
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.cases.models import Case, CasePerson
from orderwatch.evidence.models import EvidenceBreachLink, EvidenceIncident, EvidenceItem
from orderwatch.orders import status
from orderwatch.orders.models import Order
from orderwatch.patterns.analysis import (
    Flag,
    Incident,
    OrderPeriod,
    PatternAnalysis,
    analyse_pattern,
)
from orderwatch.patterns.chart import (
    GROUP_ABOVE,
    GroupBy,
    Marker,
    group_for,
    grouped_rows,
    timeline_rows,
    timeline_svg,
)
from orderwatch.patterns.kept import Kept
from orderwatch.patterns.models import PatternEscalation

LONDON = ZoneInfo("Europe/London")
# An order end more than this far ahead is left off the chart, so the incidents are not
# squeezed into one corner; the table still lists it. Expiry reminders start 8 weeks ahead.
CHART_LOOKAHEAD = dt.timedelta(days=91)
# A breach's fields that the pattern needs: never its free text or witness details.
WHEN_AND_WHAT = (
    "pk",
    "case_id",
    "happened_precision",
    "happened_on",
    "happened_at_time",
    "happened_until",
    "behaviours",
    "severity",
    "matches_no_condition",  # an incident, not a breach (ADR 0030): named and counted apart
)
# The manager's dashboard looks this many days back for escalations.
DASHBOARD_DAYS = 30
# A flag on the case page names at most this many of its incidents, the latest.
FLAG_INCIDENTS_ON_PAGE = 10
# A case's sources are kept (see `_kept_sources`) above this many incidents.
KEEP_ABOVE = GROUP_ABOVE
# The pattern sources of the large cases last read, in this process's memory only (they hold
# personal data; a shared cache would copy it elsewhere). Unpickling them from Django's
# local-memory cache took longer than reading them again.
KEPT = Kept(size=16)
# What the pattern check last read of the cases last saved to, in this process (ADR 0022).
CHECKED = Kept(size=64)
MARKER_WORDS = {"varied": "Varied", "extended": "Extended", "discharged": "Discharged"}


@dataclass(frozen=True)
class IncidentOnPage:
    """How an incident is named and linked on a page (no free text: it may be sensitive).

    Worked out when shown, from its record (a breach or an evidence item): a page names only
    a few of a large case's incidents, and building every link would cost seconds.
    """

    source: str
    record: dict | EvidenceItem  # a breach: the plain values read for the pattern

    @property
    def _record(self) -> Breach | EvidenceItem:
        return Breach(**self.record) if self.source == "breach" else self.record

    @property
    def label(self) -> str:
        if self.source == "breach":
            return self._record.heading
        kind = self.record.get_kind_display()
        return f"{kind} in the evidence log: {self.record.occurrence.label()}"

    @property
    def url(self) -> str:
        return self._record.get_absolute_url()


@dataclass(frozen=True)
class FlagOnPage:
    flag: Flag
    incidents: list[IncidentOnPage]  # in time order

    @property
    def title(self) -> str:
        code = self.flag.code.split(":", 1)[0]
        return FLAG_TITLES[code]

    @property
    def latest_incidents(self) -> list[IncidentOnPage]:
        """Return the latest few, for the page (a PDF lists them all)."""
        return self.incidents[-FLAG_INCIDENTS_ON_PAGE:]

    @property
    def earlier_count(self) -> int:
        return max(0, len(self.incidents) - FLAG_INCIDENTS_ON_PAGE)


FLAG_TITLES = {
    "course_of_conduct": "May be a course of conduct (harassment)",
    "stalking_indicators": "May show signs of stalking",
    "frequency_rising": "Incidents may be coming closer together",
    "severity_rising": "Incidents may be getting more serious",
    "first_more_serious": "A more serious kind of incident",
}


@dataclass(frozen=True)
class CasePattern:
    analysis: PatternAnalysis
    incidents: list[Incident]
    flags: list[FlagOnPage]
    chart: str
    rows: list[tuple[str, str, str]]
    grouped_by: GroupBy | None = None  # set when there are too many incidents to list one by one
    # Recorded as breaches but matching no condition: incidents (ADR 0030), in the pattern too.
    no_condition_count: int = 0

    @property
    def breach_count(self) -> int:
        return sum(incident.source == "breach" for incident in self.incidents) - (
            self.no_condition_count
        )

    @property
    def evidence_count(self) -> int:
        return sum(incident.source == "evidence" for incident in self.incidents)


@dataclass(frozen=True)
class _Sources:
    """What the pattern is worked out from; shared between requests once kept, so never
    changed after it is made."""

    incidents: tuple[Incident, ...]
    on_page: MappingProxyType  # incident id: IncidentOnPage
    periods: tuple[OrderPeriod, ...]
    markers: tuple[Marker, ...]


@dataclass(frozen=True)
class _People:
    respondents: list[str]
    victim_survivors: list[str]


def case_pattern(
    *,
    case: Case,
    now: dt.datetime | None = None,
    title_id: str = "pattern-chart",
    orders: list[Order] | None = None,
    people: list[CasePerson] | None = None,
) -> CasePattern:
    """Return the case's pattern: the analysis, its flags with their incidents, and the chart.

    Pass the case's `orders` (with their changes and protected people) and `people` if the
    caller has read them already, to save reading them again.
    """
    now = now or timezone.now()
    sources = _kept_sources(case, orders, people)
    analysis = analyse_pattern(sources.incidents, order_periods=sources.periods, now=now)
    today = now.astimezone(LONDON).date()
    start, end = _chart_dates(sources, today)
    flags = [
        FlagOnPage(flag, [sources.on_page[i] for i in flag.incident_ids if i in sources.on_page])
        for flag in analysis.flags
    ]
    group_by = group_for(start, end) if len(sources.incidents) > GROUP_ABOVE else None
    return CasePattern(
        analysis=analysis,
        incidents=sources.incidents,
        flags=flags,
        chart=timeline_svg(
            sources.incidents,
            markers=sources.markers,
            start=start,
            end=end,
            title_id=title_id,
            group_by=group_by,
        ),
        rows=(
            timeline_rows(sources.incidents, sources.markers)
            if group_by is None
            else grouped_rows(sources.incidents, sources.markers, group_by)
        ),
        grouped_by=group_by,
        no_condition_count=sum(
            on_page.source == "breach" and on_page.record["matches_no_condition"]
            for on_page in sources.on_page.values()
        ),
    )


def case_analysis(*, case: Case, now: dt.datetime | None = None) -> PatternAnalysis:
    """Return only the analysis, for the pattern check a service runs with the case row locked.

    What it is worked out from is kept in this process while the case's `sources_version`
    stays: meanwhile only breaches can have been added, and the new ones are read by id, so a
    breach's turn on a large case's row is not spent reading every incident again (ADR 0022).
    """
    checked = _checked_sources(case)
    return analyse_pattern(
        checked.incidents(), order_periods=checked.periods, now=now or timezone.now()
    )


@dataclass(frozen=True)
class _Checked:
    """What the pattern check read; shared between requests once kept, so never changed."""

    sources_version: int
    breaches: MappingProxyType  # breach id: (its plain values, its incident)
    evidence: tuple[tuple[EvidenceItem, Incident], ...]
    periods: tuple[OrderPeriod, ...]
    markers: tuple[Marker, ...]
    orders: MappingProxyType  # order id: Order, with its protected people
    people: _People

    def incidents(self) -> tuple[Incident, ...]:
        return tuple(incident for _, incident in (*self.breaches.values(), *self.evidence))

    def sources(self) -> _Sources:
        """Return them as a page reads them (so the page after a save need not read again)."""
        on_page = {i.id: IncidentOnPage("breach", values) for values, i in self.breaches.values()}
        on_page |= {i.id: IncidentOnPage("evidence", item) for item, i in self.evidence}
        return _Sources(self.incidents(), MappingProxyType(on_page), self.periods, self.markers)


def _checked_sources(case: Case) -> _Checked:
    kept = CHECKED.get(case.pk)
    if kept is not None and kept.sources_version == case.sources_version:
        ids = set(Breach.objects.filter(case=case).values_list("pk", flat=True))
        if kept.breaches.keys() <= ids:
            new = ids - kept.breaches.keys()
            added = _breaches_read(Breach.objects.filter(pk__in=new), kept.orders, kept.people)
            checked = replace(kept, breaches=MappingProxyType(kept.breaches | added))
        else:  # a breach gone (never by the services): read it all again
            checked = _checked_read(case)
    else:
        checked = _checked_read(case)
    # Kept once committed, as `_kept_sources` keeps: never what a rolled-back save read. A
    # large case's page sources too, for the case's version after this save.
    version = case.version
    transaction.on_commit(lambda: _keep_checked(case.pk, version, checked))
    return checked


def _keep_checked(case_id, version: int, checked: _Checked) -> None:
    CHECKED.put(case_id, checked)
    if len(checked.breaches) + len(checked.evidence) > KEEP_ABOVE:
        KEPT.put((case_id, version), checked.sources())


def _checked_read(case: Case) -> _Checked:
    people = _people(case)
    orders = _orders(case)
    periods, markers = _order_time(orders)
    orders_by_id = {order.pk: order for order in orders}
    return _Checked(
        sources_version=case.sources_version,
        breaches=MappingProxyType(
            _breaches_read(Breach.objects.filter(case=case), orders_by_id, people)
        ),
        evidence=tuple(_evidence_read(case, people)),
        periods=tuple(periods),
        markers=tuple(markers),
        orders=MappingProxyType(orders_by_id),
        people=people,
    )


def _kept_sources(
    case: Case, orders: list[Order] | None = None, people: list[CasePerson] | None = None
) -> _Sources:
    """Return the case's sources, kept for a large case until the case's version moves on.

    Kept only once the transaction that read them commits (at once outside one), so what is
    kept never comes from a write that was rolled back. Small cases are read each time.
    """
    key = (case.pk, case.version)
    kept = KEPT.get(key)
    if kept is not None:
        return kept
    sources = _sources(case, orders, people)
    if len(sources.incidents) > KEEP_ABOVE:
        transaction.on_commit(lambda: KEPT.put(key, sources))
    return sources


def _sources(
    case: Case, orders: list[Order] | None = None, people: list[CasePerson] | None = None
) -> _Sources:
    people = _people(case, people)
    if orders is None:
        orders = _orders(case)
    periods, markers = _order_time(orders)
    orders_by_id = {order.pk: order for order in orders}
    breaches = _breaches_read(Breach.objects.filter(case=case), orders_by_id, people)
    evidence = _evidence_read(case, people)
    incidents = [incident for _, incident in (*breaches.values(), *evidence)]
    on_page = {incident.id: IncidentOnPage("breach", v) for v, incident in breaches.values()}
    on_page |= {incident.id: IncidentOnPage("evidence", item) for item, incident in evidence}
    return _Sources(tuple(incidents), MappingProxyType(on_page), tuple(periods), tuple(markers))


def _orders(case: Case) -> list[Order]:
    return list(
        Order.objects.filter(case=case)
        .select_related("order_type")
        .prefetch_related("changes", "protected_people")
    )


def _breaches_read(breaches, orders_by_id: dict, people: _People) -> dict:
    """Return each breach's plain values and incident, by id, read in one query of values (a
    large case has thousands): one row per breached condition, or one row with no order."""
    rows = breaches.values_list(*WHEN_AND_WHAT, "breached__condition__order_id")
    read: dict = {}
    for *values, order_id in rows:
        breach = read.get(values[0])
        if breach is None:
            breach = read[values[0]] = (dict(zip(WHEN_AND_WHAT, values, strict=True)), [])
        if order_id is not None:
            breach[1].append(orders_by_id[order_id])
    # Who is worked out once per set of orders breached (a case has a few), not per breach.
    who: dict[tuple, tuple[str | None, str | None]] = {}
    incidents = {}
    for pk, (values, breached) in read.items():
        key = tuple(order.pk for order in breached)
        if key not in who:
            who[key] = _who(breached, people)
        incidents[pk] = (
            values,
            _incident(
                pk,
                _occurrence(values),
                source="breach",
                behaviours=values["behaviours"],
                severity=values["severity"],
                who=who[key],
            ),
        )
    return incidents


def _evidence_read(case: Case, people: _People) -> list[tuple[EvidenceItem, Incident]]:
    who = _who([], people)
    return [
        (
            marked.item,
            _incident(
                marked.item.pk,
                marked.item.occurrence,
                source="evidence",
                behaviours=marked.behaviours,
                severity=marked.severity,
                who=who,
            ),
        )
        for marked in _evidence_incidents(case)
    ]


def _people(case: Case, people: list[CasePerson] | None = None) -> _People:
    if people is None:
        roles = list(
            CasePerson.objects.filter(
                case=case, role__in=[CasePerson.Role.RESPONDENT, CasePerson.Role.VICTIM_SURVIVOR]
            ).values_list("pk", "role")
        )
    else:
        roles = [(person.pk, person.role) for person in people]
    return _People(
        respondents=[str(pk) for pk, role in roles if role == CasePerson.Role.RESPONDENT],
        victim_survivors=[str(pk) for pk, role in roles if role == CasePerson.Role.VICTIM_SURVIVOR],
    )


def _who(breached: list[Order], people: _People) -> tuple[str | None, str | None]:
    """Return who was responsible and who it was towards, or None where the record cannot say.

    Responsible: the respondent named on the orders breached, if they name one; otherwise the
    case's only respondent. Towards: the case's victim-survivor when the orders breached protect
    them (alone or with others, such as their children) or protect no one recorded; otherwise
    the only person those orders protect. Never a guess between two people.
    """
    respondents = {str(o.respondent_id) for o in breached if o.respondent_id}
    if not respondents:
        respondents = set(people.respondents)
    protected = {str(p.pk) for o in breached for p in o.protected_people.all()}
    victim_survivors = set(people.victim_survivors)
    if not protected or protected & victim_survivors:
        towards_options = victim_survivors & protected or victim_survivors
    else:
        towards_options = protected
    respondent = next(iter(respondents)) if len(respondents) == 1 else None
    towards = next(iter(towards_options)) if len(towards_options) == 1 else None
    return respondent, towards


def _occurrence(values: dict) -> Occurrence:
    return Occurrence(
        Precision(values["happened_precision"]),
        values["happened_on"],
        values["happened_at_time"],
        values["happened_until"],
    )


def _incident(
    pk, occurrence: Occurrence, *, source, behaviours, severity, who: tuple[str | None, str | None]
) -> Incident:
    respondent, towards = who
    return Incident(
        id=str(pk),
        earliest=occurrence.earliest(LONDON),
        latest=occurrence.latest(LONDON),
        kinds=frozenset(behaviours),
        severity=severity,
        respondent=respondent,
        towards=towards,
        source=source,
    )


def _evidence_incidents(case: Case) -> list[EvidenceIncident]:
    """Return the case's items marked as incidents that stand on their own.

    Left out: removed items, items linked to a breach or correcting one that is (counted as the
    breach) and items a
    later item corrects (the correction counts instead: the mark is carried over to it), unless
    that correction was itself removed.
    """
    linked = EvidenceBreachLink.objects.filter(
        Q(item=OuterRef("item")) | Q(item=OuterRef("item__corrects"))
    )
    corrected = EvidenceItem.objects.filter(corrects=OuterRef("item"), removal__isnull=True)
    return list(
        EvidenceIncident.objects.filter(item__case=case, item__removal__isnull=True)
        .exclude(Exists(linked))
        .exclude(Exists(corrected))
        .select_related("item")
        .defer("item__description")  # what the victim-survivor wrote: the pattern never needs it
    )


def _order_time(orders: list[Order]) -> tuple[list[OrderPeriod], list[Marker]]:
    """Return when the orders were in force, and the dates to mark on the chart."""
    periods, markers = [], []
    several = len(orders) > 1
    for order in orders:
        changes = [
            status.Change(c.kind, c.made_on, c.new_ends_on, c.until_further_order)
            for c in order.changes.all()
        ]
        first, last = status.days_in_force(
            starts_on=order.starts_on,
            ends_on=order.ends_on,
            until_further_order=order.until_further_order,
            changes=changes,
        )
        periods.append(
            OrderPeriod(
                starts=_midnight(first),
                ends=None if last is None else _midnight(last + dt.timedelta(days=1)),
            )
        )
        name = f"{order.order_type.name}: " if several else "Order "
        markers.append(Marker(first, f"{name}starts" if several else "Order starts"))
        for change in changes:
            word = MARKER_WORDS[change.kind]
            markers.append(Marker(change.made_on, f"{name}{word.lower()}" if several else word))
        discharged = any(change.kind == "discharged" for change in changes)
        if last is not None and not discharged:
            markers.append(Marker(last, f"{name}ends" if several else "Order ends"))
    return periods, markers


def _chart_dates(sources: _Sources, today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the chart's first and last day: all incidents and order starts, up to today, and
    an order's end if it is within a year."""
    days = [today]
    days += [i.earliest.astimezone(LONDON).date() for i in sources.incidents]
    days += [i.latest.astimezone(LONDON).date() for i in sources.incidents]
    ahead = today + CHART_LOOKAHEAD
    days += [m.on for m in sources.markers if m.on <= ahead]
    return min(days), max(days)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON)


# The manager's view across the cases they work on.


@dataclass(frozen=True)
class EscalationOnPage:
    escalation: PatternEscalation
    today: dt.date

    @property
    def title(self) -> str:
        return FLAG_TITLES[self.escalation.code.split(":", 1)[0]]

    @property
    def review_overdue(self) -> bool:
        review = self.escalation.review
        return review is not None and review.done_at is None and review.due_on < self.today


@dataclass(frozen=True)
class UnreportedBreaches:
    case: Case
    breaches: int
    not_reported: int
    agreed_not_to_report: int


def escalations_recent(*, user: User, days: int = DASHBOARD_DAYS) -> list[EscalationOnPage]:
    """Return escalations first noticed within `days` days on the user's cases, newest first.

    "Escalated" goes by when the change was noticed (a record added), not when the incident
    happened: an old incident recorded late is news to the team too.
    """
    _require_dashboard(user)
    since = timezone.now() - dt.timedelta(days=days)
    escalations = (
        PatternEscalation.objects.filter(case__in=open_cases(user), created_at__gte=since)
        .select_related("case", "review__assignee")
        .order_by("-created_at")
    )
    today = timezone.localdate()
    return [EscalationOnPage(escalation, today) for escalation in escalations]


def cases_with_unreported_breaches(*, user: User) -> list[UnreportedBreaches]:
    """Return the user's cases with two or more breaches where any has no police report."""
    _require_dashboard(user)
    no_report = Q(breaches__police_reported=False)
    cases = (
        open_cases(user)
        .annotate(
            breach_total=Count("breaches", distinct=True),
            not_reported=Count("breaches", filter=no_report, distinct=True),
            agreed=Count(
                "breaches",
                filter=no_report & ~Q(breaches__not_reported_resolution=""),
                distinct=True,
            ),
        )
        .filter(breach_total__gte=2, not_reported__gte=1)
        .order_by("-not_reported", "reference")
    )
    return [
        UnreportedBreaches(case, case.breach_total, case.not_reported, case.agreed)
        for case in cases
    ]


def _require_dashboard(user: User) -> None:
    if not user.has_perm("patterns.view_dashboard"):
        raise PermissionDenied
