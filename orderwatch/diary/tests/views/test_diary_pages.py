"""The diary's pages: neutral, uncached, signed out when idle, and shut to everyone else."""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import TEST_PASSWORD, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.diary.models import DiaryAccess
from orderwatch.diary.services import diary_entry_add, diary_invite_create
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.evidence.tests.factories import png_upload

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
FORM = "/notes/start/"


@pytest.fixture
def diary_user(case):
    return DiaryAccessFactory(case=case).user


def title(response) -> str:
    return re.search(rb"<title>(.*?)</title>", response.content, re.S).group(1).decode().strip()


def follow_link(client, practitioner, case) -> str:
    """Make an invitation and open its link; return the link."""
    _, secret = diary_invite_create(actor=practitioner, case_id=case.pk)
    link = reverse("diary:start", kwargs={"secret": secret})
    response = client.get(link)
    assert response["Location"] == FORM
    return link


def answer(client, data: dict):
    """Send the set-up form; the email task runs as it commits, as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(FORM, data)


def emailed_link(message) -> str:
    return re.search(r"https://orderwatch\.test(/notes/start/confirm/\S+/)", message.body).group(1)


def test_setting_up_from_the_link_finishes_from_the_emailed_link(client, practitioner, case):
    url = follow_link(client, practitioner, case)
    form = client.get(FORM)
    assert b"Set up your notes" in form.content
    assert url.encode() not in form.content  # the secret left the address at once
    response = answer(
        client, {"email": "Me@Mail.example", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response["Location"] == reverse("diary:start-sent")
    assert b"Check your email" in client.get(response["Location"]).content
    assert not User.objects.filter(email="me@mail.example").exists()  # not until confirmed
    (message,) = mail.outbox
    assert message.to == ["me@mail.example"]
    confirm = emailed_link(message)

    assert client.get(confirm)["Location"] == reverse("diary:confirm-form")
    page = client.get(reverse("diary:confirm-form"))
    assert confirm.encode() not in page.content  # the token left the address too
    assert not User.objects.filter(email="me@mail.example").exists()  # opening it does nothing
    response = client.post(reverse("diary:confirm-form"))
    assert response["Location"] == reverse("diary:sign-in")
    keeper = User.objects.get(email="me@mail.example")
    assert keeper.is_victim_survivor
    assert keeper.check_password(PASSWORD)
    assert "_auth_user_id" not in client.session  # signing in still needs the password
    response = client.post(
        reverse("diary:sign-in"), {"username": "me@mail.example", "password": PASSWORD}
    )
    assert client.get(reverse("diary:home")).status_code == 200
    # Both links are spent, and the forms forget them.
    assert client.get(url).status_code == 404
    assert client.get(confirm).status_code == 404
    assert client.get(FORM).status_code == 404


def test_the_set_up_answers_the_same_whether_or_not_the_address_has_an_account(
    client, practitioner, case
):
    answers = []
    for email in (practitioner.email, "nobody-has-this@mail.example"):
        follow_link(client, practitioner, case)
        data = {"email": email, "password": PASSWORD, "password_again": PASSWORD}
        response = answer(client, data)
        page = client.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                page.status_code,
                re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", page.content),
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][:3] == (302, reverse("diary:start-sent"), 200)
    # Only the emails differ: the account holder is told nothing was set up, with no link.
    in_use, setup = mail.outbox
    assert (in_use.to, setup.to) == ([practitioner.email], ["nobody-has-this@mail.example"])
    assert in_use.subject == setup.subject
    assert "/notes/" not in in_use.body
    assert "already used to sign in" in in_use.body
    assert "/notes/start/confirm/" in setup.body
    assert not User.objects.filter(email="nobody-has-this@mail.example").exists()


def test_a_link_for_an_address_taken_since_it_was_sent_sets_up_nothing(client, practitioner, case):
    follow_link(client, practitioner, case)
    data = {"email": "me@mail.example", "password": PASSWORD, "password_again": PASSWORD}
    answer(client, data)
    client.get(emailed_link(mail.outbox[0]))
    practitioner.email = "me@mail.example"
    practitioner.save()
    response = client.post(reverse("diary:confirm-form"))
    assert response.status_code == 404
    assert not DiaryAccess.objects.exists()


def test_a_newer_answer_voids_the_link_sent_for_the_older_one(client, practitioner, case):
    follow_link(client, practitioner, case)
    for email in ("first@mail.example", "second@mail.example"):
        answer(client, {"email": email, "password": PASSWORD, "password_again": PASSWORD})
    first, second = (emailed_link(message) for message in mail.outbox)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 302


def test_mistakes_on_the_set_up_page_are_explained_and_answers_kept(client, practitioner, case):
    follow_link(client, practitioner, case)
    response = client.post(
        FORM,
        {"email": "me@mail.example", "password": PASSWORD, "password_again": "something else"},
    )
    assert response.status_code == 200
    assert title(response) == "Error: Notes"
    assert b"The passwords do not match" in response.content
    assert b'value="me@mail.example"' in response.content
    assert not DiaryAccess.objects.exists()


def test_diary_pages_have_a_neutral_title_and_exit_control_and_are_never_cached(
    client, diary_user, case
):
    client.force_login(diary_user)
    response = client.get(reverse("diary:home"))
    assert title(response) == "Notes"
    assert b"OrderWatch" not in response.content
    assert case.reference.encode() not in response.content
    assert b'data-module="govuk-exit-this-page"' in response.content
    assert b'rel="icon" href="data:,"' in response.content
    assert response["Cache-Control"] == "no-store"
    sign_in_page = client.get(reverse("diary:sign-in"))
    assert sign_in_page["Cache-Control"] == "no-store"


def test_the_first_page_says_what_to_record_and_why_discreetly_and_uncached(
    client, diary_user, case
):
    client.force_login(diary_user)
    response = client.get(reverse("diary:home"))
    text = response.content.decode()
    guidance = text[text.index('data-testid="what-to-record"') : text.index("</details>")]
    assert " open>" in guidance  # open until the first note is saved
    for words in (
        "Keep adding notes, even when nothing seems to change.",
        "the date and time",
        "what happened and what was said",
        "who saw or heard it",
        "screenshots and photos",
        "Your notes are not kept on this phone.",
        "If your phone is lost, broken or taken, you do not lose anything.",
        "like Bright Sky",
        "add it as a note with the file",
        "tell your support worker",
    ):
        assert words in guidance
    # Discreet: nothing says what the notes are about or who keeps them.
    for word in ("abuse", "order", "breach", "police", "court"):  # "order" covers OrderWatch
        assert word not in guidance.lower()
    assert title(response) == "Notes"
    assert 'data-module="govuk-exit-this-page"' in text
    assert response["Cache-Control"] == "no-store"

    diary_entry_add(
        actor=diary_user,
        occurrence=Occurrence(Precision.DATE, timezone.localdate()),
        description="A note.",
        uploads=[],
    )
    text = client.get(reverse("diary:home")).content.decode()
    guidance = text[text.index('data-testid="what-to-record"') :]
    assert guidance.startswith('data-testid="what-to-record">')  # still there, closed


def test_exit_signs_out_clears_the_browser_and_goes_to_an_everyday_site(
    client, diary_user, settings
):
    client.force_login(diary_user)
    response = client.get(reverse("diary:exit"))
    assert response.status_code == 302
    assert response["Location"] == settings.ORDERWATCH_EXIT_PAGE_URL
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get(reverse("diary:home")).status_code == 302  # signed out


def test_an_idle_diary_signs_itself_out(client, diary_user, settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False)
    client.force_login(diary_user)
    assert client.get(reverse("diary:home")).status_code == 200
    time_machine.shift(dt.timedelta(seconds=settings.ORDERWATCH_DIARY_IDLE_SECONDS - 1))
    assert client.get(reverse("diary:home")).status_code == 200
    time_machine.shift(dt.timedelta(seconds=settings.ORDERWATCH_DIARY_IDLE_SECONDS + 1))
    response = client.get(reverse("diary:home"))
    assert response["Location"] == reverse("diary:sign-in")
    assert client.get(reverse("diary:home"))["Location"].startswith(reverse("diary:sign-in"))


def test_a_diary_account_cannot_use_the_professional_sign_in(client, diary_user):
    response = client.post(
        reverse("accounts:sign-in"), {"username": diary_user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert "_auth_user_id" not in client.session


def test_a_professional_cannot_use_the_diary_sign_in(client, practitioner):
    response = client.post(
        reverse("diary:sign-in"), {"username": practitioner.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert "_auth_user_id" not in client.session


def test_the_diary_sign_in_opens_the_diary(client, diary_user):
    response = client.post(
        reverse("diary:sign-in"), {"username": diary_user.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("diary:home")


@pytest.mark.parametrize(
    "target", ["evil", "-1", "https://evil.example/", "//evil.example/", "/notes/sign-in/"]
)
def test_the_diary_sign_in_follows_next_only_to_another_diary_page(client, diary_user, target):
    """Issue 17, item 4: never off the site, never a loop, never a 500 (ADR 0024)."""
    response = client.post(
        f"{reverse('diary:sign-in')}?{urlencode({'next': target})}",
        {"username": diary_user.email, "password": TEST_PASSWORD},
    )
    assert response["Location"] == reverse("diary:home")


def test_an_ended_diary_cannot_sign_in(client, case, practitioner, diary_user):
    sign_in_with_two_factor(client, practitioner)
    client.post(reverse("diary-case:end", kwargs={"case_id": case.pk}))
    client.logout()
    response = client.post(
        reverse("diary:sign-in"), {"username": diary_user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_after_ending_access_the_page_says_when_and_by_whom_and_offers_a_new_invitation(
    client, practitioner, case, diary_user, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 5, 16, 15, tzinfo=dt.UTC), tick=False)
    sign_in_with_two_factor(client, practitioner)
    overview_url = reverse("diary-case:overview", kwargs={"case_id": case.pk})
    response = client.post(reverse("diary-case:end", kwargs={"case_id": case.pk}), follow=True)
    text = response.content.decode()
    assert "Diary access has ended" in text
    assert "Access ended" in text
    assert "Not set up" not in text
    ended = text[text.index('data-testid="diary-ended"') :]
    assert "Diary access was ended on 5 March 2026 at 4:15pm by Pat Lead, " in ended
    assert practitioner.agency.name in ended
    assert "Invite the victim-survivor again" in text
    assert "Make an invitation link" in text

    client.post(reverse("diary-case:invite", kwargs={"case_id": case.pk}))
    text = client.get(overview_url).content.decode()
    assert "Invited" in text
    assert "Diary access was ended on 5 March 2026 at 4:15pm" in text  # still said
    assert "Access ended" not in text


def test_the_invitation_link_is_shown_once_to_the_practitioner(client, practitioner, case):
    sign_in_with_two_factor(client, practitioner)
    overview = client.get(reverse("diary-case:overview", kwargs={"case_id": case.pk}))
    assert b"Not set up" in overview.content
    response = client.post(reverse("diary-case:invite", kwargs={"case_id": case.pk}))
    link = re.search(rb'data-testid="invite-link"', response.content)
    assert link is not None
    secret = re.search(rb"/notes/start/([\w-]+)/", response.content).group(1).decode()
    # The practitioner can warn them: the address they choose gets the set-up link (ADR 0026).
    assert b"A link to confirm the address is emailed to it" in response.content
    assert b"an address only they can read" in response.content
    overview = client.get(reverse("diary-case:overview", kwargs={"case_id": case.pk}))
    assert b"Invited" in overview.content
    assert secret.encode() not in overview.content


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"password": "short", "password_again": "short"}, b"This password is too short"),
        ({"password": "password1234", "password_again": "password1234"}, b"too common"),
    ],
)
def test_refused_set_up_answers_are_explained_on_the_page(
    client, practitioner, case, answers, message
):
    follow_link(client, practitioner, case)
    data = {"email": "me@mail.example", "password": PASSWORD, "password_again": PASSWORD}
    response = client.post(FORM, data | answers)
    assert response.status_code == 200
    assert message in response.content
    assert title(response) == "Error: Notes"


def test_a_link_stops_working_after_five_answers_taken_or_refused(client, practitioner, case):
    url = follow_link(client, practitioner, case)
    weak = {"email": "me@mail.example", "password": "short", "password_again": "short"}
    for _ in range(3):
        assert client.post(FORM, weak).status_code == 200
    for number in range(2):
        data = {"email": f"try-{number}@mail.example", "password": PASSWORD}
        assert answer(client, data | {"password_again": PASSWORD}).status_code == 302
    assert client.post(FORM, weak).status_code == 404
    assert b"This link does not work" in client.get(url).content
    assert len(mail.outbox) == 2
    assert client.get(emailed_link(mail.outbox[1])).status_code == 302  # the last still works


@pytest.mark.parametrize("signed_in", [False, True])
def test_error_pages_under_the_diary_never_name_the_service(client, case, signed_in):
    if signed_in:
        client.force_login(DiaryAccessFactory(case=case).user)
    for url in ("/notes/nothing-here/", "/cases/"):
        response = client.get(url)
        if url == "/cases/" and not signed_in:
            continue  # a professional page: its own sign-in
        assert response.status_code == 404
        assert title(response) == "Notes"
        assert b"OrderWatch" not in response.content
        assert b"domestic abuse" not in response.content


def test_too_many_diary_sign_in_attempts_pause_it_neutrally(client, case):
    keeper = DiaryAccessFactory(case=case).user
    for _ in range(6):
        response = client.post(
            reverse("diary:sign-in"), {"username": keeper.email, "password": "wrong password"}
        )
    assert response.status_code == 429
    assert title(response) == "Notes"
    assert b"Sign in is paused" in response.content
    assert b"OrderWatch" not in response.content


def test_viewing_the_case_diary_page_and_leaving_a_diary_are_audited(
    client, practitioner, case, diary_user
):
    sign_in_with_two_factor(client, practitioner)
    client.get(reverse("diary-case:overview", kwargs={"case_id": case.pk}))
    viewed = AuditEvent.objects.get(verb=Verb.CASE_VIEWED, actor=practitioner)
    assert viewed.payload == {"page": "diary"}
    client.logout()
    client.force_login(diary_user)
    client.get(reverse("diary:exit"))
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_OUT, actor=diary_user).exists()


def test_the_diary_home_queries_stay_fixed_as_entries_grow(client, case, diary_user):
    def queries_with(entries: int) -> int:
        for _ in range(entries):
            diary_entry_add(
                actor=diary_user,
                occurrence=Occurrence(Precision.DATE, timezone.localdate()),
                description="Another note.",
                uploads=[png_upload()],
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("diary:home")).status_code == 200
        return len(queries)

    client.force_login(diary_user)
    assert queries_with(2) == queries_with(20)
