"""Login: lockout after repeated failures, and a second factor for supervisors and system
administrators."""

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.totp import totp_code
from tests.factories import PASSWORD, agency_make, user_make

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_officer_logs_in_with_password_and_reaches_home(client):
    agency = agency_make()
    user_make(role=Role.OFFICER, agency=agency, username="zhang")
    response = post_login(client, "zhang", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200


def test_five_failures_lock_the_account_even_for_the_right_password(client, settings):
    settings.SANXIANG_LOGIN_MAX_FAILURES = 5
    agency = agency_make()
    user_make(role=Role.OFFICER, agency=agency, username="li")
    for attempt in range(4):
        response = post_login(client, "li", "wrong-password")
        assert response.status_code == 401
        assert f"还可尝试{4 - attempt}次" in response.content.decode()
    response = post_login(client, "li", "wrong-password")
    assert "账号已锁定" in response.content.decode()
    response = post_login(client, "li", PASSWORD)
    assert response.status_code == 401 and "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_supervisor_must_enrol_and_pass_totp_before_being_logged_in(client):
    bureau = agency_make(is_judicial_bureau=True)
    user_make(role=Role.SUPERVISOR, agency=bureau, username="sup")
    response = post_login(client, "sup", PASSWORD)
    assert response["Location"] == reverse("accounts:totp")
    # Not logged in yet: the home page still redirects to the login.
    assert client.get(reverse("web:home")).status_code == 302
    page = client.get(reverse("accounts:totp"))
    assert "扫描二维码" in page.content.decode()
    secret = User.objects.get(username="sup").totp_secret
    assert client.post(reverse("accounts:totp"), {"code": "000000" if totp_code(secret) != "000000" else "111111"}).status_code == 401
    response = client.post(reverse("accounts:totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    assert User.objects.get(username="sup").totp_confirmed


def test_a_totp_code_is_accepted_only_once(client):
    bureau = agency_make(is_judicial_bureau=True)
    user_make(role=Role.SUPERVISOR, agency=bureau, username="sup2")
    post_login(client, "sup2", PASSWORD)
    client.get(reverse("accounts:totp"))
    code = totp_code(User.objects.get(username="sup2").totp_secret)
    assert client.post(reverse("accounts:totp"), {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    post_login(client, "sup2", PASSWORD)
    assert client.post(reverse("accounts:totp"), {"code": code}).status_code == 401


def test_weak_passwords_are_refused_with_reasons():
    from sanxiang.accounts.services import user_create
    from sanxiang.procedure.violations import Refused

    with pytest.raises(Refused) as refused:
        user_create(actor=None, username="weak", password="12345678", role=Role.SYSTEM_ADMIN)
    messages = " ".join(v.message for v in refused.value.violations)
    assert "密码至少要包含" in messages
    assert len(refused.value.violations) >= 2  # too short, too common, all digits...


def test_an_officer_may_choose_two_factor_login_and_then_needs_it(client):
    agency = agency_make()
    user = user_make(role=Role.OFFICER, agency=agency, username="wang")
    client.force_login(user)
    assert "启用两步验证" in client.get(reverse("accounts:security")).content.decode()
    secret = User.objects.get(username="wang").totp_secret
    assert client.post(reverse("accounts:security"), {"code": totp_code(secret)}).status_code == 302
    client.logout()
    assert post_login(client, "wang", PASSWORD)["Location"] == reverse("accounts:totp")


def test_the_admin_password_form_cannot_bypass_the_second_factor(client):
    """A logged-in officer who knows a system administrator's password must not get an admin
    session by posting it to Django's own admin login form (which has no TOTP step)."""
    agency = agency_make()
    user_make(role=Role.SYSTEM_ADMIN, username="root")
    client.force_login(user_make(role=Role.OFFICER, agency=agency))
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/admin/").status_code in (302, 403)
    client.logout()
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
