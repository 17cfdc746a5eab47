"""The probes in the access matrix (see orderwatch/access/tests/): open to anyone, like the
public information pages; a diary keeper stays inside their diary."""

from orderwatch.access.tests.routes import VISITORS, Route

ROUTES = [
    Route("health:live", dict.fromkeys(VISITORS, 200)),
    Route("health:ready", dict.fromkeys(VISITORS, 200)),
]
