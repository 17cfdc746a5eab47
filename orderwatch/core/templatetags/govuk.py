"""Render Django form widgets with GOV.UK Frontend classes and accessible descriptions."""

from django import template
from django.forms import BoundField

register = template.Library()

_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "date": "govuk-input govuk-input--width-10",
}


@register.simple_tag
def govuk_widget(field: BoundField) -> str:
    """Return the widget HTML with the GOV.UK class, error state and hint/error links."""
    css = _WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    described_by = []
    if field.help_text:
        described_by.append(f"{field.id_for_label}-hint")
    if field.errors:
        described_by.append(f"{field.id_for_label}-error")
        css += " " + css.split()[0] + "--error"
    attrs = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
