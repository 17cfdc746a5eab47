"""The import pages: upload and dry run, check, import once, see references and counts."""

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.cases.models import Case
from orderwatch.confidential.uploads import TOO_LARGE
from orderwatch.core.submissions import SAVED_ALREADY
from orderwatch.imports.sheet import HEADINGS
from orderwatch.imports.tests.files import csv_text, order_row

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/import/"
CHECK_URL = "/import/check/"


@pytest.fixture
def signed_in(client, agency_admin, idva_service):
    UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, email="lead@example.org")
    return sign_in_with_two_factor(client, agency_admin)


def upload(client, text: str, name: str = "cases.csv", encoding: str = "utf-8"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, text.encode(encoding))})


def good_file() -> str:
    return csv_text(
        order_row(case_key="A", victim_given_name="Canaryvictim"),
        order_row(case_key="B", respondent_given_name="Rob"),
        bom=True,
    )


def raw_session(client) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT session_data FROM django_session WHERE session_key = %s",
            [client.session.session_key],
        )
        return cursor.fetchone()[0]


def test_the_upload_page_offers_the_template_and_describes_every_column(signed_in):
    page = signed_in.get(UPLOAD_URL).text
    assert "Import cases from a spreadsheet" in page
    assert all(f"<code>{name}</code>" in page for name in HEADINGS)
    template = signed_in.get(reverse("imports:template"))
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in template["Content-Disposition"]
    assert template.content.decode().strip() == ",".join(HEADINGS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "cases.xlsx"}, "The selected file must be a CSV file"),
        ({"encoding": "utf-16"}, "The selected file must be saved as CSV UTF-8"),
        ({"text": "victim_given_name\nVicky\n"}, "The file is missing these columns: case_key"),
    ],
)
def test_a_wrong_file_is_refused_on_the_upload_page(signed_in, kwargs, message):
    response = upload(signed_in, **({"text": good_file()} | kwargs))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert not Case.objects.exists()


def test_a_file_over_the_limit_is_refused(signed_in, settings):
    settings.ORDERWATCH_IMPORT_MAX_BYTES = 200
    response = upload(signed_in, good_file())
    assert TOO_LARGE in response.text
    assert not Case.objects.exists()


def test_the_dry_run_lists_every_row_s_problems_and_imports_nothing(signed_in):
    text = csv_text(
        order_row(case_key="A"),
        order_row(case_key="B", made_on=""),
        order_row(case_key="C", lead_email="nobody@example.org"),
    )
    response = upload(signed_in, text)
    assert response.status_code == 200
    assert "Problems in the file" in response.text
    assert "Nothing has been imported." in response.text
    rows = response.text.split('data-testid="problems"')[1]
    assert [line.strip() for line in rows.splitlines() if "Row " in line] == [
        '<td class="govuk-table__cell">Row 3</td>',
        '<td class="govuk-table__cell">Row 4</td>',
    ]
    assert "Enter the date the order was made" in rows
    assert "Choose someone from your agency who works with families" in rows
    assert not Case.objects.exists()
    assert signed_in.get(CHECK_URL).url == UPLOAD_URL  # nothing waits to be imported


def test_checking_then_confirming_imports_once_and_shows_references_only(signed_in):
    check = upload(signed_in, good_file())
    assert check.status_code == 302
    assert check.url == CHECK_URL
    assert not Case.objects.exists()
    # The file waits sealed in the session: no name readable where sessions are stored.
    assert "Canaryvictim" not in raw_session(signed_in)
    assert "Canaryvictim" not in str(Session.objects.get().get_decoded())
    page = signed_in.get(CHECK_URL)
    assert "2 cases, 6 people and 2 orders will be added" in page.text
    key = page.context["form"]["submission_key"].value()
    done = signed_in.post(CHECK_URL, {"submission_key": key})
    assert done.status_code == 302
    result = signed_in.get(done.url).text
    assert "Cases imported" in result
    for case in Case.objects.all():
        assert case.reference in result
    assert "Canaryvictim" not in result
    assert "Rob" not in result
    again = signed_in.post(CHECK_URL, {"submission_key": key}, follow=True)
    assert SAVED_ALREADY in again.text
    assert again.redirect_chain[-1][0] == done.url
    assert Case.objects.count() == 2
    assert "case_import" not in signed_in.session  # the file is gone once imported


def test_another_agency_s_import_does_not_exist_for_its_administrator(signed_in, police):
    upload(signed_in, good_file())
    key = signed_in.get(CHECK_URL).context["form"]["submission_key"].value()
    done = signed_in.post(CHECK_URL, {"submission_key": key})
    other = sign_in_with_two_factor(
        Client(), UserFactory(agency=police, role=User.Role.AGENCY_ADMIN)
    )
    assert other.get(done.url).status_code == 404
    assert "Imported before" not in other.get(UPLOAD_URL).text


def test_a_lead_gone_since_the_check_imports_nothing_and_says_so(signed_in):
    upload(signed_in, good_file())
    key = signed_in.get(CHECK_URL).context["form"]["submission_key"].value()
    User.objects.filter(email="lead@example.org").update(is_active=False)
    response = signed_in.post(CHECK_URL, {"submission_key": key})
    assert "Something changed since the file was checked" in response.text
    assert "Row 2: Choose someone from your agency who works with families" in response.text
    assert not Case.objects.exists()
    assert signed_in.get(CHECK_URL).url == UPLOAD_URL


def test_a_wrong_file_after_a_checked_one_leaves_nothing_waiting(signed_in):
    upload(signed_in, good_file())
    upload(signed_in, good_file(), name="cases.txt")
    assert signed_in.get(CHECK_URL).url == UPLOAD_URL
