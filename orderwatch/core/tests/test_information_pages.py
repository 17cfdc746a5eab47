"""The public information pages (ADR 0029): open to anyone, writing nothing, saying what the
settings say; every page's footer links to them; printed pages carry the protective marking."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent
from orderwatch.core.tests.test_settings import _load_production
from orderwatch.diary.tests.factories import DiaryAccessFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PAGES = ["core:accessibility", "core:privacy", "core:cookies"]
NOTES_PAGES = ["diary:privacy", "diary:accessibility", "diary:cookies"]
# Full pages with a layout of their own: the two base layouts, the PDFs' templates, and the
# error pages made without the database.
OWN_LAYOUT = {
    "core/base.html",
    "diary/base.html",
    "orders/summary_pdf.html",
    "chronology/chronology_pdf.html",
    "exports/case_record_pdf.html",
    "evidence/bundle_index.html",
    "500.html",
    "core/outage.html",
}


@pytest.mark.parametrize("name", PAGES + NOTES_PAGES)
def test_information_pages_are_open_to_anyone_and_write_nothing(client, practitioner, name):
    assert client.get(reverse(name)).status_code == 200
    sign_in_with_two_factor(client, practitioner)
    events = AuditEvent.objects.count()
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert practitioner.email not in response.text
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", NOTES_PAGES)
def test_the_notes_pages_answer_their_keeper_and_never_name_the_service(client, case, name):
    client.force_login(DiaryAccessFactory(case=case).user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "<title>Notes</title>" in response.text
    assert "OrderWatch" not in response.text


def test_the_notes_privacy_page_says_what_is_emailed_and_what_removal_keeps(client, case):
    """What the keeper is told matches what happens: the set-up link and sign-in app notices are
    emailed (ADR 0026); a removed note's files are deleted, its words kept (evidence)."""
    client.force_login(DiaryAccessFactory(case=case).user)
    text = client.get(reverse("diary:privacy")).text
    assert "We only email you to check your email address" in text
    assert "the times you sign in" in text
    assert (
        "Any photos or files in it are then deleted. The words of the note are still kept" in text
    )


def test_the_privacy_notice_says_backups_keep_what_was_deleted(client, settings):
    settings.ORDERWATCH_OPERATOR_NAME = "Northshire Council"
    text = client.get(reverse("core:privacy")).text
    assert "Backups of the service are kept for a time set by Northshire Council" in text
    assert "stays in the backups taken before it was deleted" in text


def test_a_diary_keeper_is_kept_to_the_notes_own_pages(client, case):
    client.force_login(DiaryAccessFactory(case=case).user)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404


def test_unset_operator_details_show_placeholders_naming_the_settings(client, settings):
    settings.ORDERWATCH_OPERATOR_NAME = ""
    settings.ORDERWATCH_CONTACT_EMAIL = ""
    settings.ORDERWATCH_DPO_CONTACT = ""
    accessibility = client.get(reverse("core:accessibility")).text
    privacy = client.get(reverse("core:privacy")).text
    assert "[The partnership&#x27;s name: set ORDERWATCH_OPERATOR_NAME]" in accessibility
    assert "[Contact email: set ORDERWATCH_CONTACT_EMAIL]" in accessibility
    assert "mailto:" not in accessibility
    assert "[Data protection officer&#x27;s contact: set ORDERWATCH_DPO_CONTACT]" in privacy


def test_the_operators_details_come_from_settings(client, settings):
    settings.ORDERWATCH_OPERATOR_NAME = "Testshire Domestic Abuse Partnership"
    settings.ORDERWATCH_CONTACT_EMAIL = "orderwatch@testshire.example"
    settings.ORDERWATCH_DPO_CONTACT = "dpo@testshire.example"
    for name in PAGES:
        text = client.get(reverse(name)).text
        assert "set ORDERWATCH_" not in text
    accessibility = client.get(reverse("core:accessibility")).text
    assert 'run by <span data-testid="operator-name">Testshire Domestic' in accessibility
    assert 'href="mailto:orderwatch@testshire.example"' in accessibility
    assert "dpo@testshire.example" in client.get(reverse("core:privacy")).text
    notes = client.get(reverse("diary:privacy")).text
    assert "dpo@testshire.example" in notes
    assert "Testshire Domestic Abuse Partnership" not in notes  # the diary stays discreet


