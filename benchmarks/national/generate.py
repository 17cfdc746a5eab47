"""Generate a national-scale data set on PostgreSQL in bulk: cases with their teams, people,
orders, breaches, evidence and tasks, most of them on other teams than the benchmark users'.

All the SQL lives here, one function per table, so a schema change shows up in one place.
Rows are made by `INSERT … SELECT FROM generate_series` (ids are `md5(salt:kind:number)`, so a
later table can refer to an earlier one without a join); the evidence chain, whose hashes the
app recomputes, is made in Python with the app's own hashing and sent with COPY. Audit tables
are left empty: the app writes them on first use. Run `after_generate()` last (the generator
does): it is where data derived from the rows is recomputed.

`benchmarks/national/run.py` calls it on a fresh database for each size it measures.
"""

import datetime as dt
import hashlib
import logging
import secrets
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from orderwatch.accounts.models import Agency, AuthenticatorApp, User
from orderwatch.breaches.occurrence import Precision
from orderwatch.confidential import cipher
from orderwatch.confidential.fields import Confidential
from orderwatch.evidence import chain
from orderwatch.evidence.models import EvidenceItem
from orderwatch.orders.models import OrderType

logger = logging.getLogger(__name__)

BENCH_CASES = 30  # the signed-in practitioner's (and manager's) case load
CASES_PER_AGENCY = 200
CASES_PER_USER = 15  # each case has two team members, so about 30 memberships per user
EVIDENCE_BATCH = 20_000  # cases per round trip when building the evidence chains

# Case i's lead (user number n has the id uid("user", n)); its second team member is half the
# user list away. The first BENCH_CASES cases are led by the benchmark practitioner instead.
_LEAD_NUMBER = "(1 + mod(i::bigint * 7919, %(users)s))"
_SECOND_NUMBER = "(1 + mod(i::bigint * 7919 + %(users)s / 2, %(users)s))"
_LEAD = (
    "CASE WHEN i <= %(bench_cases)s THEN %(practitioner)s::uuid "
    f"ELSE md5(%(salt)s || ':user:' || {_LEAD_NUMBER})::uuid END"
)
# Orders: one per case, a second on every other case.
_ORDERS = "generate_series(1, %(cases)s) i CROSS JOIN generate_series(1, 2) n"
_ORDERS_WHERE = "(n = 1 OR mod(i, 2) = 0)"
# Breaches per case: none on two cases in five, most on one in five; more on the bench cases.
_BREACHES = (
    "CASE WHEN i <= %(bench_cases)s THEN 4 + mod(i, 8) "
    "ELSE (ARRAY[0, 0, 1, 2, 7])[1 + mod(i, 5)] END"
)
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def uid(kind: str, number: str) -> str:
    """Return SQL for the id of row `number` (an SQL expression) of `kind`."""
    return f"md5(%(salt)s || ':{kind}:' || {number})::uuid"


