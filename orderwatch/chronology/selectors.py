"""Reading a case's chronology: every source's entries, in a fixed number of queries.

Each source is a function that turns one kind of record into entries with one or two
queries, whatever the number of records. Later features (evidence, information sharing)
add a function and a row to `SOURCES`. Callers pass a case they have already been granted
(through `chronology_open`, the PDF's builder in `orderwatch.exports` or the case page's
`case_open`).

Nothing here shows a protected address, a place named in a condition or witness details:
those fields are not even loaded.
"""

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch
from django.urls import reverse
from django.utils import timezone

from orderwatch.breaches.models import Breach, BreachedCondition
from orderwatch.breaches.selectors import NEWEST_FIRST, breached_with_orders
from orderwatch.cases.models import Case
from orderwatch.chronology.timeline import (
    Entry,
    Kind,
    at_moment,
    day_label,
    from_occurrence,
    merge,
    newest,
    on_day,
    wanted,
)
from orderwatch.evidence.models import EvidenceItem
from orderwatch.orders.models import AddressChange, Order, OrderChange
from orderwatch.orders.selectors import order_state
from orderwatch.orders.status import Status
from orderwatch.safety.models import RiskAssessment, SafetyReview
from orderwatch.sharing.models import Share
from orderwatch.tasks.models import Task

RECENT_ENTRIES = 5
CHRONOLOGY_PAGE_SIZE = 50
AUTOMATIC = "OrderWatch"  # who opened a task no person opened (a reminder job)


@dataclass(frozen=True)
class Source:
    """Where entries of one kind come from. `entries(case, limit)` returns the newest
    `limit` entries (all of them when `limit` is None) in a fixed number of queries."""

    kind: Kind
    entries: Callable[[Case, int | None], Iterable[Entry]]


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _tz() -> dt.tzinfo:
    return timezone.get_current_timezone()


def _limited(queryset, limit: int | None):
    return queryset if limit is None else queryset[:limit]


# Orders ---------------------------------------------------------------------------------------


def _order_made(order: Order, tz: dt.tzinfo) -> Entry:
    if order.until_further_order:
        lasts = f"In force from {day_label(order.starts_on)} until further order"
    else:
        lasts = f"In force from {day_label(order.starts_on)} to {day_label(order.ends_on)}"
    return Entry(
        kind=Kind.ORDER,
        key=f"order:{order.pk}",
        when=on_day(order.made_on, tz),
        title=f"{order.order_type.name} made",
        recorded_at=order.created_at,
        by=_name(order.created_by),
        description=f"Made by {order.court}." if order.court else "",
        details=(lasts,),
        link=order.get_absolute_url(),
        link_text="View the order",
    )


def _order_changed(order: Order, change: OrderChange, tz: dt.tzinfo) -> Entry:
    details = ()
    if change.kind == OrderChange.Kind.EXTENDED:
        details = (
            ("Now lasts until further order",)
            if change.until_further_order
            else (f"Now ends on {day_label(change.new_ends_on)}",)
        )
    return Entry(
        kind=Kind.ORDER,
        key=f"order-change:{change.pk}",
        when=on_day(change.made_on, tz),
        title=f"{order.order_type.name} {change.get_kind_display().lower()}",
        recorded_at=change.created_at,
        by=_name(change.created_by),
        description=change.what_changed,
        details=details,
        link=order.get_absolute_url(),
        link_text="View the order",
    )


def _order_ended(order: Order, tz: dt.tzinfo, today: dt.date) -> Entry | None:
    """Return an entry for an order whose end date has passed; a discharge is its own entry.

    An end still to come is left out: the chronology records what has happened, and a future
    date in a shared copy would read as fact and go stale if the order is extended. The case
    page and "Orders ending soon" show the ends to come.
    """
    state = order_state(order, today)
    if state.status != Status.EXPIRED or state.ends_on is None:
        return None
    first_day_ended = state.ends_on + dt.timedelta(days=1)
    when = on_day(first_day_ended, tz)
    return Entry(
        kind=Kind.ORDER,
        key=f"order-ended:{order.pk}",
        when=when,
        title=f"{order.order_type.name} no longer in force",
        recorded_at=when.sort,
        description=f"Its last day in force was {day_label(state.ends_on)}.",
        link=order.get_absolute_url(),
        link_text="View the order",
    )


