"""Diary entries: evidence items by the victim-survivor, stored at once, the lead told."""

import pytest
from django.core import mail
from django.http import Http404

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.diary.selectors import diary_entries
from orderwatch.diary.services import diary_end, diary_entry_add
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.evidence.models import ChainEntry, EvidenceItem
from orderwatch.evidence.selectors import chain_problem
from orderwatch.evidence.tests.factories import (
    EXECUTABLE,
    item_added,
    png_upload,
    yesterday_evening,
)
from orderwatch.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(case):
    return DiaryAccessFactory(case=case).user


def add(keeper, **overrides):
    values = {"occurrence": yesterday_evening(), "description": "He followed me to the shop."}
    return diary_entry_add(actor=keeper, **{**values, **overrides})


def test_an_entry_is_chained_evidence_on_their_case_by_them(keeper, case):
    entry = add(keeper, uploads=[png_upload()])
    assert entry.case == case
    assert entry.author_kind == EvidenceItem.AuthorKind.VICTIM_SURVIVOR
    assert entry.created_by == keeper
    assert entry.kind == EvidenceItem.Kind.PHOTO
    assert entry.files.get().content_type == "image/png"
    assert ChainEntry.objects.filter(item=entry).exists()
    assert chain_problem(case=case) is None


def test_an_entry_without_files_is_a_note(keeper):
    assert add(keeper).kind == EvidenceItem.Kind.NOTE


def test_the_lead_alone_is_told_with_no_detail_in_the_email(
    keeper, case, practitioner, django_capture_on_commit_callbacks
):
    colleague = UserFactory(agency=practitioner.agency)
    CaseTeamMembershipFactory(case=case, user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        entry = add(keeper)
    notification = Notification.objects.get()
    assert notification.recipient == practitioner
    assert notification.kind == Notification.Kind.DIARY_ENTRY_ADDED
    assert notification.link == entry.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[practitioner.email]]
    assert "He followed me" not in mail.outbox[0].body


def test_a_refused_file_saves_nothing_and_tells_nobody(keeper, case):
    with pytest.raises(Exception, match="must be"):
        add(keeper, uploads=[png_upload("photo.jpg", EXECUTABLE)])
    assert not EvidenceItem.objects.exists()
    assert not Notification.objects.exists()


def test_an_ended_diary_cannot_add_entries(keeper, case, practitioner):
    diary_end(actor=practitioner, case_id=case.pk)
    keeper.refresh_from_db()
    with pytest.raises(Http404):
        add(keeper)
    assert not EvidenceItem.objects.exists()


def test_they_see_only_their_own_entries_never_the_practitioners(keeper, case, practitioner):
    item_added(actor=practitioner, case=case, description="Officer's note of the call.")
    mine = add(keeper)
    assert [entry.item for entry in diary_entries(user=keeper)] == [mine]


def test_a_professional_has_no_diary(practitioner):
    with pytest.raises(Http404):
        diary_entries(user=practitioner)
