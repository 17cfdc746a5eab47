"""Evidence pages. Thin: validate with a form, call one service or selector, render.

Titles and URLs never hold a file name or a description.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from orderwatch.cases.selectors import case_for_change
from orderwatch.confidential.uploads import uploaded_form
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission
from orderwatch.core.uploads import accepts_files
from orderwatch.evidence import selectors, services
from orderwatch.evidence.forms import BreachLinkForm, EvidenceForm, IncidentForm, RemovalForm
from orderwatch.evidence.uploads import evidence_upload_handlers
from orderwatch.exports.models import Export
from orderwatch.exports.services import export_request


def evidence_log(request, case_id):
    case, page = services.evidence_log_open(
        actor=request.user, case_id=case_id, number=request.GET.get("page")
    )
    return render(
        request,
        "evidence/log.html",
        {
            "case": case,
            "page": page,
            "items": page.object_list,
            "can_change": request.user.has_perm("cases.change_case", case),
            "nav": "cases",
        },
    )


@accepts_files("ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES")
@csrf_exempt
def evidence_new(request, case_id, item_id=None):
    # Check access before the body is read (CSRF checks read it), so nobody else's upload
    # reaches the disk; and set the upload handlers before anything reads it.
    case = case_for_change(user=request.user, case_id=case_id)
    limit = evidence_upload_handlers(request)
    return _evidence_new(request, case, item_id, limit)


@csrf_protect
@once_per_submission
def _evidence_new(request, case, item_id, limit):
    corrects = (
        selectors.evidence_item_get(user=request.user, case_id=case.pk, item_id=item_id)
        if item_id
        else None
    )
    form = uploaded_form(request, EvidenceForm, limit)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evidence_item_add(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                occurrence=form.occurrence(),
                description=form.cleaned_data["description"],
                uploads=form.cleaned_data["files"],
                corrects=corrects,
                submission_key=form.submission,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Evidence added to the log.")
            return redirect(item)
    return render(
        request,
        "evidence/new.html",
        {
            "case": case,
            "form": form,
            "corrects": corrects,
            "max_bytes": limit.max_bytes,
            "nav": "cases",
        },
    )


def evidence_detail(request, case_id, item_id):
    item = services.evidence_item_open(actor=request.user, case_id=case_id, item_id=item_id)
    return render(
        request,
        "evidence/detail.html",
        {
            "case": item.case,
            "item": item,
            "can_change": request.user.has_perm("cases.change_case", item.case),
            "can_remove": request.user.has_perm("evidence.remove_item", item.case),
            "nav": "cases",
        },
    )


def evidence_file(request, case_id, item_id, file_id):
    file, chunks = services.evidence_file_open(
        actor=request.user, case_id=case_id, item_id=item_id, file_id=file_id
    )
    response = StreamingHttpResponse(chunks, content_type=file.content_type)
    # Always a download, never shown in the page; the name says nothing of the case.
    extension = services.EVIDENCE_TYPES[file.content_type].lower()
    response["Content-Disposition"] = (
        f'attachment; filename="evidence-{file.item_id}-{file.position}.{extension}"'
    )
    response["Content-Length"] = str(file.size)
    return response


def evidence_link(request, case_id, item_id):
    item = selectors.evidence_item_for_change(user=request.user, case_id=case_id, item_id=item_id)
    form = BreachLinkForm(posted(request), breaches=selectors.breaches_to_link(item=item))
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_breach_link(actor=request.user, item=item, breach=form.chosen())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Evidence linked to the breach.")
            return redirect(item)
    return render(
        request,
        "evidence/link.html",
        {"case": item.case, "item": item, "form": form, "nav": "cases"},
    )


def evidence_incident(request, case_id, item_id):
    item = selectors.evidence_item_for_change(user=request.user, case_id=case_id, item_id=item_id)
    incident = getattr(item, "incident", None)
    form = IncidentForm(posted(request), initial=IncidentForm.initial_for(incident))
    if request.method == "POST" and form.is_valid():
        marked = form.records_incident()
        try:
            if marked:
                services.evidence_incident_mark(
                    actor=request.user,
                    case=item.case,
                    item=item,
                    behaviours=form.cleaned_data["behaviours"],
                    severity=form.chosen_severity(),
                )
            else:
                services.evidence_incident_unmark(actor=request.user, case=item.case, item=item)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "marked as an incident" if marked else "is not counted as an incident"
            messages.success(request, f"Evidence {done}.")
            return redirect(item)
    return render(
        request,
        "evidence/incident.html",
        {"case": item.case, "item": item, "form": form, "nav": "cases"},
    )


def evidence_remove(request, case_id, item_id):
    item = selectors.evidence_item_for_removal(user=request.user, case_id=case_id, item_id=item_id)
    form = RemovalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_item_remove(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Evidence removed. The record of it stays in the log.")
            return redirect("evidence:log", case_id=item.case_id)
    return render(
        request,
        "evidence/remove.html",
        {"case": item.case, "item": item, "form": form, "nav": "cases"},
    )


@require_POST
def evidence_check(request, case_id):
    case, _ = selectors.evidence_log(user=request.user, case_id=case_id)
    problem = services.evidence_chain_check(actor=request.user, case=case)
    return render(
        request, "evidence/check.html", {"case": case, "problem": problem, "nav": "cases"}
    )


@require_POST
def evidence_bundle(request, case_id):
    """Ask for the case's evidence bundle, and show when it is ready."""
    export = export_request(
        actor=request.user, case_id=case_id, kind=Export.Kind.EVIDENCE_BUNDLE, parameters={}
    )
    return redirect(export)
