"""Retention classes and review dates: which classes a closed case falls in, and when it is
reviewed. Pure: no Django, so the rules are tested without a database.

The classes are data (`schedules/<name>.json`, each with its sources and what is uncertain);
this module only applies them. The longest applicable period wins: a case kept 6 years as an
adult record but with a 3-year-old child is kept until that child is 25.
"""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

SCHEDULES_DIR = Path(__file__).resolve().parent / "schedules"
RULE_KINDS = ("years_after_closure", "until_youngest_child_age", "review_after_years")
CONDITIONS = ("always", "children_involved", "evidence_may_be_relevant")


@dataclass(frozen=True)
class RetentionClass:
    code: str
    name: str
    applies_when: str
    rule_kind: str
    years: int
    confirm_before_disposal: bool
    description: str
    uncertain: tuple[str, ...]
    sources: tuple[dict, ...]


@dataclass(frozen=True)
class Schedule:
    name: str
    version: str
    classes: tuple[RetentionClass, ...]
    uncertain: tuple[str, ...]

    def get(self, code: str) -> RetentionClass:
        return next(each for each in self.classes if each.code == code)


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about a closed case, and nothing else about it."""

    closed_on: date
    # One entry per child on the case: their date of birth, or None where it is not recorded.
    children_born_on: tuple[date | None, ...] = ()
    evidence_may_be_relevant: bool = False


@dataclass(frozen=True)
class Retention:
    """The class that sets the review date (the longest), every class that applies, and
    whether someone must confirm before disposal even once the date has passed."""

    retention_class: str
    classes: tuple[str, ...]
    review_on: date
    confirm_before_disposal: bool
    schedule_version: str


def read_schedule(name: str = "uk") -> Schedule:
    """Return the schedule's classes, refusing one without a source or with an unknown rule."""
    data = json.loads((SCHEDULES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return schedule_from_data(data)


def schedule_from_data(data: dict) -> Schedule:
    """Return a schedule from its data, checked: every class cites a source, names a known
    condition and rule, and a whole number of years; codes are unique; one class always
    applies, so every closed case gets a review date."""
    classes = []
    for entry in data["classes"]:
        code = entry["code"]
        if not entry.get("sources") or not all(s.get("citation") for s in entry["sources"]):
            raise ValueError(f"Retention class {code} cites no source")
        if entry["applies_when"] not in CONDITIONS:
            raise ValueError(f"Retention class {code} applies on an unknown condition")
        rule = entry["rule"]
        if rule["kind"] not in RULE_KINDS:
            raise ValueError(f"Retention class {code} has an unknown rule {rule['kind']!r}")
        years = rule.get("age", rule.get("years"))
        if not isinstance(years, int) or isinstance(years, bool) or years < 0:
            raise ValueError(f"Retention class {code} needs a whole number of years")
        classes.append(
            RetentionClass(
                code=code,
                name=entry["name"],
                applies_when=entry["applies_when"],
                rule_kind=rule["kind"],
                years=years,
                confirm_before_disposal=bool(entry.get("confirm_before_disposal", False)),
                description=entry["description"],
                uncertain=tuple(entry["uncertain"]),
                sources=tuple(entry["sources"]),
            )
        )
    codes = [each.code for each in classes]
    if len(set(codes)) != len(codes):
        raise ValueError("Retention class codes must be unique")
    if not any(each.applies_when == "always" for each in classes):
        raise ValueError("One retention class must always apply")
    return Schedule(
        name=data["schedule"],
        version=data["version"],
        classes=tuple(classes),
        uncertain=tuple(data["uncertain"]),
    )


def add_years(day: date, years: int) -> date:
    """Return the same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _applies(each: RetentionClass, facts: CaseFacts) -> bool:
    if each.applies_when == "children_involved":
        return bool(facts.children_born_on)
    if each.applies_when == "evidence_may_be_relevant":
        return facts.evidence_may_be_relevant
    return True


def _kept_until(each: RetentionClass, facts: CaseFacts) -> date:
    if each.rule_kind == "until_youngest_child_age":
        # A child with no recorded date of birth counts as born the day the case closed: no
        # child on a case can be younger than that, so the record is never kept too briefly.
        youngest = max(born or facts.closed_on for born in facts.children_born_on)
        return add_years(youngest, each.years)
    return add_years(facts.closed_on, each.years)


def retention_for(facts: CaseFacts, schedule: Schedule) -> Retention:
    """Return the classes that apply to a closed case and its review date: the latest date any
    of them gives, never before the case closed."""
    applying = [each for each in schedule.classes if _applies(each, facts)]
    dates = {each.code: max(_kept_until(each, facts), facts.closed_on) for each in applying}
    # The longest wins; on a tie, the earlier class in the schedule names it.
    deciding = max(applying, key=lambda each: (dates[each.code], -applying.index(each)))
    return Retention(
        retention_class=deciding.code,
        classes=tuple(each.code for each in applying),
        review_on=dates[deciding.code],
        confirm_before_disposal=any(each.confirm_before_disposal for each in applying),
        schedule_version=schedule.version,
    )
