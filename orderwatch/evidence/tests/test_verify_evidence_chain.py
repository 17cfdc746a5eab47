from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.tests.factories import item_added

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def other_case(outsider):
    other = CaseFactory()
    CaseTeamMembershipFactory(case=other, user=outsider, is_lead=True)
    return other


def _verify(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_evidence_chain", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_intact_chains_pass(practitioner, case, outsider, other_case):
    item_added(actor=practitioner, case=case)
    item_added(actor=outsider, case=other_case)
    out, err = _verify()
    assert "Every evidence chain checked is intact." in out
    assert err == ""


def test_each_broken_case_is_named_with_its_first_inconsistency(
    practitioner, case, outsider, other_case
):
    item_added(actor=practitioner, case=case)
    theirs = item_added(actor=outsider, case=other_case)
    EvidenceItem.objects.filter(pk=theirs.pk).update(kind=EvidenceItem.Kind.NOTE)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 case"):
        call_command("verify_evidence_chain", stdout=out, stderr=err)
    assert err.getvalue() == (
        f"Case {other_case.reference}: Entry 1: item {theirs.pk} has changed since it was "
        "recorded.\n"
    )


def test_one_case_can_be_checked_by_reference(practitioner, case, outsider, other_case):
    theirs = item_added(actor=outsider, case=other_case)
    EvidenceItem.objects.filter(pk=theirs.pk).update(description="Changed.")
    out, _ = _verify("--case", case.reference)
    assert "intact" in out


def test_an_unknown_reference_is_an_error():
    with pytest.raises(CommandError, match="No case has the reference NOPE"):
        _verify("--case", "NOPE")


def test_files_are_not_read_without_the_option(media, practitioner, case):
    item = item_added(actor=practitioner, case=case)
    (media / item.files.get().stored_name).unlink()
    out, _ = _verify()
    assert "Every evidence chain checked is intact." in out


def test_with_files_whole_files_pass(practitioner, case, outsider, other_case):
    item_added(actor=practitioner, case=case)
    item_added(actor=outsider, case=other_case)
    out, err = _verify("--files")
    assert "Every evidence chain and file checked is intact." in out
    assert err == ""


def test_with_files_an_altered_file_is_named(media, practitioner, case):
    item_added(actor=practitioner, case=case)
    item = item_added(actor=practitioner, case=case)
    stored = media / item.files.get().stored_name
    raw = bytearray(stored.read_bytes())
    raw[-1] ^= 0x40
    stored.write_bytes(raw)
    err = StringIO()
    with pytest.raises(CommandError, match="1 case"):
        call_command("verify_evidence_chain", "--files", stdout=StringIO(), stderr=err)
    assert err.getvalue() == (
        f"Case {case.reference}: Item {item.pk}, file 1: the file is altered or damaged "
        "(Chunk 0 failed its integrity check).\n"
    )


def test_with_files_a_missing_file_is_named(media, practitioner, case):
    item = item_added(actor=practitioner, case=case)
    (media / item.files.get().stored_name).unlink()
    err = StringIO()
    with pytest.raises(CommandError, match="inconsistent evidence chain or file"):
        call_command("verify_evidence_chain", "--files", stdout=StringIO(), stderr=err)
    assert err.getvalue() == (
        f"Case {case.reference}: Item {item.pk}, file 1: the file is missing.\n"
    )
