"""An evidence bundle as a prepared document: asked for on the evidence log, built by a worker.

The builder maps the case's records onto the bundle's own types (`bundle.py`), writes the ZIP
to a temporary file, and checks it with the published public key before anyone can download
it: a bundle that would fail its own check is never handed over.
"""

import tempfile
from collections.abc import Iterable, Iterator
from functools import partial
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from orderwatch.access.policy import access_case
from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.breaches.models import BreachedCondition
from orderwatch.cases.models import Case
from orderwatch.chronology.selectors import case_chronology
from orderwatch.confidential.files import CHUNK_SIZE, encrypted_file_chunks
from orderwatch.evidence.bundle import (
    BundleCase,
    BundleFile,
    BundleItem,
    BundleRefused,
    BundleRemoval,
    ChronologyEntry,
    bundle_write,
)
from orderwatch.evidence.bundle_check import bundle_problems
from orderwatch.evidence.bundle_index import bundle_index_pdf
from orderwatch.evidence.models import ChainEntry, EvidenceBreachLink, EvidenceFile, EvidenceItem
from orderwatch.evidence.signing import public_key_pem
from orderwatch.patterns.selectors import case_pattern


def bundle_request(*, actor: User, case: Case, parameters: dict, step_up: StepUp | None) -> dict:
    """Record that the case's evidence is being exported (practitioners and team managers on
    the case team only, open or closed: the bundle holds every original file)."""
    if not actor.has_perm("evidence.export_bundle", case):
        raise PermissionDenied
    audit_record(
        actor=actor,
        verb=Verb.EVIDENCE_BUNDLE_EXPORTED,
        target=case,
        case=case,
        payload={"items": EvidenceItem.objects.filter(case=case).count()},
    )
    return {}


def bundle_build(export, progress) -> Iterable[bytes]:
    """Write and self-check the bundle for `export`'s case, as its requester; return its chunks."""
    user = export.created_by
    case = access_case(user, export.case_id)
    if not user.has_perm("evidence.export_bundle", case):
        raise PermissionDenied
    now = timezone.now()
    bundle_case = BundleCase(
        reference=case.reference, exported_at=now, exported_by_display=user.display_name
    )
    items = _bundle_items(case)
    chain_entries = [
        e.as_entry() for e in ChainEntry.objects.filter(case=case).order_by("sequence")
    ]
    chronology = [_chronology_entry(entry) for entry in case_chronology(case=case)]
    # Rendered here, not by `bundle_write`, to add the pattern of incidents (read from the
    # database, which `bundle.py` does not touch).
    index_pdf = bundle_index_pdf(
        case=bundle_case,
        items=items,
        chain_entries=chain_entries,
        chronology=chronology,
        pattern=case_pattern(case=case, now=now, title_id="bundle-pattern-chart"),
    )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _chunks once read
    try:
        bundle_write(
            handle,
            case=bundle_case,
            items=items,
            chain_entries=chain_entries,
            chronology=chronology,
            index_pdf=index_pdf,
            progress=_in_steps(progress),
        )
        handle.seek(0)
        problems = bundle_problems(handle, public_key_pem())
        if problems:
            raise BundleRefused("The bundle failed its own check: " + " ".join(problems))
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return _chunks(handle)


def bundle_source(export) -> str:
    return reverse("evidence:log", kwargs={"case_id": export.case_id})


def _in_steps(progress, steps: int = 100):
    """Report progress in hundredths, once per step: bytes could overflow the counter, and a
    write per chunk would be one database update per 64 KiB."""
    last = -1

    def report(done: int, total: int) -> None:
        nonlocal last
        step = done * steps // total if total else steps
        if step != last:
            last = step
            progress(step, steps)

    return report


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


def _bundle_items(case: Case) -> list[BundleItem]:
    items = (
        EvidenceItem.objects.filter(case=case)
        .select_related("created_by", "removal__created_by")
        .prefetch_related(
            Prefetch("files", queryset=EvidenceFile.objects.order_by("position")),
            Prefetch(
                "breach_links",
                queryset=EvidenceBreachLink.objects.select_related("breach").prefetch_related(
                    Prefetch(
                        "breach__breached",
                        queryset=BreachedCondition.objects.select_related("condition"),
                    )
                ),
            ),
        )
        .order_by("created_at")
    )
    return [_bundle_item(item) for item in items]


def _bundle_item(item: EvidenceItem) -> BundleItem:
    files = list(item.files.all())
    removal = getattr(item, "removal", None)
    return BundleItem(
        id=str(item.pk),
        kind_label=item.get_kind_display(),
        happened_label=item.occurrence.label(),
        recorded_at=item.created_at,
        author_label=_author(item),
        content=item.chain_content([f.sha256 for f in files]),
        item_hash=item.content_sha256,
        # A removed item's files are gone (entered by mistake); its record and hashes stay.
        files=()
        if removal
        else tuple(
            BundleFile(
                id=str(f.pk),
                original_name=f.original_name,
                sha256=f.sha256,
                size=f.size,
                content_type=f.content_type,
                chunks=partial(encrypted_file_chunks, name=f.stored_name),
            )
            for f in files
        ),
        breaches=tuple(_breach_label(link.breach) for link in item.breach_links.all()),
        removed=BundleRemoval(
            reason=removal.reason, at=removal.created_at, by_label=removal.created_by.display_name
        )
        if removal
        else None,
    )


def _chronology_entry(entry) -> ChronologyEntry:
    text = f"{entry.title}: {entry.description}" if entry.description else entry.title
    return ChronologyEntry(when_label=entry.when.label, text=text)


def _author(item: EvidenceItem) -> str:
    if item.author_kind == EvidenceItem.AuthorKind.VICTIM_SURVIVOR:
        return "The victim-survivor (their own diary)"
    return f"{item.created_by.display_name}, practitioner"


def _breach_label(breach) -> str:
    conditions = ", ".join(str(b.condition) for b in breach.breached.all())
    label = f"{breach.kind_word.capitalize()} {breach.occurrence.label()}"
    return f"{label} (conditions: {conditions})" if conditions else label
