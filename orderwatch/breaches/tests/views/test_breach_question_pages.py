"""Recording a breach one question at a time: the question pages, the draft kept in the
session (sealed), Check your answers, and the one save."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Breach, Known
from orderwatch.breaches.questions import QUESTIONS
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.breaches.tests.flow import (
    HOW,
    WHAT_HAPPENED,
    answer_every_page,
    check_url,
    date_answer,
    page_answers,
    question_url,
    save,
)
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.core.submissions import SAVED_ALREADY
from orderwatch.core.tests.dates import moment_parts
from orderwatch.notifications.models import Notification
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db

IN_THE_MOMENT = (
    "If anyone is in immediate danger, call 999. Otherwise report to the police on 101 or online."
)
SLUGS = [question.slug for question in QUESTIONS]
# Follow-ups asked only after the answer that needs them, and that answer.
FOLLOW_UPS = {
    "police-not-reported": ("police", {"police_reported": "no"}),
    "probation-told": ("probation", {"respondent_supervised": Known.GIVEN}),
    "other-agencies-told": ("other-agencies", {"other_agencies": Known.GIVEN}),
    "others-present-who": ("others-present", {"others_present": Known.GIVEN}),
    "witnesses-who": ("witnesses", {"witnesses": Known.GIVEN}),
}
# Each question page and Check your answers: the session, user and second factor (3), the case
# and its team (2), the orders with their changes and conditions (3), which decide the pages
# that apply. The start page also asks whether the draft was saved already (1).
QUESTION_PAGE_QUERIES = 8
START_QUERIES = 9


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


@pytest.fixture
def condition(order):
    return order.conditions.get()


def start_url(case) -> str:
    return reverse("breaches:new", kwargs={"case_id": case.pk})


def nothing_saved() -> bool:
    return not (
        Breach.objects.exists()
        or Task.objects.exists()
        or Notification.objects.exists()
        or AuditEvent.objects.filter(verb=Verb.BREACH_RECORDED).exists()
    )


def guidance_first(text: str) -> bool:
    main = text[text.index('id="main-content"') :]
    return IN_THE_MOMENT in main and main.index(IN_THE_MOMENT) < main.index("<h1")


def test_every_page_says_999_first_and_asks_in_order_report_record_consider(
    signed_in, order, condition
):
    case = order.case
    start = signed_in.get(start_url(case))
    assert guidance_first(start.text)
    assert start.context["next_url"] == question_url(case, "police")
    answers = page_answers(condition)
    url, seen = question_url(case, "police"), []
    while url != check_url(case):
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        page = signed_in.get(url)
        assert page.status_code == 200
        assert guidance_first(page.text), slug
        assert f"case {case.reference}" in page.context["form"].page_title() + page.text
        seen.append(slug)
        url = signed_in.post(url, answers[slug])["Location"]
    assert seen == [slug for slug in SLUGS if slug not in FOLLOW_UPS]
    assert guidance_first(signed_in.get(check_url(case)).text)
    assert nothing_saved()


@pytest.mark.parametrize(
    ("slug", "posted", "field", "message"),
    [
        ("police", {}, "police_reported", "Select whether it has been reported to the police"),
        (
            "police-not-reported",
            {"not_reported_reason": " "},
            "not_reported_reason",
            "Enter why it has not been reported to the police",
        ),
        (
            "police-report",
            {"police_method": "101", "police_officer_not_known": "on"},
            "police_reference",
            "Enter the police reference. If there is none yet, answer no and say why",
        ),
        (
            "probation",
            {},
            "respondent_supervised",
            "Select whether the respondent is supervised by probation",
        ),
        (
            "other-agencies",
            {},
            "other_agencies",
            "Select whether other agencies have been told",
        ),
        (
            "other-agencies-told",
            {},
            "other_agencies_details",
            "Enter which other agencies were told",
        ),
        (
            "reported-to-you",
            {},
            "reported_to_practitioner_at",
            "Enter the date and time it was reported to you",
        ),
        (
            "precision",
            {},
            "happened_precision",
            "Select how precisely it is known when it happened",
        ),
        ("when", {"happened_at_time": "21:00"}, "happened_on", "Enter the date it happened"),
        (
            "when",
            date_answer("happened_on", dt.date(2026, 1, 1)),
            "happened_at_time",
            "Enter the time it happened, or choose that only the date is known",
        ),
        ("where", {"location": "other"}, "location_details", "Enter where it happened"),
        (
            "what-happened",
            {"what_happened": ""},
            "what_happened",
            "Enter what happened, in as much detail as you have",
        ),
        ("behaviour", {}, "behaviours", "Select the kind of behaviour"),
        ("severity", {}, "severity", "Select how serious it was"),
        (
            "others-present-who",
            {"others_present_details": ""},
            "others_present_details",
            "Enter who else was there",
        ),
        ("witnesses", {}, "witnesses", "Select whether there were any witnesses"),
        (
            "witnesses-who",
            {},
            "witness_details",
            "Enter the witnesses' names and how to contact them",
        ),
        (
            "probation-told",
            date_answer("probation_informed_on", dt.date(2999, 1, 1)),
            "probation_informed_on",
            "Date probation was told must be today or in the past",
        ),
        (
            "conditions",
            {},
            "conditions",
            "Select the conditions it breached, or that it matches none of them",
        ),
        (
            "actions",
            {"actions": ["nothing_yet", "police_report"]},
            "actions",
            "Select what was done, or nothing yet – not both",
        ),
    ],
)
def test_each_page_explains_a_missing_or_bad_answer_and_keeps_nothing(
    signed_in, order, condition, slug, posted, field, message
):
    case = order.case
    answers = page_answers(condition)
    answer_every_page(signed_in, case, answers)
    if slug in FOLLOW_UPS:
        asked_after, answer = FOLLOW_UPS[slug]
        signed_in.post(question_url(case, asked_after), answer)
    before = signed_in.get(question_url(case, slug)).context["form"].initial

    response = signed_in.post(question_url(case, slug), posted)

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert response.context["form"].errors[field] == [message]
    assert f'href="#id_{field}' in response.text  # the summary links to the question
    assert response.context["form"] is not None
    assert signed_in.get(question_url(case, slug)).context["form"].initial == before
    assert nothing_saved()


@pytest.mark.parametrize("follow_up", FOLLOW_UPS)
def test_a_follow_up_is_asked_next_only_after_the_answer_that_needs_it(
    signed_in, order, condition, follow_up
):
    case = order.case
    answer_every_page(signed_in, case, page_answers(condition))
    asked_after, answer = FOLLOW_UPS[follow_up]
    assert signed_in.get(question_url(case, follow_up))["Location"] == check_url(case)

    response = signed_in.post(question_url(case, asked_after), answer)

    assert response["Location"] == question_url(case, follow_up)
    assert signed_in.get(question_url(case, follow_up)).status_code == 200
    assert signed_in.get(check_url(case))["Location"] == question_url(case, follow_up)


def test_not_reported_asks_why_instead_of_the_police_report(signed_in, case):
    response = signed_in.post(question_url(case, "police"), {"police_reported": "no"})
    assert response["Location"] == question_url(case, "police-not-reported")
    response = signed_in.post(response["Location"], {"not_reported_reason": "She is not ready to."})
    assert response["Location"] == question_url(case, "probation")
    assert signed_in.get(question_url(case, "police-report"))["Location"] == question_url(
        case, "probation"
    )
    response = signed_in.post(question_url(case, "police"), {"police_reported": "yes"})
    assert response["Location"] == question_url(case, "police-report")


@pytest.mark.parametrize(
    ("precision", "asked", "not_asked"),
    [
        ("exact", "happened_at_time", "happened_until"),
        ("approximate", "happened_at_time", "happened_until"),
        ("date", "happened_on", "happened_at_time"),
        ("range", "happened_until", "happened_at_time"),
    ],
)
def test_when_it_happened_asks_only_what_its_precision_needs(
    signed_in, case, precision, asked, not_asked
):
    signed_in.post(question_url(case, "precision"), {"happened_precision": precision})
    fields = signed_in.get(question_url(case, "when")).context["form"].fields
    assert asked in fields
    assert not_asked not in fields


def test_with_no_conditions_on_the_case_the_conditions_page_is_not_asked_and_it_saves(
    signed_in, case
):
    answers = page_answers()
    answers["witnesses"] = {"witnesses": Known.NOT_KNOWN}
    response = signed_in.post(question_url(case, "witnesses"), answers["witnesses"])
    assert response["Location"] == question_url(case, "actions")
    answer_every_page(signed_in, case, answers)
    response = save(signed_in, case)
    breach = Breach.objects.get()
    assert response["Location"] == breach.get_absolute_url()
    assert breach.matches_no_condition
    assert not breach.breached.exists()


def test_conduct_that_matches_no_condition_is_recorded_with_the_harassment_prompt(signed_in, order):
    answer_every_page(signed_in, order.case, page_answers())
    response = signed_in.post(
        check_url(order.case),
        {"submission_key": str(signed_in.get(check_url(order.case)).context["submission_key"])},
        follow=True,
    )
    assert Breach.objects.get().matches_no_condition
    assert "It may still be an offence, such as harassment or stalking" in response.text


def test_back_goes_to_the_page_before_or_the_start_and_from_a_change_to_check_answers(
    signed_in, order, condition
):
    case = order.case
    assert signed_in.get(question_url(case, "police")).context["back_url"] == start_url(case)
    signed_in.post(question_url(case, "police"), {"police_reported": "yes"})
    back = signed_in.get(question_url(case, "probation")).context["back_url"]
    assert back == question_url(case, "police-report")
    signed_in.post(question_url(case, "police"), {"police_reported": "no"})
    assert signed_in.get(question_url(case, "probation")).context["back_url"] == question_url(
        case, "police-not-reported"
    )
    changing = signed_in.get(question_url(case, "severity", changing=True))
    assert changing.context["back_url"] == check_url(case)
    assert f'href="{check_url(case)}" class="govuk-back-link"' in changing.text


def test_an_unknown_question_is_404(signed_in, case):
    assert signed_in.get(question_url(case, "address")).status_code == 404


def test_someone_not_on_the_team_gets_404_on_every_page_and_keeps_no_draft(
    client, outsider, order, condition
):
    case = order.case
    sign_in_with_two_factor(client, outsider)
    urls = [start_url(case), check_url(case), reverse("breaches:discard", args=[case.pk])]
    urls += [question_url(case, slug) for slug in SLUGS]
    for url in urls:
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, page_answers(condition)["police"]).status_code == 404
    assert "breach_drafts" not in client.session


def test_answers_are_kept_when_the_person_leaves_and_comes_back(signed_in, order, condition):
    case = order.case
    answers = page_answers(condition)
    for slug in ("police", "police-report", "probation"):
        signed_in.post(question_url(case, slug), answers[slug])
    signed_in.get(reverse("cases:list"))  # away, and back

    start = signed_in.get(start_url(case))
    assert "Continue the breach you started" in start.text
    assert start.context["next_url"] == question_url(case, "other-agencies")
    assert "Continue the breach you started" in signed_in.get(case.get_absolute_url()).text
    page = signed_in.get(question_url(case, "police-report"))
    assert 'value="NP-26-4471"' in page.text
    # Going to Check your answers early goes to the first question not answered.
    assert signed_in.get(check_url(case))["Location"] == question_url(case, "other-agencies")


def test_one_draft_per_case_and_none_seen_by_anyone_else(
    client, signed_in, practitioner, order, condition, colleague
):
    case, other_case = order.case, CaseFactory()
    CaseTeamMembershipFactory(case=other_case, user=practitioner)
    signed_in.post(question_url(case, "police"), {"police_reported": "yes"})
    signed_in.post(question_url(other_case, "police"), {"police_reported": "no"})
    signed_in.post(question_url(case, "police"), {"police_reported": "yes"})  # again: replaced
    assert set(signed_in.session["breach_drafts"]) == {str(case.pk), str(other_case.pk)}
    assert signed_in.get(question_url(other_case, "police-report")).status_code == 302
    assert signed_in.get(question_url(case, "police-report")).status_code == 200

    other = sign_in_with_two_factor(type(client)(), colleague)
    assert "Continue the breach you started" not in other.get(start_url(case)).text
    assert other.get(question_url(case, "police")).context["form"].initial == {}


def test_pages_that_show_the_witness_details_typed_are_never_compressed(
    signed_in, order, condition
):
    case = order.case
    answers = page_answers(condition)
    answers["witnesses"] = {"witnesses": Known.GIVEN}
    answers["witnesses-who"] = {"witness_details": "Sam, 07700 900555 " * 20}
    answer_every_page(signed_in, case, answers)
    for url in (question_url(case, "witnesses-who"), check_url(case)):
        response = signed_in.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert "Content-Encoding" not in response, url
        assert "07700 900555" in response.text


def test_the_draft_is_sealed_in_the_session_store(signed_in, case):
    canary = "Canary 7f3a: he left a note on the windscreen."
    signed_in.post(question_url(case, "what-happened"), {"what_happened": canary})
    session = Session.objects.get(session_key=signed_in.session.session_key)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT session_data FROM django_session WHERE session_key = %s",
            [session.session_key],
        )
        (raw,) = cursor.fetchone()
    assert "Canary" not in raw
    assert "Canary" not in str(session.get_decoded())
    assert canary in signed_in.get(question_url(case, "what-happened")).text


def test_check_your_answers_shows_every_answer_and_change_comes_back_to_it(
    signed_in, order, condition
):
    case = order.case
    answer_every_page(signed_in, case, page_answers(condition))
    page = signed_in.get(check_url(case))
    text = page.text
    for shown in (
        "Has it been reported to the police?",
        "NP-26-4471",
        "Not known",
        "The victim-survivor",
        "At about a time (approximate)",
        "9pm",
        WHAT_HAPPENED,
        "Going to the address or into the exclusion zone",
        "High",
        condition.wording,
        HOW,
        "Reported to the police",
    ):
        assert shown in text, shown
    change = question_url(case, "severity", changing=True)
    assert f'href="{change}"' in text.replace("&amp;", "&")

    assert signed_in.post(change, {"severity": "1"})["Location"] == check_url(case)
    sections = dict(signed_in.get(check_url(case)).context["sections"])
    assert ("How serious was it?", "Low", change) in sections["Record"]
    assert nothing_saved()


def test_a_change_that_opens_a_follow_up_asks_it_before_returning(signed_in, order, condition):
    case = order.case
    answers = page_answers(condition)
    answers["police"] = {"police_reported": "no"}
    answers["police-not-reported"] = {"not_reported_reason": "Not ready."}
    answer_every_page(signed_in, case, answers)
    assert "NP-26-4471" not in signed_in.get(check_url(case)).text

    response = signed_in.post(
        question_url(case, "police", changing=True), {"police_reported": "yes"}
    )
    assert response["Location"] == question_url(case, "police-report", changing=True)
    response = signed_in.post(response["Location"], page_answers(condition)["police-report"])
    assert response["Location"] == check_url(case)
    assert "NP-26-4471" in signed_in.get(check_url(case)).text


def test_saving_records_the_breach_once_and_clears_the_draft(
    signed_in, practitioner, order, condition
):
    case = order.case
    answer_every_page(signed_in, case, page_answers(condition))
    key = str(signed_in.get(check_url(case)).context["submission_key"])

    first = signed_in.post(check_url(case), {"submission_key": key}, follow=True)
    again = signed_in.post(check_url(case), {"submission_key": key}, follow=True)

    breach = Breach.objects.get()
    assert first.redirect_chain[-1][0] == breach.get_absolute_url()
    assert "Breach recorded" in first.text
    assert again.redirect_chain[-1][0] == breach.get_absolute_url()
    assert SAVED_ALREADY in again.text
    assert breach.what_happened == WHAT_HAPPENED
    assert breach.breached.get().how == HOW
    assert breach.occurrence.label().endswith("at about 9pm")
    assert Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW, assignee=practitioner).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.BREACH_RECORDED).count() == 1
    assert "breach_drafts" not in signed_in.session or not signed_in.session["breach_drafts"]
    assert "Continue the breach you started" not in signed_in.get(start_url(case)).text


def test_a_draft_whose_save_answer_was_lost_is_not_offered_again(signed_in, order, condition):
    case = order.case
    answer_every_page(signed_in, case, page_answers(condition))
    kept = dict(signed_in.session["breach_drafts"])
    save(signed_in, case)
    session = signed_in.session
    session["breach_drafts"] = kept  # as if the session was not saved after the breach was
    session.save()
    assert "Continue the breach you started" not in signed_in.get(start_url(case)).text
    assert Breach.objects.count() == 1


def test_discarding_the_draft_forgets_it_and_saves_nothing(signed_in, order, condition):
    case = order.case
    answer_every_page(signed_in, case, page_answers(condition))
    response = signed_in.post(reverse("breaches:discard", args=[case.pk]), follow=True)
    assert "The breach you started has been discarded. Nothing was saved." in response.text
    assert "Continue the breach you started" not in response.text
    assert signed_in.get(check_url(case))["Location"] == start_url(case)
    assert nothing_saved()


def test_answers_that_disagree_are_shown_on_check_answers_linked_to_the_page(
    signed_in, order, condition
):
    case = order.case
    answers = page_answers(condition)
    answers["reported-to-you"] |= moment_parts(
        "reported_to_practitioner_at", dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC)
    )
    answer_every_page(signed_in, case, answers)
    response = save(signed_in, case)
    assert response.status_code == 200
    message = "The time it was reported to you must be after it happened. Check both dates"
    link = question_url(case, "reported-to-you", changing=True)
    text = response.text.replace("&amp;", "&")
    assert f'<a href="{link}#id_reported_to_practitioner_at-day">{message}</a>' in text
    assert response.context["form"].errors
    assert "<title>Error: " in response.text
    assert nothing_saved()
    assert "Continue the breach you started" in signed_in.get(start_url(case)).text


def test_a_condition_from_another_case_is_refused_on_saving(signed_in, order, condition):
    case = order.case
    answer_every_page(signed_in, case, page_answers(condition))
    other = ConditionFactory()
    response = signed_in.post(
        question_url(case, "conditions"),
        {"conditions": [str(other.pk)], f"how_{other.pk}": "Tried it"},
    )
    assert "Select conditions from the orders on this case" in response.text
    assert nothing_saved()


def test_an_outage_while_saving_keeps_the_draft_and_the_retry_saves_once(
    signed_in, order, condition
):
    case = order.case
    answer_every_page(signed_in, case, page_answers(condition))
    key = str(signed_in.get(check_url(case)).context["submission_key"])
    with mock.patch(
        "orderwatch.breaches.services.audit_record",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = signed_in.post(check_url(case), {"submission_key": key})
    assert response.status_code == 503
    assert "Nothing has been saved yet" in response.text
    assert nothing_saved()
    assert WHAT_HAPPENED in signed_in.get(check_url(case)).text  # the draft is still there

    signed_in.post(check_url(case), {"submission_key": key})
    signed_in.post(check_url(case), {"submission_key": key})
    assert Breach.objects.get().what_happened == WHAT_HAPPENED


def test_the_breach_form_tells_the_case_team(signed_in, order, condition, police):
    officer = UserFactory(agency=police, role=User.Role.PRACTITIONER)
    CaseTeamMembershipFactory(case=order.case, user=officer, capacity="Officer in the case")
    answer_every_page(signed_in, order.case, page_answers(condition))
    save(signed_in, order.case)
    notice = Notification.objects.get()
    assert notice.recipient == officer
    assert notice.message == f"A breach was recorded on case {order.case.reference}"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_each_page_reads_the_same_number_of_queries_whatever_the_case_holds(
    signed_in, order, condition
):
    case = order.case
    answers = page_answers(condition)
    for asked_after, answer in FOLLOW_UPS.values():  # every follow-up asked too
        answers[asked_after] = answer
    answers |= {
        "police-not-reported": {"not_reported_reason": "Not ready."},
        "probation-told": {},
        "other-agencies-told": {"other_agencies_details": "Housing, yesterday."},
        "others-present-who": {"others_present_details": "Her sister."},
        "witnesses-who": {"witness_details": "A neighbour."},
    }
    answer_every_page(signed_in, case, answers)
    urls = [start_url(case), check_url(case)]
    urls += [question_url(case, slug) for slug in SLUGS if slug != "police-report"]
    expected = dict.fromkeys(urls, QUESTION_PAGE_QUERIES) | {start_url(case): START_QUERIES}
    assert {url: _queries(signed_in, url) for url in urls} == expected

    for _ in range(5):
        ConditionFactory.create_batch(3, order=OrderFactory(case=case))
    BreachFactory.create_batch(20, case=case)
    assert {url: _queries(signed_in, url) for url in urls} == expected


def test_titles_and_addresses_carry_the_question_and_case_reference_only(
    signed_in, order, condition
):
    case = order.case
    answers = page_answers(condition)
    answer_every_page(signed_in, case, answers)
    typed = [WHAT_HAPPENED, HOW, "NP-26-4471"]
    for url in [check_url(case)] + [question_url(case, slug) for slug in SLUGS]:
        response = signed_in.get(url, follow=True)
        title = re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)
        assert title.endswith(f"Record a breach – case {case.reference} – OrderWatch"), title
        assert not any(text in title or text in response.request["PATH_INFO"] for text in typed)
