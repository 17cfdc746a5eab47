"""Reminder pages. Thin: validate with a form, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from orderwatch.core.forms import add_service_errors
from orderwatch.reminders import selectors, services
from orderwatch.reminders.forms import ExpiryDecisionForm


def expiry_decision(request, task_id):
    if request.method == "POST":
        page = selectors.expiry_task_page(user=request.user, task_id=task_id)
        if not request.user.has_perm("cases.change_case", page.task.case):
            raise PermissionDenied
    else:
        page = services.expiry_task_open(actor=request.user, task_id=task_id)
    form = ExpiryDecisionForm(
        request.POST if request.method == "POST" else None, alternatives=page.alternatives
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.expiry_decision_record(
                actor=request.user,
                case=page.task.case,
                task_id=page.task.pk,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded. The reminder is done.")
            return redirect("cases:list")
    return render(
        request,
        "reminders/expiry_decision.html",
        {
            "page": page,
            "case": page.task.case,
            "form": form,
            "can_change": request.user.has_perm("cases.change_case", page.task.case),
            "nav": "cases",
        },
    )
