"""Append-only audit events in hash chains, and the signed checkpoints over their heads."""

import pgtrigger
from django.conf import settings
from django.db import models

from orderwatch.audit import chain
from orderwatch.confidential.fields import SealedTextField


class Verb(models.TextChoices):
    """What happened. Extend this list as features land; never reuse a value."""

    SIGNED_IN = "user.signed_in", "Signed in"
    SIGNED_OUT = "user.signed_out", "Signed out"
    MFA_ENROLLED = "user.mfa_enrolled", "Set up two-factor authentication"
    MFA_VERIFIED = "user.mfa_verified", "Passed two-factor authentication"
    # Passkeys (issue 17, ADR 0025); signing in with one is MFA_VERIFIED, method "passkey".
    PASSKEY_ADDED = "user.passkey_added", "Added a passkey"
    PASSKEY_REMOVED = "user.passkey_removed", "Removed a passkey"
    # Your own account (issue 15).
    MFA_REPLACED = "user.mfa_replaced", "Replaced their authenticator app"
    PASSWORD_CHANGED = "user.password_changed", "Changed their password"
    PASSWORD_RESET_EMAILED = "user.password_reset_emailed", "Was emailed a password reset link"
    PASSWORD_RESET = "user.password_reset", "Reset their password from an email link"
    OTHER_SESSIONS_ENDED = "user.other_sessions_ended", "Signed out of their other sessions"
    # Agency administration (issue 15).
    AGENCY_CREATED = "agency.created", "Created an agency"
    AGENCY_CHANGED = "agency.changed", "Changed an agency"
    ACCOUNT_CREATED = "user.account_created", "Created an account"
    SETUP_LINK_RENEWED = "user.setup_link_renewed", "Asked for a new account set-up link"
    ACCOUNT_SETUP_EMAILED = "user.account_setup_emailed", "Was emailed an account set-up link"
    ACCOUNT_SET_UP = "user.account_set_up", "Set up their account from an email link"
    ROLE_CHANGED = "user.role_changed", "Changed someone's role"
    ACCOUNT_DEACTIVATED = "user.account_deactivated", "Deactivated an account"
    ACCOUNT_REACTIVATED = "user.account_reactivated", "Reactivated an account"
    MFA_RESET = "user.mfa_reset", "Reset someone's authenticator app"
    LEAD_NEEDED = "case.lead_needed", "Noted that a case needs a new lead"
    LEAD_VACANCY_JOINED = (
        "case.lead_vacancy_joined",
        "Joined a case team to choose a new lead",
    )
    CASE_CREATED = "case.created", "Created a case"
    CASE_VIEWED = "case.viewed", "Viewed a case"
    CASE_CLOSED = "case.closed", "Closed a case"
    CASE_REOPENED = "case.reopened", "Reopened a case"
    PERSON_ADDED = "case.person_added", "Added a person to a case"
    TEAM_MEMBER_ADDED = "case.team_member_added", "Added someone to a case team"
    TEAM_MEMBER_REMOVED = "case.team_member_removed", "Removed someone from a case team"
    LEAD_HANDED_OVER = "case.lead_handed_over", "Handed over the lead of a case"
    ADDRESS_ACCESS_GRANTED = (
        "case.address_access_granted",
        "Allowed a case team member to see the protected address",
    )
    ADDRESS_ACCESS_WITHDRAWN = (
        "case.address_access_withdrawn",
        "Stopped a case team member seeing the protected address",
    )
    ADDRESS_RECORDED = "case.protected_address_recorded", "Recorded a protected address"
    ADDRESS_REVEALED = "case.protected_address_revealed", "Revealed a protected address"
    ADDRESS_CHANGED = "case.address_change_recorded", "Recorded that the victim-survivor moved"
    ORDER_ADDED = "order.added", "Recorded an order"
    ORDER_VIEWED = "order.viewed", "Viewed an order"
    CONDITION_ADDED = "order.condition_added", "Added a condition to an order"
    CONDITION_ENDED = "order.condition_ended", "Recorded that a condition no longer applies"
    ORDER_CHANGED = "order.changed", "Recorded a variation, extension or discharge"
    COPY_ADDED = "order.copy_added", "Uploaded a copy of an order"
    COPY_CHECKED = "order.copy_checked", "Checked the conditions against the copy"
    COPY_VIEWED = "order.copy_viewed", "Opened a copy of an order"
    SUMMARY_SHARED = "order.summary_made", "Made an order summary to share"
    CATALOGUE_CHANGED = "catalogue.order_type_changed", "Changed the order-type catalogue"
    BREACH_RECORDED = "breach.recorded", "Recorded a breach"
    BREACH_VIEWED = "breach.viewed", "Viewed a breach"
    BREACH_POLICE_REPORT = "breach.police_report_updated", "Updated a breach's police report"
    WITNESSES_REVEALED = "breach.witnesses_revealed", "Revealed witness details"
    TASK_OPENED = "task.opened", "Opened a task"
    PATTERN_ESCALATED = "pattern.escalated", "Noticed a change in the pattern of incidents"
    TASK_DONE = "task.done", "Completed a task"
    TASK_REASON_ADDED = "task.reason_added", "Added a reason to an open review"
    TASK_REASSIGNED = "task.reassigned", "Passed a task to someone else on the case team"
    SAFETY_ACTION_ADDED = "safety.action_added", "Added a safety plan action"
    SAFETY_ACTION_DONE = "safety.action_done", "Marked a safety plan action done"
    SAFETY_MEASURE_ADDED = "safety.measure_added", "Added a practical safety measure"
    SAFETY_AGREEMENT_ADDED = (
        "safety.agreement_added",
        "Added a written agreement or statement of expectations",
    )
    SAFETY_REVIEWED = "safety.reviewed", "Reviewed the safety plan"
    RISK_LEVEL_SET = "risk.level_set", "Set the risk level"
    CHRONOLOGY_EXPORTED = "case.chronology_exported", "Exported the case chronology"
    # Information sharing, alerts and reminders (issue 6).
    PARTY_ADDED = "sharing.party_added", "Added someone who needs to know"
    PARTY_CHANGED = "sharing.party_changed", "Changed someone who needs to know"
    SHARE_RECORDED = "sharing.recorded", "Recorded that information was shared"
    PARTY_CONTACT_REVEALED = (
        "sharing.party_contact_revealed",
        "Viewed the contact details of someone who needs to know",
    )
    EXPIRY_DECISION_RECORDED = "order.expiry_decision", "Recorded a decision on an order ending"
    # Retention and legal holds (issue 20, ADR 0038).
    LEGAL_HOLD_PLACED = "retention.legal_hold_placed", "Placed a legal hold on a case"
    LEGAL_HOLD_LIFTED = "retention.legal_hold_lifted", "Lifted a legal hold on a case"
    RETENTION_REVIEW_SET = "retention.review_set", "Set a closed case's retention review"
    RETENTION_REVIEW_CLEARED = (
        "retention.review_cleared",
        "Cleared a reopened case's retention review",
    )
    # Disposal at the end of retention (issue 20, ADR 0041).
    DISPOSAL_CONFIRMED = (
        "retention.disposal_confirmed",
        "Confirmed a batch of records to dispose of",
    )
    CASE_RECORDS_DISPOSED = "retention.case_records_disposed", "Disposed of a case's records"
    # API clients (ADR 0042)
    API_CLIENT_REGISTERED = "clients.registered", "Registered an API client"
    API_CLIENT_REVOKED = "clients.revoked", "Revoked an API client"
    API_CLIENT_CALLED = "clients.called", "An API client called the API"
    # Webhooks of API clients (ADR 0045): the receiver's host only, never the secret.
    WEBHOOK_ADDED = "clients.webhook_added", "Added a webhook to an API client"
    WEBHOOK_REMOVED = "clients.webhook_removed", "Removed an API client's webhook"
    # Importing cases from a file (issue 21, ADR 0043): counts only, no names.
    CASES_IMPORTED = "cases.import_confirmed", "Imported cases from a file"
    CALENDAR_FEED_CREATED = "user.calendar_feed_created", "Created a calendar feed link"
    CALENDAR_FEED_REVOKED = "user.calendar_feed_revoked", "Revoked a calendar feed link"
    EXPORT_REQUESTED = "export.requested", "Asked for a document to be prepared"
    EXPORT_DOWNLOADED = "export.downloaded", "Downloaded a prepared document"
    # The case record, for a subject access request or a transfer (issue 21, ADR 0044).
    CASE_RECORD_REQUESTED = "export.case_record_requested", "Asked for the case record"
    # Evidence (issue 7).
    EVIDENCE_ITEM_ADDED = "evidence.item_added", "Added an evidence item"
    EVIDENCE_ITEM_VIEWED = "evidence.item_viewed", "Viewed an evidence item"
    EVIDENCE_FILE_VIEWED = "evidence.file_viewed", "Opened an evidence file"
    EVIDENCE_ITEM_REMOVED = "evidence.item_removed", "Removed an evidence item"
    EVIDENCE_LINKED = "evidence.linked_to_breach", "Linked evidence to a breach"
    EVIDENCE_CHAIN_CHECKED = "evidence.chain_checked", "Checked the evidence log's integrity"
    EVIDENCE_BUNDLE_EXPORTED = "evidence.bundle_exported", "Exported an evidence bundle"
    EVIDENCE_INCIDENT_MARKED = "evidence.incident_marked", "Marked evidence as an incident"
    EVIDENCE_INCIDENT_UNMARKED = "evidence.incident_unmarked", "Said evidence is not an incident"
    DIARY_INVITED = "diary.invited", "Made a diary invitation link"
    DIARY_STARTED = "diary.started", "Set up a diary from an invitation"
    DIARY_ENDED = "diary.ended", "Ended a victim-survivor's diary access"
    DIARY_SIGNED_IN = "diary.signed_in", "Signed in to a diary"
    # What the lead shows in the diary (issue 22, ADR 0046).
    DIARY_ORDER_SHARED = "diary.order_shared", "Showed an order in the victim-survivor's diary"
    DIARY_ORDER_WITHDRAWN = "diary.order_withdrawn", "Stopped showing an order in the diary"
    DIARY_PLAN_SHARED = "diary.plan_shared", "Showed the safety plan in the diary"
    DIARY_PLAN_WITHDRAWN = "diary.plan_withdrawn", "Stopped showing the safety plan in the diary"
    DIARY_ORDER_HIDDEN = "diary.order_hidden", 'Hid or showed "Your order" in the diary'
    DIARY_ORDER_READ = "diary.order_read", "Read their order in the diary"
    DIARY_PLAN_READ = "diary.plan_read", "Read their safety plan in the diary"
    DIARY_ENTRY_CHECKED = "diary.entry_checked", "Said what kind of thing a diary entry was"


