"""Settings for the chaos check: the benchmark's, with stored files in the folder the check
names (CHAOS_MEDIA_ROOT), so the server processes it starts and kills and the check that
counts their files agree on where files are."""

import os
from pathlib import Path

from benchmarks.national.settings import *  # noqa: F403

MEDIA_ROOT = Path(os.environ["CHAOS_MEDIA_ROOT"])
