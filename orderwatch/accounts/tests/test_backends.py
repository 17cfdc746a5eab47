"""The signed-in user is read once, with their agency; Django's permission tables are for staff."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

CATALOGUE = "orders.change_ordertype"


def _granted(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename=CATALOGUE.split(".")[1]))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached on it


def test_a_service_administrator_keeps_their_catalogue_permission(idva_service):
    admin = _granted(UserFactory(agency=idva_service, is_staff=True))
    assert admin.has_perm(CATALOGUE)


def test_a_permission_granted_to_someone_who_is_not_staff_gives_them_nothing(idva_service):
    practitioner = _granted(UserFactory(agency=idva_service))
    assert not practitioner.has_perm(CATALOGUE)


def test_a_page_reads_the_user_with_their_agency_and_no_permission_tables(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications:list"))
    assert "Test IDVA Service" in response.text
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "accounts_agency"' not in tables
    assert "auth_permission" not in tables