@dataclass(frozen=True)
class Scale:
    """How many of each thing to make for `cases` cases."""

    cases: int
    salt: str
    today: dt.date
    bench_cases: int = BENCH_CASES

    @property
    def agencies(self) -> int:
        return max(9, self.cases // CASES_PER_AGENCY)

    @property
    def users(self) -> int:
        return max(10, self.cases // CASES_PER_USER)


@dataclass(frozen=True)
class Generated:
    """Who the benchmark signs in as, and the cases on their case load."""

    practitioner: User
    manager: User
    bench_case_ids: list[uuid.UUID]
    salt: str  # what the generated ids are made from (see uid())
    seconds: float


def generate(cases: int, *, today: dt.date | None = None) -> Generated:
    """Fill the database with `cases` cases and everything around them; return the bench users.

    Meant for a database with no cases yet: references are unique among the generated cases
    (ids and names carry a fresh salt, so they never clash).
    """
    started = time.monotonic()
    scale = Scale(
        cases=max(cases, BENCH_CASES),
        salt=secrets.token_hex(3),
        today=today or timezone.localdate(),
    )
    tokens = _encrypted_values()
    order_types = list(OrderType.objects.order_by("code").values_list("pk", flat=True))
    params = _params(scale)
    with connection.cursor() as cursor:
        agencies_generate(cursor, params)
        practitioner, manager = bench_users_create(scale)
        params |= {
            "practitioner": str(practitioner.pk),
            "manager": str(manager.pk),
            **tokens,
            "order_types": order_types,
        }
        for step in (
            users_generate,
            cases_generate,
            case_people_generate,
            case_team_memberships_generate,
            orders_generate,
            order_protected_people_generate,
            conditions_generate,
            order_changes_generate,
            breaches_generate,
            breached_conditions_generate,
            evidence_generate,
            evidence_incidents_generate,
            tasks_generate,
            pattern_escalations_generate,
        ):
            step_started = time.monotonic()
            step(cursor, params)
            logger.info("%s: %.1f s", step.__name__, time.monotonic() - step_started)
    after_generate(scale.today)
    bench_case_ids = [_uuid(scale.salt, "case", i) for i in range(1, scale.bench_cases + 1)]
    return Generated(practitioner, manager, bench_case_ids, scale.salt, time.monotonic() - started)


def after_generate(today) -> None:
    """Fill in what the app derives from stored rows, as a live system would have it after
    yesterday's sweep, then refresh the planner's statistics.

    Each order's next reminder visit is its first reminder point (or the day after its end)
    from today on, by its end date after any extension; discharged and open-ended orders have
    none. Each open safety review is next alerted on the day after it is due, or on the first
    weekly repeat from today on when that day has passed (`reminders/schedule.py`).
    """
    weeks = settings.ORDERWATCH_EXPIRY_REMINDER_WEEKS
    repeat = settings.ORDERWATCH_OVERDUE_REVIEW_ALERT_REPEAT_DAYS or 1
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE orders_order o SET next_reminder_on = (
                SELECT min(p) FROM unnest(
                    array(SELECT x.ends_on - 7 * w FROM unnest(%(weeks)s::int[]) w)
                    || (x.ends_on + 1)
                ) p WHERE p >= %(today)s)
            FROM (
                SELECT o2.id, CASE
                    WHEN EXISTS (SELECT 1 FROM orders_orderchange c
                                 WHERE c.order_id = o2.id AND c.kind = 'discharged') THEN NULL
                    ELSE COALESCE((SELECT max(c.new_ends_on) FROM orders_orderchange c
                                   WHERE c.order_id = o2.id AND c.kind = 'extended'),
                                  o2.ends_on) END AS ends_on
                FROM orders_order o2
            ) x
            WHERE x.id = o.id
            """,
            {"weeks": weeks, "today": today},
        )
        cursor.execute(
            """
            UPDATE tasks_task SET overdue_alert_on = CASE
                WHEN due_on + 1 >= %(today)s THEN due_on + 1
                ELSE due_on + 1
                     + %(repeat)s * ceil((%(today)s - due_on - 1)::numeric / %(repeat)s)::int
                END
            WHERE kind = 'safety_review' AND done_at IS NULL
            """,
            {"today": today, "repeat": repeat},
        )
        cursor.execute("ANALYZE")


def _params(scale: Scale) -> dict:
    return {
        "cases": scale.cases,
        "users": scale.users,
        "agencies": scale.agencies,
        "bench_cases": scale.bench_cases,
        "salt": scale.salt,
        "today": scale.today,
        "now": timezone.now(),
        "reference_offset": secrets.randbelow(1 << 30),
    }


# Made-up free text, sealed at rest (ADR 0023): each value is encrypted once and its token
# reused by every row that holds it, so generating a million cases costs a handful of
# encryptions. The SQL picks among the tokens as it would among the plain values.
_GIVEN_NAMES = ("Alex", "Sam", "Jo", "Chris", "Robin", "Jamie", "Kit")
_FAMILY_NAMES = tuple(f"Bench{n}" for n in range(1, 51))
_BIRTH_YEARS = {"victim_survivor": 1990, "respondent": 1985, "child": 2016}
_WORDING = (
    "The respondent must not contact the applicant directly.",
    "The respondent must not contact the applicant by any means, including online.",
    "The respondent must not go within 100 metres of her home.",
)
_WHAT_CHANGED = (
    "Extended by six months.",
    "The exclusion zone now covers the new school.",
    "Discharged on the application of the respondent.",
)
_WHAT_HAPPENED = (
    "Sent messages through a friend asking to meet.",
    "Waited outside the school gates and shouted.",
    "Called eleven times in one evening from a withheld number.",
    "Posted about her on social media.",
)
_NOT_REPORTED_REASON = "The victim-survivor is thinking about whether to report it."
_HOW_BREACHED = "Contacted her directly."
_PROTECTS = "The applicant"
_SCREENSHOT_NAME = "screenshot.png"


def _encrypted_values() -> dict[str, list[str]]:
    """Encrypt a few made-up addresses and texts once; rows reuse them (a blank address too:
    allowed)."""
    addresses = [f"{n} Bench Street, Testtown, TT{n} 1TT" for n in range(1, 8)]
    places = ["Within 100 metres of the applicant's home", "Northtown Primary School"]

    def sealed(*texts: str) -> list[str]:
        return [cipher.encrypt(text) for text in texts]

    births = {
        role: sealed(*(dt.date(year, 1 + n % 12, 1 + n % 28).isoformat() for n in range(24)))
        for role, year in _BIRTH_YEARS.items()
    }
    return {
        "addresses": ["", *(Confidential.from_plaintext(a).token for a in addresses)],
        "places": [Confidential.from_plaintext(p).token for p in places],
        "given_names": sealed(*_GIVEN_NAMES),
        "family_names": sealed(*_FAMILY_NAMES),
        "births_victim_survivor": births["victim_survivor"],
        "births_respondent": births["respondent"],
        "births_child": births["child"],
        "no_aliases": sealed("[]")[0],
        "wording": sealed(*_WORDING),
        "protects": sealed(_PROTECTS)[0],
        "what_changed": sealed(*_WHAT_CHANGED),
        "what_happened": sealed(*_WHAT_HAPPENED),
        "not_reported_reason": sealed(_NOT_REPORTED_REASON)[0],
        "how_breached": sealed(_HOW_BREACHED)[0],
        "descriptions": sealed(*_DESCRIPTIONS),
        "screenshot_name": sealed(_SCREENSHOT_NAME)[0],
    }


def agencies_generate(cursor, params: dict) -> None:
    cursor.execute(
        f"""
        INSERT INTO accounts_agency (id, name, kind)
        SELECT {uid("agency", "a")}, 'Bench agency ' || a || ' ' || %(salt)s,
               (ARRAY['police', 'probation', 'childrens_social_care', 'early_help',
                      'idva_service', 'school', 'health', 'housing'])[1 + mod(a, 8)]
        FROM generate_series(1, %(agencies)s) a
        """,
        params,
    )


def bench_users_create(scale: Scale) -> tuple[User, User]:
    """Create the practitioner and team manager the benchmark signs in as (with authenticators)."""
    agency = Agency.objects.get(name=f"Bench agency 1 {scale.salt}")
    users = []
    with transaction.atomic():
        for role, name in (
            (User.Role.PRACTITIONER, "practitioner"),
            (User.Role.TEAM_MANAGER, "manager"),
        ):
            user = User.objects.create_user(
                f"bench-{name}-{scale.salt}@agency.example",
                display_name=f"Bench {name.title()}",
                agency=agency,
                role=role,
            )
            AuthenticatorApp.objects.create(user=user, name="Authenticator app", confirmed=True)
            users.append(user)
    return users[0], users[1]


def users_generate(cursor, params: dict) -> None:
    """Practitioners, and a team manager in ten; passwords unusable (nobody signs in as them)."""
    cursor.execute(
        f"""
        INSERT INTO accounts_user (id, password, is_superuser, email, display_name, agency_id,
                                   role, is_active, is_staff, date_joined, security_stamp)
        SELECT {uid("user", "u")}, '!bench', false,
               'bench-' || u || '-' || %(salt)s || '@agency.example', 'Bench User ' || u,
               {uid("agency", "(1 + mod(u, %(agencies)s))")},
               CASE WHEN mod(u, 10) = 0 THEN 'team_manager' ELSE 'practitioner' END,
               true, false, %(now)s, gen_random_uuid()
        FROM generate_series(1, %(users)s) u
        """,
        params,
    )


def cases_generate(cursor, params: dict) -> None:
    """Cases opened over three years, with references made unique by a bijection of 30 bits."""
    cursor.execute(
        f"""
        INSERT INTO cases_case (id, created_at, created_by_id, modified_at, reference,
                                protected_address, version, sources_version, status)
        SELECT {uid("case", "i")}, %(now)s - mod(i, 1095) * interval '1 day', {_LEAD}, %(now)s,
               'OW-' || (
                   SELECT string_agg(
                       substr(%(alphabet)s, 1 + ((x >> (5 * k)) & 31)::int, 1), '' ORDER BY k)
                   FROM generate_series(0, 5) k),
               (%(addresses)s::text[])[1 + mod(i, cardinality(%(addresses)s::text[]))], 0, 0,
               'open'
        FROM generate_series(1, %(cases)s) i,
             LATERAL (SELECT mod(i::bigint * 1103515245 + %(reference_offset)s, 1073741824) x) r
        """,
        params | {"alphabet": _REFERENCE_ALPHABET},
    )


def case_people_generate(cursor, params: dict) -> None:
    """A victim-survivor and a respondent on every case, a child on every other one."""
    cursor.execute(
        f"""
        INSERT INTO cases_caseperson (id, created_at, created_by_id, modified_at, case_id, role,
                                      given_name, family_name, date_of_birth, aliases)
        SELECT {uid("person", "p.role || ':' || i")}, %(now)s, {_LEAD}, %(now)s,
               {uid("case", "i")}, p.role,
               (%(given_names)s::text[])[1 + mod(i, cardinality(%(given_names)s::text[]))],
               (%(family_names)s::text[])[1 + mod(i, cardinality(%(family_names)s::text[]))],
               p.born[1 + mod(i, cardinality(p.born))], %(no_aliases)s
        FROM generate_series(1, %(cases)s) i
        CROSS JOIN (VALUES ('victim_survivor', %(births_victim_survivor)s::text[]),
                           ('respondent', %(births_respondent)s::text[]),
                           ('child', %(births_child)s::text[])) p(role, born)
        WHERE p.role <> 'child' OR mod(i, 2) = 0
        """,
        params,
    )


def case_team_memberships_generate(cursor, params: dict) -> None:
    """A lead and a colleague from another agency; the bench manager joins the bench cases.
    The lead may see the protected address, as a lead does."""
    cursor.execute(
        f"""
        INSERT INTO cases_caseteammembership (id, created_at, created_by_id, modified_at,
                                              case_id, user_id, agency_id, capacity, is_lead,
                                              may_see_address, left_reason)
        SELECT gen_random_uuid(), %(now)s - mod(i, 1095) * interval '1 day' + m.after,
               {_LEAD}, %(now)s, {uid("case", "i")}, m.user_id, u.agency_id, m.capacity, m.is_lead,
               m.is_lead, ''
        FROM generate_series(1, %(cases)s) i
        CROSS JOIN LATERAL (VALUES
            ({_LEAD}, 'Allocated IDVA', true, interval '0'),
            ({uid("user", _SECOND_NUMBER)}, 'Police officer in the case', false, interval '1 hour'),
            (CASE WHEN i <= %(bench_cases)s THEN %(manager)s::uuid END, 'Team manager', false,
             interval '2 hours')
        ) m(user_id, capacity, is_lead, after)
        JOIN accounts_user u ON u.id = m.user_id
        """,
        params,
    )


def orders_generate(cursor, params: dict) -> None:
    """Orders ending from two years ago to two years ahead (so about 4 % end within the 8-week
    reminder window and 1 % ended in the last fortnight); one in ten runs until further order.
    The bench cases' first orders end 3 to 90 days from today, so their reminders are due."""
    cursor.execute(
        f"""
        INSERT INTO orders_order (id, created_at, created_by_id, modified_at, case_id,
                                  order_type_id, court, court_reference, respondent_id, made_on,
                                  served_on, starts_on, ends_on, until_further_order)
        SELECT {uid("order", "i || ':' || n")}, %(now)s, {_LEAD}, %(now)s, {uid("case", "i")},
               (%(order_types)s::int[])[1 + mod(i + n, cardinality(%(order_types)s::int[]))],
               'Northtown Family Court', 'BN' || i || '-' || n,
               {uid("person", "'respondent:' || i")},
               e.starts_on, e.starts_on, e.starts_on, e.ends_on, e.ends_on IS NULL
        FROM {_ORDERS}
        CROSS JOIN LATERAL (
            SELECT CASE WHEN mod(i + n, 10) = 0 THEN NULL
                        WHEN i <= %(bench_cases)s AND n = 1 THEN %(today)s + 3 * i
                        ELSE %(today)s + floor(random() * 1460)::int - 730 END AS ends_on
        ) d
        CROSS JOIN LATERAL (
            SELECT d.ends_on, COALESCE(d.ends_on - 365 * (1 + mod(i, 2)),
                                       %(today)s - mod(i, 1000)) AS starts_on
        ) e
        WHERE {_ORDERS_WHERE}
        """,
        params,
    )


def order_protected_people_generate(cursor, params: dict) -> None:
    cursor.execute(
        f"""
        INSERT INTO orders_order_protected_people (order_id, caseperson_id)
        SELECT {uid("order", "i || ':' || n")}, {uid("person", "'victim_survivor:' || i")}
        FROM {_ORDERS}
        WHERE {_ORDERS_WHERE}
        """,
        params,
    )


def conditions_generate(cursor, params: dict) -> None:
    """No direct and no indirect contact on every order; an exclusion zone on one in four."""
    cursor.execute(
        f"""
        INSERT INTO orders_condition (id, created_at, created_by_id, modified_at, order_id, kind,
                                      wording, protects, place, exceptions, ended_reason)
        SELECT {uid("condition", "i || ':' || n || ':' || k.k")}, %(now)s, {_LEAD}, %(now)s,
               {uid("order", "i || ':' || n")}, k.kind, (%(wording)s::text[])[k.k],
               %(protects)s,
               CASE WHEN k.kind = 'exclusion'
                    THEN (%(places)s::text[])[1 + mod(i, cardinality(%(places)s::text[]))]
                    ELSE '' END,
               '', ''
        FROM {_ORDERS}
        CROSS JOIN (VALUES (1, 'no_direct_contact'), (2, 'no_indirect_contact'), (3, 'exclusion'))
             k(k, kind)
        WHERE {_ORDERS_WHERE} AND (k.k < 3 OR mod(i, 4) = 0)
        """,
        params,
    )


def order_changes_generate(cursor, params: dict) -> None:
    """One first order in ten extended by six months, one varied, one discharged."""
    cursor.execute(
        f"""
        INSERT INTO orders_orderchange (id, created_at, created_by_id, modified_at, order_id,
                                        kind, made_on, new_ends_on, until_further_order,
                                        what_changed)
        SELECT gen_random_uuid(), %(now)s, {_LEAD}, %(now)s, o.id, c.kind,
               GREATEST(o.starts_on, LEAST(o.ends_on - c.before, %(today)s - 1)),
               CASE WHEN c.kind = 'extended' THEN o.ends_on + 182 END, false,
               (%(what_changed)s::text[])[c.what]
        FROM generate_series(1, %(cases)s) i
        JOIN orders_order o ON o.id = {uid("order", "i || ':1'")}
        JOIN (VALUES (3, 'extended', 7, 1), (5, 'varied', 30, 2), (7, 'discharged', 30, 3))
             c(remainder, kind, before, what) ON c.remainder = mod(i, 10)
        WHERE NOT o.until_further_order AND i > %(bench_cases)s
        """,
        params,
    )


def breaches_generate(cursor, params: dict) -> None:
    """Breaches over the last two years (more of them recent); one in three not reported."""
    cursor.execute(
        f"""
        INSERT INTO breaches_breach (
            id, created_at, created_by_id, modified_at, case_id, happened_precision, happened_on,
            reported_to_practitioner_at, reported_by, reported_by_details, location,
            location_details, what_happened, behaviours, severity, police_reported,
            police_reported_on, police_method, police_reference, police_officer,
            not_reported_reason, not_reported_resolution, respondent_supervised,
            other_agencies, other_agencies_details, others_present, others_present_details,
            witnesses, witness_details, matches_no_condition, actions, action_details)
        SELECT {uid("breach", "i || ':' || b")}, h.at, {_LEAD}, h.at, {uid("case", "i")},
               %(precision)s, h.day, h.at, 'victim_survivor', '',
               (ARRAY['public_place', 'near_protected_address', 'online_or_phone',
                      'school_or_work'])[1 + mod(i + b, 4)], '',
               (%(what_happened)s::text[])[1 + mod(i + b, 4)],
               (ARRAY['["third_party"]', '["direct_contact"]', '["indirect_contact"]',
                      '["online"]', '["attending", "threats"]'])[1 + mod(i + b, 5)]::jsonb,
               1 + mod(i * b, 4), h.reported,
               CASE WHEN h.reported THEN h.day + 1 END,
               CASE WHEN h.reported THEN '101' ELSE '' END,
               CASE WHEN h.reported THEN 'BP-' || i || '-' || b ELSE '' END, '',
               CASE WHEN h.reported THEN ''
                    ELSE %(not_reported_reason)s END,
               '', 'not_known', 'none', '', 'none', '', 'none', '', mod(b, 2) = 0,
               CASE WHEN h.reported THEN '["police_report"]' ELSE '["nothing_yet"]' END::jsonb, ''
        FROM generate_series(1, %(cases)s) i
        CROSS JOIN LATERAL generate_series(1, {_BREACHES}) b
        CROSS JOIN LATERAL (
            SELECT d AS day, mod(i + b, 3) <> 0 AS reported,
                   (d + time '20:00') AT TIME ZONE 'Europe/London' AS at
            FROM (SELECT %(today)s - 2 - floor(random() ^ 2 * 700)::int AS d) x
        ) h
        """,
        params | {"precision": Precision.DATE.value},
    )


def breached_conditions_generate(cursor, params: dict) -> None:
    """Every other breach breached its case's first order's no-direct-contact condition."""
    cursor.execute(
        f"""
        INSERT INTO breaches_breachedcondition (breach_id, condition_id, how)
        SELECT {uid("breach", "i || ':' || b")}, {uid("condition", "i || ':1:1'")},
               %(how_breached)s
        FROM generate_series(1, %(cases)s) i
        CROSS JOIN LATERAL generate_series(1, {_BREACHES}) b
        WHERE mod(b, 2) = 1
        """,
        params,
    )


def evidence_generate(cursor, params: dict) -> None:
    """Notes and screenshots (file records only, no bytes) on three cases in four, more on the
    bench cases; each case's chain is hashed as the app hashes it and sent with COPY."""
    for first in range(1, params["cases"] + 1, EVIDENCE_BATCH):
        numbers = range(first, min(first + EVIDENCE_BATCH, params["cases"] + 1))
        ids = {_uuid(params["salt"], "case", i): i for i in numbers}
        cursor.execute(
            "SELECT case_id, user_id FROM cases_caseteammembership "
            "WHERE case_id = ANY(%s) AND is_lead",
            [list(ids)],
        )
        items, files, entries = [], [], []
        for case_id, author_id in cursor.fetchall():
            _case_evidence(params, ids[case_id], case_id, author_id, (items, files, entries))
        _copy(cursor, "evidence_evidenceitem", _ITEM_COLUMNS, items)
        _copy(cursor, "evidence_evidencefile", _FILE_COLUMNS, files)
        _copy(cursor, "evidence_chainentry", _ENTRY_COLUMNS, entries)


_ITEM_COLUMNS = (
    "id, created_at, created_by_id, modified_at, case_id, kind, happened_precision, "
    "happened_on, description, author_kind, content_sha256"
)
_FILE_COLUMNS = (
    "id, created_at, created_by_id, modified_at, item_id, position, stored_name, "
    "original_name, size, sha256, content_type"
)
_ENTRY_COLUMNS = (
    "case_id, sequence, kind, item_id, item_hash, removal_hash, previous_hash, entry_hash, "
    "recorded_at, author_id"
)
# What a screenshot's file record says it holds (its bytes are never stored).
_SCREENSHOT_SIZE = 48_213
_SCREENSHOT_SHA256 = hashlib.sha256(b"bench screenshot").hexdigest()
_DESCRIPTIONS = (
    "Note of a phone call: she said he has been driving past the house at night.",
    "Screenshot of messages sent from a new account.",
    "Note of what the school office saw at pick-up time.",
    "Call log showing eleven missed calls from a withheld number.",
)


def _case_evidence(params, number, case_id, author_id, rows) -> None:
    """Add case `number`'s items, their files and its chain to `rows` (items, files, entries).

    Hashed with the pure chain module, as `EvidenceItem.chain_content` and `_chain_append`
    do (tests/postgresql/test_national_generator.py checks the chains verify).
    """
    items, files, entries = rows
    count = 3 + number % 5 if number <= params["bench_cases"] else (0, 1, 2, 5)[number % 4]
    previous_hash = chain.GENESIS_HASH
    for k in range(count):
        item_id = _uuid(params["salt"], "item", f"{number}:{k}")
        at = params["now"] - dt.timedelta(days=count - k, minutes=number % 600)
        kind = EvidenceItem.Kind.SCREENSHOT if k % 3 == 2 else EvidenceItem.Kind.NOTE
        happened_on = params["today"] - dt.timedelta(days=1 + (number * 7 + k * 29) % 600)
        which = (number + k) % len(_DESCRIPTIONS)
        description = _DESCRIPTIONS[which]
        author_kind = (
            EvidenceItem.AuthorKind.VICTIM_SURVIVOR
            if k % 5 == 4
            else EvidenceItem.AuthorKind.PRACTITIONER
        )
        file_hashes = []
        if kind == EvidenceItem.Kind.SCREENSHOT:
            file_hashes = [_SCREENSHOT_SHA256]
            files.append(
                (uuid.uuid4(), at, author_id, at, item_id, 1, f"evidence/bench-{item_id}",
                 params["screenshot_name"], _SCREENSHOT_SIZE, _SCREENSHOT_SHA256, "image/png")
            )  # fmt: skip
        item_hash = chain.item_hash(
            chain.ItemContent(
                kind=kind,
                occurrence={"precision": Precision.DATE.value, "on": happened_on.isoformat(),
                            "at": None, "until": None},
                description=description,
                author_kind=author_kind,
                corrects=None,
                file_hashes=file_hashes,
            )
        )  # fmt: skip
        items.append(
            (item_id, at, author_id, at, case_id, kind, Precision.DATE.value, happened_on,
             params["descriptions"][which], author_kind, item_hash)
        )  # fmt: skip
        entry = chain.Entry(
            sequence=k + 1,
            kind=chain.ADDED,
            item_id=str(item_id),
            item_hash=item_hash,
            removal_hash="",
            previous_hash=previous_hash,
            recorded_at=at,
            author_id=str(author_id),
            entry_hash="",
        )
        entry_hash = chain.entry_hash(previous_hash, chain.body_of(entry))
        entries.append(
            (case_id, k + 1, chain.ADDED, item_id, item_hash, "", previous_hash, entry_hash, at,
             author_id)
        )  # fmt: skip
        previous_hash = entry_hash


def evidence_incidents_generate(cursor, params: dict) -> None:
    """One note in three marked as an incident (threats, moderate)."""
    cursor.execute(
        f"""
        INSERT INTO evidence_evidenceincident (id, created_at, created_by_id, modified_at,
                                               item_id, behaviours, severity)
        SELECT gen_random_uuid(), x.created_at, x.created_by_id, x.created_at, x.id,
               '["threats"]'::jsonb, 2
        FROM generate_series(1, %(cases)s) i
        CROSS JOIN generate_series(0, 7) k
        JOIN evidence_evidenceitem x ON x.id = {uid("item", "i || ':' || k")}
        WHERE x.kind = 'note' AND mod(i + k, 3) = 0
        """,
        params,
    )


def tasks_generate(cursor, params: dict) -> None:
    """A safety-plan review for each case's first breach (one in twenty still open, some of
    those overdue), and a "tell the school" task on one case in three."""
    cursor.execute(
        f"""
        INSERT INTO tasks_task (id, created_at, created_by_id, modified_at, case_id, kind, title,
                                assignee_id, due_on, origin, origin_id, origin_key, done_at,
                                done_by_id)
        SELECT gen_random_uuid(), b.created_at, NULL, b.created_at, b.case_id, 'safety_review',
               'Review the safety plan', {_LEAD}, t.due_on, 'breach', b.id, '',
               CASE WHEN t.open THEN NULL ELSE b.created_at + interval '2 days' END,
               CASE WHEN t.open THEN NULL ELSE {_LEAD} END
        FROM generate_series(1, %(cases)s) i
        JOIN breaches_breach b ON b.id = {uid("breach", "i || ':1'")}
        CROSS JOIN LATERAL (
            SELECT mod(i, 20) = 4 OR i <= %(bench_cases)s AS open,
                   %(today)s - 5 + mod(i / 20, 10) AS due_on
        ) t
        """,
        params,
    )
    cursor.execute(
        f"""
        INSERT INTO tasks_task (id, created_at, created_by_id, modified_at, case_id, kind, title,
                                assignee_id, due_on, origin, origin_id, origin_key)
        SELECT gen_random_uuid(), %(now)s, {_LEAD}, %(now)s, {uid("case", "i")}, 'share',
               'Tell the school about the order', {_LEAD}, %(today)s + mod(i, 14), 'sharing',
               {uid("party", "i")}, ''
        FROM generate_series(1, %(cases)s) i
        WHERE mod(i, 3) = 0
        """,
        params,
    )


def pattern_escalations_generate(cursor, params: dict) -> None:
    """A course-of-conduct flag noticed in the last 40 days on one case in fifty, and on a third
    of the bench cases (what Cases to look at lists)."""
    cursor.execute(
        f"""
        INSERT INTO patterns_patternescalation (id, created_at, created_by_id, modified_at,
                                                case_id, escalation_key, code, reason)
        SELECT gen_random_uuid(), %(now)s - mod(i, 40) * interval '1 day', NULL, %(now)s,
               {uid("case", "i")}, 'course_of_conduct:bench', 'course_of_conduct',
               'Two or more incidents: this may be a course of conduct (harassment).'
        FROM generate_series(1, %(cases)s) i
        WHERE mod(i, 50) = 4 OR (i <= %(bench_cases)s AND mod(i, 3) = 0)
        """,
        params,
    )


def _uuid(salt: str, kind: str, number) -> uuid.UUID:
    """Return the id `uid()` gives in SQL."""
    return uuid.UUID(hashlib.md5(f"{salt}:{kind}:{number}".encode()).hexdigest())  # noqa: S324


def _copy(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
