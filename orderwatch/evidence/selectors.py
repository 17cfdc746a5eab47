"""Reading the evidence log: always through the access policy, with a fixed number of queries."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from orderwatch.access.policy import access_case, access_case_for_change
from orderwatch.accounts.models import User
from orderwatch.breaches.models import Breach
from orderwatch.cases.models import Case
from orderwatch.confidential.files import encrypted_file_problem
from orderwatch.evidence import chain
from orderwatch.evidence.models import ChainEntry, EvidenceBreachLink, EvidenceFile, EvidenceItem

# Items on a page of the evidence log: as many as the breaches list shows.
EVIDENCE_LOG_PAGE = 50


def _items() -> QuerySet[EvidenceItem]:
    """Return items with everything the log and item pages show, in a fixed number of queries."""
    return EvidenceItem.objects.select_related(
        "case", "created_by", "corrects", "removal__created_by", "incident", "diary_check"
    ).prefetch_related(
        Prefetch("files", queryset=EvidenceFile.objects.order_by("position")),
        "diary_check__conditions__order__order_type",
        Prefetch(
            "breach_links",
            queryset=EvidenceBreachLink.objects.select_related("breach").order_by("created_at"),
        ),
    )


def evidence_log(*, user: User, case_id, number: int | str | None = 1) -> tuple[Case, Page]:
    """Return a case the user may see and page `number` of its evidence items, newest first,
    in a fixed number of queries (404 for any other case). A page past the end is the last."""
    case = access_case(user, case_id)
    items = _items().filter(case=case).order_by("-created_at", "-pk")
    return case, Paginator(items, EVIDENCE_LOG_PAGE).get_page(number)


def evidence_item_get(*, user: User, case_id, item_id) -> EvidenceItem:
    """Return an item on a case the user may see; 404 for any other id."""
    case = access_case(user, case_id)
    try:
        return _items().get(pk=item_id, case=case)
    except (EvidenceItem.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


def evidence_item_for_change(*, user: User, case_id, item_id) -> EvidenceItem:
    """Return an item the user may link or mark as an incident: 404 outside the team, 403 if
    read-only."""
    access_case_for_change(user, case_id)
    return evidence_item_get(user=user, case_id=case_id, item_id=item_id)


def evidence_item_for_removal(*, user: User, case_id, item_id) -> EvidenceItem:
    """Return an item the user may remove (see `evidence.remove_item`); 404 / 403 otherwise."""
    item = evidence_item_get(user=user, case_id=case_id, item_id=item_id)
    if not user.has_perm("evidence.remove_item", item.case):
        raise PermissionDenied
    return item


def breaches_to_link(*, item: EvidenceItem) -> list[Breach]:
    """Return the breaches on the item's case it is not yet linked to, newest first."""
    return list(
        Breach.objects.filter(case_id=item.case_id)
        .exclude(evidence_links__item=item)
        .order_by("-happened_on", "-happened_at_time", "-created_at")
    )


def chain_problem(*, case: Case) -> str | None:
    """Return the first inconsistency in the case's evidence chain, or None if it is intact.

    For callers that have checked access already (the check service, the verify command).
    """
    items = (
        EvidenceItem.objects.filter(case=case)
        .select_related("removal")
        .prefetch_related(Prefetch("files", queryset=EvidenceFile.objects.order_by("position")))
    )
    item_hashes, removal_hashes = {}, {}
    for item in items:
        content = item.chain_content([f.sha256 for f in item.files.all()])
        item_hashes[str(item.pk)] = chain.item_hash(content)
        removal = getattr(item, "removal", None)
        if removal is not None:
            removal_hashes[str(item.pk)] = chain.removal_hash(removal.reason)
    entries = ChainEntry.objects.filter(case=case).order_by("sequence")
    return chain.first_inconsistency(
        (e.as_entry() for e in entries.iterator()),
        item_hashes,
        removal_hashes,
        contents_disposed=case.is_disposed,
    )


def file_problem(*, case: Case) -> str | None:
    """Return the first of the case's stored evidence files (in the order added) that is
    missing, altered or not the one recorded, or None if every file matches its record.

    Each file is re-read and decrypted in chunks, never whole. For callers that have checked
    access already (the verify command).
    """
    files = EvidenceFile.objects.filter(item__case=case, removed_at__isnull=True).order_by(
        "item__created_at", "item_id", "position"
    )
    for item_id, position, name, sha256 in files.values_list(
        "item_id", "position", "stored_name", "sha256"
    ).iterator():
        problem = encrypted_file_problem(name=name, sha256=sha256)
        if problem is not None:
            return f"Item {item_id}, file {position}: {problem}"
    return None
