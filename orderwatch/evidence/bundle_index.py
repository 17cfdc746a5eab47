"""The evidence bundle's index as a tagged PDF (WeasyPrint), fetching nothing from outside."""

from collections.abc import Iterable

from django.template.loader import render_to_string

from orderwatch.evidence import chain, signing
from orderwatch.evidence.bundle import BundleCase, BundleItem, ChronologyEntry


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError("The bundle index fetches no external resources.")


def bundle_index_pdf(
    *,
    case: BundleCase,
    items: Iterable[BundleItem],
    chain_entries: Iterable[chain.Entry],
    chronology: Iterable[ChronologyEntry],
) -> bytes:
    """Render the index a reader of the bundle starts from: items, files, hashes, chronology."""
    from weasyprint import HTML  # loaded on demand: it needs Pango from the system

    html = render_to_string(
        "evidence/bundle_index.html",
        {
            "case": case,
            "items": list(items),
            "chain_entries": list(chain_entries),
            "chronology": list(chronology),
            "fingerprint": signing.public_key_fingerprint(),
        },
    )
    # PDF/UA: tagged, so a screen reader can follow the headings and tables.
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(pdf_variant="pdf/ua-1")