def order_entries(
    case: Case, limit: int | None = None, orders: Iterable[Order] | None = None
) -> list[Entry]:
    """Return orders made, varied, extended, discharged and ended (a case has few orders).

    `orders`, if the caller has them, read with their type, creator and changes (with theirs).
    """
    tz, today = _tz(), timezone.localdate()
    if orders is None:
        orders = (
            Order.objects.filter(case=case)
            .select_related("order_type", "created_by")
            .prefetch_related(
                Prefetch("changes", queryset=OrderChange.objects.select_related("created_by"))
            )
        )
    entries = []
    for order in orders:
        entries.append(_order_made(order, tz))
        entries.extend(_order_changed(order, change, tz) for change in order.changes.all())
        ended = _order_ended(order, tz, today)
        if ended is not None:
            entries.append(ended)
    return entries if limit is None else newest(entries, limit)


# Breaches -------------------------------------------------------------------------------------

BREACH_DEFERRED = (
    "witness_details",
    "others_present_details",
    "location_details",
    "reported_by_details",
    "what_happened",
    "action_details",
    "other_agencies_details",
)


def _police(breach: Breach) -> str:
    if breach.police_reported:
        return "Reported to the police"
    if breach.police_report_outstanding:
        return "Not yet reported to the police"
    return "Will not be reported to the police"


def _breach_title(breach: Breach, breached: list[BreachedCondition]) -> str:
    if breach.matches_no_condition or not breached:
        return "Incident that matches no condition of an order"
    order_types = {link.condition.order.order_type.name for link in breached}
    if len(order_types) == 1:
        return f"Breach of the {order_types.pop().lower()}"
    return "Breach of more than one order"


def _breach(breach: Breach, tz: dt.tzinfo) -> Entry:
    breached = list(breach.breached.all())
    details = [f"How serious: {breach.get_severity_display()}"]
    if breached:
        conditions = ", ".join(link.condition.get_kind_display() for link in breached)
        details.append(f"Conditions breached: {conditions}")
    details.append(_police(breach))
    when = from_occurrence(breach.occurrence, tz)
    return Entry(
        kind=Kind.BREACH,
        key=f"breach:{breach.pk}",
        when=when,
        title=_breach_title(breach, breached),
        recorded_at=breach.created_at,
        by=_name(breach.created_by),
        description="; ".join(breach.behaviour_labels()),
        details=tuple(details),
        link=breach.get_absolute_url(),
        link_text="View the breach",
    )


def breach_entries(
    case: Case, limit: int | None = None, breaches: list[Breach] | None = None
) -> list[Entry]:
    """Return the case's breaches, dated by when they happened (as precisely as known).

    `breaches`: the newest, if the caller has read them already (see `case_breaches_summary`).
    """
    tz = _tz()
    if breaches is None:
        breaches = (
            Breach.objects.filter(case=case)
            .defer(*BREACH_DEFERRED)
            .select_related("created_by")
            .prefetch_related(breached_with_orders())
            .order_by(*NEWEST_FIRST)  # the order `merge` uses
        )
    return [_breach(breach, tz) for breach in _limited(breaches, limit)]


# Safety-plan reviews --------------------------------------------------------------------------


def _origin_link(task: Task) -> tuple[str, str]:
    """Return a link to the record whose event opened the task, and its words."""
    if task.origin == Task.Origin.BREACH:
        url = reverse(
            "breaches:detail", kwargs={"case_id": task.case_id, "breach_id": task.origin_id}
        )
        return url, "View the breach"
    if task.origin == Task.Origin.ORDER_ENDED:
        url = reverse("orders:detail", kwargs={"case_id": task.case_id, "order_id": task.origin_id})
        return url, "View the order"
    return "", ""


