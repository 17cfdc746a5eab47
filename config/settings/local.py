"""Settings for `make run` on a developer's machine: safe defaults, nothing to configure."""

import json
import os
import secrets

from cryptography.fernet import Fernet

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, ORDERWATCH_FIELD_KEYS


def _local_secrets() -> dict:
    """Return this checkout's own random secrets, made on first use and never committed."""
    path = BASE_DIR / "var" / "local-secrets.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        values = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_KEY": Fernet.generate_key().decode(),
        }
        path.write_text(json.dumps(values))
        path.chmod(0o600)
    return json.loads(path.read_text())


_secrets = _local_secrets()

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = os.environ.get("SECRET_KEY", _secrets["SECRET_KEY"])
ORDERWATCH_FIELD_KEYS = ORDERWATCH_FIELD_KEYS or [_secrets["FIELD_KEY"]]
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # served straight from the finders; collectstatic is for production
