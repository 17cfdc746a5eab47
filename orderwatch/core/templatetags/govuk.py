"""Render Django form widgets with GOV.UK Frontend classes and accessible descriptions."""

from django import template
from django.forms import BoundField

from orderwatch.core.date_input import TIME
from orderwatch.core.forms import TIME_EXAMPLE

register = template.Library()

# The GOV.UK date input (and the date input with a time box after it): core.forms.
DATE_INPUTS = ("daymonthyear", "daymonthyeartime")
_BOX_WIDTHS = {"day": 2, "month": 2, "year": 4, TIME: 5}

_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "timeofday": "govuk-input govuk-input--width-5",
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
    if field.widget_type in DATE_INPUTS:
        return f"{field.auto_id}-{(_boxes_in_error(field) or ('day',))[0]}"
    return field.id_for_label


@register.simple_tag
def govuk_date_boxes(field: BoundField) -> dict:
    """Return the boxes of a date input: the date's (Day, Month, Year), and a time box if any.

    Each box has its name, id, label, the value typed (or the field's value), its width and
    whether it is in error: only the boxes an error names, or all of them when it names none.
    """
    widget = field.field.widget
    values = field.value()
    if not isinstance(values, list | tuple):
        values = widget.decompress(values)
    wrong = _boxes_in_error(field)
    boxes = {
        part: {
            "name": f"{field.html_name}-{part}",
            "id": f"{field.auto_id}-{part}",
            "label": part.capitalize(),
            "value": value or "",
            "width": _BOX_WIDTHS[part],
            "error": part in wrong,
        }
        for part, value in zip(widget.parts, values, strict=True)
    }
    time = boxes.pop(TIME, None)
    if time:
        time["hint"] = f"For example, {TIME_EXAMPLE}"
    return {"date": list(boxes.values()), "time": time}


def _boxes_in_error(field: BoundField) -> tuple[str, ...]:
    """Return the boxes the field's errors name, in page order."""
    parts = field.field.widget.parts
    named = set()
    for error in field.errors.as_data():
        named.update((error.params or {}).get("parts", parts))
    return tuple(part for part in parts if part in named)
