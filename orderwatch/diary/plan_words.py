"""The safety plan in the victim-survivor's own words: what each kind of practical measure is
and whether it is there yet. No Django here.

Written for a reading age of about 9 to 11 and for someone who may be frightened: short,
everyday words, no service or agency names. Every measure kind has words here: a test fails
when a kind is added to `SafetyMeasure.Kind` without them.
"""

# What each kind of practical measure is (safety.models.SafetyMeasure.Kind), as the keeper
# reads it above the words their worker wrote.
MEASURE_KIND_WORDS: dict[str, str] = {
    "locks": "Locks and doors",
    "alarm": "An alarm or a button to call for help",
    "lighting": "Lights or cameras outside",
    "phone": "Your phone",
    "sanctuary": "A safe room in your home",
    "school": "Picking up the children from school or nursery",
    "other": "Something else",
}

# Whether it is there yet (SafetyMeasure.Status).
MEASURE_STATUS_WORDS: dict[str, str] = {
    "in_place": "In place",
    "planned": "Planned",
}

SOMETHING_ELSE = MEASURE_KIND_WORDS["other"]


def measure_kind_in_plain_words(kind: str) -> str:
    """Return what a kind of practical measure is, in plain words ("Locks and doors")."""
    return MEASURE_KIND_WORDS.get(kind, SOMETHING_ELSE)


def measure_status_in_plain_words(status: str) -> str:
    """Return whether a practical measure is there yet: "In place" or "Planned"."""
    return MEASURE_STATUS_WORDS.get(status, MEASURE_STATUS_WORDS["planned"])
