import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from orderwatch.accounts.models import Agency, User
from orderwatch.audit.selectors import audit_chain_problems
from orderwatch.breaches.models import Breach
from orderwatch.cases.models import Case
from orderwatch.diary.models import DiaryAccess, DiaryOrderShare
from orderwatch.evidence.models import EvidenceItem
from orderwatch.orders.models import Order
from orderwatch.patterns.models import PatternEscalation
from orderwatch.patterns.selectors import escalations_recent
from orderwatch.retention.selectors import disposal_due
from orderwatch.sharing.models import Party
from orderwatch.sharing.selectors import PartyState, case_sharing
from orderwatch.tasks.models import Task, TaskReason

pytestmark = pytest.mark.django_db


def test_demo_loads_three_agencies_every_role_and_four_cases_and_can_run_again(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    assert Agency.objects.count() == 3
    # A social worker from the third agency, on no case yet, for a lead to add; and an
    # administrator in each agency, who can create accounts.
    social_worker = User.objects.get(email="sw.nowak@childrens.example")
    assert social_worker.agency.kind == Agency.Kind.CHILDRENS_SOCIAL_CARE
    assert not social_worker.case_memberships.exists()
    for agency in Agency.objects.all():
        admin = agency.users.get(role=User.Role.AGENCY_ADMIN)
        assert admin.has_perm("people.add_person")
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    assert Case.objects.count() == 4
    # One closed seven years ago, due for disposal by the IDVA service's administrator.
    (closed,) = Case.objects.filter(status=Case.Status.CLOSED)
    due = disposal_due(user=User.objects.get(email="admin@idva.example"))
    assert [row.reference for row in due.due] == [closed.reference]
    assert Order.objects.count() == 2  # one ending within the expiry window, one open-ended
    assert Case.objects.filter(team_memberships__agency__kind="police").distinct().count() == 2
    # A reported breach and two still to report, each a reason on its case's open review.
    assert Breach.objects.count() == 3
    assert Breach.objects.filter(police_reported=False).count() == 2
    open_reviews = Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW, done_at__isnull=True)
    assert TaskReason.objects.filter(origin=Task.Origin.BREACH, task__in=open_reviews).count() == 3
    # Both cases with incidents show a pattern: Jordan's two breaches, and Alex's breach with
    # a diary entry marked as an incident. Each adds one reason to its case's one review.
    assert TaskReason.objects.filter(origin=Task.Origin.PATTERN).count() == 2
    assert open_reviews.count() == 2
    assert {e.code for e in PatternEscalation.objects.all()} >= {
        "course_of_conduct",
        "stalking_indicators",
    }
    manager = User.objects.get(email="manager@idva.example")
    (escalated,) = {item.escalation.case for item in escalations_recent(user=manager)}
    assert escalated.breaches.count() == 2
    # The school was told of the order before the breach, so it needs telling again.
    school = Party.objects.get(kind=Party.Kind.SCHOOL)
    states = {p.party.pk: p.state for p in case_sharing(case=school.case).parties}
    assert states[school.pk] is PartyState.NEEDS_UPDATING
    # Evidence: a practitioner's note linked to the breach, and the victim-survivor's diary.
    assert EvidenceItem.objects.filter(author_kind="practitioner", breach_links__isnull=False)
    diary_entry = EvidenceItem.objects.get(author_kind="victim_survivor")
    assert DiaryAccess.objects.get().user == diary_entry.created_by
    # The lead shows Alex the order in plain words ("Your order", ADR 0046).
    shown = DiaryOrderShare.objects.get(withdrawn_at__isnull=True)
    assert shown.case == diary_entry.case
    out = capsys.readouterr().out
    assert "demo-orderwatch-2026" in out
    assert "alex.notes@mail.example" in out
    assert list(audit_chain_problems()) == []


def test_demo_refuses_to_load_outside_local_use(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_demo_code_prints_the_code_the_authenticator_would_show(settings, capsys):
    from orderwatch.accounts.mfa import mfa_enrolment_device, mfa_verify
    from orderwatch.accounts.models import AuthenticatorApp

    settings.DEBUG = True
    call_command("load_demo")
    user = User.objects.get(email="idva.jones@idva.example")
    with pytest.raises(CommandError, match="Sign in with this account first"):
        call_command("demo_code", user.email)
    mfa_enrolment_device(user=user)
    AuthenticatorApp.objects.filter(user=user).update(confirmed=True)
    capsys.readouterr()
    call_command("demo_code", user.email)
    code = capsys.readouterr().out.strip()
    assert mfa_verify(user=user, code=code)


def test_demo_code_refuses_real_accounts_and_production(settings, practitioner):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", practitioner.email)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("demo_code", "idva.jones@idva.example")
