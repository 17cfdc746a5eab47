"""Prepared-document pages. Thin: call one service or selector, render or stream."""

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.core.forms import add_service_errors
from orderwatch.exports import selectors, services
from orderwatch.exports.builders import BUILDERS, CASE_RECORD_FORMATS, EXTENSIONS
from orderwatch.exports.forms import CaseRecordForm
from orderwatch.exports.models import Export


def export_detail(request, case_id, export_id):
    export = selectors.export_get(user=request.user, case_id=case_id, export_id=export_id)
    return render(
        request,
        "exports/export_detail.html",
        {
            "case": export.case,
            "export": export,
            "source_url": BUILDERS[export.kind].source_url(export),
            "file_type": EXTENSIONS.get(export.content_type, "").upper(),
            "format": CASE_RECORD_FORMATS.get(export.parameters.get("format"), ""),
            "companions": selectors.export_companions(export=export),
            "nav": "cases",
        },
    )


def export_download(request, case_id, export_id):
    try:
        export, filename, chunks = services.export_open(
            actor=request.user, case_id=case_id, export_id=export_id
        )
    except services.ExportNotReady:
        return redirect("exports:detail", case_id=case_id, export_id=export_id)
    response = StreamingHttpResponse(chunks, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(export.size)
    return response


def case_record_request(request, case_id):
    case = selectors.case_for_case_record(user=request.user, case_id=case_id)
    form = CaseRecordForm(
        request.POST if request.method == "POST" else None,
        can_include_address=request.user.has_perm("cases.reveal_protected_address", case),
        can_include_witnesses=request.user.has_perm("breaches.reveal_witness_details", case),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        include = form.includes_any()
        try:
            step_up = mfa_step_up(user=request.user, code=data["code"]) if include else None
            export = services.export_request(
                actor=request.user,
                case_id=case.pk,
                kind=Export.Kind.CASE_RECORD,
                parameters={
                    "formats": data["formats"],
                    "include_address": data.get("include_address", False),
                    "include_witnesses": data.get("include_witnesses", False),
                    "reason": data["reason"] if include else "",
                },
                step_up=step_up,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(export)
    return render(
        request, "exports/case_record_request.html", {"case": case, "form": form, "nav": "cases"}
    )
