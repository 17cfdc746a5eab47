"""Load an order-type catalogue (orders/catalogue/<name>.json) into the database.

Used by data migrations and the `load_order_catalogue` command; takes the model as an argument
so a migration can pass its historical model.
"""

import json
from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
FIELDS = (
    "name",
    "legal_basis",
    "route",
    "breach_is_offence",
    "breach",
    "max_penalty",
    "usual_duration",
    "fixed_maximum_days",
    "extension_and_variation",
    "who_applies",
    "uncertain",
    "sources",
)


def read_catalogue(name: str = "uk") -> dict:
    """Return the catalogue's data, checked for the links between its entries."""
    data = json.loads((CATALOGUE_DIR / f"{name}.json").read_text(encoding="utf-8"))
    codes = {entry["code"] for entry in data["order_types"]}
    for entry in data["order_types"]:
        unknown = set(entry["alternatives_on_expiry"]) - codes
        if unknown:
            raise ValueError(f"{entry['code']} names unknown alternatives: {sorted(unknown)}")
        if not entry["sources"]:
            raise ValueError(f"{entry['code']} cites no source")
    return data


def load_catalogue(order_type_model, name: str = "uk") -> int:
    """Create or update every order type in the catalogue; return how many there are."""
    data = read_catalogue(name)
    by_code = {}
    for entry in data["order_types"]:
        values = {field: entry[field] for field in FIELDS}
        values.update(catalogue=data["catalogue"], catalogue_version=data["version"])
        by_code[entry["code"]], _ = order_type_model.objects.update_or_create(
            code=entry["code"], defaults=values
        )
    for entry in data["order_types"]:
        by_code[entry["code"]].alternatives.set(
            [by_code[code] for code in entry["alternatives_on_expiry"]]
        )
    return len(by_code)
