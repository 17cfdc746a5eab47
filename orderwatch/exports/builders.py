"""The kinds of document that can be prepared: how each is asked for and how it is built.

Each kind has a `Builder`. Its `request` runs inside `export_request`'s transaction, at the
moment someone asks: it checks what they chose, writes the kind's audit event (the same verbs
as when these PDFs were made in the request, so the audit log reads the same) and returns the
parameters to keep (ids and choices; a reason is audited, never kept). Its `build` runs later,
in the worker, as the requester: it checks again that they may still see the case, reports
progress for a long build, and returns the document's bytes in chunks (a big file can be
streamed from a temporary file), which are encrypted as they are stored.
"""

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from orderwatch.access.policy import access_case
from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.chronology.pdf import chronology_document
from orderwatch.chronology.timeline import Kind as ChronologyKind
from orderwatch.core.pdf import pdf_from_template
from orderwatch.evidence.bundle_export import bundle_build, bundle_request, bundle_source
from orderwatch.exports.case_record import ADDRESS, WITNESSES, CaseRecord, case_record_read
from orderwatch.exports.models import Export
from orderwatch.orders.models import Order
from orderwatch.orders.selectors import (
    conditions_in_force,
    order_get,
    order_restrictions,
    order_state,
)
from orderwatch.orders.summary import summary_pdf

# Reports how far a build has got: (done, total), e.g. files added to a bundle.
Progress = Callable[[int, int], None]
PDF = frozenset({"application/pdf"})
PDF_MAX_BYTES = 50 * 1024 * 1024
ZIP = frozenset({"application/zip"})
JSON = "application/json"
# A bundle holds every original file of the case, each already within its own upload limit:
# this only stops a runaway build.
BUNDLE_MAX_BYTES = 1 << 40


@dataclass(frozen=True)
class Builder:
    request: Callable[..., dict]
    build: Callable[[Export, Progress], Iterable[bytes]]
    source_url: Callable[[Export], str]  # the page it is asked for on, to prepare it again
    filename_stem: str  # the download is called "<stem>-<case reference>.<extension>"
    content_types: frozenset[str]
    max_bytes: int
    # The documents one request makes, by the parameters `request` kept: one for most kinds.
    documents: Callable[[dict], list[dict]] = field(default=lambda kept: [kept])


# Order summary -------------------------------------------------------------------------------


