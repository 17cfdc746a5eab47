from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.signals import request_finished

from orderwatch.core import error_reports, logs, request_id


class CoreConfig(AppConfig):
    name = "orderwatch.core"
    label = "core"

    def ready(self) -> None:
        # Logs, request ids and error reports (ADR 0033).
        logs.structlog_configure()
        request_finished.connect(request_id.request_id_forget, dispatch_uid="request-id-forget")
        error_reports.error_reports_start()


class OrderWatchAdminConfig(admin_apps.AdminConfig):
    """Django's admin, for service administrators only, behind two-factor authentication."""

    default = False  # named explicitly in INSTALLED_APPS; CoreConfig stays this module's default
    default_site = "orderwatch.core.admin_site.ServiceAdminSite"
