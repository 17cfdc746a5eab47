"""Case pages. Thin: validate with a form, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.breaches.drafts import breach_draft_exists
from orderwatch.cases import selectors
from orderwatch.cases.closing_drafts import (
    closing_draft_discard,
    closing_draft_keep,
    closing_draft_read,
)
from orderwatch.cases.forms import (
    AddressAccessForm,
    AddressRecordForm,
    AddressRevealForm,
    CaseCreateForm,
    CasePersonForm,
    CaseReopenForm,
    ClosingChecklistForm,
    ClosingReasonForm,
    TeamAgencyForm,
    TeamMemberAddForm,
    TeamMemberRemoveForm,
)
from orderwatch.cases.models import CaseClosure
from orderwatch.cases.services import (
    case_address_access_set,
    case_close,
    case_create,
    case_lead_hand_over,
    case_lead_vacancy_join,
    case_open,
    case_person_add,
    case_protected_address_record,
    case_protected_address_reveal,
    case_reopen,
    case_team_member_add,
    case_team_member_remove,
)
from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission
from orderwatch.retention.selectors import case_retention_summary
from orderwatch.tasks.selectors import my_tasks


def case_list(request):
    closed = request.GET.get("show") == "closed"
    return render(
        request,
        "cases/case_list.html",
        {
            "page": selectors.my_cases_page(
                user=request.user, number=request.GET.get("page"), closed=closed
            ),
            "closed": closed,
            "tasks": my_tasks(user=request.user),
            "can_create": request.user.has_perm("cases.add_case"),
            "nav": "cases",
        },
    )


@once_per_submission
def case_new(request):
    selectors.case_create_allowed(user=request.user)
    form = CaseCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(
                actor=request.user, submission_key=form.submission, **form.cleaned_data
            )
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
            "can_manage_team": request.user.has_perm("cases.manage_team", case),
            "can_grant_address": request.user.has_perm("cases.grant_address_access", case),
            "can_close": request.user.has_perm("cases.close_case", case),
            "can_reveal": request.user.has_perm("cases.reveal_protected_address", case),
            "breach_started": breach_draft_exists(request.session, case.pk),
            "retention": case_retention_summary(case=case),
            "can_hold": request.user.has_perm("retention.place_legal_hold", case),
            "can_export_record": request.user.has_perm("exports.export_case_record", case),
            "nav": "cases",
        },
    )


@once_per_submission
def case_person_new(request, case_id):
    case = selectors.case_for_change(user=request.user, case_id=case_id)
    form = CasePersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case_person_add(
                actor=request.user,
                case=case,
                submission_key=form.submission,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Person added to the case.")
            return redirect(case)
    return render(request, "cases/person_new.html", {"case": case, "form": form, "nav": "cases"})


@not_compressed
def case_address_record(request, case_id):
    """Record the first protected address (a later one is a move, on its own page)."""
    case = selectors.case_for_address_reveal(user=request.user, case_id=case_id)
    form = AddressRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            # The code is checked first, on its own: a wrong code must count towards throttling.
            step_up = mfa_step_up(user=request.user, code=form.cleaned_data["code"])
            case_protected_address_record(
                actor=request.user,
                case=case,
                address=form.cleaned_data["address"],
                reason=form.cleaned_data["reason"],
                step_up=step_up,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The address is recorded, encrypted and hidden.")
            return redirect(case.get_absolute_url() + "#protected-address")
    return render(
        request, "cases/address_record.html", {"case": case, "form": form, "nav": "cases"}
    )


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


def team_member_add(request, case_id):
    """Add someone to the case team: their agency first, then who and in what role."""
    case = selectors.case_team_for_change(user=request.user, case_id=case_id)
    agencies = selectors.team_agencies()
    choose = TeamAgencyForm(request.GET if "agency" in request.GET else None, agencies=agencies)
    if not choose.is_valid():
        return render(
            request,
            "cases/team_agency.html",
            {"case": case, "form": choose, "nav": "cases"},
        )
    agency = choose.cleaned_data["agency"]
    # A name searched for is posted, never put in the address (it would reach server logs).
    searching = request.method == "POST" and "search" in request.POST
    adding = request.method == "POST" and not searching
    name = request.POST.get("name", "")[:100]
    directory = selectors.team_directory(case=case, agency=agency)
    form = TeamMemberAddForm(request.POST if adding else None, people=directory)
    if adding and form.is_valid():
        try:
            case_team_member_add(
                actor=request.user,
                case=case,
                user=form.cleaned_data["user"],
                capacity=form.capacity_words(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added to the case team. They have been told.")
            return redirect(case.get_absolute_url() + "#team")
    people = selectors.team_directory(case=case, agency=agency, name=name)
    listed = list(people[: selectors.DIRECTORY_PAGE])
    form.fields["user"].queryset = directory.filter(pk__in=[user.pk for user in listed])
    return render(
        request,
        "cases/team_member_add.html",
        {
            "case": case,
            "agency": agency,
            "name": name,
            "form": form,
            "more": len(listed) == selectors.DIRECTORY_PAGE,
            "nav": "cases",
        },
    )


def team_member_remove(request, case_id, membership_id):
    case = selectors.case_team_for_change(user=request.user, case_id=case_id)
    member = selectors.team_member_get(case=case, membership_id=membership_id)
    successors = selectors.team_successors(case=case, leaving=member) if member.is_lead else None
    form = TeamMemberRemoveForm(
        request.POST if request.method == "POST" else None, successors=successors
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_team_member_remove(
                actor=request.user,
                case=case,
                user=member.user,
                reason=form.cleaned_data["reason"],
                new_lead=form.cleaned_data.get("new_lead"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Removed from the case team.")
            if member.user == request.user:
                return redirect("cases:list")
            return redirect(case.get_absolute_url() + "#team")
    return render(
        request,
        "cases/team_member_remove.html",
        {"case": case, "member": member, "form": form, "nav": "cases"},
    )


def team_lead_hand_over(request, case_id, membership_id):
    case = selectors.case_team_for_change(user=request.user, case_id=case_id)
    member = selectors.team_member_get(case=case, membership_id=membership_id)
    errors = []
    if request.method == "POST":
        try:
            case_lead_hand_over(actor=request.user, case=case, to=member.user)
        except ValidationError as error:
            errors = [message for messages_ in error.message_dict.values() for message in messages_]
        else:
            messages.success(request, "The lead has been handed over.")
            return redirect(case.get_absolute_url() + "#team")
    return render(
        request,
        "cases/team_lead_hand_over.html",
        {"case": case, "member": member, "errors": errors, "nav": "cases"},
    )


def lead_needed(request, case_id):
    """A case whose lead's account was deactivated: a team manager of that agency joins its team
    to choose a new lead (ADR 0017). Until then they see its reference only."""
    case = selectors.lead_vacancy_get(user=request.user, case_id=case_id)
    if request.method == "POST":
        case_lead_vacancy_join(actor=request.user, case=case)
        messages.success(
            request,
            "You have joined the case team. Choose who will lead the case: "
            'use "Make lead" beside them in the case team.',
        )
        return redirect(case.get_absolute_url() + "#team")
    return render(request, "cases/lead_needed.html", {"case": case, "nav": "patterns"})


def team_address_access(request, case_id, membership_id):
    case = selectors.case_team_for_change(
        user=request.user, case_id=case_id, permission="cases.grant_address_access"
    )
    member = selectors.team_member_get(case=case, membership_id=membership_id)
    allow = not member.may_see_address
    form = AddressAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case_address_access_set(
                actor=request.user,
                case=case,
                user=member.user,
                allowed=allow,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "They can now see the protected address, with a reason and a code each time."
                if allow
                else "They can no longer see the protected address.",
            )
            return redirect(case.get_absolute_url() + "#team")
    return render(
        request,
        "cases/team_address_access.html",
        {"case": case, "member": member, "allow": allow, "form": form, "nav": "cases"},
    )


# -- Closing and reopening (ADR 0037) ----------------------------------------------------------


def case_close_checklist(request, case_id):
    """The closing checklist: a decision for each thing still open on the case."""
    case = case_open(actor=request.user, case_id=case_id)
    selectors.case_closing_allowed(user=request.user, case=case)
    if case.is_closed:
        messages.info(request, "This case is already closed.")
        return redirect(case)
    items = selectors.closing_items(case=case)
    if request.method == "POST":
        form = ClosingChecklistForm(request.POST, items=items)
        if form.is_valid():
            decisions = {item.field: form.cleaned_data[item.field] for item in items}
            closing_draft_keep(request.session, case.pk, {"decisions": decisions})
            return redirect("cases:close-reason", case_id=case.pk)
    else:
        answers = closing_draft_read(request.session, case.pk)
        form = ClosingChecklistForm(initial=answers.get("decisions", {}), items=items)
    return render(
        request, "cases/close_checklist.html", {"case": case, "form": form, "nav": "cases"}
    )


def case_close_reason(request, case_id):
    """Why the case is closing."""
    case = case_open(actor=request.user, case_id=case_id)
    selectors.case_closing_allowed(user=request.user, case=case)
    answers = closing_draft_read(request.session, case.pk)
    if case.is_closed or "decisions" not in answers:
        return redirect("cases:close", case_id=case.pk)
    form = ClosingReasonForm(posted(request), initial=answers)
    if request.method == "POST" and form.is_valid():
        closing_draft_keep(request.session, case.pk, form.cleaned_data)
        return redirect("cases:close-check", case_id=case.pk)
    return render(request, "cases/close_reason.html", {"case": case, "form": form, "nav": "cases"})


def case_close_check(request, case_id):
    """Check your answers, then close: nothing is saved on the case before this page's button."""
    case = case_open(actor=request.user, case_id=case_id)
    selectors.case_closing_allowed(user=request.user, case=case)
    answers = closing_draft_read(request.session, case.pk)
    if case.is_closed or "reason" not in answers:
        return redirect("cases:close", case_id=case.pk)
    problems = []
    if request.method == "POST":
        try:
            case_close(  # the service
                actor=request.user,
                case_id=case.pk,
                reason=answers["reason"],
                reason_text=answers.get("reason_text", ""),
                decisions=answers["decisions"],
            )
        except ValidationError as error:
            problems = error.messages
        else:
            closing_draft_discard(request.session, case.pk)
            messages.success(request, f"Case {case.reference} is closed.")
            return redirect(case)
    items = selectors.closing_items(case=case)
    decided = [
        (item, _decision_label(item, answers["decisions"].get(item.field, ""))) for item in items
    ]
    return render(
        request,
        "cases/close_check.html",
        {
            "case": case,
            "decided": decided,
            "reason": CaseClosure.Reason(answers["reason"]).label,
            "reason_text": answers.get("reason_text", ""),
            "problems": problems,
            "nav": "cases",
        },
    )


def _decision_label(item, code: str) -> str:
    question = item.question
    return {question.close_code: question.close_label}.get(code, "Not decided yet")


def case_reopen_page(request, case_id):
    case = case_open(actor=request.user, case_id=case_id)
    selectors.case_closing_allowed(user=request.user, case=case)
    if not case.is_closed:
        messages.info(request, "This case is already open.")
        return redirect(case)
    form = CaseReopenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            case_reopen(
                actor=request.user, case_id=case.pk, reason_text=form.cleaned_data["reason_text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} is open again.")
            return redirect(case)
    return render(request, "cases/reopen.html", {"case": case, "form": form, "nav": "cases"})
