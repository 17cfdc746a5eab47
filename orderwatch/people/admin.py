"""Service administration of the partnership's shape: its agencies, and each agency's
administrators (who then create their own agency's accounts in the service).

Agencies are never deleted (accounts and case-team records refer to them). An administrator is
created through `agency_administrator_create`, which emails the one-time set-up link; after
that, their account is looked after in the service by their agency's administrators.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from orderwatch.accounts.models import Agency, User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.people.models import AgencyAdministrator
from orderwatch.people.services import (
    agency_administrator_create,
    agency_administrator_setup_link_renew,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    fields = ["name", "kind"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            verb=Verb.AGENCY_CHANGED if change else Verb.AGENCY_CREATED,
            target=obj,
            fields=sorted(form.changed_data),
        )


class AgencyAdministratorForm(forms.ModelForm):
    class Meta:
        model = AgencyAdministrator
        fields = ["display_name", "email", "agency"]
        labels = {"display_name": "Full name", "email": "Work email address"}
        help_texts = {
            "email": "They are emailed a link to set up their account: it works once, for "
            "72 hours (ORDERWATCH_ACCOUNT_SETUP_HOURS).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].required = True


@admin.register(AgencyAdministrator)
class AgencyAdministratorAdmin(admin.ModelAdmin):
    form = AgencyAdministratorForm
    list_display = ["display_name", "email", "agency", "is_active", "last_login"]
    list_filter = ["agency"]
    search_fields = ["display_name", "email"]
    actions = ["send_new_setup_link"]

    @admin.action(description="Send a new set-up link", permissions=["add"])
    def send_new_setup_link(self, request, queryset):
        """For administrators whose link ran out before they set up their account."""
        for person in queryset:
            try:
                agency_administrator_setup_link_renew(actor=request.user, person_id=person.pk)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                self.message_user(request, "A new set-up link has been emailed.")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(role=User.Role.AGENCY_ADMIN)

    def get_readonly_fields(self, request, obj=None):
        # Once made, the account is its agency's to look after (role, status, authenticator).
        return ["display_name", "email", "agency"] if obj is not None else []

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        try:
            made = agency_administrator_create(
                actor=request.user,
                agency=form.cleaned_data["agency"],
                display_name=form.cleaned_data["display_name"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:  # checked by the form already; a race otherwise
            raise ValidationError(error.messages) from error
        obj.pk = made.pk
        obj._state.adding = False
        obj._state.db = made._state.db
