"""Breach pages. Thin: validate with a form, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.breaches import selectors, services
from orderwatch.breaches.forms import BreachForm, PoliceReportForm, WitnessRevealForm
from orderwatch.cases.selectors import case_for_change
from orderwatch.cases.services import case_open
from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission

BREACHES_PER_PAGE = 50


def breach_list(request, case_id):
    """Every breach on the case, latest first, a page at a time (viewing it is audited like
    the case page)."""
    case = case_open(actor=request.user, case_id=case_id)
    page = Paginator(selectors.case_breaches(case=case), BREACHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "breaches/breach_list.html",
        {
            "case": case,
            "page": page,
            "counts": selectors.case_breach_counts(case=case),
            "nav": "cases",
        },
    )


@once_per_submission
def breach_new(request, case_id):
    case = case_for_change(user=request.user, case_id=case_id)
    form = BreachForm(posted(request), orders=selectors.conditions_to_pick(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_record(
                actor=request.user,
                case=case,
                account=form.account(),
                submission_key=form.submission,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Breach recorded. A safety plan review is now due, and the case team has "
                "been told.",
            )
            return redirect(breach)
    return render(request, "breaches/breach_new.html", {"case": case, "form": form, "nav": "cases"})


def breach_detail(request, case_id, breach_id):
    breach = services.breach_open(actor=request.user, case_id=case_id, breach_id=breach_id)
    return render(
        request,
        "breaches/breach_detail.html",
        {
            "case": breach.case,
            "breach": breach,
            "review": selectors.breach_review_task(breach=breach),
            "can_change": request.user.has_perm("cases.change_case", breach.case),
            "can_reveal_witnesses": request.user.has_perm(
                "breaches.reveal_witness_details", breach.case
            ),
            "nav": "cases",
        },
    )


def breach_police_report(request, case_id, breach_id):
    breach = selectors.breach_for_change(user=request.user, case_id=case_id, breach_id=breach_id)
    if breach.police_reported:
        return redirect(breach)
    form = PoliceReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_police_report_update(
                actor=request.user,
                case=breach.case,
                breach_id=breach.pk,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Police report recorded."
                if form.cleaned_data["now_reported"] == "yes"
                else "The decision not to report it is recorded.",
            )
            return redirect(breach)
    return render(
        request,
        "breaches/police_report.html",
        {"case": breach.case, "breach": breach, "form": form, "nav": "cases"},
    )


@not_compressed
def breach_witnesses_reveal(request, case_id, breach_id):
    breach = selectors.breach_for_witness_reveal(
        user=request.user, case_id=case_id, breach_id=breach_id
    )
    form = WitnessRevealForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            # The code is checked first, on its own: a wrong code must count towards throttling.
            step_up = mfa_step_up(user=request.user, code=form.cleaned_data["code"])
            witnesses = services.breach_witnesses_reveal(
                actor=request.user,
                case=breach.case,
                breach_id=breach.pk,
                reason=form.cleaned_data["reason"],
                step_up=step_up,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "breaches/witnesses_revealed.html",
                {"case": breach.case, "breach": breach, "witnesses": witnesses, "nav": "cases"},
            )
    return render(
        request,
        "breaches/witnesses_reveal.html",
        {"case": breach.case, "breach": breach, "form": form, "nav": "cases"},
    )
