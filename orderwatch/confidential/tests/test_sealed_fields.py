"""Sealed fields: free text about people and incidents is encrypted at rest, read back in plain
for whoever may read the row, and never searched or sorted by the database (ADR 0023)."""

import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet
from django.core import serializers
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import isolate_apps

from orderwatch.breaches.models import Breach
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CasePersonFactory
from orderwatch.confidential import cipher
from orderwatch.confidential.fields import SealedTextField

pytestmark = pytest.mark.django_db

ACCOUNT = "He waited by the canal bridge at 9pm and shouted her name"


def raw(model, pk, column: str):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {model._meta.db_table} "  # noqa: S608
            "WHERE id = %s",
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def breach(practitioner, case, order):
    account = breach_account(
        order.conditions.get(), what_happened=ACCOUNT, location_details="By the canal bridge"
    )
    return breach_record(actor=practitioner, case=case, account=account)


def test_breach_text_is_stored_as_a_token_and_reads_back_as_plain_text(breach):
    stored = raw(Breach, breach.pk, "what_happened")

    assert ACCOUNT not in stored
    assert cipher.decrypt(stored) == ACCOUNT
    loaded = Breach.objects.get(pk=breach.pk)
    assert loaded.what_happened == ACCOUNT
    assert type(loaded.what_happened) is str  # shown on the page as it is, nothing withheld
    assert Breach.objects.filter(pk=breach.pk).values_list("location_details", flat=True)[0] == (
        "By the canal bridge"
    )


def test_the_same_text_twice_is_stored_as_two_different_tokens(breach, practitioner, case):
    again = breach_record(
        actor=practitioner,
        case=case,
        account=breach_account(breach.conditions.get(), what_happened=ACCOUNT),
    )
    assert raw(Breach, breach.pk, "what_happened") != raw(Breach, again.pk, "what_happened")


@pytest.mark.parametrize(
    "lookup",
    [
        {"what_happened": ACCOUNT},
        {"what_happened__icontains": "canal"},
        {"what_happened__startswith": "He"},
        {"what_happened__in": [ACCOUNT]},
        {"what_happened__lower": "x"},
        {"what_happened__gt": ""},
    ],
)
def test_searching_a_sealed_field_fails_loudly_instead_of_matching_nothing(breach, lookup):
    with pytest.raises(FieldError, match=r"Breach\.what_happened is encrypted at rest"):
        list(Breach.objects.filter(**lookup))


def test_whether_a_value_was_given_can_still_be_asked(breach):
    assert Breach.objects.filter(what_happened="").count() == 0
    assert Breach.objects.filter(others_present_details="").count() == 1
    assert Breach.objects.exclude(location_details="").get() == breach
    assert raw(Breach, breach.pk, "others_present_details") == ""  # empty stays empty
    assert Breach.objects.filter(what_happened__isnull=True).count() == 0


def test_a_model_ordered_by_a_sealed_field_is_refused_by_the_system_check():
    with isolate_apps("orderwatch.confidential"):

        class Diary(models.Model):
            name = SealedTextField()

            class Meta:
                app_label = "confidential"
                ordering = ["-name"]

            def __str__(self) -> str:
                return "a diary"

        errors = Diary._meta.get_field("name").check()
    assert [error.id for error in errors] == ["confidential.E001"]
    assert "cannot search, compare or order" in errors[0].msg


def test_a_persons_name_date_of_birth_and_aliases_are_sealed_and_read_back_as_they_were():
    person = CasePersonFactory(
        given_name="Marisol",
        family_name="Quennell",
        date_of_birth=dt.date(1991, 4, 30),
        aliases=["Mari Q", "Sol"],
    )
    for column in ("given_name", "family_name", "date_of_birth", "aliases"):
        stored = raw(CasePerson, person.pk, column)
        assert stored.startswith("gAAAAA"), column  # a Fernet token
    assert "Quennell" not in raw(CasePerson, person.pk, "family_name")
    assert "1991" not in raw(CasePerson, person.pk, "date_of_birth")

    loaded = CasePerson.objects.get(pk=person.pk)
    assert (loaded.given_name, loaded.family_name) == ("Marisol", "Quennell")
    assert loaded.date_of_birth == dt.date(1991, 4, 30)
    assert loaded.aliases == ["Mari Q", "Sol"]


