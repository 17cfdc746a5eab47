"""Record where each request comes from, for the audit events it writes."""

from django.shortcuts import render

from orderwatch.audit.models import Origin
from orderwatch.audit.origin import RequestOrigin, reset_origin, set_origin
from orderwatch.audit.services import AuditChainUnavailable
from orderwatch.core.clients import request_client_address


class AuditOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = Origin.API if request.path.startswith("/api/") else Origin.WEB
        token = set_origin(RequestOrigin(channel, request_client_address(request)))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)


class AuditFailureMiddleware:
    """When an action cannot be audited, say so plainly: it has not happened (503)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AuditChainUnavailable):
            return render(request, "audit/audit_unavailable.html", status=503)
        return None
