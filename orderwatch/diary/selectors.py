"""Reads for diaries: a diary user's own case (never shown to them), a case's diary state, and
what the lead chose to show in the diary, in plain words."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.cases.models import Case, CasePerson
from orderwatch.core.govuk_dates import day_label, moment_label
from orderwatch.diary import breach_check
from orderwatch.diary.models import (
    DiaryAccess,
    DiaryInvite,
    DiaryOrderShare,
    DiaryPlanShare,
    DiarySetting,
)
from orderwatch.evidence.models import EvidenceFile, EvidenceItem
from orderwatch.orders import plain_words
from orderwatch.orders.models import Condition, Order
from orderwatch.orders.selectors import OrderWithState, case_orders, order_state
from orderwatch.orders.selectors import conditions_in_force as order_conditions_in_force
from orderwatch.orders.status import OrderState, Status
from orderwatch.safety.models import SafetyAction, SafetyMeasure
from orderwatch.tasks.models import Task


def diary_case(*, user: User) -> Case:
    """Return the case whose diary `user` keeps, or 404 if they keep none that is open."""
    if not user.is_victim_survivor:
        raise Http404
    access = (
        DiaryAccess.objects.select_related("case")
        .filter(user=user, ended_at__isnull=True, user__is_active=True)
        .first()
    )
    if access is None:
        raise Http404
    return access.case


@dataclass(frozen=True)
class DiaryState:
    access: DiaryAccess | None
    invite: DiaryInvite | None  # the unused link still waiting, if any
    ended: DiaryAccess | None  # with no diary open, the last one ended, and by whom
    sharing: "DiarySharing"  # what the lead shows in the diary

    @property
    def ended_at_label(self) -> str:
        """When the last diary was ended, in GOV.UK style: 3 March 2026 at 4:15pm."""
        return moment_label(self.ended.ended_at)


def case_diary_state(*, user: User, case_id) -> tuple[Case, DiaryState]:
    """Return the case (if the user may see it) and whether its diary is set up, invited or
    was ended."""
    case = access_case(user, case_id)
    access = DiaryAccess.objects.filter(case=case, ended_at__isnull=True).first()
    invite = DiaryInvite.objects.filter(
        case=case, used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    ended = None
    if access is None:
        ended = (
            DiaryAccess.objects.filter(case=case, ended_at__isnull=False)
            .select_related("ended_by__agency")
            .order_by("-ended_at")
            .first()
        )
    return case, DiaryState(
        access=access, invite=invite, ended=ended, sharing=case_diary_sharing(case=case)
    )


@dataclass(frozen=True)
class DiaryEntry:
    item: EvidenceItem
    happened: str
    saved: str
    removed: bool
    files: list[str]  # what each file is, never its name


def diary_entries(*, user: User) -> list[DiaryEntry]:
    """Return the diary keeper's own entries, newest first: nothing else on their case."""
    case = diary_case(user=user)
    items = (
        EvidenceItem.objects.filter(
            case=case, created_by=user, author_kind=EvidenceItem.AuthorKind.VICTIM_SURVIVOR
        )
        .select_related("removal")
        .prefetch_related("files")
        .order_by("-created_at")
    )
    return [
        DiaryEntry(
            item=item,
            happened=item.occurrence.label(),
            saved=moment_label(item.created_at),
            removed=hasattr(item, "removal"),
            files=[_file_label(file) for file in item.files.all()],
        )
        for item in items
    ]


def _file_label(file: EvidenceFile) -> str:
    kind = file.content_type.split("/")[0]
    what = {"image": "Photo", "audio": "Recording", "video": "Video"}.get(kind, "File")
    return f"{what} ({filesizeformat(file.size)})"


# -- What the lead chose to show in the diary (issue 22, ADR 0046) --------------------------


def _order_hidden(case: Case) -> bool:
    return DiarySetting.objects.filter(case=case, order_hidden=True).exists()


def _open_order_shares(case: Case) -> QuerySet[DiaryOrderShare]:
    return DiaryOrderShare.objects.filter(case=case, withdrawn_at__isnull=True)


def _open_plan_share(case: Case) -> DiaryPlanShare | None:
    return DiaryPlanShare.objects.filter(case=case, withdrawn_at__isnull=True).first()


@dataclass(frozen=True)
class SharedWithKeeper:
    order: bool  # at least one order is shown, and "Your order" is not hidden
    plan: bool


def shared_with_keeper(*, user: User) -> SharedWithKeeper:
    """Say what the diary keeper's home page links to: nothing until the lead shares it."""
    case = diary_case(user=user)
    if _order_hidden(case):
        return SharedWithKeeper(order=False, plan=False)
    return SharedWithKeeper(
        order=_open_order_shares(case).exists(), plan=_open_plan_share(case) is not None
    )


