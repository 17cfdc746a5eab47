"""Production settings refuse to start when unsafe; every page is kept out of caches."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor

ROOT = Path(__file__).resolve().parents[3]
SAFE_ENV = {
    "ORDERWATCH_BASE_URL": "https://orderwatch.example",
    "SECRET_KEY": "x" * 60,
    "ORDERWATCH_FIELD_KEYS": "Ft3mX0nK0uJq3vVQ3m9U5m8m8wYbHc6p7yKcW1uK3aU=",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLOWED_HOSTS": "orderwatch.example",
    "ORDERWATCH_EVIDENCE_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
}


def _load_production(
    *, code: str = "import django; django.setup()", **overrides: str
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SAFE_ENV and k != "DEBUG"}
    env.update({**SAFE_ENV, **overrides}, DJANGO_SETTINGS_MODULE="config.settings.production")
    env = {k: v for k, v in env.items() if v}
    return subprocess.run(  # noqa: S603 - the test's own code, run in a fresh interpreter
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_load_with_everything_set():
    assert _load_production().returncode == 0


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG must not be set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"ORDERWATCH_FIELD_KEYS": ""}, "ORDERWATCH_FIELD_KEYS must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        ({"ORDERWATCH_BASE_URL": ""}, "ORDERWATCH_BASE_URL must be set"),
        ({"ORDERWATCH_BASE_URL": "http://orderwatch.example"}, "must start with https://"),
        ({"ORDERWATCH_EVIDENCE_SIGNING_KEY": ""}, "ORDERWATCH_EVIDENCE_SIGNING_KEY must be set"),
        ({"ORDERWATCH_TRUSTED_PROXIES": "10.0.0.5,0.0.0.0/0"}, "not every address"),
        ({"ORDERWATCH_TRUSTED_PROXIES": "10.0.0.5,nginx"}, "'nginx' is not an IP address"),
        (
            {"DATABASE_URL": "postgres://orderwatch@db.internal:5432/orderwatch"},
            "DATABASE_URL must use TLS",
        ),
        (
            {"DATABASE_URL": "postgres://orderwatch@10.0.0.7/orderwatch?sslmode=prefer"},
            "DATABASE_URL must use TLS",
        ),
        (
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.example",
            },
            "EMAIL_USE_TLS=1 or EMAIL_USE_SSL=1 must be set",
        ),
        ({"ORDERWATCH_METRICS_ALLOWED_NETWORKS": "127.0.0.1,::/0"}, "not every address"),
        ({"ORDERWATCH_METRICS_ALLOWED_NETWORKS": "prometheus"}, "'prometheus' is not an IP"),
        ({"ORDERWATCH_LOG_FORMAT": "xml"}, "ORDERWATCH_LOG_FORMAT must be one of json, console"),
    ],
)
def test_production_refuses_to_start_when_unsafe(override, message):
    result = _load_production(**override)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "override",
    [
        {"DATABASE_URL": "postgres://orderwatch@db.internal/orderwatch?sslmode=verify-full"},
        {"DATABASE_URL": "postgres://orderwatch@db.internal/orderwatch?sslmode=require"},
        {"DATABASE_URL": "postgres://orderwatch@127.0.0.1:5432/orderwatch"},
        {"DATABASE_URL": "postgres://orderwatch@localhost/orderwatch"},
        {"DATABASE_URL": "postgres://orderwatch@%2Fvar%2Frun%2Fpostgresql/orderwatch"},
        {
            "DATABASE_URL": "postgres://orderwatch@db.internal/orderwatch",
            "ORDERWATCH_ALLOW_UNENCRYPTED_DATABASE": "1",
        },
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "smtp.example",
            "EMAIL_USE_TLS": "1",
        },
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "smtp.example",
            "EMAIL_USE_SSL": "1",
        },
        {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "::1"},
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "smtp.internal",
            "ORDERWATCH_ALLOW_UNENCRYPTED_SMTP": "1",
        },
    ],
)
def test_production_accepts_encrypted_or_local_connections(override):
    result = _load_production(**override)
    assert result.returncode == 0, result.stderr


STORAGE = (
    "import django; django.setup(); from django.core.files.storage import storages; "
    "default_storage = storages['default']"
)


def test_stored_files_go_to_s3_compatible_storage_when_a_bucket_is_named():
    s3 = _load_production(
        code=STORAGE + "; s = default_storage; print(type(s).__name__, s.bucket_name, "
        "s.endpoint_url, s.default_acl)",
        ORDERWATCH_S3_BUCKET="orderwatch-files",
        ORDERWATCH_S3_ENDPOINT_URL="https://objects.example",
    )
    assert s3.stdout.split() == [
        "S3Storage",
        "orderwatch-files",
        "https://objects.example",
        "private",
    ]
    local = _load_production(code=STORAGE + "; print(type(default_storage).__name__)")
    assert local.stdout.strip() == "FileSystemStorage"


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    response = client.get(reverse("cases:list"))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
