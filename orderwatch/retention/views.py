"""Legal hold pages (ADR 0038). Thin: validate with a form, call one service or selector."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission
from orderwatch.retention import selectors
from orderwatch.retention.forms import CaseReferenceForm, LegalHoldLiftForm, LegalHoldPlaceForm
from orderwatch.retention.services import legal_hold_lift as lift
from orderwatch.retention.services import legal_hold_place as place
from orderwatch.retention.services import legal_holds_url

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
