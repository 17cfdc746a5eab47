"""Diary pages in the access matrix (see orderwatch/access/tests/).

The diary's own pages answer its keeper and nobody else (404 for professionals: they see
entries on the case's evidence log instead). The invitation, sign-in and exit pages are
public. The case's diary page is a case page like any other.
"""

import datetime as dt

from django.utils import timezone

from orderwatch.access.tests.routes import (
    CASE_CHANGE_PAGE,
    CASE_PAGE,
    DIARY_USER,
    SIGN_IN_REDIRECT,
    TWO_FACTOR_REDIRECT,
    VERIFIED,
    VISITORS,
    Route,
    case_kwargs,
)
from orderwatch.cases.models import Case
from orderwatch.diary.models import DiaryOrderShare, DiaryPlanShare
from orderwatch.diary.services import diary_setup_token, secret_hash
from orderwatch.diary.tests.factories import DiaryInviteFactory
from orderwatch.safety.models import SafetyAction, SafetyPlan

DIARY_PAGE = {
    **dict.fromkeys(VERIFIED, 404),
    "anonymous": SIGN_IN_REDIRECT,
    "password_only": TWO_FACTOR_REDIRECT,
    DIARY_USER: 200,
}
ALL_200 = {**dict.fromkeys(VISITORS, 200), DIARY_USER: 200}


def invite_kwargs(case: Case) -> dict:
    DiaryInviteFactory(case=case, secret_hash=secret_hash("a-matrix-secret"))
    return {"secret": "a-matrix-secret"}


def setup_kwargs(case: Case) -> dict:
    invite = DiaryInviteFactory(
        case=case,
        setup_email="a-matrix-keeper@mail.example",
        setup_password="!",
        setup_requested_at=timezone.now(),
    )
    return {"invite_id": invite.pk, "token": diary_setup_token(invite)}


def order_kwargs(case: Case) -> dict:
    return {"case_id": case.pk, "order_id": case.orders.first().pk}


def order_shown(case: Case) -> dict:
    """Show the case's order in its diary, as its lead would (ADR 0046)."""
    order = case.orders.first()
    DiaryOrderShare.objects.get_or_create(
        order=order, withdrawn_at__isnull=True, defaults={"case": case}
    )
    return {}


def order_shown_kwargs(case: Case) -> dict:
    order_shown(case)
    return order_kwargs(case)


def plan_shown(case: Case) -> dict:
    """Show one action of the case's safety plan in its diary (rolled back after the visit;
    the canary's crawl, which keeps what it makes, may ask twice)."""
    plan, _ = SafetyPlan.objects.get_or_create(case=case)
    action = plan.actions.first() or SafetyAction.objects.create(
        plan=plan, what="Keep the phone charged", who="You"
    )
    share, _ = DiaryPlanShare.objects.get_or_create(
        case=case,
        withdrawn_at__isnull=True,
        defaults={"review_on": timezone.localdate() + dt.timedelta(days=7)},
    )
    share.actions.add(action)
    return {}


ROUTES = [
    Route("diary:home", DIARY_PAGE),
    Route("diary:add", DIARY_PAGE),
    # "Your order": the keeper's, once the lead shows it (404 before: see its own tests).
    Route("diary:order", DIARY_PAGE, order_shown),
    Route("diary:order-hide", {**DIARY_PAGE, DIARY_USER: 302}, order_shown, method="post"),
    # The keeper's part of the safety plan: not found until the lead shows it.
    Route("diary:plan", {**DIARY_PAGE, DIARY_USER: 404}),
    Route("diary:plan", DIARY_PAGE, plan_shown),
    Route("diary:second-step", DIARY_PAGE),
    # Without a second step set up, the code page sends its keeper on to their notes.
    Route("diary:code", {**DIARY_PAGE, DIARY_USER: 302}),
    # The link moves its secret into the session and on to the form, which needs it there.
    Route("diary:start", {**dict.fromkeys(VISITORS, 302), DIARY_USER: 302}, invite_kwargs),
    Route("diary:start-form", {**dict.fromkeys(VISITORS, 404), DIARY_USER: 404}),
    Route(
        "diary:start",
        {**dict.fromkeys(VISITORS, 404), DIARY_USER: 404},
        lambda case: {"secret": "wrong"},
    ),
    Route("diary:start-sent", ALL_200),
    # The emailed link moves its token into the session and on to its page, which needs it.
    Route("diary:confirm", {**dict.fromkeys(VISITORS, 302), DIARY_USER: 302}, setup_kwargs),
    Route(
        "diary:confirm",
        {**dict.fromkeys(VISITORS, 404), DIARY_USER: 404},
        lambda case: {"invite_id": case.pk, "token": "wrong"},
    ),
    Route("diary:confirm-form", {**dict.fromkeys(VISITORS, 404), DIARY_USER: 404}),
    Route("diary:sign-in", ALL_200),
    Route("diary:sign-out", {**DIARY_PAGE, DIARY_USER: 302}, method="post"),
    Route("diary:exit", {**dict.fromkeys(VISITORS, 302), DIARY_USER: 302}),
    # The notes' own information pages: open to anyone (ADR 0029).
    Route("diary:accessibility", ALL_200),
    Route("diary:privacy", ALL_200),
    Route("diary:cookies", ALL_200),
    Route("diary-case:overview", CASE_PAGE, case_kwargs),
    # The matrix's case already has a diary, so a new invitation is refused with a message.
    Route("diary-case:invite", {**CASE_CHANGE_PAGE, "member": 302}, case_kwargs, method="post"),
    Route("diary-case:end", {**CASE_CHANGE_PAGE, "member": 302}, case_kwargs, method="post"),
    # Showing an order is the lead's choice; stopping it, or hiding "Your order", anyone's who
    # may change the case.
    Route(
        "diary-case:order-share",
        {**CASE_CHANGE_PAGE, "member": 302},
        order_kwargs,
        method="post",
    ),
    Route(
        "diary-case:order-withdraw",
        {**CASE_CHANGE_PAGE, "member": 302},
        order_shown_kwargs,
        method="post",
    ),
    Route(
        "diary-case:order-hidden",
        {**CASE_CHANGE_PAGE, "member": 302},
        case_kwargs,
        method="post",
        data={"hidden": "yes"},
    ),
    # The order as the diary shows it, for the team to check its words.
    Route("diary-case:preview", CASE_PAGE, case_kwargs),
    # Choosing what the diary shows of the safety plan: the lead (the matrix's member). Sent
    # empty, the form comes back with its errors.
    Route("diary-case:plan", CASE_CHANGE_PAGE, case_kwargs),
    Route("diary-case:plan", CASE_CHANGE_PAGE, case_kwargs, method="post"),
    # Stopping it: anyone who may change the case, whether or not it is shown.
    Route(
        "diary-case:plan-withdraw", {**CASE_CHANGE_PAGE, "member": 302}, case_kwargs, method="post"
    ),
]