@dataclass(frozen=True)
class YourOrder:
    order: Order
    state: OrderState
    who: str  # the person the order is against, as the diary names them
    about: str  # what kind of order it is, and what breaking it means
    contact: str  # the contact it forbids, in one sentence
    conditions: list[plain_words.PlainCondition]
    glance: list[plain_words.GlanceAnswer]
    copy_checked: bool
    protects: list[str]  # "you" if it protects the keeper, then others by first name
    places: list[str] | None  # None unless the keeper chose to see them
    has_places: bool
    ending_decided: bool  # False while the worker is deciding what happens when it ends

    @property
    def ended(self) -> bool:
        return self.state.status in (Status.EXPIRED, Status.DISCHARGED)

    @property
    def starts(self) -> str:
        """When an order not yet in force starts, or ""."""
        if self.state.status != Status.NOT_YET_IN_FORCE:
            return ""
        return day_label(self.order.starts_on)

    @property
    def ends(self) -> str:
        """When it ends, in a sentence."""
        state = self.state
        if state.status == Status.DISCHARGED:
            return "This order has ended."
        if state.status == Status.EXPIRED:
            return f"This order ended on {day_label(state.ends_on)}."
        if state.status == Status.NOT_YET_IN_FORCE:
            start = f"It starts on {day_label(self.order.starts_on)}. "
        else:
            start = ""
        if state.ends_on is None:
            return start + "It lasts until a court changes it or ends it."
        return start + f"It lasts until the end of {day_label(state.ends_on)}."


def your_orders(*, user: User, show_places: bool = False) -> list[YourOrder]:
    """Return the orders the lead shows in the keeper's diary, in plain words; none while
    "Your order" is hidden. Places (which may be the keeper's own address) only if asked for."""
    case = diary_case(user=user)
    if _order_hidden(case):
        return []
    return _orders_shown(case, show_places=show_places)


def case_orders_shown(*, user: User, case_id) -> tuple[Case, list[YourOrder], bool]:
    """Return the case (if the user may see it), its orders as its diary shows them (for its
    practitioners to read the words the victim-survivor reads; places are never shown), and
    whether they are hidden from the diary now."""
    case = access_case(user, case_id)
    return case, _orders_shown(case, show_places=False), _order_hidden(case)


def _orders_shown(case: Case, *, show_places: bool) -> list[YourOrder]:
    shares = list(
        _open_order_shares(case)
        .select_related("order__case", "order__order_type", "order__respondent")
        .prefetch_related("order__conditions", "order__changes", "order__protected_people")
    )
    orders = [share.order for share in shares]
    deciding = set(
        Task.objects.filter(
            case=case,
            kind=Task.Kind.EXPIRY_DECISION,
            done_at__isnull=True,
            origin_id__in=[order.pk for order in orders],
        ).values_list("origin_id", flat=True)
    )
    return [_your_order(order, show_places, order.pk in deciding) for order in orders]


# Conditions about a place: their own words may name it (perhaps the keeper's own address), so
# they are shown with the places, when the keeper asks.
PLACE_KINDS = (Condition.Kind.EXCLUSION, Condition.Kind.OCCUPATION)


def _your_order(order: Order, show_places: bool, deciding: bool) -> YourOrder:
    who = order.respondent.given_name if order.respondent else plain_words.NO_NAME
    state = order_state(order)
    ended = state.status in (Status.EXPIRED, Status.DISCHARGED)
    conditions = [] if ended else order_conditions_in_force(order)
    kinds = [c.kind for c in conditions]
    places = [c.place for c in conditions if c.place]
    protected = order.protected_people.all()
    others = sorted(p.given_name for p in protected if p.role != CasePerson.Role.VICTIM_SURVIVOR)
    keeper = any(p.role == CasePerson.Role.VICTIM_SURVIVOR for p in protected)
    copy_checked = order.copy_checked_at is not None
    return YourOrder(
        order=order,
        state=state,
        who=who,
        about=plain_words.order_type_in_plain_words(
            order.order_type.code, breach_is_offence=order.order_type.breach_is_offence, who=who
        ),
        contact=plain_words.contact_summary(kinds, who=who),
        conditions=[
            _plain(c, who, withheld=_about_a_place(c) and not show_places) for c in conditions
        ],
        glance=[] if ended else plain_words.at_a_glance(kinds, copy_checked=copy_checked, who=who),
        copy_checked=copy_checked,
        protects=(["you"] if keeper else []) + others,
        places=[str(place.reveal()) for place in places] if show_places else None,
        has_places=any(_about_a_place(c) for c in conditions),
        ending_decided=not deciding,
    )


def _about_a_place(condition: Condition) -> bool:
    return bool(condition.place) or condition.kind in PLACE_KINDS


