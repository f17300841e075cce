"""Changing a user (Django's admin change form → `user_update`): the rules of creation, one ledger
entry with each changed field before and after, and a change of what the user may do logs them out
everywhere and revokes their tokens (review r2, F1)."""

import json

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import ApiToken, Role, User
from sanxiang.accounts.services import api_token_create, user_update
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.accounts.test_users import system_admin_client
from tests.factories import PASSWORD, agency_make, officer_make, user_make

pytestmark = pytest.mark.django_db


def change_form(user: User, **fields) -> dict:
    """The admin change form as Django renders it for `user`, with `fields` changed."""
    data = {
        "username": user.username, "role": user.role, "agency": str(user.agency_id or ""),
        "officer": str(user.officer_id or ""), "display_name": user.display_name, "email": user.email,
        "first_name": user.first_name, "last_name": user.last_name,
    }
    if user.is_active:
        data["is_active"] = "on"
    return data | fields


def payloads(kind: str, user: User) -> list[dict]:
    rows = Entry.objects.filter(kind=kind, subject=f"user:{user.pk}").order_by("pk")
    return [json.loads(bytes(row.body))["payload"] for row in rows]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("accounts:security")).status_code == 200
    return client


def test_a_change_of_role_and_agency_is_ledgered_and_ends_the_users_sessions_and_tokens():
    home, other = agency_make(), agency_make()
    user = user_make(role=Role.OFFICER, agency=home, username="moved")
    session = logged_in(user)
    row, token = api_token_create(actor=user, user=user, name="对接")
    client = system_admin_client()
    root = User.objects.get(username="root")
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", change_form(
        user, username="renamed", role=Role.AGENCY_ADMIN, agency=str(other.pk), is_superuser="on", is_staff="on"))
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    # is_superuser and is_staff follow the role (read-only in the form): posting them changes nothing.
    assert (user.username, user.role, user.agency_id, user.is_superuser, user.is_staff) == (
        "renamed", Role.AGENCY_ADMIN, other.pk, False, False)
    [changed] = payloads(EventKind.USER_CHANGED, user)
    assert changed == {
        "username": "renamed",
        "changed": {
            "username": {"before": "moved", "after": "renamed"},
            "role": {"before": Role.OFFICER, "after": Role.AGENCY_ADMIN},
            "agency": {"before": home.pk, "after": other.pk},
        },
        "sessions_ended": True,
        "tokens_revoked": [row.prefix],
    }
    entry = Entry.objects.get(kind=EventKind.USER_CHANGED)
    assert entry.actor_id == root.pk and entry.agency_id == other.pk
    assert b"pbkdf2" not in bytes(entry.body) and b"password" not in bytes(entry.body)
    # Logged out everywhere, and the token no longer works; its revocation is ledgered as any other.
    assert session.get(reverse("accounts:security")).status_code == 302
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    assert Client().get("/api/registry/agencies", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert payloads(EventKind.API_TOKEN_REVOKED, user) == [{"user": "renamed", "name": "对接", "prefix": row.prefix}]


def test_a_role_raised_to_supervisor_must_pass_the_second_factor_at_the_next_login():
    bureau = agency_make()
    user = user_make(role=Role.OFFICER, agency=bureau, username="promoted")
    session = logged_in(user)
    client = system_admin_client()
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", change_form(user, role=Role.SUPERVISOR))
    assert response.status_code == 302
    assert session.get(reverse("accounts:security")).status_code == 302  # the old session is gone
    login = Client().post(reverse("accounts:login"), {"username": "promoted", "password": PASSWORD})
    assert login["Location"] == reverse("accounts:totp")


def test_deactivating_a_user_is_ledgered_and_revokes_their_tokens():
    agency = agency_make()
    user = user_make(role=Role.OFFICER, agency=agency)
    row, _ = api_token_create(actor=user, user=user, name="对接")
    client = system_admin_client()
    data = change_form(user)
    del data["is_active"]
    assert client.post(f"/admin/accounts/user/{user.pk}/change/", data).status_code == 302
    [changed] = payloads(EventKind.USER_CHANGED, user)
    assert changed["changed"] == {"is_active": {"before": True, "after": False}}
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None


def test_a_change_of_name_only_is_ledgered_and_leaves_sessions_and_tokens_alone():
    agency = agency_make()
    user = user_make(role=Role.REVIEWER, agency=agency)
    session = logged_in(user)
    row, _ = api_token_create(actor=user, user=user, name="对接")
    client = system_admin_client()
    response = client.post(f"/admin/accounts/user/{user.pk}/change/",
                           change_form(user, display_name="李审核", email="li@example.cn"))
    assert response.status_code == 302
    [changed] = payloads(EventKind.USER_CHANGED, user)
    # The e-mail address is personal data: recorded as changed, not its value.
    assert changed["changed"] == {"display_name": {"before": "", "after": "李审核"}, "email": {"changed": True}}
    assert changed["sessions_ended"] is False and changed["tokens_revoked"] == []
    assert b"li@example.cn" not in bytes(Entry.objects.get(kind=EventKind.USER_CHANGED).body)
    assert session.get(reverse("accounts:security")).status_code == 200
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    # Saving the form unchanged writes nothing.
    user.refresh_from_db()
    before = Entry.objects.count()
    assert client.post(f"/admin/accounts/user/{user.pk}/change/", change_form(user)).status_code == 302
    assert Entry.objects.count() == before


def test_the_change_form_refuses_another_agencys_officer_and_writes_nothing():
    home, other = agency_make(), agency_make()
    foreign_officer = officer_make(agency=other)
    user = user_make(role=Role.OFFICER, agency=home, username="linked")
    client = system_admin_client()
    before = Entry.objects.count()
    response = client.post(f"/admin/accounts/user/{user.pk}/change/",
                           change_form(user, officer=str(foreign_officer.pk)))
    assert response.status_code == 200 and "对应的执法人员不属于该执法主体" in response.content.decode()
    assert User.objects.get(pk=user.pk).officer_id is None and Entry.objects.count() == before


def test_the_change_form_refuses_an_officer_who_has_a_login_and_a_name_in_use():
    agency = agency_make()
    officer = officer_make(agency=agency)
    user_make(role=Role.OFFICER, agency=agency, officer=officer, username="first")
    user = user_make(role=Role.OFFICER, agency=agency, username="second")
    client = system_admin_client()
    response = client.post(f"/admin/accounts/user/{user.pk}/change/",
                           change_form(user, officer=str(officer.pk), username="first"))
    html = response.content.decode()
    assert response.status_code == 200 and "已有登录账号" in html
    assert User.objects.get(pk=user.pk).username == "second" and not Entry.objects.filter(kind=EventKind.USER_CHANGED).exists()


def test_user_update_is_for_system_administrators_and_keeps_the_rules():
    agency = agency_make()
    user = user_make(role=Role.OFFICER, agency=agency)
    admin = user_make(role=Role.AGENCY_ADMIN, agency=agency)
    with pytest.raises(PermissionDenied):
        user_update(actor=admin, user=user, changes={"role": Role.SYSTEM_ADMIN})
    root = user_make(role=Role.SYSTEM_ADMIN)
    with pytest.raises(Refused) as refused:
        user_update(actor=root, user=user, changes={"agency": None})
    assert [v.code for v in refused.value.violations] == ["user.agency_missing"]
    with pytest.raises(ValueError):
        user_update(actor=root, user=user, changes={"is_superuser": True})
    promoted = user_update(actor=root, user=user, changes={"role": Role.SYSTEM_ADMIN})
    stored = User.objects.get(pk=user.pk)
    assert promoted.is_superuser and stored.is_superuser and stored.is_staff and stored.role == Role.SYSTEM_ADMIN


def test_the_admin_offers_no_django_permissions_and_no_unledgered_unlock():
    user = user_make(role=Role.OFFICER, agency=agency_make())
    client = system_admin_client()
    page = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert client.get("/admin/auth/group/").status_code == 404
    # A user is deactivated (ledgered), not deleted.
    assert client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
    attempt = AccessAttempt.objects.create(username=user.username, ip_address="10.0.0.1", user_agent="x",
                                           get_data="", post_data="", http_accept="", path_info="/accounts/login/",
                                           failures_since_start=5)
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


@pytest.mark.parametrize("change", [{"role": Role.SUPERVISOR}, {"is_active": None}], ids=["demoted", "deactivated"])
def test_the_last_active_system_administrator_cannot_demote_or_deactivate_himself(change):
    """Review r5: the only active system administrator demoted or deactivated in the admin left the
    installation with none (recovery only from a shell). Refused on the form, nothing written; with a
    second active administrator, the same change is allowed (and ledgered)."""
    client = system_admin_client()
    root = User.objects.get(username="root")
    entries = Entry.objects.count()
    data = change_form(root, **{k: v for k, v in change.items() if v is not None})
    if "is_active" in change:
        data.pop("is_active")
    response = client.post(f"/admin/accounts/user/{root.pk}/change/", data)
    assert response.status_code == 200 and "唯一有效的系统管理员" in response.content.decode()
    root.refresh_from_db()
    assert (root.role, root.is_active) == (Role.SYSTEM_ADMIN, True) and Entry.objects.count() == entries
    with pytest.raises(Refused) as refused:
        user_update(actor=root, user=root, changes={"role": Role.SUPERVISOR} if "role" in change else {"is_active": False})
    assert [v.code for v in refused.value.violations] == ["user.last_system_admin"]

    user_make(role=Role.SYSTEM_ADMIN, username="second_root")
    entries, changes = Entry.objects.count(), Entry.objects.filter(kind=EventKind.USER_CHANGED).count()
    changed = user_update(actor=root, user=root, changes={"is_active": False})
    assert changed.is_active is False
    assert Entry.objects.count() == entries + 1
    assert Entry.objects.filter(kind=EventKind.USER_CHANGED).count() == changes + 1


def test_a_permission_row_grants_nothing_a_role_does_not(client):
    """Review r5: Django's ModelBackend granted what a user_permissions (or group) row said, a right
    outside the roles that the admin no longer shows and no role change removes. The password backend
    grants no permission of its own: an officer given the calendar's permission by a row still reads
    the holiday page without its form; a supervisor has it by role; a system administrator by role."""
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(codename="change_holidayyear")
    officer = user_make(role=Role.OFFICER, agency=agency_make())
    officer.user_permissions.add(permission)
    group = Group.objects.create(name="calendar")
    group.permissions.add(permission)
    officer.groups.add(group)
    officer = User.objects.get(pk=officer.pk)
    assert not officer.has_perm("calendar.change_holidayyear")
    client.force_login(officer)
    assert 'data-testid="holiday-year-form"' not in client.get(reverse("calendar:holiday_year_list")).content.decode()
    bureau = agency_make(name="司法局", is_judicial_bureau=True)
    assert User.objects.get(pk=user_make(role=Role.SUPERVISOR, agency=bureau).pk).has_perm("calendar.change_holidayyear")
    assert User.objects.get(pk=user_make(role=Role.SYSTEM_ADMIN).pk).has_perm("calendar.change_holidayyear")