def _review_opened(task: Task, tz: dt.tzinfo) -> Entry:
    details = [
        f"For {_name(task.assignee)}, to do by {day_label(task.due_on)}",
        f"Done on {day_label(timezone.localtime(task.done_at).date())}"
        if task.done_at
        else "Not done yet",
    ]
    link, link_text = _origin_link(task)
    return Entry(
        kind=Kind.REVIEW,
        key=f"task:{task.pk}",
        when=at_moment(task.created_at, tz),
        title="Safety plan review opened",
        recorded_at=task.created_at,
        by=_name(task.created_by) or AUTOMATIC,
        by_recorded=False,
        description=f"Opened because {_lower_first(task.get_origin_display())}.",
        details=tuple(details),
        link=link,
        link_text=link_text,
    )


def review_task_entries(
    case: Case, limit: int | None = None, tasks: list[Task] | None = None
) -> list[Entry]:
    """Return the safety-plan review tasks opened on the case, and why each was opened.

    `tasks`: the newest, if the caller has read them already (see `reviews_open_and_newest`).
    """
    tz = _tz()
    if tasks is None:
        tasks = (
            Task.objects.filter(case=case, kind=Task.Kind.SAFETY_REVIEW)
            .select_related("created_by", "assignee")
            .order_by("-created_at", "-pk")
        )
    return [_review_opened(task, tz) for task in _limited(tasks, limit)]


def _review_done(review: SafetyReview, tz: dt.tzinfo) -> Entry:
    return Entry(
        kind=Kind.REVIEW,
        key=f"review:{review.pk}",
        when=at_moment(review.created_at, tz),
        title="Safety plan reviewed",
        recorded_at=review.created_at,
        by=_name(review.created_by),
        by_recorded=False,
        description=f"What changed: {review.what_changed}",
        details=tuple(f"Completes: {task.title}" for task in review.tasks.all()),
    )


def review_entries(case: Case, limit: int | None = None) -> list[Entry]:
    """Return the safety-plan reviews recorded, with what changed and the tasks they closed."""
    tz = _tz()
    reviews = (
        SafetyReview.objects.filter(plan__case=case)
        .select_related("created_by")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.order_by("created_at")))
        .order_by("-created_at", "-pk")
    )
    return [_review_done(review, tz) for review in _limited(reviews, limit)]


# Risk levels and moves ------------------------------------------------------------------------


def risk_entries(
    case: Case, limit: int | None = None, assessments: list[RiskAssessment] | None = None
) -> list[Entry]:
    """Return each risk level set, who set it and why, and the level it replaced.

    `assessments`: the newest `limit + 1`, if the caller has read them already (see
    `risk_newest`).
    """
    tz = _tz()
    if assessments is None:
        assessments = list(
            _limited(
                case.risk_assessments.select_related("created_by").order_by("-created_at", "-pk"),
                None if limit is None else limit + 1,  # one more: what the oldest replaced
            )
        )
    entries = []
    for index, assessment in enumerate(assessments if limit is None else assessments[:limit]):
        before = assessments[index + 1] if index + 1 < len(assessments) else None
        level = assessment.get_level_display().lower()
        if before is None:
            details = ()
        elif before.level == assessment.level:
            details = (f"Unchanged from {level}",)
        else:
            details = (f"Changed from {before.get_level_display().lower()}",)
        entries.append(
            Entry(
                kind=Kind.RISK,
                key=f"risk:{assessment.pk}",
                when=at_moment(assessment.created_at, tz),
                title=f"Risk level set to {level}",
                recorded_at=assessment.created_at,
                by=_name(assessment.created_by),
                by_recorded=False,
                description=f"Why: {assessment.reason}",
                details=details,
            )
        )
    return entries