def _summary_request(*, actor: User, case: Case, parameters: dict, step_up: StepUp | None) -> dict:
    """Record that a summary is being made to share; the address only if chosen properly.

    Including the protected address needs the reveal permission, a reason and a fresh code.
    """
    try:
        order = case.orders.get(pk=parameters["order_id"])
    except (KeyError, Order.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
    include = bool(parameters.get("include_address"))
    reason = str(parameters.get("reason", "")).strip()
    if include:
        if not actor.has_perm("cases.reveal_protected_address", case):
            raise PermissionDenied
        if step_up is None or not step_up.is_fresh_for(actor):
            raise PermissionDenied
        if len(reason) < settings.ORDERWATCH_REVEAL_MIN_REASON_LENGTH:
            raise ValidationError(
                {"reason": "Enter why the summary needs the address, in at least a few words"}
            )
    audit_record(
        actor=actor,
        verb=Verb.SUMMARY_SHARED,
        target=order,
        case=case,
        fields=["protected_address"] if include else [],
        payload={"include_address": include},
        notes={"reason": reason} if include else None,
    )
    return {"order_id": str(order.pk), "include_address": include}


def _summary_build(export: Export, progress: Progress) -> Iterable[bytes]:
    user = export.created_by
    order = order_get(user=user, case_id=export.case_id, order_id=export.parameters["order_id"])
    address = ""
    if export.parameters["include_address"]:
        # Chosen, with a reason and a fresh code, when it was asked for: still allowed?
        if not user.has_perm("cases.reveal_protected_address", order.case):
            raise PermissionDenied
        address = order.case.protected_address.reveal()
    context = {
        "case": order.case,
        "order": order,
        "state": order_state(order),
        "restrictions": order_restrictions(order),
        "conditions": conditions_in_force(order),
        "address": address,
        "made_at": timezone.localtime(),
        "made_by": user,
    }
    return [summary_pdf(context)]


def _summary_source(export: Export) -> str:
    return reverse(
        "orders:summary",
        kwargs={"case_id": export.case_id, "order_id": export.parameters["order_id"]},
    )


# Chronology ----------------------------------------------------------------------------------


def _chronology_kinds(parameters: dict) -> list[ChronologyKind]:
    try:
        return sorted({ChronologyKind(kind) for kind in parameters.get("kinds", [])})
    except ValueError as error:
        raise ValidationError({"kind": "Select what to show from the list"}) from error


def _chronology_request(
    *, actor: User, case: Case, parameters: dict, step_up: StepUp | None
) -> dict:
    """Record that the chronology was exported, and which kinds of entry it holds (none
    chosen: every kind)."""
    kinds = _chronology_kinds(parameters)
    audit_record(
        actor=actor,
        verb=Verb.CHRONOLOGY_EXPORTED,
        target=case,
        case=case,
        payload={"kinds": kinds},
    )
    return {"kinds": kinds}


def _chronology_build(export: Export, progress: Progress) -> Iterable[bytes]:
    case = access_case(export.created_by, export.case_id)
    kinds = _chronology_kinds(export.parameters)
    return [chronology_document(case=case, kinds=kinds, made_by=export.created_by)]


def _chronology_source(export: Export) -> str:
    url = reverse("chronology:timeline", kwargs={"case_id": export.case_id})
    kinds = export.parameters.get("kinds")
    return f"{url}?{urlencode({'kind': kinds}, doseq=True)}" if kinds else url


# Case record (subject access requests, transfers) ----------------------------------------------

CASE_RECORD_FORMATS = {"pdf": "PDF", "json": "JSON"}
# The parameter that chooses each confidential part, and the permission that allows it.
CASE_RECORD_PARTS = {
    ADDRESS: ("include_address", "cases.reveal_protected_address"),
    WITNESSES: ("include_witnesses", "breaches.reveal_witness_details"),
}


def _case_record_request(
    *, actor: User, case: Case, parameters: dict, step_up: StepUp | None
) -> dict:
    """Record that the case record was asked for, in which formats and with which confidential
    parts. Each part needs its own permission, and any part a reason and a fresh code."""
    if not actor.has_perm("exports.export_case_record", case):
        raise PermissionDenied
    chosen = {str(name) for name in parameters.get("formats", [])}
    if not chosen or not chosen <= CASE_RECORD_FORMATS.keys():
        raise ValidationError({"formats": "Select the formats you need"})
    formats = [name for name in CASE_RECORD_FORMATS if name in chosen]  # the PDF first
    include = sorted(
        part for part, (choice, _) in CASE_RECORD_PARTS.items() if parameters.get(choice)
    )
    reason = str(parameters.get("reason", "")).strip()
    if include:
        if not all(actor.has_perm(CASE_RECORD_PARTS[part][1], case) for part in include):
            raise PermissionDenied
        if step_up is None or not step_up.is_fresh_for(actor):
            raise PermissionDenied
        if len(reason) < settings.ORDERWATCH_REVEAL_MIN_REASON_LENGTH:
            raise ValidationError(
                {"reason": "Enter why the record needs these details, in at least a few words"}
            )
    audit_record(
        actor=actor,
        verb=Verb.CASE_RECORD_REQUESTED,
        target=case,
        case=case,
        fields=case_record_fields(include),
        payload={"formats": formats, "included": include},
        notes={"reason": reason} if include else None,
    )
    return {"formats": formats, "include": include}


def case_record_fields(include: list[str]) -> list[str]:
    """Return the confidential fields a case record holds: those chosen, and the contact details
    of the people who need to know (work details, always in it, as on the sharing page)."""
    return [*include, "contact_details"]


def _case_record_documents(kept: dict) -> list[dict]:
    """One document per format, tied together as one request."""
    request = str(uuid.uuid4())
    return [
        {"format": name, "include": kept["include"], "request": request} for name in kept["formats"]
    ]


def _case_record_build(export: Export, progress: Progress) -> Iterable[bytes]:
    user = export.created_by
    case = access_case(user, export.case_id)
    include = frozenset(export.parameters["include"])
    # Chosen, with a reason and a fresh code, when it was asked for: still allowed?
    allowed = [
        user.has_perm("exports.export_case_record", case),
        *(user.has_perm(CASE_RECORD_PARTS[part][1], case) for part in include),
    ]
    if not all(allowed):
        raise PermissionDenied
    record = case_record_read(case=case, made_by=user, include=include)
    if export.parameters["format"] == "json":
        return [case_record_json(record)]
    return [case_record_pdf(record, case=case, made_by=user)]


def case_record_json(record: CaseRecord) -> bytes:
    """The record as UTF-8 JSON, its format named first (docs/case-export.md)."""
    return json.dumps(record.data, indent=2, ensure_ascii=False).encode()


def case_record_pdf(record: CaseRecord, *, case: Case, made_by: User) -> bytes:
    return pdf_from_template(
        "exports/case_record_pdf.html",
        {
            "case": case,
            "record": record,
            "made_at": timezone.localtime(),
            "made_by": made_by,
        },
    )


def _case_record_source(export: Export) -> str:
    return reverse("exports:case-record", kwargs={"case_id": export.case_id})


BUILDERS: dict[str, Builder] = {
    Export.Kind.ORDER_SUMMARY: Builder(
        request=_summary_request,
        build=_summary_build,
        source_url=_summary_source,
        filename_stem="order-summary",
        content_types=PDF,
        max_bytes=PDF_MAX_BYTES,
    ),
    Export.Kind.CHRONOLOGY: Builder(
        request=_chronology_request,
        build=_chronology_build,
        source_url=_chronology_source,
        filename_stem="chronology",
        content_types=PDF,
        max_bytes=PDF_MAX_BYTES,
    ),
    Export.Kind.EVIDENCE_BUNDLE: Builder(
        request=bundle_request,
        build=bundle_build,
        source_url=bundle_source,
        filename_stem="evidence-bundle",
        content_types=ZIP,
        max_bytes=BUNDLE_MAX_BYTES,
    ),
    Export.Kind.CASE_RECORD: Builder(
        request=_case_record_request,
        build=_case_record_build,
        source_url=_case_record_source,
        filename_stem="case-record",
        content_types=PDF | {JSON},
        max_bytes=PDF_MAX_BYTES,
        documents=_case_record_documents,
    ),
}

# The extension a downloaded file gets, by its (sniffed) content type.
EXTENSIONS = {"application/pdf": "pdf", "application/zip": "zip", JSON: "json"}
