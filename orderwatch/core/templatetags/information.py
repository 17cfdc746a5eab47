"""The protective marking, for the page layout's printed header and footer (ADR 0029)."""

from django import template

from orderwatch.core import information

register = template.Library()


@register.simple_tag
def protective_marking() -> str:
    return information.protective_marking()
