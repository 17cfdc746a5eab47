"""With Notify chosen, settings that would lose emails stop the worker and `check --deploy`."""

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from orderwatch.core.tests.test_settings import _load_production
from orderwatch.notifications.checks import notify_settings_check
from orderwatch.notifications.email_kinds import EmailKind
from orderwatch.notifications.tests.notify_stub import API_KEY


@pytest.fixture
def notify_chosen(settings):
    settings.EMAIL_BACKEND = settings.NOTIFY_EMAIL_BACKEND
    settings.ORDERWATCH_NOTIFY_API_KEY = API_KEY
    settings.ORDERWATCH_NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    settings.ORDERWATCH_NOTIFY_TEMPLATES = {kind.value: str(uuid.uuid4()) for kind in EmailKind}
    settings.ORDERWATCH_NOTIFY_REPLY_TO_ID = ""
    return settings


def error_ids() -> list[str]:
    return [error.id for error in notify_settings_check(None)]


def test_complete_notify_settings_pass(notify_chosen):
    assert notify_settings_check(None) == []


def test_a_kind_with_no_template_is_named(notify_chosen):
    del notify_chosen.ORDERWATCH_NOTIFY_TEMPLATES["diary_setup"]
    notify_chosen.ORDERWATCH_NOTIFY_TEMPLATES["password_reset"] = ""

    (error,) = notify_settings_check(None)

    assert error.id == "notifications.E002"
    assert "ORDERWATCH_NOTIFY_TEMPLATE_PASSWORD_RESET" in error.msg
    assert "ORDERWATCH_NOTIFY_TEMPLATE_DIARY_SETUP" in error.msg
    assert "CASE_UPDATE" not in error.msg


def test_the_worker_will_not_start_without_every_template(notify_chosen):
    del notify_chosen.ORDERWATCH_NOTIFY_TEMPLATES["case_update"]
    with pytest.raises(SystemCheckError, match="ORDERWATCH_NOTIFY_TEMPLATE_CASE_UPDATE"):
        call_command("check")


@pytest.mark.parametrize(
    "key",
    ["", "not-a-key", API_KEY[-73:], API_KEY.replace("-", "", 1)[:-1]],
)
def test_a_key_not_in_notifys_form_is_refused(key, notify_chosen):
    notify_chosen.ORDERWATCH_NOTIFY_API_KEY = key
    assert error_ids() == ["notifications.E001"]


def test_template_ids_that_are_not_ids_or_name_no_kind_are_refused(notify_chosen):
    notify_chosen.ORDERWATCH_NOTIFY_TEMPLATES["account_setup"] = "Set up your account"
    notify_chosen.ORDERWATCH_NOTIFY_TEMPLATES["acount_setup"] = str(uuid.uuid4())

    errors = {error.id: error.msg for error in notify_settings_check(None)}

    assert "ORDERWATCH_NOTIFY_TEMPLATE_ACCOUNT_SETUP" in errors["notifications.E003"]
    assert "ORDERWATCH_NOTIFY_TEMPLATE_ACOUNT_SETUP" in errors["notifications.E004"]


def test_a_reply_to_that_is_not_an_id_or_plain_http_is_refused(notify_chosen):
    notify_chosen.ORDERWATCH_NOTIFY_REPLY_TO_ID = "replies@example.org"
    notify_chosen.ORDERWATCH_NOTIFY_BASE_URL = "http://notify.example"
    assert error_ids() == ["notifications.E005", "notifications.E006"]

    notify_chosen.ORDERWATCH_NOTIFY_REPLY_TO_ID = str(uuid.uuid4())
    notify_chosen.ORDERWATCH_NOTIFY_BASE_URL = "http://127.0.0.1:18300"  # a stand-in on loopback
    assert error_ids() == []


def test_nothing_is_asked_of_notify_settings_when_smtp_sends(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.ORDERWATCH_NOTIFY_API_KEY = ""
    settings.ORDERWATCH_NOTIFY_TEMPLATES = {}
    assert notify_settings_check(None) == []


def test_template_ids_are_read_from_one_variable_per_kind():
    result = _load_production(
        code="import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.ORDERWATCH_NOTIFY_TEMPLATES.items()))",
        ORDERWATCH_NOTIFY_TEMPLATE_CASE_UPDATE=" 5e9f1a1c-0d7e-4a55-8a57-8b6f3c2d1e0f ",
        ORDERWATCH_NOTIFY_TEMPLATE_DIARY_SETUP="0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        [
            ("case_update", "5e9f1a1c-0d7e-4a55-8a57-8b6f3c2d1e0f"),
            ("diary_setup", "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"),
        ]
    )


def test_production_refuses_notify_without_its_key():
    notify = "orderwatch.notifications.notify_backend.NotifyEmailBackend"
    refused = _load_production(EMAIL_BACKEND=notify)
    assert refused.returncode != 0
    assert "ORDERWATCH_NOTIFY_API_KEY must be set in production." in refused.stderr

    assert _load_production(EMAIL_BACKEND=notify, ORDERWATCH_NOTIFY_API_KEY=API_KEY).returncode == 0
