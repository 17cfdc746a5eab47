"""Render Django form widgets with GOV.UK Frontend classes and accessible descriptions."""

from django import template
from django.forms import BoundField

register = template.Library()

_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "date": "govuk-input govuk-input--width-10",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


@register.simple_tag
def govuk_widget(field: BoundField, extra_class: str = "") -> str:
    """Return the widget HTML with the GOV.UK class, error state and hint/error links."""
    css = _WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    if extra_class:
        css = f"{css} {extra_class}"
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


@register.simple_tag
def govuk_anchor(field: BoundField) -> str:
    """Return the id an error summary links to: the field, or its first option."""
    if field.widget_type in ("checkboxselectmultiple", "radioselect"):
        return f"{field.auto_id}_0"
    return field.id_for_label
