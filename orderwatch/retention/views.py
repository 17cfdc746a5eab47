"""Legal hold pages (ADR 0038) and disposal pages (ADR 0041). Thin: validate with a form, call
one service or selector."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission
from orderwatch.retention import selectors
from orderwatch.retention.forms import (
    CaseReferenceForm,
    DisposalConfirmForm,
    DisposalSelectForm,
    LegalHoldLiftForm,
    LegalHoldPlaceForm,
)
from orderwatch.retention.services.disposal import disposal_batch_confirm
from orderwatch.retention.services.holds import legal_hold_lift as lift
from orderwatch.retention.services.holds import legal_hold_place as place
from orderwatch.retention.services.holds import legal_holds_url

NOT_FOUND = (
    "No case with that reference that you can place a hold on. Check the reference: it is on "
    "letters and documents about the case."
)


def legal_hold_list(request):
    """The holds in force on the cases the user may hold, and a search by case reference."""
    if not request.user.has_perm("retention.find_case_to_hold"):
        raise PermissionDenied
    form = CaseReferenceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        case = selectors.case_for_legal_hold_by_reference(
            user=request.user, reference=form.cleaned_data["reference"]
        )
        if case is not None:
            return redirect(legal_holds_url(case))
        form.add_error("reference", NOT_FOUND)
    return render(
        request,
        "retention/legal_hold_list.html",
        {"form": form, "holds": selectors.legal_holds_for(user=request.user), "nav": "holds"},
    )


@once_per_submission
def legal_hold_place(request, case_id):
    """A case's holds in force and the form to place another: the reference, nothing more."""
    case = selectors.case_for_legal_hold(user=request.user, case_id=case_id)
    form = LegalHoldPlaceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            place(
                actor=request.user, case=case, submission_key=form.submission, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} is now under legal hold.")
            return redirect(legal_holds_url(case))
    return render(
        request,
        "retention/legal_hold_place.html",
        {
            "case": case,
            "form": form,
            "holds": selectors.case_legal_holds(case=case),
            "nav": "holds",
        },
    )


def legal_hold_lift(request, case_id, hold_id):
    case = selectors.case_for_legal_hold(user=request.user, case_id=case_id)
    hold = selectors.legal_hold_get(case=case, hold_id=hold_id)
    form = LegalHoldLiftForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            lift(actor=request.user, case=case, hold=hold, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The hold on case {case.reference} has been lifted.")
            return redirect(legal_holds_url(case))
    return render(
        request,
        "retention/legal_hold_lift.html",
        {"case": case, "hold": hold, "form": form, "nav": "holds"},
    )


# -- Disposal (ADR 0041) --------------------------------------------------------------------


def _may_dispose(request) -> None:
    if not request.user.has_perm("retention.dispose_of_records"):
        raise PermissionDenied


def disposal_due(request):
    """The cases due for disposal (choose a batch) and those kept by a hold; past batches."""
    _may_dispose(request)
    due = selectors.disposal_due(user=request.user)
    form = DisposalSelectForm(posted(request), due=due.due)
    if request.method == "POST" and form.is_valid():
        check = DisposalConfirmForm(due=due.due, initial=form.cleaned_data)
        return render(
            request,
            "retention/disposal_check.html",
            {
                "form": check,
                "chosen": form.chosen(),
                "selection": form.cleaned_data,
                "nav": "disposal",
            },
        )
    return _due_page(request, form, due)


def _due_page(request, form, due):
    return render(
        request,
        "retention/disposal_due.html",
        {
            "form": form,
            "due": due,
            "batches": selectors.disposal_batches(user=request.user)[:20],
            "nav": "disposal",
        },
    )


@require_POST
@once_per_submission
def disposal_check(request):
    """Dispose of the batch confirmed on the check page, then show what was done."""
    _may_dispose(request)
    due = selectors.disposal_due(user=request.user)
    form = DisposalConfirmForm(request.POST, due=due.due)
    if form.is_valid():
        try:
            batch = disposal_batch_confirm(
                actor=request.user,
                case_ids=form.cleaned_data["cases"],
                proceedings_checked=form.cleaned_data["proceedings"],
                submission_key=form.submission,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("retention:disposal-batch", batch_id=batch.pk)
    # A case no longer due (reopened, held meanwhile) is not a choice: start again.
    return _due_page(request, form, due)


def disposal_batch(request, batch_id):
    """What one batch disposed of: references, dates and classes, who confirmed it and when."""
    _may_dispose(request)
    batch = selectors.disposal_batch_get(user=request.user, batch_id=batch_id)
    return render(
        request,
        "retention/disposal_batch.html",
        {
            "batch": batch,
            "cases": selectors.disposal_batch_cases(batch=batch),
            "nav": "disposal",
        },
    )
