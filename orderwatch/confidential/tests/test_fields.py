import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from orderwatch.cases.models import Case
from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.confidential import cipher
from orderwatch.confidential.fields import Confidential

pytestmark = pytest.mark.django_db

ADDRESS = "7 Canary Wharf Lane, Hidden Town, HT7 7HT"


def _raw_column(case: Case) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT protected_address FROM {Case._meta.db_table} WHERE id = %s",  # noqa: S608
            [case.pk.hex if connection.vendor == "sqlite" else case.pk],
        )
        return cursor.fetchone()[0]


def test_address_is_stored_encrypted_and_reads_back():
    case = CaseFactory(protected_address=Confidential.from_plaintext(ADDRESS))
    assert ADDRESS not in _raw_column(case)
    assert Case.objects.get(pk=case.pk).protected_address.reveal() == ADDRESS


def test_confidential_value_prints_as_withheld():
    case = CaseFactory(protected_address=Confidential.from_plaintext(ADDRESS))
    loaded = Case.objects.get(pk=case.pk)
    assert str(loaded.protected_address) == "[withheld]"
    assert ADDRESS not in repr(loaded.protected_address)
    assert ADDRESS not in f"{loaded.protected_address}"


def test_rotation_re_encrypts_under_the_new_key_and_old_key_can_go(settings):
    case = CaseFactory(protected_address=Confidential.from_plaintext(ADDRESS))
    old_key = settings.ORDERWATCH_FIELD_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.ORDERWATCH_FIELD_KEYS = [new_key, old_key]
    call_command("rotate_field_keys")
    settings.ORDERWATCH_FIELD_KEYS = [new_key]
    assert Case.objects.get(pk=case.pk).protected_address.reveal() == ADDRESS


def test_value_under_an_unknown_key_is_refused_not_garbled(settings):
    case = CaseFactory(protected_address=Confidential.from_plaintext(ADDRESS))
    settings.ORDERWATCH_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(cipher.ConfidentialValueUnreadable):
        Case.objects.get(pk=case.pk).protected_address.reveal()


def test_empty_address_stays_empty():
    case = CaseFactory(protected_address="")
    loaded = Case.objects.get(pk=case.pk)
    assert not loaded.protected_address
    assert loaded.protected_address.reveal() == ""


def test_a_revealed_value_renders_but_repr_withholds_it():
    case = CaseFactory(protected_address=Confidential.from_plaintext(ADDRESS))
    revealed = Case.objects.get(pk=case.pk).protected_address.reveal()
    assert revealed == ADDRESS
    assert f"{revealed}" == ADDRESS
    assert ADDRESS not in repr(revealed)
    assert ADDRESS not in repr({"address": revealed})
