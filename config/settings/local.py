"""Settings for `make run` on a developer's machine: safe defaults, nothing to configure."""

import base64
import json
import os
import secrets

from cryptography.fernet import Fernet

from config.settings.base import *  # noqa: F403
from config.settings.base import (
    BASE_DIR,
    ORDERWATCH_EVIDENCE_SIGNING_KEY,
    ORDERWATCH_FIELD_KEYS,
)


def _local_secrets() -> dict:
    """Return this checkout's own random secrets, made on first use and never committed.

    A secret added in a later version is made and saved the first time it is missing.
    """
    path = BASE_DIR / "var" / "local-secrets.json"
    values = json.loads(path.read_text()) if path.exists() else {}
    makers = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "FIELD_KEY": lambda: Fernet.generate_key().decode(),
        "EVIDENCE_SIGNING_KEY": lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }
    missing = {name: make() for name, make in makers.items() if name not in values}
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**values, **missing}))
        path.chmod(0o600)
    return {**values, **missing}


_secrets = _local_secrets()

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Passkeys work at http://localhost:8000 (browsers refuse 127.0.0.1 as a relying party).
OTP_WEBAUTHN_RP_ID = "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost:8000"]
SECRET_KEY = os.environ.get("SECRET_KEY", _secrets["SECRET_KEY"])
ORDERWATCH_FIELD_KEYS = ORDERWATCH_FIELD_KEYS or [_secrets["FIELD_KEY"]]
ORDERWATCH_EVIDENCE_SIGNING_KEY = (
    ORDERWATCH_EVIDENCE_SIGNING_KEY or _secrets["EVIDENCE_SIGNING_KEY"]
)
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # served straight from the finders; collectstatic is for production
# Readable log lines on a developer's terminal; ORDERWATCH_LOG_FORMAT=json to see production's.
ORDERWATCH_LOG_FORMAT = os.environ.get("ORDERWATCH_LOG_FORMAT", "console")
