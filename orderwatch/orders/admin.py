"""The order-type catalogue, editable by service administrators (staff, two-factor verified).

Every save is written to the audit chain as well as Django's admin log.
"""

from django.contrib import admin

from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.orders.models import OrderType


@admin.register(OrderType)
class OrderTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "route", "breach_is_offence", "catalogue_version"]
    list_filter = ["route", "catalogue"]
    search_fields = ["name", "code", "legal_basis"]
    readonly_fields = ["code", "catalogue"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # orders refer to their type; retire a type by editing its notes instead

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            verb=Verb.CATALOGUE_CHANGED,
            target=obj,
            fields=sorted(form.changed_data),
        )
