"""The registry sits below accounts: its services, selectors and Excel import ask who may do what
through slots that accounts fills at ready(), with the same rules as every other page."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from sanxiang.accounts import permissions as accounts_permissions
from sanxiang.accounts.models import Role
from sanxiang.registry import permissions, services
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


def test_accounts_installs_every_rule_the_registry_asks():
    assert set(permissions.SLOTS) == {
        "user_reads_all_agencies", "user_can_read_agency", "user_can_register_agencies", "user_can_edit_agency",
        "user_can_manage_staff", "user_can_manage_parties", "user_sees_full_officer_id_number",
        "user_can_read_supervisors",
        "user_county_region",
    }
    for name, slot in permissions.SLOTS.items():
        assert slot._function is getattr(accounts_permissions, name), name
    assert accounts_permissions.permission_require is permissions.permission_require


def test_a_registry_write_checks_the_installed_rule(monkeypatch):
    agency = agency_make()
    admin = user_make(role=Role.AGENCY_ADMIN, agency=agency)
    asked: list[tuple] = []

    def refuse(user, agency_id):
        asked.append((user.pk, agency_id))
        return False

    monkeypatch.setattr(permissions.user_can_manage_parties, "_function", refuse)
    with pytest.raises(PermissionDenied):
        services.party_create(actor=admin, agency=agency, kind="natural_person", name="张三")
    assert asked == [(admin.pk, agency.pk)]


def test_without_accounts_the_registry_refuses_to_guess(monkeypatch):
    agency = agency_make()
    monkeypatch.setattr(permissions.user_can_manage_parties, "_function", None)
    with pytest.raises(ImproperlyConfigured):
        services.party_create(actor=user_make(role=Role.AGENCY_ADMIN, agency=agency), agency=agency, name="张三")
