"""Agency administration pages: an agency's people, for its administrators. Thin: validate with
a form, call one service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.people import selectors
from orderwatch.people.forms import (
    AuthenticatorResetForm,
    PeopleFilterForm,
    PersonCreateForm,
    ReasonForm,
    RoleForm,
)
from orderwatch.people.services import (
    person_authenticator_reset,
    person_create,
    person_deactivate,
    person_reactivate,
    person_role_change,
    person_setup_link_renew,
)

# The people list's filters, kept in the session so that no name typed into them is ever in an
# address (and so in a log); only the page number is.
FILTERS_SESSION_KEY = "orderwatch_people_filters"
NO_FILTERS = {"name": "", "role": "", "status": ""}


def people_list(request):
    selectors.people_administration_allowed(user=request.user)
    if request.method == "POST":
        form = PeopleFilterForm(request.POST)
        if "clear" in request.POST:
            request.session.pop(FILTERS_SESSION_KEY, None)
        elif form.is_valid():  # a filter edited into something else is dropped
            request.session[FILTERS_SESSION_KEY] = {
                key: form.cleaned_data[key] for key in NO_FILTERS
            }
        return redirect("people:list")
    filters = {**NO_FILTERS, **(request.session.get(FILTERS_SESSION_KEY) or {})}
    people = selectors.people_list(actor=request.user, page=request.GET.get("page", 1), **filters)
    return render(
        request,
        "people/people_list.html",
        {
            "form": PeopleFilterForm(initial=filters),
            "people": people,
            "filtered": filters != NO_FILTERS,
            "nav": "people",
        },
    )


def person_new(request):
    selectors.people_administration_allowed(user=request.user)
    form = PersonCreateForm(posted(request))
    if form.is_valid():
        try:
            person = person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Account created. We have emailed a link to set it up. It works once, for "
                f"{settings.ORDERWATCH_ACCOUNT_SETUP_HOURS} hours.",
            )
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_new.html", {"form": form, "nav": "people"})


def person_detail(request, person_id):
    person = selectors.person_get(actor=request.user, person_id=person_id)
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "is_self": person.pk == request.user.pk, "nav": "people"},
    )


def person_role(request, person_id):
    person = selectors.person_get(actor=request.user, person_id=person_id)
    form = RoleForm(posted(request), initial={"role": person.role})
    if form.is_valid():
        try:
            person_role_change(
                actor=request.user, person_id=person.pk, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Their role has been changed.")
            return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/person_role.html", {"person": person, "form": form, "nav": "people"}
    )


def person_deactivate_page(request, person_id):
    person = selectors.person_get(actor=request.user, person_id=person_id)
    form = ReasonForm(
        posted(request),
        label="Why are you deactivating this account?",
        required_message="Enter why the account is being deactivated",
    )
    if form.is_valid():
        try:
            person_deactivate(
                actor=request.user, person_id=person.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The account has been deactivated. They have been signed out."
            )
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_deactivate.html",
        {
            "person": person,
            "form": form,
            "has_team_manager": selectors.agency_has_team_manager(person=person),
            "nav": "people",
        },
    )


def person_reactivate_page(request, person_id):
    person = selectors.person_get(actor=request.user, person_id=person_id)
    form = ReasonForm(
        posted(request),
        label="Why are you reactivating this account?",
        required_message="Enter why the account is being reactivated",
    )
    if form.is_valid():
        try:
            person_reactivate(
                actor=request.user, person_id=person.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The account has been reactivated. They can sign in again.")
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_reactivate.html",
        {"person": person, "form": form, "nav": "people"},
    )


def person_authenticator_reset_page(request, person_id):
    person = selectors.person_get(actor=request.user, person_id=person_id)
    form = AuthenticatorResetForm(posted(request))
    if form.is_valid():
        try:
            # The code is checked first, on its own: a wrong code must count towards throttling.
            step_up = mfa_step_up(user=request.user, code=form.cleaned_data["code"])
            person_authenticator_reset(
                actor=request.user,
                person_id=person.pk,
                reason=form.cleaned_data["reason"],
                step_up=step_up,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Their authenticator app has been reset and they have been signed out. They "
                "will set up a new one when they next sign in. We have emailed them to say so.",
            )
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_authenticator_reset.html",
        {"person": person, "form": form, "nav": "people"},
    )


@require_POST
def person_setup_link(request, person_id):
    try:
        person_setup_link_renew(actor=request.user, person_id=person_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "We have emailed a new link to set up the account. Any earlier link no longer works.",
        )
    return redirect("people:detail", person_id=person_id)
