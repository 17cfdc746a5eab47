"""Record where each request comes from, for the audit events it writes."""

from orderwatch.audit.models import Origin
from orderwatch.audit.origin import RequestOrigin, reset_origin, set_origin


class AuditOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = Origin.API if request.path.startswith("/api/") else Origin.WEB
        token = set_origin(RequestOrigin(channel, request.META.get("REMOTE_ADDR") or None))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
