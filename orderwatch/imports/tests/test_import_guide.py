"""docs/import.md names every column of the template, every order type code and every kind of
condition, so an agency filling in the template finds each one explained."""

from pathlib import Path

from orderwatch.imports.sheet import COLUMNS
from orderwatch.orders.catalogue import read_catalogue
from orderwatch.orders.models import Condition

GUIDE = (Path(__file__).resolve().parents[3] / "docs" / "import.md").read_text(encoding="utf-8")


def test_the_guide_explains_every_column():
    table = GUIDE.split("## Columns")[1].split("### Order type codes")[0]
    named = {
        column.name
        for column in COLUMNS
        if f"`{column.name}`" in table or column.name.startswith("condition_")
    }
    assert named == {column.name for column in COLUMNS}
    assert "`condition_1_kind`, `condition_1_wording` (and `_2_`, `_3_`)" in table


def test_the_guide_lists_every_order_type_and_condition_kind_code():
    for entry in read_catalogue()["order_types"]:
        assert f"`{entry['code']}`" in GUIDE
    for kind in Condition.Kind.values:
        assert f"`{kind}`" in GUIDE