def _plain(condition: Condition, who: str, *, withheld: bool) -> plain_words.PlainCondition:
    """Return a condition in plain words; with `withheld`, without its own words (which may name
    a place) until the keeper asks to see the places."""
    return plain_words.condition_in_plain_words(
        kind=condition.kind,
        wording="" if withheld else condition.wording,
        who=who,
        protects="" if withheld else condition.protects,
        exceptions="" if withheld else condition.exceptions,
    )


def _keeper_orders_in_force(case: Case) -> list[Order]:
    """Return the orders shown in the keeper's diary that are in force today: none while what
    the diary shows is hidden."""
    if _order_hidden(case):
        return []
    orders = (
        Order.objects.filter(pk__in=_open_order_shares(case).values("order_id"))
        .select_related("respondent")
        .prefetch_related("conditions", "changes")
        .order_by("created_at")
    )
    return [order for order in orders if order_state(order).in_force]


def keeper_conditions_in_force(*, case: Case) -> list[Condition]:
    """Return the conditions in force of the orders in force the keeper can see now, for "Is
    this a breach?"."""
    return [c for order in _keeper_orders_in_force(case) for c in order_conditions_in_force(order)]


@dataclass(frozen=True)
class HappenedAnswer:
    kind: str
    label: str
    says: list[str]  # what the order says that may cover it; empty: "may still cover this"
    what_to_do: str = breach_check.WHAT_TO_DO

    @property
    def verdict(self) -> str:
        """Never "not a breach": at most, the order "may still cover this"."""
        return breach_check.MAY_BE_A_BREACH if self.says else breach_check.MAY_STILL_BE_COVERED


def breach_check_answers(*, user: User) -> list[HappenedAnswer]:
    """Return, for each kind of thing that can happen, what the keeper's orders in force say
    that may cover it; an empty list while none is shown (the diary then asks nothing)."""
    orders = _keeper_orders_in_force(diary_case(user=user))
    if not orders:
        return []
    conditions = [c for order in orders for c in order_conditions_in_force(order)]
    answers = []
    for kind in breach_check.Happened:
        says = []
        for condition_kind in breach_check.MAY_BE_COVERED_BY[kind]:
            for condition in conditions:
                if condition.kind == condition_kind:
                    who = condition.order.respondent
                    plain = plain_words.condition_in_plain_words(
                        kind=condition.kind,
                        wording=condition.wording,
                        who=who.given_name if who else plain_words.NO_NAME,
                    )
                    if plain.says not in says:
                        says.append(plain.says)
        answers.append(HappenedAnswer(kind, breach_check.HAPPENED_LABELS[kind], says))
    return answers


@dataclass(frozen=True)
class YourPlan:
    case: Case
    actions: list[SafetyAction]
    measures: list[SafetyMeasure]
    review_on: str
    review_passed: bool  # the date has gone by: the page asks them to check with their worker


def your_plan(*, user: User) -> YourPlan | None:
    """Return the keeper's part of the safety plan, as the lead shares it, or None (also while
    what the diary shows is hidden)."""
    case = diary_case(user=user)
    share = None if _order_hidden(case) else _open_plan_share(case)
    if share is None:
        return None
    return YourPlan(
        case=case,
        actions=list(share.actions.order_by("created_at")),
        measures=list(share.measures.order_by("created_at")),
        review_on=day_label(share.review_on),
        review_passed=share.review_on < timezone.localdate(),
    )


@dataclass(frozen=True)
class OrderShown:
    order: OrderWithState
    share: DiaryOrderShare | None


@dataclass(frozen=True)
class DiarySharing:
    orders: list[OrderShown]
    plan: DiaryPlanShare | None
    setting: DiarySetting | None

    @property
    def any_order_shown(self) -> bool:
        return any(shown.share is not None for shown in self.orders)

    @property
    def order_hidden(self) -> bool:
        return self.setting is not None and self.setting.order_hidden

    @property
    def hidden_by_keeper(self) -> bool:
        changed_by = self.setting.changed_by if self.setting else None
        return self.order_hidden and changed_by is not None and changed_by.is_victim_survivor


def case_diary_sharing(*, case: Case) -> DiarySharing:
    """Return what the case (already granted) shows in its diary, for its practitioners."""
    shares = {share.order_id: share for share in _open_order_shares(case)}
    plan = _open_plan_share(case)
    if plan is not None:
        plan = (
            DiaryPlanShare.objects.filter(pk=plan.pk).prefetch_related("actions", "measures").get()
        )
    return DiarySharing(
        orders=[OrderShown(o, shares.get(o.order.pk)) for o in case_orders(case=case)],
        plan=plan,
        setting=DiarySetting.objects.filter(case=case).select_related("changed_by").first(),
    )
