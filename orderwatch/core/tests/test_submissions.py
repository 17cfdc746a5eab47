"""One save per create form: a second post with the same key saves nothing and shows the first."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse

from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.breaches.models import Breach
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.tests.flow import (
    answer_every_page,
    check_url,
    page_answers,
    question_url,
)
from orderwatch.cases.models import CasePerson
from orderwatch.cases.services import case_person_add
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.models import Submission
from orderwatch.core.submissions import SAVED_ALREADY, SubmittedAlready
from orderwatch.core.tests.dates import date_parts, moment_parts
from orderwatch.diary.services import diary_entry_add
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.tests.factories import png_upload
from orderwatch.orders.models import Order
from orderwatch.safety.models import RiskAssessment, SafetyAction, SafetyMeasure
from orderwatch.safety.services import risk_level_set, safety_action_add, safety_measure_add
from orderwatch.sharing.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def key_on(page) -> str:
    """The one-time key the form was shown with."""
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page.text).group(1)


def banner(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_each_showing_of_the_form_has_a_new_key(signed_in, case):
    url = reverse("evidence:new", kwargs={"case_id": case.pk})
    assert key_on(signed_in.get(url)) != key_on(signed_in.get(url))


def test_a_breach_sent_twice_is_saved_once_and_the_second_shows_it(signed_in, order):
    answer_every_page(signed_in, order.case, page_answers(order.conditions.first()))
    key = key_on(signed_in.get(check_url(order.case)))
    first = signed_in.post(check_url(order.case), {"submission_key": key})
    (breach,) = Breach.objects.all()
    assert first["Location"] == breach.get_absolute_url()

    again = signed_in.post(check_url(order.case), {"submission_key": key}, follow=True)
    assert Breach.objects.count() == 1
    assert again.redirect_chain[0][0] == breach.get_absolute_url()
    assert SAVED_ALREADY in banner(again)


def test_answers_refused_do_not_use_up_the_key(signed_in, order):
    answers = page_answers(order.conditions.first())
    when = dict(answers["reported-to-you"])
    answers["reported-to-you"] |= moment_parts(
        "reported_to_practitioner_at", dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC)
    )
    answer_every_page(signed_in, order.case, answers)
    key = key_on(signed_in.get(check_url(order.case)))
    refused = signed_in.post(check_url(order.case), {"submission_key": key})
    assert refused.status_code == 200
    assert key_on(refused) == key  # the corrected answers are sent with the same key
    assert not Submission.objects.exists()
    answers["reported-to-you"] = when
    signed_in.post(
        question_url(order.case, "reported-to-you", changing=True), answers["reported-to-you"]
    )
    saved = signed_in.post(check_url(order.case), {"submission_key": key})
    assert saved.status_code == 302
    assert Breach.objects.count() == 1


def test_someone_elses_key_saves_nothing_and_shows_nothing_of_theirs(client, signed_in, order):
    answers = page_answers(order.conditions.first())
    answer_every_page(signed_in, order.case, answers)
    key = key_on(signed_in.get(check_url(order.case)))
    signed_in.post(check_url(order.case), {"submission_key": key})
    colleague = UserFactory(agency=order.case.team_memberships.first().user.agency)
    CaseTeamMembershipFactory(case=order.case, user=colleague)
    other = sign_in_with_two_factor(client.__class__(), colleague)
    answer_every_page(other, order.case, answers)

    response = other.post(check_url(order.case), {"submission_key": key})
    assert Breach.objects.count() == 1
    assert response["Location"] == "/"


def test_evidence_sent_twice_is_one_item_and_leaves_no_second_file(signed_in, case, media):
    url = reverse("evidence:new", kwargs={"case_id": case.pk})
    key = key_on(signed_in.get(url))
    answers = {
        "kind": "screenshot",
        "happened_precision": "date",
        **date_parts("happened_on", dt.date(2026, 3, 4)),
        "description": "Screenshot of the messages.",
        "submission_key": key,
    }
    signed_in.post(url, {**answers, "files": png_upload()})
    again = signed_in.post(url, {**answers, "files": png_upload()}, follow=True)

    (item,) = EvidenceItem.objects.all()
    assert again.redirect_chain[0][0] == item.get_absolute_url()
    assert SAVED_ALREADY in banner(again)
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert len(stored) == 1


def test_a_case_opened_twice_is_one_case(signed_in):
    url = reverse("cases:new")
    key = key_on(signed_in.get(url))
    answers = {"victim_given_name": "Sam", "lead_capacity": "idva", "submission_key": key}
    first = signed_in.post(url, answers)
    assert first.status_code == 302, first.context["form"].errors
    again = signed_in.post(url, answers)
    # Names are sealed at rest (ADR 0023): compared after reading, not by the database.
    victims = CasePerson.objects.filter(role=CasePerson.Role.VICTIM_SURVIVOR)
    assert [person.given_name for person in victims].count("Sam") == 1
    assert again["Location"] == first["Location"]


def test_an_order_sent_twice_is_one_order(signed_in, case, order):
    url = reverse("orders:new", kwargs={"case_id": case.pk})
    key = key_on(signed_in.get(url))
    answers = {
        "order_type": order.order_type.pk,
        **date_parts("made_on", dt.date(2026, 1, 5)),
        **date_parts("starts_on", dt.date(2026, 1, 5)),
        **date_parts("ends_on", dt.date(2027, 1, 5)),
        "protected_people": [p.pk for p in order.protected_people.all()],
        "submission_key": key,
    }
    first = signed_in.post(url, answers)
    assert first.status_code == 302, first.context["form"].errors
    again = signed_in.post(url, answers)
    assert case.orders.count() == 2  # the fixture's and the one sent twice
    assert again["Location"] == first["Location"]


def test_a_diary_entry_saved_twice_is_one_entry(case):
    user = DiaryAccessFactory(case=case).user
    key = uuid.uuid4()
    when = Occurrence(Precision.DATE, case.created_at.date())
    diary_entry_add(actor=user, occurrence=when, description="He was outside.", submission_key=key)
    with pytest.raises(SubmittedAlready) as already:
        diary_entry_add(
            actor=user, occurrence=when, description="He was outside.", submission_key=key
        )
    assert already.value.url == reverse("diary:home")
    assert EvidenceItem.objects.filter(case=case).count() == 1
    assert Order.objects.filter(case=case).count() == 0


CREATE_PAGES = [
    ("cases:new", ()),
    ("cases:person-new", ("case",)),
    ("orders:new", ("case",)),
    ("orders:condition-new", ("case", "order")),
    ("orders:change-new", ("case", "order")),
    ("orders:address-change-new", ("case",)),
    # A breach is saved from Check your answers, after its question pages (the draft's key):
    # breaches/tests/views/test_breach_question_pages.py.
    ("evidence:new", ("case",)),
    ("safety:action-new", ("case",)),
    ("safety:measure-new", ("case",)),
    ("safety:review-new", ("case",)),
    ("safety:risk-new", ("case",)),
    ("sharing:party-new", ("case",)),
    ("sharing:share-new", ("case",)),
]


def _create_url(name, needs, order) -> str:
    ids = {"case": ("case_id", order.case_id), "order": ("order_id", order.pk)}
    return reverse(name, kwargs=dict(ids[need] for need in needs))


@pytest.mark.parametrize(("name", "needs"), CREATE_PAGES)
def test_every_create_form_is_sent_once(signed_in, practitioner, order, name, needs):
    PartyFactory(case=order.case)  # someone to share with
    url = _create_url(name, needs, order)
    key = key_on(signed_in.get(url))
    assert 'data-prevent-double-click="true"' in signed_in.get(url).text
    # As if the first post saved and its answer was lost: the second is shown what was saved.
    Submission.objects.create(key=key, user=practitioner, url=order.get_absolute_url())
    again = signed_in.post(url, {"submission_key": key})
    assert again.status_code == 302
    assert again["Location"] == order.get_absolute_url()


SERVICES_ON_A_CASE = [
    (
        safety_action_add,
        {"what": "Change the locks", "who": "Housing", "due_on": None},
        SafetyAction,
    ),
    (
        safety_measure_add,
        {"kind": "locks", "details": "New locks fitted", "status": "planned"},
        SafetyMeasure,
    ),
    (risk_level_set, {"level": "high", "reason": "Two breaches this week"}, RiskAssessment),
    (case_person_add, {"role": CasePerson.Role.CHILD, "given_name": "Alex"}, CasePerson),
]


@pytest.mark.parametrize(("service", "answers", "model"), SERVICES_ON_A_CASE)
def test_a_service_saves_once_per_key_even_when_the_view_did_not_look(
    practitioner, case, service, answers, model
):
    key = uuid.uuid4()
    before = model.objects.count()
    service(actor=practitioner, case=case, submission_key=key, **answers)
    with pytest.raises(SubmittedAlready):
        service(actor=practitioner, case=case, submission_key=key, **answers)
    assert model.objects.count() == before + 1
