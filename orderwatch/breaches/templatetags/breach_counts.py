"""`{% breaches_and_incidents breaches incidents %}`: the counts in words, as one function says."""

from django import template

from orderwatch.breaches.counting import breaches_and_incidents as in_words

register = template.Library()


@register.simple_tag
def breaches_and_incidents(breaches: int, incidents: int, evidence: int = 0) -> str:
    return in_words(breaches, incidents, evidence)
