"""Settings for the test suite: throwaway keys, fast hashing, in-memory email."""

import base64
import os
import secrets
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet

from config.settings.base import *  # noqa: F403
from config.settings.base import database_from_environment

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# A fresh key per test run: nothing encrypted in a test outlives it.
ORDERWATCH_FIELD_KEYS = [Fernet.generate_key().decode()]
ORDERWATCH_EVIDENCE_SIGNING_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Background tasks run at once, in the test's own process, when the transaction commits. A send
# that fails is still recorded on its notification and retried by `send_pending_emails`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ORDERWATCH_BASE_URL = "https://orderwatch.test"
# Passkeys: the live server of the browser tests is at localhost (they add its port).
OTP_WEBAUTHN_RP_ID = "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost"]
WHITENOISE_USE_FINDERS = True
# Speed of the suite: find a static file when it is asked for, rather than list every file the
# finders know (node_modules too) each time a test client starts its middleware, which was
# about a tenth of a second per test.
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # served straight from the finders; collectstatic is for production
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded test files go to a fresh temporary folder per run, never into the checkout.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="orderwatch-test-media-"))
DATABASES = {"default": database_from_environment("sqlite:///:memory:")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and os.environ.get(
    "ORDERWATCH_TEST_SQLITE_FILE"
):
    # A file-backed test database, for tests that inspect the raw bytes on disk.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["ORDERWATCH_TEST_SQLITE_FILE"]}
