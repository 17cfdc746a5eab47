"""Answering the breach form's question pages in tests, as a browser would post them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from orderwatch.breaches.models import Breach, Known
from orderwatch.core.tests.dates import date_parts, moment_parts

WHAT_HAPPENED = "He knocked on the door and shouted through the letterbox."
HOW = "He came to the door."


def date_answer(name: str, day: dt.date) -> dict:
    """Return a date question's answer as the form posts it."""
    return date_parts(name, day)


def page_answers(condition=None) -> dict[str, dict]:
    """Return each question page's answers: yesterday at about 9pm, reported to police on
    101; breaching `condition`, or matching none without one."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if condition is not None:
        conditions = {"conditions": [str(condition.pk)], f"how_{condition.pk}": HOW}
    else:
        conditions = {"matches_no_condition": "on"}
    return {
        "police": {"police_reported": "yes"},
        "police-report": {
            **date_answer("police_reported_on", yesterday),
            "police_method": "101",
            "police_reference": "NP-26-4471",
            "police_officer_not_known": "on",
        },
        "probation": {"respondent_supervised": Known.NOT_KNOWN},
        "other-agencies": {"other_agencies": Known.NONE},
        "reported-to-you": {
            **moment_parts("reported_to_practitioner_at", timezone.now()),
            "reported_by": Breach.ReportedBy.VICTIM_SURVIVOR,
        },
        "precision": {"happened_precision": "approximate"},
        "when": {**date_answer("happened_on", yesterday), "happened_at_time": "21:00"},
        "where": {"location": Breach.Location.PROTECTED_ADDRESS},
        "what-happened": {"what_happened": WHAT_HAPPENED},
        "behaviour": {"behaviours": ["attending", "direct_contact"]},
        "severity": {"severity": "3"},
        "others-present": {"others_present": Known.NONE},
        "witnesses": {"witnesses": Known.NONE},
        "conditions": conditions,
        "actions": {"actions": ["police_report"]},
    }


def question_url(case, slug: str, *, changing: bool = False) -> str:
    url = reverse("breaches:question", kwargs={"case_id": case.pk, "question": slug})
    return f"{url}?change=1" if changing else url


def check_url(case) -> str:
    return reverse("breaches:check", kwargs={"case_id": case.pk})


def answer_every_page(client, case, answers: dict[str, dict]) -> str:
    """Post each page's answers, following where each sends next; return the last redirect."""
    url = question_url(case, "police")
    while url != check_url(case):
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        response = client.post(url, answers[slug])
        assert response.status_code == 302, (slug, response.context["form"].errors)
        url = response["Location"]
    return url


def save(client, case):
    """Press "Save breach" on Check your answers, with the key it was shown with."""
    page = client.get(check_url(case))
    key = page.context["submission_key"]
    return client.post(check_url(case), {"submission_key": str(key)})
