"""Every call an API client makes is audited, as the client and the administrator who
registered it (ADR 0042), whatever the endpoint and however it ended."""

from oauth2_provider.models import AccessToken

from orderwatch.clients.services import api_client_call_record


class ApiClientCallsAudited:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # DRF puts the token and the client's account on Django's request too.
        if isinstance(getattr(request, "auth", None), AccessToken):
            match = request.resolver_match
            api_client_call_record(
                account=request.user,
                method=request.method,
                route=match.view_name if match else "",
                status=response.status_code,
            )
        return response
