"""The safety plan in the diary (issue 22): the page where the lead chooses the victim-survivor's
part of it, and the diary page where they read it. Thin: validate, call one service or
selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from orderwatch.core.forms import add_service_errors, posted
from orderwatch.diary import plan_selectors, services
from orderwatch.diary.middleware import diary_page
from orderwatch.diary.plan_forms import DiaryPlanShareForm
from orderwatch.diary.views import diary_login_required
from orderwatch.safety.services import safety_plan_open

SHOWN = "Their part of the safety plan is now in their diary."
STOPPED = "The safety plan is no longer shown in their diary."
NOT_SHOWN = "The safety plan was not shown in their diary."


def case_diary_plan(request, case_id):
    """Let the lead choose the actions and practical measures that are the victim-survivor's
    to do, and when the plan will be looked at with them again, to show in their diary."""
    case = plan_selectors.case_for_plan_share(user=request.user, case_id=case_id)
    choices = plan_selectors.plan_share_choices(case=case)
    form = DiaryPlanShareForm(posted(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_plan_share(
                actor=request.user,
                case_id=case.pk,
                action_ids=form.cleaned_data["actions"],
                measure_ids=form.cleaned_data["measures"],
                review_on=form.cleaned_data["review_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SHOWN)
            return redirect("diary-case:overview", case_id=case.pk)
    # The page shows the plan's own words, so showing it is audited as the plan page is.
    safety_plan_open(actor=request.user, case_id=case.pk)
    return render(
        request,
        "diary/case_diary_plan.html",
        {"case": case, "choices": choices, "form": form, "nav": "cases"},
    )


@require_POST
def case_diary_plan_withdraw(request, case_id):
    """Stop showing the safety plan in the diary, from the keeper's next page."""
    withdrawn = services.diary_plan_withdraw(actor=request.user, case_id=case_id)
    if withdrawn is None:
        messages.info(request, NOT_SHOWN)
    else:
        messages.success(request, STOPPED)
    return redirect("diary-case:overview", case_id=case_id)


@require_GET
@diary_login_required
def plan(request):
    """The keeper's part of the safety plan, as the lead shows it: not found until then."""
    your_plan = services.diary_plan_read(keeper=request.user)
    if your_plan is None:
        return diary_page(request, "diary/not_found.html", status=404)
    return render(request, "diary/plan.html", {"plan": your_plan})
