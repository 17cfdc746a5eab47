"""How many breaches and incidents, in words. Pure: no Django.

Conduct that matches no condition of an order is an incident, not a breach (ADR 0030): it is
counted apart, and in the pattern beside the breaches.
"""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def breaches_and_incidents(breaches: int, incidents: int, evidence: int = 0) -> str:
    """Return "2 breaches and 1 incident", leaving out a kind with none; with `evidence`, the
    evidence items marked as an incident too. "No breaches or incidents" when all are nought."""
    if min(breaches, incidents, evidence) < 0:
        raise ValueError("A count cannot be below nought")
    parts = [
        _plural(breaches, "breach", "breaches") if breaches else "",
        _plural(incidents, "incident", "incidents") if incidents else "",
        _plural(
            evidence, "evidence item marked as an incident", "evidence items marked as an incident"
        )
        if evidence
        else "",
    ]
    parts = [part for part in parts if part]
    if not parts:
        return "No breaches or incidents"
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
