"""Words people type for an audit event are notes outside its hashed body (ADR 0039): shown to
auditors, erasable with a case's records, and checked against the hash the event keeps."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.tests.factories import authenticator_code, sign_in_with_two_factor
from orderwatch.audit import chain
from orderwatch.audit.models import NOTE_ERASED, AuditEvent, AuditNote, Verb
from orderwatch.audit.selectors import audit_note_problems
from orderwatch.audit.services import audit_notes_erase, audit_record
from orderwatch.cases.services import case_protected_address_reveal
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory

pytestmark = pytest.mark.django_db
REASON = "Home visit with Sam Example on Tuesday"


def _verify() -> str:
    """Run `audit_verify`; return what it printed, or raise CommandError naming problems."""
    out = io.StringIO()
    call_command("audit_verify", stdout=out, stderr=out)
    return out.getvalue()


def _problems() -> list[str]:
    return list(audit_note_problems())


def _reveal(actor, case, reason: str = REASON) -> AuditEvent:
    step_up = mfa_step_up(user=actor, code=authenticator_code(actor))
    case_protected_address_reveal(actor=actor, case_id=case.pk, reason=reason, step_up=step_up)
    return AuditEvent.objects.filter(verb=Verb.ADDRESS_REVEALED).first()


def test_a_reveal_reason_is_a_note_not_in_the_hashed_body(practitioner, case):
    event = _reveal(practitioner, case)
    assert REASON not in json.dumps(event.chain_body())
    note = event.notes.get()
    assert (note.name, note.text) == ("reason", REASON)
    assert event.payload == {"notes": {"reason": chain.note_commitment(note.salt, REASON)}}


def test_a_note_is_sealed_at_rest(practitioner, case):
    _reveal(practitioner, case)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text, salt FROM {AuditNote._meta.db_table}")  # noqa: S608
        ((stored, salt),) = cursor.fetchall()
    assert "Sam Example" not in stored
    assert len(bytes.fromhex(salt)) == 32


def test_the_same_reason_twice_gets_different_hashes(practitioner, case):
    first, second = _reveal(practitioner, case), _reveal(practitioner, case)
    assert first.payload["notes"]["reason"] != second.payload["notes"]["reason"]


def test_an_empty_note_is_not_kept(practitioner):
    event = audit_record(
        actor=practitioner, verb=Verb.PASSKEY_ADDED, target=practitioner, notes={"name": ""}
    )
    assert event.payload == {}
    assert not AuditNote.objects.exists()


def test_typed_words_cannot_be_passed_as_the_notes_payload_key(practitioner):
    with pytest.raises(ValueError, match="notes="):
        audit_record(
            actor=practitioner,
            verb=Verb.SIGNED_IN,
            target=practitioner,
            payload={"notes": {"reason": REASON}},
        )
    assert not AuditEvent.objects.exists()


def test_erasing_a_cases_notes_keeps_its_chain_verifying(practitioner, case):
    other_case = CaseFactory()
    CaseTeamMembershipFactory(case=other_case, user=practitioner, is_lead=True)
    event = _reveal(practitioner, case)
    _reveal(practitioner, case, reason="Second visit, with the police")
    kept = _reveal(practitioner, other_case, reason="A different family entirely")
    passkey = audit_record(
        actor=practitioner, verb=Verb.PASSKEY_ADDED, target=practitioner, notes={"name": "Phone"}
    )
    assert "intact" in _verify()

    assert audit_notes_erase(case_id=case.pk) == 2

    assert not AuditNote.objects.filter(event__case_id=case.pk).exists()
    assert [n.text for n in AuditNote.objects.order_by("event_id")] == [
        "A different family entirely",
        "Phone",
    ]
    assert (kept.notes.count(), passkey.notes.count()) == (1, 1)
    event.refresh_from_db()
    assert "reason" in event.payload["notes"]  # the hash stays in the hashed body
    assert "intact" in _verify()
    assert audit_notes_erase(case_id=case.pk) == 0  # safe to run again


def test_erasing_a_case_with_no_notes_erases_nothing(practitioner, case):
    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    assert audit_notes_erase(case_id=case.pk) == 0
    assert "intact" in _verify()


def test_a_changed_note_is_reported(practitioner, case):
    event = _reveal(practitioner, case)
    AuditNote.objects.filter(event=event).update(text="Nothing much")
    assert _problems() == [
        f"Audit note 'reason' of event #{event.sequence} has been changed: it does not match "
        "the hash its event keeps."
    ]
    with pytest.raises(CommandError, match="1 problem"):
        _verify()


def test_a_changed_salt_is_reported(practitioner, case):
    event = _reveal(practitioner, case)
    AuditNote.objects.filter(event=event).update(salt="00" * 32)
    assert len(_problems()) == 1
    AuditNote.objects.filter(event=event).update(salt="not hex")
    assert "has been changed" in _problems()[0]


def test_a_note_added_afterwards_is_reported(practitioner, case):
    event = audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    AuditNote.objects.create(event=event, name="reason", text="Made up later", salt="00" * 32)
    assert _problems() == [
        f"Audit note 'reason' of event #{event.sequence} was not written with its event: the "
        "event keeps no hash of it."
    ]


def test_a_note_that_cannot_be_decrypted_is_reported_not_fatal(practitioner, case):
    event = _reveal(practitioner, case)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditNote._meta.db_table} SET text = %s",  # noqa: S608
            ["gAAAAA-not-a-token"],
        )
    assert _problems() == [
        f"Audit note 'reason' of event #{event.sequence} cannot be decrypted with the "
        "configured field keys."
    ]


def test_the_auditor_reads_the_reason_and_then_that_it_was_erased(
    client, auditor, practitioner, case
):
    _reveal(practitioner, case)
    sign_in_with_two_factor(client, auditor)
    assert f"Reason given: {REASON}" in client.get(reverse("audit:list")).text
    audit_notes_erase(case_id=case.pk)
    page = client.get(reverse("audit:list")).text
    assert REASON not in page
    assert f"Reason given: {NOTE_ERASED}".replace("'", "&#x27;") in page


def test_events_written_before_notes_still_show_their_reason(client, auditor, practitioner, case):
    audit_record(
        actor=practitioner,
        verb=Verb.ADDRESS_REVEALED,
        target=case,
        case=case,
        payload={"reason": "Written the old way"},
    )
    sign_in_with_two_factor(client, auditor)
    assert "Reason given: Written the old way" in client.get(reverse("audit:list")).text