def test_the_privacy_notice_says_what_is_deleted_and_when_from_settings(client, settings):
    settings.ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS = 45
    settings.ORDERWATCH_EXPORT_KEEP_HOURS = 6
    text = client.get(reverse("core:privacy")).text
    assert "after 45 days" in text
    assert "6 hours after they are ready" in text
    assert "usually 6 years after closing, or until the youngest child is 25" in text
    assert "Only the case reference, its dates, its retention class" in text
    for basis in ("Article 6(1)(e)", "Article 9(2)(g)", "Schedule 1", "Part 3", "0303 123 1113"):
        assert basis in text


def _cookie_names(html: str) -> list[str]:
    return re.findall(r"<td class=\"govuk-table__cell\"><code>([^<]+)</code>", html)


@pytest.mark.parametrize("name", ["core:cookies", "diary:cookies"])
def test_the_cookies_pages_list_the_cookies_by_the_names_settings_give_them(client, settings, name):
    assert _cookie_names(client.get(reverse(name)).text) == ["sessionid", "csrftoken", "messages"]
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"  # as in production
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    assert _cookie_names(client.get(reverse(name)).text) == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "messages",
    ]


def test_the_cookies_page_says_how_long_each_lasts(client):
    text = client.get(reverse("core:cookies")).text
    assert "It stops working after 30 minutes without use." in text
    assert f"{round(django_settings.CSRF_COOKIE_AGE / 86400)} days" in text
    assert "does not use cookies to measure how you use it (analytics)" in text


def test_no_page_template_has_a_layout_without_the_footer_links():
    """Every page extends one of the two base layouts, so it carries their footer links."""
    own_layout = {
        str(path.relative_to(templates))
        for templates in ROOT.glob("orderwatch/*/templates")
        for path in templates.rglob("*.html")
        if "<html" in path.read_text(encoding="utf-8")
    }
    assert own_layout == OWN_LAYOUT


@pytest.mark.parametrize(
    ("layout", "links"),
    [
        ("core/base.html", PAGES),
        ("diary/base.html", NOTES_PAGES),
    ],
)
def test_every_pages_footer_links_to_the_information_pages(client, layout, links):
    html = render_to_string(layout, {}, request=RequestFactory().get("/"))
    footer = html[html.index('<footer class="govuk-footer">') :]
    hrefs = re.findall(r'class="govuk-footer__link" href="([^"]+)"', footer)
    assert hrefs == [reverse(name) for name in links]
    for href in hrefs:
        assert client.get(href).status_code == 200


def test_signed_in_pages_print_the_protective_marking(client, practitioner, settings):
    sign_in_with_two_factor(client, practitioner)
    text = client.get(reverse("cases:list")).text
    assert '<body class="govuk-template__body ow-marked--official-sensitive">' in text
    assert text.count('class="ow-protective-marking') == 2
    assert ">OFFICIAL-SENSITIVE</p>" in text
    settings.ORDERWATCH_PROTECTIVE_MARKING = "OFFICIAL"
    assert "ow-marked--official" in client.get(reverse("cases:list")).text


def test_pages_before_sign_in_carry_no_marking(client):
    text = client.get(reverse("accounts:sign-in")).text
    assert "ow-marked--" not in text
    assert "ow-protective-marking" not in text


def test_the_print_stylesheet_knows_every_marking_the_settings_allow():
    css = (ROOT / "build" / "static" / "orderwatch" / "application.css").read_text()
    for marking in django_settings.ORDERWATCH_PROTECTIVE_MARKINGS:
        page = f"marked-{marking.lower()}"
        assert f".ow-marked--{marking.lower()}{{page:{page}}}" in css
        rules = css[css.index(f"@page {page}{{") :]
        assert rules.index(f'@top-center{{content:"{marking}"') < rules.index("}}")
        assert f'@bottom-center{{content:"{marking}"' in rules


def test_an_unknown_marking_stops_the_service_starting():
    result = _load_production(ORDERWATCH_PROTECTIVE_MARKING="SECRET")
    assert result.returncode != 0
    assert "ORDERWATCH_PROTECTIVE_MARKING must be one of OFFICIAL-SENSITIVE, OFFICIAL" in (
        result.stderr
    )