def move_entries(
    case: Case, limit: int | None = None, moves: list[AddressChange] | None = None
) -> list[Entry]:
    """Return each recorded move with the agreed next step: never an address, nor why.

    `moves`: newest first, if the caller has read them already (see `case_moves`).
    """
    tz = _tz()
    if moves is None:
        moves = (
            case.address_changes.only("pk", "case", "created_at", "next_step", "created_by")
            .select_related("created_by")
            .order_by("-created_at", "-pk")
        )
    return [
        Entry(
            kind=Kind.MOVE,
            key=f"move:{move.pk}",
            when=at_moment(move.created_at, tz),
            title="Move recorded",
            recorded_at=move.created_at,
            by=_name(move.created_by),
            by_recorded=False,
            description="The victim-survivor has moved. The address is kept confidential.",
            details=(f"Agreed next step for the orders: {move.get_next_step_display()}",),
        )
        for move in _limited(moves, limit)
    ]


def share_entries(case: Case, limit: int | None = None) -> list[Entry]:
    """Return each time information was shared with someone who needs to know: what, how,
    on what basis, and whether the address went with it (never the address or contacts)."""
    tz = _tz()
    shares = (
        case.shares.defer("address_reason", "lawful_basis_details", "how_details")
        .select_related("party__user__agency", "created_by")
        .order_by("-shared_on", "-created_at", "-pk")
    )
    entries = []
    for share in _limited(shares, limit):
        party = share.party
        what = ", ".join(Share.What(value).label for value in share.what)
        address = "included" if share.address_included else "not included"
        entries.append(
            Entry(
                kind=Kind.SHARING,
                key=f"share:{share.pk}",
                when=on_day(share.shared_on, tz),
                title=f"Shared with {party.display_name}, {party.display_organisation}",
                recorded_at=share.created_at,
                by=_name(share.created_by),
                by_recorded=False,
                description=f"{what}, by {share.get_how_display().lower()}.",
                details=(
                    f"Why: {share.purpose or 'Not recorded'}",
                    f"Lawful basis: {share.get_lawful_basis_display()}",
                    "Told what to do on a breach: "
                    + ("yes" if share.told_what_to_do_on_breach else "no"),
                    f"Protected address: {address}",
                ),
            )
        )
    return entries


# Evidence -------------------------------------------------------------------------------------


def _evidence(item: EvidenceItem, tz: dt.tzinfo) -> Entry:
    kind = item.get_kind_display().lower()
    by_them = item.author_kind == EvidenceItem.AuthorKind.VICTIM_SURVIVOR
    title = f"Diary entry by the victim-survivor: {kind}" if by_them else f"Evidence added: {kind}"
    files = item.file_count
    details = [f"{files} file{'s' if files != 1 else ''}" if files else "No files"]
    if hasattr(item, "removal"):
        title += " (removed)"
        details.append(f"Removed by {_name(item.removal.created_by)}")
    return Entry(
        kind=Kind.EVIDENCE,
        key=f"evidence:{item.pk}",
        when=from_occurrence(item.occurrence, tz),
        title=title,
        recorded_at=item.created_at,
        by="The victim-survivor" if by_them else _name(item.created_by),
        details=tuple(details),
        link=item.get_absolute_url(),
        link_text="View the evidence",
    )


def evidence_entries(case: Case, limit: int | None = None) -> list[Entry]:
    """Return the case's evidence items, dated by when what they show happened; never their
    description (it may hold what the victim-survivor wrote in their diary)."""
    tz = _tz()
    items = (
        EvidenceItem.objects.filter(case=case)
        .defer("description")
        .select_related("created_by", "removal__created_by")
        .annotate(file_count=Count("files"))
        .order_by("-happened_on", F("happened_at_time").desc(nulls_last=True), "-created_at", "-pk")
    )
    return [_evidence(item, tz) for item in _limited(items, limit)]


# The case team --------------------------------------------------------------------------------


def team_entries(case: Case, limit: int | None = None) -> list[Entry]:
    """Return each change to the case team: who joined or left (and why), who leads, and who
    was allowed to see the protected address or stopped (never the address)."""
    tz = _tz()
    changes = case.team_changes.select_related(
        "membership__user", "membership__agency", "created_by"
    ).order_by("-created_at", "-pk")
    entries = []
    for change in _limited(changes, limit):
        member = change.membership
        entries.append(
            Entry(
                kind=Kind.TEAM,
                key=f"team:{change.pk}",
                when=at_moment(change.created_at, tz),
                title=f"{member.user.display_name}: {_lower_first(change.get_kind_display())}",
                recorded_at=change.created_at,
                by=_name(change.created_by),
                by_recorded=False,
                description=f"{member.agency.name}, {member.capacity}",
                details=(f"Why: {change.reason}",) if change.reason else (),
            )
        )
    return entries


