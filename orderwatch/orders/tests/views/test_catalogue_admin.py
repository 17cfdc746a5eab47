import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.orders.tests.factories import order_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, idva_service):
    staff = UserFactory(agency=idva_service, is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["view_ordertype", "change_ordertype"])
    )
    return sign_in_with_two_factor(client, staff), staff


def test_a_service_administrator_corrects_the_catalogue_and_it_is_audited(administrator):
    client, staff = administrator
    nmo = order_type("non_molestation_order")
    url = reverse("admin:orders_ordertype_change", kwargs={"object_id": nmo.pk})
    form = client.get(url)
    assert form.status_code == 200
    data = {
        field: getattr(nmo, field)
        for field in (
            "name",
            "legal_basis",
            "route",
            "breach",
            "max_penalty",
            "usual_duration",
            "extension_and_variation",
            "who_applies",
            "catalogue_version",
        )
    }
    data |= {
        "breach_is_offence": "on",
        "uncertain": "[]",
        "sources": '[{"citation": "FLA 1996 s.42A", "url": ""}]',
        "alternatives": [a.pk for a in nmo.alternatives.all()],
        "max_penalty": "Up to 5 years' imprisonment (corrected)",
        "fixed_maximum_days": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    nmo.refresh_from_db()
    assert nmo.max_penalty.endswith("(corrected)")
    event = AuditEvent.objects.get(verb=Verb.CATALOGUE_CHANGED)
    assert (event.actor, "max_penalty" in event.fields) == (staff, True)


def test_order_types_cannot_be_deleted_because_orders_refer_to_them(administrator):
    client, _ = administrator
    nmo = order_type("non_molestation_order")
    url = reverse("admin:orders_ordertype_delete", kwargs={"object_id": nmo.pk})
    assert client.get(url).status_code == 403


def test_only_reference_data_is_offered_to_administrators(administrator):
    client, _ = administrator
    page = client.get(reverse("admin:index")).text
    assert "Order types" in page
    for absent in ("Users", "Cases", "Audit events", "TOTP devices"):
        assert absent not in page


def test_create_service_admin_makes_staff_with_catalogue_rights_only(monkeypatch, idva_service):
    from django.core.management import call_command

    from orderwatch.accounts.models import User

    monkeypatch.setattr(
        "orderwatch.accounts.management.commands.create_service_admin.getpass",
        lambda prompt: "a-long-admin-password-77",
    )
    call_command(
        "create_service_admin", "Admin@Service.example", "Sam Admin", agency=idva_service.name
    )
    admin = User.objects.get(email="admin@service.example")
    assert (admin.is_staff, admin.is_superuser) == (True, False)
    assert admin.has_perm("orders.change_ordertype")
    assert not admin.has_perm("cases.reveal_protected_address")


def test_create_service_admin_names_the_agencies_when_one_is_wrong(idva_service):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Test IDVA Service"):
        call_command("create_service_admin", "a@b.example", "A", agency="Nowhere")
