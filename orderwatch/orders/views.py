"""Order pages. Thin: validate with a form, call one service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.cases.selectors import case_for_address_reveal, case_for_change
from orderwatch.confidential.uploads import encrypted_upload_handlers, uploaded_form
from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors
from orderwatch.core.submissions import once_per_submission
from orderwatch.core.uploads import accepts_files
from orderwatch.exports.models import Export
from orderwatch.exports.services import export_request
from orderwatch.orders import selectors, services
from orderwatch.orders.forms import (
    AddressChangeForm,
    ConditionEndForm,
    ConditionForm,
    CopyUploadForm,
    OrderChangeForm,
    OrderForm,
    SummaryForm,
)
from orderwatch.sharing.selectors import case_sharing


def _order_context(order, **extra) -> dict:
    return {
        "case": order.case,
        "order": order,
        "state": selectors.order_state(order),
        "restrictions": selectors.order_restrictions(order),
        "conditions": selectors.conditions_in_force(order),
        "ended_conditions": selectors.conditions_ended(order),
        "nav": "cases",
        **extra,
    }


@once_per_submission
def order_new(request, case_id):
    case = case_for_change(user=request.user, case_id=case_id)
    form = OrderForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(
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
                "Order recorded. Now add its conditions, then tell everyone who needs to know.",
            )
            return redirect("orders:condition-new", case_id=case.pk, order_id=order.pk)
    return render(request, "orders/order_new.html", {"case": case, "form": form, "nav": "cases"})


def order_detail(request, case_id, order_id):
    order = services.order_open(actor=request.user, case_id=case_id, order_id=order_id)
    return render(
        request,
        "orders/order_detail.html",
        _order_context(
            order,
            can_change=request.user.has_perm("cases.change_case", order.case),
            sharing=case_sharing(case=order.case),
        ),
    )


@once_per_submission
def condition_new(request, case_id, order_id):
    order = selectors.order_for_change(user=request.user, case_id=case_id, order_id=order_id)
    form = ConditionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_add(
                actor=request.user,
                order=order,
                submission_key=form.submission,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Condition added.")
            if "add_another" in request.POST:
                return redirect("orders:condition-new", case_id=case_id, order_id=order_id)
            return redirect(order)
    return render(request, "orders/condition_new.html", _order_context(order, form=form))


def condition_end(request, case_id, order_id, condition_id):
    order = selectors.order_for_change(user=request.user, case_id=case_id, order_id=order_id)
    condition = selectors.condition_get(order=order, condition_id=condition_id)
    form = ConditionEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_end(
                actor=request.user, order=order, condition_id=condition.pk, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Condition marked as no longer applying.")
            return redirect(order)
    return render(
        request,
        "orders/condition_end.html",
        _order_context(order, form=form, condition=condition),
    )


@once_per_submission
def order_change_new(request, case_id, order_id):
    order = selectors.order_for_change(user=request.user, case_id=case_id, order_id=order_id)
    form = OrderChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_change_record(
                actor=request.user,
                order=order,
                submission_key=form.submission,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Change recorded. Now tell everyone who needs to know.")
            return redirect(order)
    return render(request, "orders/change_new.html", _order_context(order, form=form))


@accepts_files("ORDERWATCH_ORDER_COPY_MAX_BYTES")
@csrf_exempt
def order_copy_upload(request, case_id, order_id):
    # As for evidence: access checked before the body is read (CSRF checks read it), and the
    # copy encrypted into storage as it arrives, never written in plain text.
    order = selectors.order_for_change(user=request.user, case_id=case_id, order_id=order_id)
    limit = encrypted_upload_handlers(request, max_bytes=settings.ORDERWATCH_ORDER_COPY_MAX_BYTES)
    return _order_copy_upload(request, order, limit)


@csrf_protect
def _order_copy_upload(request, order, limit):
    form = uploaded_form(request, CopyUploadForm, limit, field="file")
    if request.method == "POST" and form.is_valid():
        try:
            services.order_copy_add(
                actor=request.user, order=order, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Copy uploaded. Check the conditions against it.")
            return redirect(order)
    return render(request, "orders/copy_upload.html", _order_context(order, form=form))


def order_copy_check(request, case_id, order_id):
    order = selectors.order_for_change(user=request.user, case_id=case_id, order_id=order_id)
    if request.method == "POST":
        try:
            services.order_copy_mark_checked(actor=request.user, order=order)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Conditions marked as checked against the copy.")
    return redirect(order)


def order_copy_download(request, case_id, order_id, copy_id):
    order = selectors.order_get(user=request.user, case_id=case_id, order_id=order_id)
    copy, chunks = services.order_copy_open(actor=request.user, order=order, copy_id=copy_id)
    response = StreamingHttpResponse(chunks, content_type=copy.content_type)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    response["Content-Disposition"] = (
        f'attachment; filename="order-{order.case.reference}.{extension[copy.content_type]}"'
    )
    response["Content-Length"] = str(copy.size)
    return response


def order_summary(request, case_id, order_id):
    if request.method != "POST":
        order = services.order_open(actor=request.user, case_id=case_id, order_id=order_id)
        return _summary_page(request, order, SummaryForm())
    order = selectors.order_get(user=request.user, case_id=case_id, order_id=order_id)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, order, form)
    include = form.cleaned_data["include_address"]
    try:
        step_up = (
            mfa_step_up(user=request.user, code=form.cleaned_data["code"]) if include else None
        )
        export = export_request(
            actor=request.user,
            case_id=order.case_id,
            kind=Export.Kind.ORDER_SUMMARY,
            parameters={
                "order_id": str(order.pk),
                "include_address": include,
                "reason": form.cleaned_data["reason"] if include else "",
            },
            step_up=step_up,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _summary_page(request, order, form)
    return redirect(export)


def _summary_page(request, order, form):
    return render(
        request,
        "orders/summary.html",
        _order_context(
            order,
            form=form,
            can_include_address=request.user.has_perm("cases.reveal_protected_address", order.case),
        ),
    )


def orders_ending_soon(request):
    return render(
        request,
        "orders/ending_soon.html",
        {
            "orders": selectors.orders_ending_soon(user=request.user),
            "window_days": settings.ORDERWATCH_EXPIRY_WINDOW_DAYS,
            "nav": "ending",
        },
    )


@not_compressed
@once_per_submission
def address_change_new(request, case_id):
    case = case_for_address_reveal(user=request.user, case_id=case_id)
    form = AddressChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            step_up = mfa_step_up(user=request.user, code=data.pop("code"))
            services.address_change_record(
                actor=request.user,
                case=case,
                step_up=step_up,
                submission_key=form.submission,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The move and the agreed next step are recorded.")
            return redirect(case)
    return render(
        request, "orders/address_change_new.html", {"case": case, "form": form, "nav": "cases"}
    )
