"""Order pages in the access matrix that it does not list itself (see
orderwatch/access/tests/test_access_matrix.py)."""

from orderwatch.access.tests.routes import CASE_PAGE, Route
from orderwatch.cases.models import Case


def order_kwargs(case: Case) -> dict:
    return {"case_id": case.pk, "order_id": case.orders.get().pk}


ROUTES = [
    # Asking for the summary PDF (address withheld) needs only read access; it leads to the
    # prepared document's page.
    Route(
        "orders:summary",
        {**CASE_PAGE, "member": 302, "member_auditor": 302},
        order_kwargs,
        method="post",
    ),
]
