"""Safety plan and risk level pages. Thin: validate with a form, call one service or selector,
render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from orderwatch.cases.selectors import case_for_change
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission
from orderwatch.safety import selectors, services
from orderwatch.safety.forms import (
    RiskLevelForm,
    SafetyActionForm,
    SafetyAgreementForm,
    SafetyMeasureForm,
    SafetyReviewForm,
)


def _back_to_plan(case):
    return redirect("safety:plan", case_id=case.pk)


def safety_plan(request, case_id):
    case = services.safety_plan_open(actor=request.user, case_id=case_id)
    return render(
        request,
        "safety/plan.html",
        {
            "case": case,
            "plan": selectors.safety_plan_page(case=case),
            "today": timezone.localdate(),
            "can_change": request.user.has_perm("cases.change_case", case),
            "nav": "cases",
        },
    )


@once_per_submission
def safety_action_new(request, case_id):
    case = case_for_change(user=request.user, case_id=case_id)
    form = SafetyActionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_action_add(
                actor=request.user,
                case=case,
                submission_key=form.submission,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action added to the safety plan.")
            return _back_to_plan(case)
    return render(request, "safety/action_new.html", {"case": case, "form": form, "nav": "cases"})


@require_POST
def safety_action_done(request, case_id, action_id):
    case = case_for_change(user=request.user, case_id=case_id)
    services.safety_action_mark_done(actor=request.user, case=case, action_id=action_id)
    messages.success(request, "Action marked as done.")
    return _back_to_plan(case)


@once_per_submission
def safety_measure_new(request, case_id):
    case = case_for_change(user=request.user, case_id=case_id)
    form = SafetyMeasureForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_measure_add(
                actor=request.user,
                case=case,
                submission_key=form.submission,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Safety measure added to the plan.")
            return _back_to_plan(case)
    return render(request, "safety/measure_new.html", {"case": case, "form": form, "nav": "cases"})


@once_per_submission
def safety_agreement_new(request, case_id):
    case = case_for_change(user=request.user, case_id=case_id)
    form = SafetyAgreementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_agreement_add(
                actor=request.user,
                case=case,
                submission_key=form.submission,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Agreement added to the safety plan.")
            return _back_to_plan(case)
    return render(
        request, "safety/agreement_new.html", {"case": case, "form": form, "nav": "cases"}
    )


@once_per_submission
def safety_review_new(request, case_id):
    case = case_for_change(user=request.user, case_id=case_id)
    form = SafetyReviewForm(posted(request), open_reviews=selectors.open_reviews(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_review_record(
                actor=request.user,
                case=case,
                what_changed=form.cleaned_data["what_changed"],
                task_ids=form.cleaned_data.get("tasks", []),
                agreements_still_right=form.cleaned_data["agreements_still_right"],
                submission_key=form.submission,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Safety plan review recorded.")
            return _back_to_plan(case)
    return render(request, "safety/review_new.html", {"case": case, "form": form, "nav": "cases"})


@once_per_submission
def risk_level_new(request, case_id):
    case = case_for_change(user=request.user, case_id=case_id)
    form = RiskLevelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_level_set(
                actor=request.user,
                case=case,
                submission_key=form.submission,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Risk level recorded.")
            return _back_to_plan(case)
    return render(
        request,
        "safety/risk_new.html",
        {
            "case": case,
            "form": form,
            "history": selectors.risk_history(case=case),
            "nav": "cases",
        },
    )
