"""Gzip for pages and API answers, never for a page that shows a secret (ADR 0013).

BREACH: when a compressed page holds a secret and also reflects something an attacker can
choose (a search term, a form value), the size of the response can reveal the secret a guess at
a time. Django's GZipMiddleware pads each response with random bytes (since 4.2), which slows
the attack down but does not rule it out; the CSRF token is masked afresh on every response.
So pages that show a secret are not compressed at all: mark their views `not_compressed`.
"""

from collections.abc import Callable

from django.middleware.gzip import GZipMiddleware

# Text worth compressing. Files (evidence, copies of orders, PDFs) are sent as they are: most
# are compressed already, and some are large.
COMPRESSED_TYPES = ("text/html", "application/json", "application/vnd.oai.openapi+json")


def not_compressed(view: Callable) -> Callable:
    """Mark a view whose page may show a secret (a one-time link, an authenticator secret or
    recovery codes, a revealed confidential value): its responses are never compressed."""
    view.compressed = False
    return view


class CompressionMiddleware(GZipMiddleware):
    """Gzip text responses, except those of views marked `not_compressed`."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.compress_response = getattr(view_func, "compressed", True)

    def process_response(self, request, response):
        if not getattr(request, "compress_response", False):
            return response  # a secret on the page, or no view ran (nothing of ours to send)
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