class Origin(models.TextChoices):
    WEB = "web", "Web page"
    API = "api", "API"
    COMMAND = "command", "Command line"


LEGACY_CHAIN = "legacy"
SYSTEM_CHAIN = "system"
# The payload key under which an event keeps the salted hash of each of its notes.
NOTES_KEY = "notes"
NOTE_LABELS = {"reason": "Reason given", "name": "Name given"}
NOTE_ERASED = "Removed when the case's records were disposed of"


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Never updated or deleted.

    Each event is a link of one chain (see `chain_key`); `sequence` is only the global order
    of writing, with gaps allowed.
    """

    sequence = models.BigAutoField(primary_key=True)
    chain = models.CharField(max_length=64)
    position = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    # Validated against `Verb` on write; no database choices, so new verbs need no migration.
    verb = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    case_reference = models.CharField(max_length=32, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices)
    origin_ip = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["actor", "-sequence"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="audit_event_chain_position")
        ]
        # On PostgreSQL the database itself refuses to change or remove an event.
        triggers = [
            pgtrigger.Protect(
                name="audit_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.verb}"

    @property
    def verb_label(self) -> str:
        return Verb(self.verb).label if self.verb in Verb.values else self.verb

    def chain_body(self) -> dict:
        """Return the fields the hash covers, in a JSON-stable form.

        Events of the legacy chain keep the body they were hashed with (their global
        sequence); every other event covers its chain and position instead.
        """
        body = {
            "occurred_at": self.occurred_at.isoformat(),
            "actor": str(self.actor_id) if self.actor_id else None,
            "verb": self.verb,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "case_id": str(self.case_id) if self.case_id else None,
            "case_reference": self.case_reference,
            "fields": list(self.fields),
            "payload": self.payload,
            "origin": self.origin,
            "origin_ip": self.origin_ip,
        }
        if self.chain == LEGACY_CHAIN:
            return {**body, "sequence": self.sequence}
        return {**body, "chain": self.chain, "position": self.position}

    def note_lines(self) -> list[tuple[str, str]]:
        """Return (label, words) for each note the event was written with, saying where the
        words were erased; reads `notes` as prefetched."""
        kept = {note.name: note.text for note in self.notes.all()}
        committed = self.payload.get(NOTES_KEY) if isinstance(self.payload, dict) else None
        return [
            (NOTE_LABELS.get(name, name.capitalize()), kept.get(name, NOTE_ERASED))
            for name in sorted(committed or {})
        ]


class AuditNote(models.Model):
    """Words someone typed for an event (why they revealed an address, a passkey's name).

    Kept outside the event's hashed body, which holds a salted hash of them under
    `payload["notes"]`: the words can be erased (with the case's records) and the chain still
    verifies, and changed words no longer match the hash. Sealed at rest (ADR 0023, 0039).
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="notes")
    name = models.CharField(max_length=32)
    text = SealedTextField()
    salt = models.CharField(max_length=64)  # hex; erased with the words

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="audit_note_event_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} of audit event #{self.event_id}"


def chain_key(*, case_id, actor_id) -> str:
    """Return the chain an event joins: its case's, else its actor's, else the system's."""
    if case_id is not None:
        return f"case:{case_id}"
    if actor_id is not None:
        return f"user:{actor_id}"
    return SYSTEM_CHAIN


class AuditChain(models.Model):
    """The newest link of one chain; locking this row serialises writes to that chain only."""

    key = models.CharField(max_length=64, primary_key=True)
    position = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    # When the head last moved: a checkpoint records the heads that moved since the last one.
    updated_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"audit chain {self.key} at position {self.position}"


class AuditCheckpoint(models.Model):
    """A signed Merkle root over the chain heads that moved since the checkpoint before it.

    Checkpoints form their own chain (`previous_hash`), so removing or rewriting one is found;
    an operator keeps an exported copy outside the database. Never updated or deleted.
    """

    number = models.PositiveBigIntegerField(primary_key=True)
    created_at = models.DateTimeField()
    previous_hash = models.CharField(max_length=64)
    root = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64, unique=True)
    signature = models.CharField(max_length=128)  # base64 Ed25519 over the canonical body
    key_fingerprint = models.CharField(max_length=80)

    class Meta:
        triggers = [
            pgtrigger.Protect(
                name="audit_checkpoint_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"audit checkpoint {self.number}"

    def body(self) -> bytes:
        """Return the canonical JSON its hash and signature cover."""
        return chain.checkpoint_body(
            number=self.number,
            created_at=self.created_at.isoformat(),
            previous_hash=self.previous_hash,
            root=self.root,
            size=self.size,
        )


class AuditCheckpointEntry(models.Model):
    """One chain head as a checkpoint recorded it."""

    checkpoint = models.ForeignKey(
        AuditCheckpoint, on_delete=models.PROTECT, related_name="entries"
    )
    chain = models.CharField(max_length=64)
    position = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "chain"], name="audit_checkpoint_entry_chain"
            )
        ]
        # A head already recorded by any checkpoint is not recorded again.
        indexes = [models.Index(fields=["chain", "position"])]
        triggers = [
            pgtrigger.Protect(
                name="audit_checkpoint_entry_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.chain} at {self.position} in checkpoint {self.checkpoint_id}"
