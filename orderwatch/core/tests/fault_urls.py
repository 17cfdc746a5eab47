"""The service's URLs and one page that fails, for tests of what a server error logs."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as service_urlpatterns


@csrf_exempt  # a form post reaches the failure, as one with its token would
@login_not_required
def fails(request: HttpRequest, segment: str):
    """Fail with a message that quotes what was sent, as a careless error message might."""
    raise ValueError(f"Could not use {segment} {request.GET.urlencode()}")


urlpatterns = [*service_urlpatterns, path("fails/<str:segment>/", fails, name="fails")]
handler500 = "orderwatch.core.outage.server_error"
