"""Tests of controls that only PostgreSQL provides; collected only when the suite runs on it.

`.ci/run` runs the whole suite a second time on PostgreSQL, so these always run in CI.
"""

import os

if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    collect_ignore_glob = ["test_*.py"]