def closure_entries(case: Case, limit: int | None = None) -> list[Entry]:
    """Return each closing and reopening of the case, with why."""
    tz = _tz()
    closures = case.closures.select_related("created_by").order_by("-created_at", "-pk")
    entries = []
    for closure in _limited(closures, limit):
        details = []
        if closure.reason:
            details.append(f"Why: {closure.get_reason_display()}")
        if closure.reason_text:
            details.append(closure.reason_text if closure.reason else f"Why: {closure.reason_text}")
        entries.append(
            Entry(
                kind=Kind.CLOSURE,
                key=f"closure:{closure.pk}",
                when=at_moment(closure.created_at, tz),
                title=closure.get_kind_display(),
                recorded_at=closure.created_at,
                by=_name(closure.created_by),
                by_recorded=False,
                details=tuple(details),
            )
        )
    return entries


SOURCES: list[Source] = [
    Source(Kind.ORDER, order_entries),
    Source(Kind.BREACH, breach_entries),
    Source(Kind.REVIEW, review_task_entries),
    Source(Kind.REVIEW, review_entries),
    Source(Kind.RISK, risk_entries),
    Source(Kind.MOVE, move_entries),
    Source(Kind.SHARING, share_entries),
    Source(Kind.EVIDENCE, evidence_entries),
    Source(Kind.TEAM, team_entries),
    Source(Kind.CLOSURE, closure_entries),
]


# For callers ----------------------------------------------------------------------------------


def case_chronology(*, case: Case, kinds: Collection[Kind] = ()) -> list[Entry]:
    """Return a granted case's entries of the chosen kinds (all if none), newest first.

    Sources of kinds not chosen are not queried at all.
    """
    return merge(*(source.entries(case, None) for source in SOURCES if wanted(source.kind, kinds)))


@dataclass(frozen=True)
class ChronologyPage:
    """One page of a chronology, newest first, for `core/includes/pagination.html`.

    No total: it would cost a count from every source. A page knows whether another follows.
    """

    object_list: list[Entry]
    number: int
    first_index: int  # the position of its first entry in the whole chronology, from 1
    has_next: bool
    paginator = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.object_list) - 1


def case_chronology_page(
    *, case: Case, kinds: Collection[Kind] = (), number: int = 1, size: int = CHRONOLOGY_PAGE_SIZE
) -> ChronologyPage:
    """Return page `number` (from 1) of a granted case's chronology, in a fixed number of
    queries: each source gives its newest `number * size + 1` entries, which hold the page and
    tell whether another follows. A page past the end is empty."""
    number = max(1, number)
    limit = number * size + 1
    entries = newest(
        (
            entry
            for source in SOURCES
            if wanted(source.kind, kinds)
            for entry in source.entries(case, limit)
        ),
        limit,
    )
    first = (number - 1) * size
    return ChronologyPage(
        object_list=entries[first : first + size],
        number=number,
        first_index=first + 1,
        has_next=len(entries) > first + size,
    )


def recent_entries(
    *,
    case: Case,
    limit: int = RECENT_ENTRIES,
    kinds: Collection[Kind] = (),
    read: dict[Callable, list] | None = None,
) -> list[Entry]:
    """Return a granted case's `limit` newest entries of the `kinds` given (every kind if
    none), for the case page.

    `read`: rows the caller has read already, by source (`{order_entries: orders, ...}`), as
    each source's own argument for them describes; the other sources read their own.
    """
    read = read or {}
    entries = [
        entry
        for source in SOURCES
        if wanted(source.kind, kinds)
        for entry in (
            source.entries(case, limit, read[source.entries])
            if source.entries in read
            else source.entries(case, limit)
        )
    ]
    return newest(entries, limit)
