"""Case pages. Thin: validate with a form, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.cases import selectors
from orderwatch.cases.forms import AddressRevealForm, CaseCreateForm, CasePersonForm
from orderwatch.cases.services import (
    case_create,
    case_open,
    case_person_add,
    case_protected_address_reveal,
)
from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors
from orderwatch.tasks.selectors import my_tasks


def case_list(request):
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": selectors.with_next_order_end(selectors.case_list(user=request.user)),
            "tasks": my_tasks(user=request.user),
            "can_create": request.user.has_perm("cases.add_case"),
            "nav": "cases",
        },
    )


def case_new(request):
    selectors.case_create_allowed(user=request.user)
    form = CaseCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} opened. You are its lead.")
            return redirect(case)
    return render(request, "cases/case_new.html", {"form": form, "nav": "cases"})


def case_detail(request, case_id):
    case = case_open(actor=request.user, case_id=case_id)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "page": selectors.case_page(case=case),
            "can_change": request.user.has_perm("cases.change_case", case),
            "can_reveal": request.user.has_perm("cases.reveal_protected_address", case),
            "nav": "cases",
        },
    )


def case_person_new(request, case_id):
    case = selectors.case_for_change(user=request.user, case_id=case_id)
    form = CasePersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case_person_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Person added to the case.")
            return redirect(case)
    return render(request, "cases/person_new.html", {"case": case, "form": form, "nav": "cases"})


@not_compressed
def case_address_reveal(request, case_id):
    case = selectors.case_for_address_reveal(user=request.user, case_id=case_id)
    form = AddressRevealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            # The code is checked first, on its own: a wrong code must count towards throttling.
            step_up = mfa_step_up(user=request.user, code=form.cleaned_data["code"])
            address = case_protected_address_reveal(
                actor=request.user,
                case_id=case.pk,
                reason=form.cleaned_data["reason"],
                step_up=step_up,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "cases/address_revealed.html",
                {"case": case, "address": address, "nav": "cases"},
            )
    return render(
        request, "cases/address_reveal.html", {"case": case, "form": form, "nav": "cases"}
    )
