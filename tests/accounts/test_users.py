"""Creating users: every path (Django's admin, createsuperuser, the agency administrator's page)
goes through `user_create` and so keeps the role–agency rule; logins for officers of the
registry; a forgotten password reset by the administrator."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sanxiang.accounts import services as account_services
from sanxiang.accounts.models import Role, User
from sanxiang.accounts.services import user_create
from sanxiang.accounts.totp import totp_code
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.factories import PASSWORD, agency_make, officer_make, user_make

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qiu-Shi-2026-xyz"


def system_admin_client() -> Client:
    from sanxiang.accounts.services import totp_device_install

    root = user_make(role=Role.SYSTEM_ADMIN, username="root")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    totp_device_install(user=root, secret_b32=secret)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "root", "password": PASSWORD})
    assert client.post(reverse("accounts:totp"), {"code": totp_code(secret)}).status_code == 302
    return client


def admin_add(client: Client, **fields):
    data = {"username": "newbie", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "display_name": "新人"}
    return client.post("/admin/accounts/user/add/", data | fields)


def test_the_admin_shows_a_missing_agency_as_a_form_error_not_a_server_error():
    client = system_admin_client()
    response = admin_add(client, role=Role.OFFICER)
    assert response.status_code == 200
    assert "本角色的用户必须属于一个执法主体" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_the_admin_creates_a_user_through_the_service_with_its_ledger_entry():
    agency = agency_make()
    client = system_admin_client()
    response = admin_add(client, role=Role.REVIEWER, agency=agency.pk)
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.role, user.agency, user.check_password(NEW_PASSWORD)) == (Role.REVIEWER, agency, True)
    assert Entry.objects.filter(kind=EventKind.USER_CREATED, subject=f"user:{user.pk}").count() == 1


def test_the_admin_refuses_an_officer_of_another_agency():
    agency, other = agency_make(), agency_make()
    officer = officer_make(agency=other)
    client = system_admin_client()
    response = admin_add(client, role=Role.OFFICER, agency=agency.pk, officer=officer.pk)
    assert response.status_code == 200 and "对应的执法人员不属于该执法主体" in response.content.decode()


def test_the_admin_shows_a_user_name_taken_between_its_check_and_its_save_as_a_form_error(monkeypatch):
    # Two administrators add the same user name at once: both forms pass their checks, the other's
    # row is there when this one saves. The page shows the refusal on the form (not a 500) and
    # writes nothing of its own: no user, no ledger entry.
    from sanxiang.accounts import admin as accounts_admin

    agency = agency_make()
    client = system_admin_client()
    real_user_create = accounts_admin.user_create

    def other_admin_first(**kwargs):
        User.objects.create_user(username=kwargs["username"], role=Role.REVIEWER, agency=agency)
        return real_user_create(**kwargs)

    monkeypatch.setattr(accounts_admin, "user_create", other_admin_first)
    entries = Entry.objects.count()
    response = admin_add(client, role=Role.REVIEWER, agency=agency.pk)
    assert response.status_code == 200
    assert "用户名“newbie”已被使用" in response.content.decode()
    assert not User.objects.filter(username="newbie", display_name="新人").exists()
    assert Entry.objects.count() == entries


def test_the_admin_shows_any_conflict_at_save_as_a_form_error(monkeypatch):
    from django.db import IntegrityError

    from sanxiang.accounts import admin as accounts_admin

    agency = agency_make()
    client = system_admin_client()

    def conflict(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: accounts_user.username")

    monkeypatch.setattr(accounts_admin, "user_create", conflict)
    response = admin_add(client, role=Role.REVIEWER, agency=agency.pk)
    assert response.status_code == 200
    assert "保存未完成" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_createsuperuser_makes_a_system_administrator_without_agency(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)
    call_command("createsuperuser", "--noinput", "--username", "boss", "--email", "boss@example.org", verbosity=0)
    boss = User.objects.get(username="boss")
    assert (boss.role, boss.agency, boss.is_superuser, boss.is_staff) == (Role.SYSTEM_ADMIN, None, True, True)
    assert boss.check_password(NEW_PASSWORD) and boss.requires_totp
    assert Entry.objects.filter(kind=EventKind.USER_CREATED, subject=f"user:{boss.pk}").exists()


def test_user_create_refuses_every_break_of_the_role_agency_rule():
    agency = agency_make()
    officer = officer_make(agency=agency)
    user_make(role=Role.OFFICER, agency=agency, officer=officer)
    cases = [
        ({"role": Role.AGENCY_HEAD, "agency": None}, "user.agency_missing"),
        ({"role": "chief", "agency": agency}, "user.role"),
        ({"role": Role.OFFICER, "agency": agency, "officer": officer}, "user.officer_taken"),
    ]
    for fields, code in cases:
        with pytest.raises(Refused) as refused:
            user_create(actor=None, username="x1", password=None, **fields)
        assert code in [v.code for v in refused.value.violations]


def test_a_user_created_by_someone_else_since_the_check_is_refused_not_a_constraint_error(monkeypatch):
    """Two creations at the same moment both pass the checks; the second's insert meets the first's
    row on a unique constraint (user name, officer's one login): the same refusal as when it came
    second, no ledger entry, never an IntegrityError (a 500). Every caller of user_create (the pages,
    the API, Django's admin) goes through this one place."""
    agency = agency_make()
    officer = officer_make(agency=agency)
    user_make(role=Role.OFFICER, agency=agency, username="taken")
    user_make(role=Role.OFFICER, agency=agency, officer=officer)
    checks = account_services.user_create_violations
    calls = []

    def passed_before_the_other_came(**kwargs):  # the first check ran before the other user's row was there
        calls.append(kwargs["username"])
        return [] if len(calls) == 1 else checks(**kwargs)

    monkeypatch.setattr(account_services, "user_create_violations", passed_before_the_other_came)
    entries = Entry.objects.count()
    for fields, codes in (({"username": "taken"}, ["user.username_taken"]),
                          ({"username": "fresh", "officer": officer}, ["user.officer_taken"])):
        calls.clear()
        with pytest.raises(Refused) as refused:
            user_create(actor=None, password=None, role=Role.OFFICER, agency=agency, **fields)
        assert [v.code for v in refused.value.violations] == codes
    assert Entry.objects.count() == entries and not User.objects.filter(username="fresh").exists()


def agency_admin_client(agency) -> tuple[User, Client]:
    admin = user_make(role=Role.AGENCY_ADMIN, agency=agency)
    client = Client()
    client.force_login(admin)
    return admin, client


def temporary_password(response) -> str:
    return re.search(r'data-testid="temporary-password">([^<]+)<', response.content.decode()).group(1)


def test_an_agency_administrator_gives_an_officer_a_login_that_must_change_its_password():
    agency = agency_make()
    officer = officer_make(agency=agency, name="孙立")
    admin, client = agency_admin_client(agency)
    assert reverse("accounts:users") in client.get(reverse("web:home")).content.decode()
    response = client.post(reverse("accounts:users"), {"officer": officer.pk, "role": Role.AGENCY_HEAD, "username": "sunli"})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    password = temporary_password(response)
    user = User.objects.get(username="sunli")
    assert (user.role, user.agency, user.officer, user.display_name) == (Role.AGENCY_HEAD, agency, officer, "孙立")
    assert user.must_change_password
    assert Entry.objects.get(kind=EventKind.USER_CREATED, subject=f"user:{user.pk}").actor_id == admin.pk
    assert password not in client.get(reverse("accounts:users")).content.decode()

    officer_client = Client()
    response = officer_client.post(reverse("accounts:login"), {"username": "sunli", "password": password})
    assert response["Location"] == reverse("accounts:password_change")
    assert officer_client.get(reverse("cases:case_list"))["Location"] == reverse("accounts:password_change")
    response = officer_client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).must_change_password
    assert officer_client.get(reverse("cases:case_list")).status_code == 200


def test_an_agency_administrator_cannot_give_a_role_or_an_officer_outside_their_reach():
    agency, other = agency_make(), agency_make()
    own_officer, foreign_officer = officer_make(agency=agency), officer_make(agency=other)
    _, client = agency_admin_client(agency)
    for data in (
        {"officer": foreign_officer.pk, "role": Role.OFFICER, "username": "far"},
        {"officer": own_officer.pk, "role": Role.SUPERVISOR, "username": "sup"},
        {"officer": own_officer.pk, "role": Role.AGENCY_ADMIN, "username": "adm"},
    ):
        assert client.post(reverse("accounts:users"), data).status_code == 400
    assert not User.objects.filter(username__in=("far", "sup", "adm")).exists()
    response = client.post(reverse("accounts:users"), {"officer": own_officer.pk, "role": Role.OFFICER, "username": "bad name!"})
    assert response.status_code == 400 and "用户名须为" in response.content.decode()


def test_an_officer_cannot_open_the_account_page():
    agency = agency_make()
    client = Client()
    client.force_login(user_make(role=Role.OFFICER, agency=agency))
    assert client.get(reverse("accounts:users")).status_code == 403


def test_a_forgotten_password_is_reset_by_the_agency_administrator():
    agency, other = agency_make(), agency_make()
    user = user_make(role=Role.OFFICER, agency=agency, username="forgetful")
    stranger = user_make(role=Role.OFFICER, agency=other)
    admin, client = agency_admin_client(agency)
    response = client.post(reverse("accounts:user_password_reset", args=[user.pk]))
    assert response.status_code == 200
    password = temporary_password(response)
    user.refresh_from_db()
    assert user.check_password(password) and not user.check_password(PASSWORD) and user.must_change_password
    entry = Entry.objects.get(kind=EventKind.PASSWORD_RESET, subject=f"user:{user.pk}")
    assert entry.actor_id == admin.pk and password.encode() not in bytes(entry.body)
    # Another agency's user is answered like a missing one (404); one's own password is not reset here.
    assert client.post(reverse("accounts:user_password_reset", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("accounts:user_password_reset", args=[stranger.pk + 1000])).status_code == 404
    assert not User.objects.get(pk=stranger.pk).must_change_password
    assert client.post(reverse("accounts:user_password_reset", args=[admin.pk])).status_code == 403
    login = Client().post(reverse("accounts:login"), {"username": "forgetful", "password": password})
    assert login["Location"] == reverse("accounts:password_change")


def test_the_admin_change_form_refuses_an_agency_role_without_agency():
    agency = agency_make()
    user = user_make(role=Role.OFFICER, agency=agency, username="moved")
    client = system_admin_client()
    data = {
        "username": "moved", "role": Role.OFFICER, "agency": "", "officer": "", "display_name": "", "email": "",
        "first_name": "", "last_name": "", "is_active": "on",
        "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00", "initial-date_joined_0": "2026-01-05",
        "initial-date_joined_1": "09:00:00",
    }
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 200 and "本角色的用户必须属于一个执法主体" in response.content.decode()
    assert User.objects.get(pk=user.pk).agency == agency


def test_a_lost_authenticator_is_reset_by_the_agency_administrator():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sanxiang.accounts.services import totp_device_install

    agency, other = agency_make(), agency_make()
    user = user_make(role=Role.AGENCY_HEAD, agency=agency, username="lostphone")
    stranger = user_make(role=Role.AGENCY_HEAD, agency=other)
    for someone in (user, stranger):
        totp_device_install(user=someone, secret_b32="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    admin, client = agency_admin_client(agency)
    assert client.post(reverse("accounts:user_totp_reset", args=[user.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert Entry.objects.get(kind=EventKind.TOTP_RESET, subject=f"user:{user.pk}").actor_id == admin.pk
    assert client.post(reverse("accounts:user_totp_reset", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("accounts:user_totp_reset", args=[stranger.pk + 1000])).status_code == 404
    assert TOTPDevice.objects.filter(user=stranger).exists()
    # Without an authenticator the next login is a password login again (an agency head may choose one).
    assert Client().post(reverse("accounts:login"), {"username": "lostphone", "password": PASSWORD})["Location"] == reverse("web:home")


def test_djangos_admin_does_not_show_authenticator_secrets():
    client = system_admin_client()
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_a_password_to_change_answers_the_api_in_its_error_shape_and_leaves_tokens_alone():
    from sanxiang.accounts.services import api_token_create

    user = user_make(role=Role.OFFICER, agency=agency_make())
    _, token = api_token_create(actor=user, user=user, name="对接")
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    # The session's API call was redirected to the HTML password page (302).
    response = client.get("/api/cases")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "password_change_required"
    # A request with a token is judged by the token alone, whatever the session cookie says.
    assert client.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:password_change")


def test_djangos_admin_cannot_set_a_users_password_behind_the_ledgers_back():
    # /admin/accounts/user/<id>/password/ set any user's password with no ledger entry and no
    # change required at the next login; the users page's reset does both.
    client = system_admin_client()
    user = user_make(role=Role.OFFICER, agency=agency_make())
    url = f"/admin/accounts/user/{user.pk}/password/"
    new = {"password1": "Qx7-vermilion-Lantern", "password2": "Qx7-vermilion-Lantern", "usable_password": "true"}
    response = client.post(url, new)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:users")
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.must_change_password
    assert client.get(url)["Location"] == reverse("accounts:users")
