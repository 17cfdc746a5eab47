"""Fictional demo data: three agencies, a few users per role, three cases. Not real people."""

DEMO_PASSWORD = "demo-orderwatch-2026"  # noqa: S105 (a published demo login, local only)
# The IDVA service's own case system, to try the API with (docs/api.md): registered by the
# service's administrator with every scope; made on the demo only, never on a real service.
DEMO_API_CLIENT = {
    "agency_admin": "admin@idva.example",
    "name": "Demo IDVA case system",
    "client_id": "demo-idva-case-system",
    "client_secret": "demo-secret-not-for-real-use",
}

AGENCIES = [
    {"name": "Northshire Police", "kind": "police"},
    {"name": "Northshire IDVA Service", "kind": "idva_service"},
    # A third agency, on no case yet: its social worker can be added to a case team, and its
    # administrator creates accounts.
    {"name": "Northshire Children's Services", "kind": "childrens_social_care"},
]

USERS = [
    # email, display name, agency, role
    ("pc.ahmed@police.example", "PC Sam Ahmed", "Northshire Police", "practitioner"),
    ("ds.okafor@police.example", "DS Joy Okafor", "Northshire Police", "practitioner"),
    ("insp.berry@police.example", "Insp. Lee Berry", "Northshire Police", "team_manager"),
    ("admin@police.example", "Kit Mercer", "Northshire Police", "agency_admin"),
    ("audit@police.example", "Ash Patel", "Northshire Police", "auditor"),
    ("idva.jones@idva.example", "Rhian Jones", "Northshire IDVA Service", "practitioner"),
    ("idva.clarke@idva.example", "Tom Clarke", "Northshire IDVA Service", "practitioner"),
    ("manager@idva.example", "Priya Shah", "Northshire IDVA Service", "team_manager"),
    ("admin@idva.example", "Jo Lindqvist", "Northshire IDVA Service", "agency_admin"),
    ("audit@idva.example", "Morgan Reid", "Northshire IDVA Service", "auditor"),
    ("sw.nowak@childrens.example", "Ola Nowak", "Northshire Children's Services", "practitioner"),
    ("admin@childrens.example", "Dev Rao", "Northshire Children's Services", "agency_admin"),
]

# Each case: the victim-survivor, others on the case, the address, and the team (lead first).
CASES = [
    {
        "victim": ("Alex", "Demo-Rivers", "1990-04-12"),
        "people": [
            ("respondent", "Chris", "Demo-Rivers", "1987-09-30", ["Kit Rivers"]),
            ("child", "Robin", "Demo-Rivers", "2016-02-03", []),
        ],
        "address": "Flat 4, 10 Example Row, Northtown, NT1 0AA",
        # (order type, started this many days ago, ends this many days from today or None for
        # until further order, conditions as (kind, wording))
        "orders": [
            (
                "non_molestation_order",
                300,
                24,
                [
                    (
                        "no_direct_contact",
                        "The respondent must not contact the applicant directly.",
                    ),
                    (
                        "no_indirect_contact",
                        "The respondent must not contact the applicant by letter, telephone, "
                        "text message, email or social media.",
                    ),
                    (
                        "no_third_party_contact",
                        "The respondent must not ask anyone else to contact the applicant.",
                    ),
                ],
            )
        ],
        "team": [
            ("idva.jones@idva.example", "Allocated IDVA"),
            ("pc.ahmed@police.example", "Officer in the case"),
        ],
        "risk": (
            "medium",
            "Recent indirect contact through the child; no violence since the order.",
        ),
        # Who needs to know: (kind, name, role, organisation, told of the order n days ago)
        "parties": [
            ("school", "Dana Example", "Designated safeguarding lead", "Northtown Primary", 20),
            ("gp", "Dr Lee Sample", "GP", "Northtown Health Centre", None),
        ],
        "safety": {
            "actions": [("Fit a letterbox guard", "Northshire IDVA Service", 14)],
            "measures": [("locks", "New locks on the front and back doors", "in_place")],
        },
        # (days ago, condition kind it breached or None, behaviours, severity, what happened,
        #  police reference or None)
        "breaches": [
            (
                12,
                "no_third_party_contact",
                ["third_party"],
                2,
                "A note for Alex was put in Robin's school bag at the contact centre.",
                "NP-26-10432",
            ),
        ],
        # Evidence: a practitioner's note of the breach, and Alex's own diary (signs in at
        # /notes/sign-in/ with the demo password; no authenticator needed).
        "evidence": [(12, "Photo of the note, taken by Alex at the contact centre; kept by Alex.")],
        # Diary entries: (days ago, what Alex wrote, behaviours if the lead marked it as an
        # incident, so it counts in the pattern).
        "diary": (
            "alex.notes@mail.example",
            [
                (
                    5,
                    "A car like his drove past the house twice tonight. I did not see the driver.",
                    ["following"],
                )
            ],
        ),
    },
    {
        "victim": ("Jordan", "Demo-Hale", "1983-11-21"),
        "people": [("respondent", "Casey", "Demo-Moss", None, [])],
        "address": "22 Sample Close, Westvale, NT9 9ZZ",
        "orders": [
            (
                "restraining_order_conviction",
                60,
                None,
                [
                    (
                        "no_direct_contact",
                        "Not to contact Jordan Demo-Hale directly or indirectly.",
                    ),
                    ("exclusion", "Not to enter Sample Close, Westvale."),
                ],
            )
        ],
        "team": [
            ("ds.okafor@police.example", "Domestic abuse investigator"),
            ("idva.clarke@idva.example", "Allocated IDVA"),
            ("manager@idva.example", "Team manager"),
        ],
        # Two breaches, neither reported yet: the pattern panel prompts a course of conduct
        # and stalking, and the team manager sees the case under "Cases to look at".
        "breaches": [
            (
                20,
                "no_direct_contact",
                ["following"],
                2,
                "Followed her from the bus stop to the end of her road.",
                None,
            ),
            (
                3,
                "exclusion",
                ["attending"],
                3,
                "Seen parked near her home for about an hour in the evening.",
                None,
            ),
        ],
    },
    {
        "victim": ("Sam", "Demo-Fairweather", None),
        "people": [
            ("respondent", "Taylor", "Demo-Grant", "1979-06-14", []),
            ("child", "Ellis", "Demo-Fairweather", "2019-08-08", []),
            ("household_member", "Pat", "Demo-Fairweather", "1956-01-19", []),
        ],
        "address": "",
        "team": [("idva.jones@idva.example", "Allocated IDVA")],
    },
    {
        # Support ended seven years ago: past its review date, so the IDVA service's
        # administrator (admin@idva.example) sees it under "Disposal".
        "victim": ("Morgan", "Demo-Marsh", "1975-03-02"),
        "people": [],
        "address": "",
        "team": [("idva.clarke@idva.example", "Allocated IDVA")],
        "closed_years_ago": 7,
    },
]
