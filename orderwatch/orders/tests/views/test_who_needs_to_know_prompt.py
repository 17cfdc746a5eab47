"""After an order is recorded or changed, its page points to who needs to know, naming the
services around a family, until everyone on the list has been told."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.cases.models import CasePerson
from orderwatch.orders.models import OrderChange
from orderwatch.orders.services import order_change_record, order_create
from orderwatch.orders.tests.factories import order_type
from orderwatch.sharing.models import Party
from orderwatch.sharing.services import party_add, share_record

pytestmark = pytest.mark.django_db
SERVICES = (
    "children's social care",
    "Early Help",
    "probation",
    "the health visitor or GP",
    "the school or nursery",
    "housing",
    "Ensure any safety plans are clear and included in Early Help or Children's Social Care.",
)


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def _order_page(client, order) -> str:
    url = reverse("orders:detail", kwargs={"case_id": order.case_id, "order_id": order.pk})
    return client.get(url).text


def _prompt(page: str) -> str:
    """Return the prompt's markup, or "" when the page has none."""
    start = page.find('data-testid="who-needs-to-know-prompt"')
    return page[start : page.index("</div>\n</div>", start)] if start >= 0 else ""


def _school(practitioner, case) -> Party:
    return party_add(
        actor=practitioner,
        case=case,
        kind=Party.Kind.SCHOOL,
        name="Sam Teacher",
        role="Designated safeguarding lead",
        organisation="Oakfield Primary School",
    )


def _tell(practitioner, party) -> None:
    share_record(
        actor=practitioner,
        case=party.case,
        party_id=party.pk,
        what=["order_summary"],
        shared_on=timezone.localdate(),
        how="secure_email",
        lawful_basis="safeguarding",
        told_what_to_do_on_breach=True,
        purpose="So the school knows whom to look out for at pick-up",
    )


def test_a_new_order_with_no_one_on_the_list_names_the_services_to_tell(
    signed_in, practitioner, case
):
    today = timezone.localdate()
    order = order_create(
        actor=practitioner,
        case=case,
        order_type=order_type(),
        made_on=today,
        starts_on=today,
        ends_on=today + dt.timedelta(days=365),
        until_further_order=False,
        protected_people=list(case.people.filter(role=CasePerson.Role.VICTIM_SURVIVOR)),
    )
    prompt = _prompt(_order_page(signed_in, order))
    assert "Tell everyone who needs to know about this order." in prompt
    for words in SERVICES:
        assert words in prompt
    assert reverse("sharing:list", kwargs={"case_id": case.pk}) in prompt


def test_a_variation_asks_again_for_those_told_before(signed_in, practitioner, order):
    _tell(practitioner, _school(practitioner, order.case))
    assert _prompt(_order_page(signed_in, order)) == ""  # everyone told: nothing to prompt

    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.VARIED,
        made_on=timezone.localdate(),
        what_changed="Exclusion zone widened",
    )
    prompt = _prompt(_order_page(signed_in, order))
    assert "1 of 1 still to be told about this order, or about its latest changes." in prompt
    for words in SERVICES:
        assert words in prompt


def test_the_case_page_names_the_services_when_no_one_is_on_the_list(signed_in, case):
    page = signed_in.get(case.get_absolute_url()).text
    section = page[page.index('id="sharing"') :]
    assert "No one has been added yet." in section
    for words in SERVICES:
        assert words in section
