"""Importing cases from a CSV file (ADR 0043): upload and dry run, check, import, result.
Thin: read the file, call one service or selector, render or redirect."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from orderwatch.confidential.uploads import SizeLimit, uploaded_form
from orderwatch.core.submissions import once_per_submission
from orderwatch.core.uploads import accepts_files
from orderwatch.imports import selectors
from orderwatch.imports.drafts import (
    ImportDraft,
    import_draft_discard,
    import_draft_keep,
    import_draft_read,
)
from orderwatch.imports.forms import ImportConfirmForm, ImportFileForm
from orderwatch.imports.services import case_import_check, case_import_confirm
from orderwatch.imports.sheet import COLUMNS, FileProblem, file_text, template_text
from orderwatch.imports.uploads import InMemoryOnly

NO_FILE_WAITING = "There is no file waiting to be imported. Upload one to check it first."


def _may_import(request) -> None:
    if not request.user.has_perm("cases.import_cases"):
        raise PermissionDenied


@accepts_files("ORDERWATCH_IMPORT_MAX_BYTES")
@csrf_exempt
def import_upload(request):
    # Permission is checked before the body is read (CSRF checks read it); the file is held in
    # memory only, under its size limit, and never written to disk.
    _may_import(request)
    limit = SizeLimit(request, max_bytes=settings.ORDERWATCH_IMPORT_MAX_BYTES)
    request.upload_handlers = [limit, InMemoryOnly(request)]
    return _import_upload(request, limit)


@csrf_protect
def _import_upload(request, limit):
    """Upload a file and check it (the dry run): its problems, or on to the check page."""
    form = uploaded_form(request, ImportFileForm, limit, field="file")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        import_draft_discard(request.session)  # a new file replaces any checked before
        try:
            text = file_text(upload.read(), upload.name)
            outcome = case_import_check(actor=request.user, text=text)
        except FileProblem as problem:
            form.add_error("file", problem.message)
        else:
            if outcome.problems:
                return render(
                    request,
                    "imports/problems.html",
                    {"problems": outcome.problems, "nav": "import"},
                )
            counts = {
                "cases": outcome.cases,
                "people": outcome.people,
                "orders": outcome.orders,
                "conditions": outcome.conditions,
            }
            import_draft_keep(request.session, ImportDraft(text=text, counts=counts))
            return redirect("imports:check")
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "imports": selectors.case_imports(user=request.user)[:10],
            "columns": COLUMNS,
            "max_rows": settings.ORDERWATCH_IMPORT_MAX_ROWS,
            "nav": "import",
        },
    )


def import_template(request):
    """The template: the headings row of the CSV file to fill in."""
    _may_import(request)
    response = HttpResponse(template_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="orderwatch-import-template.csv"'
    return response


@once_per_submission
def import_check(request):
    """What the checked file will add; confirming imports it, all of it or none."""
    _may_import(request)
    draft = import_draft_read(request.session)
    if draft is None:
        messages.info(request, NO_FILE_WAITING)
        return redirect("imports:upload")
    form = ImportConfirmForm(
        request.POST if request.method == "POST" else None, initial={"submission_key": draft.key}
    )
    if request.method == "POST" and form.is_valid():
        if form.submission != draft.key:  # a page from before another file was checked
            return redirect("imports:check")
        try:
            record = case_import_confirm(
                actor=request.user, text=draft.text, submission_key=form.submission
            )
        except ValidationError as error:
            # Something changed since the dry run (a lead's account closed): nothing imported.
            import_draft_discard(request.session)
            return render(
                request,
                "imports/problems.html",
                {"refused": error.messages, "nav": "import"},
            )
        import_draft_discard(request.session)
        return redirect(record)
    return render(
        request, "imports/check.html", {"form": form, "counts": draft.counts, "nav": "import"}
    )


def import_done(request, import_id):
    """What one import added: the new cases' references and the counts, nothing more."""
    _may_import(request)
    record = selectors.case_import_get(user=request.user, import_id=import_id)
    return render(request, "imports/done.html", {"record": record, "nav": "import"})
