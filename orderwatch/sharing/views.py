"""Pages for sharing. Thin: validate with a form, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission
from orderwatch.sharing import selectors, services
from orderwatch.sharing.forms import PartyForm, ShareForm


def _back_to_list(case):
    return redirect("sharing:list", case_id=case.pk)


def sharing_list(request, case_id):
    case = services.sharing_list_open(actor=request.user, case_id=case_id)
    return render(
        request,
        "sharing/list.html",
        {
            "case": case,
            "sharing": selectors.case_sharing(case=case),
            "shares": selectors.case_shares(case=case),
            "can_change": request.user.has_perm("cases.change_case", case),
            "can_see_contacts": request.user.has_perm(selectors.CONTACT_DETAILS_PERMISSION, case),
            "nav": "cases",
        },
    )


@once_per_submission
def party_new(request, case_id):
    case = selectors.sharing_for_change(user=request.user, case_id=case_id)
    form = PartyForm(posted(request), users=selectors.users_to_pick())
    if request.method == "POST" and form.is_valid():
        try:
            services.party_add(
                actor=request.user,
                case=case,
                submission_key=form.submission,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Added to who needs to know. They are not yet informed: record what you "
                "share with them.",
            )
            return _back_to_list(case)
    return render(
        request,
        "sharing/party_form.html",
        {"case": case, "form": form, "heading": "Add someone who needs to know", "nav": "cases"},
    )


@not_compressed
def party_edit(request, case_id, party_id):
    case = selectors.sharing_for_change(user=request.user, case_id=case_id)
    if request.method == "POST":
        party = selectors.party_get(user=request.user, case_id=case.pk, party_id=party_id)
        form = PartyForm(request.POST, users=selectors.users_to_pick())
        if form.is_valid():
            try:
                services.party_change(
                    actor=request.user, case=case, party_id=party.pk, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Changes saved.")
                return _back_to_list(case)
    else:
        party, contact_details = services.party_contact_reveal(
            actor=request.user, case_id=case.pk, party_id=party_id
        )
        form = PartyForm(
            initial={
                "kind": party.kind,
                "user": party.user_id,
                "name": party.name,
                "role": party.role,
                "organisation": party.organisation,
                "contact_details": contact_details,
            },
            users=selectors.users_to_pick(),
        )
    return render(
        request,
        "sharing/party_form.html",
        {
            "case": case,
            "form": form,
            "party": party,
            "heading": "Change someone who needs to know",
            "nav": "cases",
        },
    )


@not_compressed
def party_contact(request, case_id, party_id):
    party, contact_details = services.party_contact_reveal(
        actor=request.user, case_id=case_id, party_id=party_id
    )
    return render(
        request,
        "sharing/party_contact.html",
        {
            "case": party.case,
            "party": party,
            "contact_details": contact_details,
            "nav": "cases",
        },
    )


@once_per_submission
def share_new(request, case_id):
    case = selectors.sharing_for_change(user=request.user, case_id=case_id)
    parties = list(selectors.parties_to_pick(case=case))
    form = ShareForm(
        posted(request),
        initial={"party": request.GET.get("party", ""), "address_included": "no"},
        parties=parties,
        can_include_address=request.user.has_perm("cases.reveal_protected_address", case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.share_record(
                actor=request.user,
                case=case,
                submission_key=form.submission,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Sharing recorded.")
            return _back_to_list(case)
    return render(
        request,
        "sharing/share_new.html",
        {"case": case, "form": form, "parties": parties, "nav": "cases"},
    )