def test_no_date_of_birth_and_no_aliases_read_back_as_none_and_an_empty_list():
    person = CasePersonFactory(date_of_birth=None, aliases=[])
    loaded = CasePerson.objects.get(pk=person.pk)
    assert loaded.date_of_birth is None
    assert loaded.aliases == []
    assert CasePerson.objects.filter(pk=person.pk, date_of_birth__isnull=True).exists()


def test_the_user_facing_length_limit_is_still_checked_without_the_column():
    person = CasePersonFactory.build(given_name="x" * 101)
    with pytest.raises(ValidationError) as raised:
        person.full_clean(exclude=["case"])
    assert "given_name" in raised.value.message_dict


def test_serialising_a_row_does_not_give_out_the_plain_text(breach):
    dumped = serializers.serialize("json", Breach.objects.filter(pk=breach.pk))
    assert ACCOUNT not in dumped
    assert '"what_happened": "[sealed]"' in dumped


def test_rotation_re_encrypts_sealed_text_under_the_new_key_and_the_old_key_can_go(
    settings, breach
):
    person = CasePersonFactory(aliases=["Sol"], date_of_birth=dt.date(1991, 4, 30))
    before = raw(Breach, breach.pk, "what_happened")
    old_key, new_key = settings.ORDERWATCH_FIELD_KEYS[0], Fernet.generate_key().decode()
    settings.ORDERWATCH_FIELD_KEYS = [new_key, old_key]
    assert Breach.objects.get(pk=breach.pk).what_happened == ACCOUNT  # readable meanwhile

    call_command("rotate_field_keys", stdout=io.StringIO())
    settings.ORDERWATCH_FIELD_KEYS = [new_key]

    after = raw(Breach, breach.pk, "what_happened")
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == ACCOUNT
    assert Breach.objects.get(pk=breach.pk).what_happened == ACCOUNT
    loaded = CasePerson.objects.get(pk=person.pk)
    assert (loaded.aliases, loaded.date_of_birth) == (["Sol"], dt.date(1991, 4, 30))


def test_text_under_an_unknown_key_is_refused_not_shown_garbled(settings, breach):
    settings.ORDERWATCH_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(cipher.ConfidentialValueUnreadable):
        Breach.objects.get(pk=breach.pk)


BEFORE_SEALING = [("cases", "0004_case_sources_version")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Serialized rollback, like every transactional test here: its flush would otherwise re-create
# the content types a later serialized test restores.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_seals_existing_rows_and_its_reverse_gives_them_back():
    person = CasePersonFactory(
        given_name="Marisol", family_name="Quennell", date_of_birth=dt.date(1991, 4, 30)
    )
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE_SEALING)
        # Reversed: the columns hold plain values again, of their old types.
        assert raw(CasePerson, person.pk, "family_name") == "Quennell"
        old_model = old_apps.get_model("cases", "CasePerson")
        unsealed = old_model.objects.get(pk=person.pk)
        assert (unsealed.given_name, unsealed.date_of_birth) == ("Marisol", dt.date(1991, 4, 30))
        # A row written before sealing existed, some of it blank.
        written = old_model.objects.create(
            case_id=person.case_id,
            role="child",
            given_name="Robin",
            family_name="",
            date_of_birth=dt.date(2017, 2, 3),
            aliases=["Bobbie Ashdown"],
        )
    finally:
        _migrate(latest)

    assert "Bobbie" not in raw(CasePerson, written.pk, "aliases")
    assert "2017" not in raw(CasePerson, written.pk, "date_of_birth")
    assert raw(CasePerson, written.pk, "family_name") == ""
    sealed = CasePerson.objects.get(pk=written.pk)
    assert (sealed.given_name, sealed.family_name) == ("Robin", "")
    assert (sealed.date_of_birth, sealed.aliases) == (dt.date(2017, 2, 3), ["Bobbie Ashdown"])
    assert CasePerson.objects.get(pk=person.pk).family_name == "Quennell"
