"""Login: lockout by address and name (django-axes), and a second factor (django-otp) for
supervisors and system administrators, limited per account and per session."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.totp import totp_code
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.factories import PASSWORD, agency_make, user_make

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
SUPERVISOR_DESK = "198.51.100.20"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.SANXIANG_TOTP_SESSION_MAX_FAILURES = 3
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # tests that need the device's throttle turn it on


def post_login(client, username, password, address="127.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def wrong_code(secret: str) -> str:
    return "000000" if totp_code(secret) != "000000" else "111111"


def page_secret(response) -> str:
    return re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', response.content.decode()).group(1)


def supervisor_enrolled(username: str) -> str:
    """A supervisor with a confirmed authenticator whose code was never used; returns the secret."""
    from sanxiang.accounts.services import totp_device_install

    user = user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True), username=username)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    totp_device_install(user=user, secret_b32=secret)
    return secret


def test_officer_logs_in_with_password_and_reaches_home(client):
    agency = agency_make()
    user_make(role=Role.OFFICER, agency=agency, username="zhang")
    response = post_login(client, "zhang", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200


def test_five_failures_lock_the_name_at_that_address_even_for_the_right_password(client):
    agency = agency_make()
    user_make(role=Role.OFFICER, agency=agency, username="li")
    for attempt in range(4):
        response = post_login(client, "li", "wrong-password")
        assert response.status_code == 401
        assert f"还可尝试{4 - attempt}次" in response.content.decode()
    response = post_login(client, "li", "wrong-password")
    assert response.status_code == 429 and "已锁定" in response.content.decode()
    response = post_login(client, "li", PASSWORD)
    assert response.status_code == 429 and "已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_nobody_can_lock_the_supervisor_out_from_another_address():
    secret = supervisor_enrolled("sup_dos")
    attacker = Client()
    for _ in range(12):
        post_login(attacker, "sup_dos", "guess-guess", address=ATTACKER)
    assert post_login(attacker, "sup_dos", PASSWORD, address=ATTACKER).status_code == 429
    supervisor = Client()
    response = post_login(supervisor, "sup_dos", PASSWORD, address=SUPERVISOR_DESK)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:totp")
    response = supervisor.post(reverse("accounts:totp"), {"code": totp_code(secret)}, REMOTE_ADDR=SUPERVISOR_DESK)
    assert response.status_code == 302 and supervisor.get(reverse("web:home")).status_code == 200


def test_locking_a_name_that_is_no_account_writes_nothing_to_the_ledger(client):
    before = Entry.objects.count()
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        for _ in range(6):
            post_login(client, "nobody-at-all", "whatever", address=address)
    assert post_login(client, "nobody-at-all", "whatever", address="203.0.113.1").status_code == 429
    assert Entry.objects.count() == before


def test_a_real_accounts_lockout_is_recorded_once_per_window_however_many_addresses(client):
    agency = agency_make()
    user = user_make(role=Role.OFFICER, agency=agency, username="zhao")
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        for _ in range(7):
            post_login(client, "zhao", "wrong-password", address=address)
    locks = Entry.objects.filter(kind=EventKind.USER_LOCKED)
    assert [(e.subject, e.agency_id) for e in locks] == [(f"user:{user.pk}", agency.pk)]


def test_supervisor_must_enrol_and_pass_totp_before_being_logged_in(client):
    bureau = agency_make(is_judicial_bureau=True)
    user_make(role=Role.SUPERVISOR, agency=bureau, username="sup")
    response = post_login(client, "sup", PASSWORD)
    assert response["Location"] == reverse("accounts:totp")
    # Not logged in yet: the home page still redirects to the login.
    assert client.get(reverse("web:home")).status_code == 302
    page = client.get(reverse("accounts:totp"))
    assert "扫描二维码" in page.content.decode()
    secret = page_secret(page)
    assert client.post(reverse("accounts:totp"), {"code": wrong_code(secret)}).status_code == 401
    response = client.post(reverse("accounts:totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    user = User.objects.get(username="sup")
    assert user.totp_confirmed and user.totp_secret == secret


def test_a_totp_code_is_accepted_only_once(client):
    secret = supervisor_enrolled("sup2")
    post_login(client, "sup2", PASSWORD)
    code = totp_code(secret)
    assert client.post(reverse("accounts:totp"), {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    post_login(client, "sup2", PASSWORD)
    assert client.post(reverse("accounts:totp"), {"code": code}).status_code == 401


def test_wrong_codes_end_the_half_logged_in_session_after_a_few(client):
    secret = supervisor_enrolled("sup3")
    post_login(client, "sup3", PASSWORD)
    for _ in range(2):
        assert client.post(reverse("accounts:totp"), {"code": wrong_code(secret)}).status_code == 401
    response = client.post(reverse("accounts:totp"), {"code": wrong_code(secret)})
    assert "请重新输入密码" in response.content.decode()
    # The right code no longer helps: the password step must be passed again.
    assert client.post(reverse("accounts:totp"), {"code": totp_code(secret)})["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_wrong_codes_throttle_the_account_across_sessions(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1000  # the wait after one wrong code outlasts the test
    secret = supervisor_enrolled("sup4")
    first = Client()
    post_login(first, "sup4", PASSWORD, address="203.0.113.1")
    first.post(reverse("accounts:totp"), {"code": wrong_code(secret)}, REMOTE_ADDR="203.0.113.1")
    second = Client()
    post_login(second, "sup4", PASSWORD, address=SUPERVISOR_DESK)
    response = second.post(reverse("accounts:totp"), {"code": totp_code(secret)}, REMOTE_ADDR=SUPERVISOR_DESK)
    assert response.status_code == 401 and "秒后再试" in response.content.decode()
    assert "_auth_user_id" not in second.session


def test_wrong_codes_count_toward_the_lock_of_the_address_and_name(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.SANXIANG_TOTP_SESSION_MAX_FAILURES = 10
    secret = supervisor_enrolled("sup5")
    post_login(client, "sup5", PASSWORD)
    client.post(reverse("accounts:totp"), {"code": wrong_code(secret)})
    response = client.post(reverse("accounts:totp"), {"code": wrong_code(secret)})
    assert response.status_code == 429
    assert post_login(client, "sup5", PASSWORD).status_code == 429


def test_the_half_logged_in_state_expires_within_minutes(client, settings):
    secret = supervisor_enrolled("sup6")
    settings.SANXIANG_LOGIN_PENDING_SECONDS = -1  # already over when the password is accepted
    assert post_login(client, "sup6", PASSWORD)["Location"] == reverse("accounts:totp")
    response = client.post(reverse("accounts:totp"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_weak_passwords_are_refused_with_reasons():
    from sanxiang.accounts.services import user_create
    from sanxiang.procedure.violations import Refused

    with pytest.raises(Refused) as refused:
        user_create(actor=None, username="weak", password="12345678", role=Role.SYSTEM_ADMIN)
    messages = " ".join(v.message for v in refused.value.violations)
    assert "密码至少要包含" in messages
    assert len(refused.value.violations) >= 2  # too short, too common, all digits...


def test_enrolling_an_authenticator_needs_the_password_again(client):
    agency = agency_make()
    user = user_make(role=Role.OFFICER, agency=agency, username="wang")
    client.force_login(user)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "totp-secret" not in page and 'name="password"' in page
    # A code without the password step is refused, and no secret has been shown to guess from.
    assert client.post(reverse("accounts:security"), {"code": "123456"}).status_code == 400
    assert client.post(reverse("accounts:security"), {"password": "not-my-password"}).status_code == 400
    assert client.post(reverse("accounts:security"), {"password": PASSWORD}).status_code == 302
    secret = page_secret(client.get(reverse("accounts:security")))
    assert client.post(reverse("accounts:security"), {"code": totp_code(secret)}).status_code == 302
    assert User.objects.get(pk=user.pk).totp_confirmed
    client.logout()
    assert post_login(client, "wang", PASSWORD)["Location"] == reverse("accounts:totp")


def test_replacing_the_authenticator_needs_the_password_and_retires_the_old_one(client):
    old_secret = supervisor_enrolled("sup7")
    user = User.objects.get(username="sup7")
    client.force_login(user)
    assert "更换验证器" in client.get(reverse("accounts:security")).content.decode()
    client.post(reverse("accounts:security"), {"password": PASSWORD})
    new_secret = page_secret(client.get(reverse("accounts:security")))
    assert new_secret != old_secret
    assert client.post(reverse("accounts:security"), {"code": totp_code(new_secret)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=user).values_list("confirmed", flat=True)) == [True]
    assert User.objects.get(pk=user.pk).totp_secret == new_secret
    assert Entry.objects.filter(kind=EventKind.TOTP_ENABLED, subject=f"user:{user.pk}").count() == 1


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


def test_guessing_the_current_password_on_the_password_change_page_counts_toward_the_lock(client):
    # A session left open (a shared office computer) could guess the password on the change form
    # without limit: it checked the password without django-axes.
    user = user_make(role=Role.OFFICER, agency=agency_make(), username="open_session")
    client.force_login(user)
    url = reverse("accounts:password_change")
    new = {"new_password1": "Qx7-vermilion-Lantern", "new_password2": "Qx7-vermilion-Lantern"}
    for _ in range(5):
        client.post(url, {"old_password": "guess-guess", **new}, REMOTE_ADDR=ATTACKER)
    response = client.post(url, {"old_password": PASSWORD, **new}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert post_login(Client(), "open_session", PASSWORD, address=ATTACKER).status_code == 429


def test_the_password_change_page_still_changes_the_password(client):
    user = user_make(role=Role.OFFICER, agency=agency_make(), username="changer")
    client.force_login(user)
    new = {"new_password1": "Qx7-vermilion-Lantern", "new_password2": "Qx7-vermilion-Lantern"}
    response = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, **new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Qx7-vermilion-Lantern")


def test_djangos_admin_password_form_is_not_a_way_around_the_lock(client):
    root = user_make(role=Role.SYSTEM_ADMIN, username="root_pw")
    client.force_login(root)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    new = {"old_password": PASSWORD, "new_password1": "Qx7-vermilion-Lantern", "new_password2": "Qx7-vermilion-Lantern"}
    client.post("/admin/password_change/", new)
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_one_address_trying_a_few_passwords_on_every_name_is_throttled(settings):
    """Issue 10 item 5: throttle per address as well as per (address, name). An address that
    spreads its guesses over many names (4 each, under the per-name lock of 5) is stopped after
    SANXIANG_LOGIN_ADDRESS_MAX_FAILURES failures; every other address, and the names' owners
    at their own desks, still log in."""
    settings.SANXIANG_LOGIN_ADDRESS_MAX_FAILURES = 12
    agency = agency_make()
    for n in range(4):
        user_make(role=Role.OFFICER, agency=agency, username=f"spray{n}")
    sprayer = Client()
    answers = [
        post_login(sprayer, f"spray{n}", f"guess-{k}", address=ATTACKER).status_code
        for n in range(4)
        for k in range(4)
    ]
    # The first 12 wrong passwords are answered as such (401); then the address must wait (429),
    # even with the right password.
    assert answers[:12] == [401] * 12 and set(answers[12:]) == {429}
    refused = post_login(sprayer, "spray3", PASSWORD, address=ATTACKER)
    assert refused.status_code == 429 and "本地址登录失败次数过多" in refused.content.decode()
    owner = post_login(Client(), "spray3", PASSWORD, address=SUPERVISOR_DESK)
    assert owner.status_code == 302
