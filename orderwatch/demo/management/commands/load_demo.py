"""Load the fictional demo data; safe to run again (nothing is duplicated)."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import Agency, User
from orderwatch.breaches.models import Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import BreachAccount, breach_record
from orderwatch.cases.models import Case, CaseClosure, CasePerson
from orderwatch.cases.selectors import closing_items
from orderwatch.cases.services import (
    case_close,
    case_create,
    case_person_add,
    case_protected_address_record,
    case_team_member_add,
)
from orderwatch.clients.models import ApiClient
from orderwatch.clients.scopes import SCOPES
from orderwatch.clients.services import api_client_register
from orderwatch.demo import data
from orderwatch.diary.services import (
    diary_entry_add,
    diary_invite_create,
    diary_order_share,
    diary_setup_confirm,
    diary_setup_request,
    diary_setup_token,
)
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.services import (
    evidence_breach_link,
    evidence_incident_mark,
    evidence_item_add,
)
from orderwatch.orders.models import Condition, OrderType
from orderwatch.orders.services import condition_add, order_create
from orderwatch.retention.models import CaseRetention
from orderwatch.retention.schedule import read_schedule, retention_for
from orderwatch.retention.selectors import case_retention_facts
from orderwatch.safety.services import risk_level_set, safety_action_add, safety_measure_add
from orderwatch.sharing.services import party_add, share_record


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = "Load fictional demo agencies, users and cases (local use only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for local use only (DEBUG is off).")
        with transaction.atomic():
            agencies = {
                a["name"]: Agency.objects.get_or_create(name=a["name"], defaults=a)[0]
                for a in data.AGENCIES
            }
            users = {}
            for email, name, agency, role in data.USERS:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(
                        email,
                        data.DEMO_PASSWORD,
                        display_name=name,
                        agency=agencies[agency],
                        role=role,
                    )
                users[email] = user
        # Names are sealed at rest, so the database cannot match them: compare them here.
        loaded = {
            (person.given_name, person.family_name)
            for person in CasePerson.objects.filter(role=CasePerson.Role.VICTIM_SURVIVOR)
        }
        for spec in data.CASES:
            given, family, _ = spec["victim"]
            if (given, family) not in loaded:
                self._load_case(spec, users)
        self.stdout.write(f"Demo logins (password for all: {data.DEMO_PASSWORD}):")
        for email, _name, agency, role in data.USERS:
            self.stdout.write(f"  {email:28} {role:13} {agency}")
        for spec in data.CASES:
            if "diary" in spec:
                self.stdout.write(f"  {spec['diary'][0]:28} diary at http://127.0.0.1:8000/notes/")
        demo_client = _demo_api_client(users)
        self.stdout.write(
            f"Demo API client: {demo_client['client_id']} / {demo_client['client_secret']}"
        )

    def _load_case(self, spec: dict, users: dict[str, User]) -> None:
        lead_email, lead_capacity = spec["team"][0]
        lead = users[lead_email]
        given, family, born = spec["victim"]
        case = case_create(
            actor=lead,
            victim_given_name=given,
            victim_family_name=family,
            victim_date_of_birth=_date(born),
            lead_capacity=lead_capacity,
        )
        for role, given, family, born, aliases in spec["people"]:
            case_person_add(
                actor=lead,
                case=case,
                role=CasePerson.Role(role),
                given_name=given,
                family_name=family,
                date_of_birth=_date(born),
                aliases=aliases,
            )
        for email, capacity in spec["team"][1:]:
            case_team_member_add(actor=lead, case=case, user=users[email], capacity=capacity)
        for order_spec in spec.get("orders", []):
            self._load_order(case, lead, order_spec)
        if spec["address"]:
            case_protected_address_record(
                actor=lead,
                case=case,
                address=spec["address"],
                reason="Recorded when the case was opened, with the victim-survivor",
                # The demo's people have no authenticator yet: the loader vouches for the lead.
                step_up=StepUp(user_id=lead.pk, verified_at=timezone.now()),
            )
        if "risk" in spec:
            level, reason = spec["risk"]
            risk_level_set(actor=lead, case=case, level=level, reason=reason)
        safety = spec.get("safety", {})
        for what, who, due_in_days in safety.get("actions", []):
            due_on = timezone.localdate() + dt.timedelta(days=due_in_days)
            safety_action_add(actor=lead, case=case, what=what, who=who, due_on=due_on)
        for kind, details, status in safety.get("measures", []):
            safety_measure_add(actor=lead, case=case, kind=kind, details=details, status=status)
        for kind, name, role, organisation, told_days_ago in spec.get("parties", []):
            party = party_add(
                actor=lead, case=case, kind=kind, name=name, role=role, organisation=organisation
            )
            if told_days_ago is not None:
                share_record(
                    actor=lead,
                    case=case,
                    party_id=party.pk,
                    what=["order_summary"],
                    shared_on=timezone.localdate() - dt.timedelta(days=told_days_ago),
                    how="secure_email",
                    purpose="So they know the order and what to do if it is breached",
                    lawful_basis="safeguarding",
                    told_what_to_do_on_breach=True,
                )
        for breach_spec in spec.get("breaches", []):
            self._load_breach(case, lead, breach_spec)
        self._load_evidence(case, lead, spec)
        if "closed_years_ago" in spec:
            self._close_long_ago(case, lead, spec["closed_years_ago"])

    def _close_long_ago(self, case, lead, years: int) -> None:
        """Close the case, then date the closing back `years` years, review date and all."""
        case_close(
            actor=lead,
            case_id=case.pk,
            reason=CaseClosure.Reason.SUPPORT_ENDED,
            decisions={i.field: i.question.close_code for i in closing_items(case=case)},
        )
        today = timezone.localdate()
        closed_on = today.replace(year=today.year - years)
        rules = retention_for(case_retention_facts(case=case, closed_on=closed_on), read_schedule())
        CaseRetention.objects.filter(case=case).update(
            closed_on=closed_on, review_on=rules.review_on, retention_class=rules.retention_class
        )
        Case.objects.filter(pk=case.pk).update(
            closed_at=timezone.now().replace(year=today.year - years)
        )

    def _load_evidence(self, case, lead, spec: dict) -> None:
        today = timezone.localdate()
        breach = case.breaches.order_by("created_at").first()
        for days_ago, description in spec.get("evidence", []):
            item = evidence_item_add(
                actor=lead,
                case=case,
                kind=EvidenceItem.Kind.NOTE,
                occurrence=Occurrence(Precision.DATE, today - dt.timedelta(days=days_ago)),
                description=description,
            )
            if breach is not None:
                evidence_breach_link(actor=lead, item=item, breach=breach)
        if "diary" in spec:
            email, entries = spec["diary"]
            _, secret = diary_invite_create(actor=lead, case_id=case.pk)
            invite = diary_setup_request(secret=secret, email=email, password=data.DEMO_PASSWORD)
            keeper = diary_setup_confirm(invite_id=invite.pk, token=diary_setup_token(invite))
            for order in case.orders.all():  # "Your order" in Alex's notes (ADR 0046)
                diary_order_share(actor=lead, case_id=case.pk, order_id=order.pk)
            for days_ago, description, behaviours in entries:
                entry = diary_entry_add(
                    actor=keeper,
                    occurrence=Occurrence(Precision.DATE, today - dt.timedelta(days=days_ago)),
                    description=description,
                )
                if behaviours:
                    evidence_incident_mark(
                        actor=lead, case=case, item=entry, behaviours=behaviours, severity=None
                    )

    def _load_order(self, case, lead, spec: tuple) -> None:
        code, started_days_ago, ends_in_days, conditions = spec
        today = timezone.localdate()
        starts_on = today - dt.timedelta(days=started_days_ago)
        order = order_create(
            actor=lead,
            case=case,
            order_type=OrderType.objects.get(code=code),
            made_on=starts_on,
            starts_on=starts_on,
            ends_on=None if ends_in_days is None else today + dt.timedelta(days=ends_in_days),
            until_further_order=ends_in_days is None,
            court="Northtown Magistrates' Court",
            respondent=case.people.filter(role=CasePerson.Role.RESPONDENT).first(),
            protected_people=list(case.people.exclude(role=CasePerson.Role.RESPONDENT)),
        )
        for kind, wording in conditions:
            condition_add(actor=lead, order=order, kind=kind, wording=wording)

    def _load_breach(self, case, lead, spec: tuple) -> None:
        days_ago, condition_kind, behaviours, severity, what_happened, reference = spec
        happened_on = timezone.localdate() - dt.timedelta(days=days_ago)
        condition = Condition.objects.get(order__case=case, kind=condition_kind)
        breach_record(
            actor=lead,
            case=case,
            account=BreachAccount(
                reported_to_practitioner_at=timezone.now() - dt.timedelta(days=days_ago - 1),
                reported_by="victim_survivor",
                occurrence=Occurrence(Precision.APPROXIMATE, happened_on, dt.time(18, 30)),
                location="other",
                location_details="Described by the victim-survivor.",
                what_happened=what_happened,
                behaviours=behaviours,
                severity=severity,
                police_reported=reference is not None,
                police_reported_on=happened_on if reference else None,
                police_method="101" if reference else "",
                police_reference=reference or "",
                police_officer_not_known=True,
                not_reported_reason="" if reference else "Wants to talk it through first.",
                respondent_supervised=Known.NOT_KNOWN,
                other_agencies=Known.NONE,
                others_present=Known.NOT_KNOWN,
                witnesses=Known.NONE,
                actions=["police_report"] if reference else ["nothing_yet"],
                breached={str(condition.pk): "As the victim-survivor described it."},
            ),
        )


def _demo_api_client(users: dict[str, User]) -> dict:
    """Register the demo's API client once, with the id and secret the API guide uses."""
    spec = data.DEMO_API_CLIENT
    if not ApiClient.objects.filter(client_id=spec["client_id"]).exists():
        client, _ = api_client_register(
            actor=users[spec["agency_admin"]],
            name=spec["name"],
            scopes=list(SCOPES),
            expires_on=timezone.localdate() + dt.timedelta(days=365),
        )
        application = client.application
        application.client_id = spec["client_id"]
        application.client_secret = spec["client_secret"]  # hashed as it is saved
        application.save()
        ApiClient.objects.filter(pk=client.pk).update(client_id=spec["client_id"])
    return spec
