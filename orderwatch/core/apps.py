from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "orderwatch.core"
    label = "core"


class OrderWatchAdminConfig(admin_apps.AdminConfig):
    """Django's admin, for service administrators only, behind two-factor authentication."""

    default = False  # named explicitly in INSTALLED_APPS; CoreConfig stays this module's default
    default_site = "orderwatch.core.admin_site.ServiceAdminSite"
