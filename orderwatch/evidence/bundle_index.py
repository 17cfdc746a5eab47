"""The evidence bundle's index as a tagged PDF (WeasyPrint), fetching nothing from outside."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from orderwatch.core.pdf import pdf_from_template
from orderwatch.evidence import chain, signing
from orderwatch.evidence.bundle import BundleCase, BundleItem, ChronologyEntry

if TYPE_CHECKING:
    from orderwatch.patterns.selectors import CasePattern


def bundle_index_pdf(
    *,
    case: BundleCase,
    items: Iterable[BundleItem],
    chain_entries: Iterable[chain.Entry],
    chronology: Iterable[ChronologyEntry],
    pattern: "CasePattern | None" = None,
) -> bytes:
    """Render the index a reader of the bundle starts from: items, files, hashes, chronology,
    and the pattern of incidents if given (its chart's `title_id` unique in the index)."""
    return pdf_from_template(
        "evidence/bundle_index.html",
        {
            "case": case,
            "items": list(items),
            "chain_entries": list(chain_entries),
            "chronology": list(chronology),
            "pattern": pattern,
            "fingerprint": signing.public_key_fingerprint(),
        },
    )
