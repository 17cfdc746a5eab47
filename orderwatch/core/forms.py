"""Form pieces every app shares: GOV.UK date fields, and service errors shown on forms."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation error beside the matching field, or at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    """Return a date field whose messages follow the GOV.UK pattern for its label."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a real date",
        },
    )


def posted(request):
    """Return the submitted data on a POST and None otherwise, so a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None
