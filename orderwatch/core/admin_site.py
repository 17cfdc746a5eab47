"""The admin site: staff accounts that have passed two-factor authentication, nothing else.

Only reference data (the order-type catalogue) and the partnership's shape (its agencies, and
each agency's administrators, created through the people services) are registered here; case
records are never edited outside their services.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django_otp.admin import OTPAdminSite

# Models that may be edited here. Anything else an installed app registers is ignored.
EDITABLE = {"orders.ordertype", "accounts.agency", "people.agencyadministrator"}


class ServiceAdminSite(OTPAdminSite):
    site_header = "OrderWatch service administration"
    site_title = "OrderWatch administration"
    index_title = "Reference data and agencies"

    def __init__(self, name="admin"):
        super().__init__(name=name)

    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            model_or_iterable
            if isinstance(model_or_iterable, list | tuple)
            else [model_or_iterable]
        )
        allowed = [m for m in models if m._meta.label_lower in EDITABLE]
        if allowed:
            super().register(allowed, admin_class, **options)

    def login(self, request, extra_context=None):
        """Sign in through the service's own pages (throttled, two-factor); no second way in."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:sign-in"))
        if not request.user.is_verified():
            return redirect_to_login(request.get_full_path(), reverse("accounts:mfa-verify"))
        raise Http404  # signed in, but not a service administrator
