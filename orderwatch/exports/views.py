"""Prepared-document pages. Thin: call one service or selector, render or stream."""

from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render

from orderwatch.exports import selectors, services
from orderwatch.exports.builders import BUILDERS, EXTENSIONS


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
