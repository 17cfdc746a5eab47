"""Filters for the victim-survivor's safety plan page: a practical measure in plain words."""

from django import template

from orderwatch.diary import plan_words

register = template.Library()


@register.filter
def measure_kind_in_plain_words(kind: str) -> str:
    """Return what a kind of practical measure is, in the keeper's words."""
    return plan_words.measure_kind_in_plain_words(kind)


@register.filter
def measure_status_in_plain_words(status: str) -> str:
    """Return "In place" or "Planned"."""
    return plan_words.measure_status_in_plain_words(status)
