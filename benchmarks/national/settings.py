"""Settings for the national-scale benchmark: the local settings with DEBUG off, database
connections kept open, files in a temporary folder and emails dropped. The database is the one
in DATABASE_URL, which benchmarks/national/run.py sets for each size."""

import tempfile
from pathlib import Path

from config.settings.local import *  # noqa: F403
from config.settings.local import DATABASES

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = None
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="orderwatch-bench-media-"))
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
