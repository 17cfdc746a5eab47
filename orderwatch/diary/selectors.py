"""Reads for diaries: a diary user's own case (never shown to them), and a case's diary state."""

from dataclasses import dataclass

from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.core.govuk_dates import moment_label
from orderwatch.diary.models import DiaryAccess, DiaryInvite
from orderwatch.evidence.models import EvidenceFile, EvidenceItem


def diary_case(*, user: User) -> Case:
    """Return the case whose diary `user` keeps, or 404 if they keep none that is open."""
    if not user.is_victim_survivor:
        raise Http404
    access = (
        DiaryAccess.objects.select_related("case")
        .filter(user=user, ended_at__isnull=True, user__is_active=True)
        .first()
    )
    if access is None:
        raise Http404
    return access.case


@dataclass(frozen=True)
class DiaryState:
    access: DiaryAccess | None
    invite: DiaryInvite | None  # the unused link still waiting, if any
    ended: DiaryAccess | None  # with no diary open, the last one ended, and by whom

    @property
    def ended_at_label(self) -> str:
        """When the last diary was ended, in GOV.UK style: 3 March 2026 at 4:15pm."""
        return moment_label(self.ended.ended_at)


def case_diary_state(*, user: User, case_id) -> tuple[Case, DiaryState]:
    """Return the case (if the user may see it) and whether its diary is set up, invited or
    was ended."""
    case = access_case(user, case_id)
    access = DiaryAccess.objects.filter(case=case, ended_at__isnull=True).first()
    invite = DiaryInvite.objects.filter(
        case=case, used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    ended = None
    if access is None:
        ended = (
            DiaryAccess.objects.filter(case=case, ended_at__isnull=False)
            .select_related("ended_by__agency")
            .order_by("-ended_at")
            .first()
        )
    return case, DiaryState(access=access, invite=invite, ended=ended)


@dataclass(frozen=True)
class DiaryEntry:
    item: EvidenceItem
    happened: str
    saved: str
    removed: bool
    files: list[str]  # what each file is, never its name


def diary_entries(*, user: User) -> list[DiaryEntry]:
    """Return the diary keeper's own entries, newest first: nothing else on their case."""
    case = diary_case(user=user)
    items = (
        EvidenceItem.objects.filter(
            case=case, created_by=user, author_kind=EvidenceItem.AuthorKind.VICTIM_SURVIVOR
        )
        .select_related("removal")
        .prefetch_related("files")
        .order_by("-created_at")
    )
    return [
        DiaryEntry(
            item=item,
            happened=item.occurrence.label(),
            saved=moment_label(item.created_at),
            removed=hasattr(item, "removal"),
            files=[_file_label(file) for file in item.files.all()],
        )
        for item in items
    ]


def _file_label(file: EvidenceFile) -> str:
    kind = file.content_type.split("/")[0]
    what = {"image": "Photo", "audio": "Recording", "video": "Video"}.get(kind, "File")
    return f"{what} ({filesizeformat(file.size)})"
