"""Evidence uploads: encrypted straight into storage as they arrive, each file under the
evidence size limit."""

from django.conf import settings
from django.http import HttpRequest

from orderwatch.confidential.uploads import SizeLimit, encrypted_upload_handlers


def evidence_upload_handlers(request: HttpRequest) -> SizeLimit:
    """Make `request` stream its files, encrypted, to storage under the evidence size limit;
    return the limit. Call before anything reads `request.POST` or `request.FILES`."""
    return encrypted_upload_handlers(request, max_bytes=settings.ORDERWATCH_EVIDENCE_MAX_BYTES)
