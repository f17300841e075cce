"""The judicial bureau's register of its supervisors and their supervision certificates (issue 14):
the bureau's administrator registers a supervisor, records the 监督检查证, suspends or revokes it
with a reason (a revocation is final), and links the supervisor's login; every change is in the
ledger. The bureau's supervisors read the register; another county's bureau and the agencies never
see it. Platform rules (系统权限规则), not articles of law: the law's part, that a supervisor acts
only with a valid certificate, is tested in tests/supervision/test_supervisors.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role, User
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import SupervisionCertificate, Supervisor
from sanxiang.supervision.services import supervisors_check
from tests.factories import agency_make, id_number, user_make
from tests.querycount import queries_without_ledger_writes
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def bureau():
    return agency_make(name="乌审旗司法局", is_judicial_bureau=True)


@pytest.fixture
def admin(bureau):
    return user_make(role=Role.AGENCY_ADMIN, agency=bureau)


def _register(client, bureau, **fields) -> object:
    data = {"name": "李监督", "id_number": id_number(serial=321), "post": "法制监督科科长", "is_active": "on"} | fields
    return client.post(reverse("registry:supervisor_create", args=[bureau.pk]), data)


def _certificate(client, supervisor, **fields):
    data = {"number": "JD150626000321", "issuing_authority": "鄂尔多斯市人民政府",
            "valid_from": (TODAY - dt.timedelta(days=30)).isoformat(),
            "valid_to": (TODAY + dt.timedelta(days=900)).isoformat()} | fields
    return client.post(reverse("registry:supervision_certificate_create", args=[supervisor.pk]), data)


def test_the_bureau_admin_registers_a_supervisor_and_a_bad_id_number_is_refused_in_chinese(client, bureau, admin):
    client.force_login(admin)
    response = _register(client, bureau, id_number="150626198506150001")  # wrong check character
    assert response.status_code == 400
    assert "校验" in response.content.decode() or "身份证" in response.content.decode()
    assert 'value="李监督"' in response.content.decode()  # what was typed is kept
    assert not Supervisor.objects.exists()

    response = _register(client, bureau)
    supervisor = Supervisor.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:supervisor_detail",
                                                                          args=[supervisor.pk])
    assert supervisor.bureau == bureau and supervisor.is_active
    assert Entry.objects.filter(kind="registry.supervisor_created", subject=f"supervisor:{supervisor.pk}").exists()


def test_a_certificate_is_recorded_and_its_dates_checked(client, bureau, admin):
    client.force_login(admin)
    _register(client, bureau)
    supervisor = Supervisor.objects.get()
    response = _certificate(client, supervisor, valid_to=(TODAY - dt.timedelta(days=60)).isoformat())
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()
    assert not SupervisionCertificate.objects.exists()
    assert _certificate(client, supervisor).status_code == 302
    page = client.get(reverse("registry:supervisor_detail", args=[supervisor.pk])).content.decode()
    assert "JD150626000321" in page and "有效" in page


def test_suspending_needs_a_reason_and_a_revoked_certificate_is_final(client, bureau, admin):
    """The lawful path: a reason, then the certificate no longer lets its holder act; after 注销 only
    a new certificate does."""
    holder = supervisor_user_make(bureau=bureau, name="钱监督")
    colleague = supervisor_user_make(bureau=bureau, name="孙监督")
    certificate = holder.supervisor.certificates.get()
    url = reverse("registry:supervision_certificate_status", args=[certificate.pk])
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert "data-confirm=" in page and "注销不能撤销" in page

    response = client.post(url, {"status": "suspended", "reason": ""})
    assert response.status_code == 400 and "暂扣或注销监督检查证需要说明理由" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "valid"

    assert client.post(url, {"status": "suspended", "reason": "涉嫌违纪，停止执行监督任务"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    entry = Entry.objects.filter(kind="registry.supervision_certificate_saved").order_by("-seq").first()
    assert "涉嫌违纪" in bytes(entry.body).decode()
    assert [v.code for v in supervisors_check(users=[holder, colleague], on=TODAY)] == ["supervisor.certificate_suspended"]

    assert client.post(url, {"status": "valid", "reason": ""}).status_code == 302  # a suspension is lifted
    assert client.post(url, {"status": "revoked", "reason": "调离监督岗位"}).status_code == 302
    response = client.post(url, {"status": "valid", "reason": ""})
    assert response.status_code == 400 and "已注销，不能再修改" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    # The page offers no change of a revoked certificate; a new one may be recorded.
    detail = client.get(reverse("registry:supervisor_detail", args=[holder.supervisor.pk])).content.decode()
    assert url not in detail and reverse("registry:supervision_certificate_create", args=[holder.supervisor.pk]) in detail


def test_taking_a_supervisor_off_post_needs_a_reason(client, bureau, admin):
    supervisor = supervisor_user_make(bureau=bureau, name="周监督").supervisor
    client.force_login(admin)
    url = reverse("registry:supervisor_edit", args=[supervisor.pk])
    data = {"name": "周监督", "id_number": supervisor.id_number, "post": "", "reason": ""}
    response = client.post(url, data)  # is_active unticked
    assert response.status_code == 400 and "监督人员离岗需要说明理由" in response.content.decode()
    assert client.post(url, data | {"reason": "借调市局"}).status_code == 302
    supervisor.refresh_from_db()
    assert not supervisor.is_active
    assert Entry.objects.filter(kind="registry.supervisor_updated", subject=f"supervisor:{supervisor.pk}").exists()


def test_the_admin_links_an_existing_supervisor_account_or_gives_a_new_login(client, bureau, admin):
    client.force_login(admin)
    _register(client, bureau)
    supervisor = Supervisor.objects.get()
    account = user_make(role=Role.SUPERVISOR, agency=bureau, username="jiandu-li")
    other_bureau = agency_make(name="杭锦旗司法局", is_judicial_bureau=True, region_code="150625")
    foreign = user_make(role=Role.SUPERVISOR, agency=other_bureau, username="jiandu-foreign")
    url = reverse("registry:supervisor_account", args=[supervisor.pk])
    page = client.get(url).content.decode()
    assert "jiandu-li" in page and "jiandu-foreign" not in page  # only the bureau's own accounts
    response = client.post(url, {"link": "1", "user": foreign.pk})
    assert response.status_code == 400
    assert User.objects.get(pk=foreign.pk).supervisor_id is None
    assert client.post(url, {"link": "1", "user": account.pk}).status_code == 302
    assert User.objects.get(pk=account.pk).supervisor_id == supervisor.pk
    assert Entry.objects.filter(kind="accounts.user_supervisor_linked", subject=f"user:{account.pk}").exists()

    second = Supervisor.objects.create(bureau=bureau, name="吴监督", id_number=id_number(serial=322))
    response = client.post(reverse("registry:supervisor_account", args=[second.pk]),
                           {"create": "1", "username": "jiandu-wu"})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    created = User.objects.get(username="jiandu-wu")
    assert created.role == Role.SUPERVISOR and created.supervisor == second and created.must_change_password
    assert "只在本页显示这一次" in response.content.decode()


def test_only_the_bureaus_own_people_read_the_register_and_only_its_admin_changes_it(client, bureau, admin):
    own = supervisor_user_make(bureau=bureau, name="王监督")
    other_bureau = agency_make(name="杭锦旗司法局", is_judicial_bureau=True, region_code="150625")
    foreign = supervisor_user_make(bureau=other_bureau, name="外县监督")
    agency = agency_make()
    detail = reverse("registry:supervisor_detail", args=[own.supervisor.pk])

    client.force_login(own)  # a supervisor of the bureau reads, changes nothing
    page = client.get(reverse("registry:supervisor_list")).content.decode()
    assert "王监督" in page and "外县监督" not in page
    assert client.get(detail).status_code == 200
    assert own.supervisor.id_number not in client.get(detail).content.decode()  # masked
    assert client.get(reverse("registry:supervisor_edit", args=[own.supervisor.pk])).status_code == 403
    assert client.get(reverse("registry:supervisor_detail", args=[foreign.supervisor.pk])).status_code == 404

    client.force_login(foreign)  # another county's supervisor: absent
    assert client.get(detail).status_code == 404
    certificate = own.supervisor.certificates.get()
    assert client.post(reverse("registry:supervision_certificate_status", args=[certificate.pk]),
                       {"status": "revoked", "reason": "篡改"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "valid"

    client.force_login(user_make(role=Role.AGENCY_ADMIN, agency=agency))  # an agency's administrator
    assert client.get(reverse("registry:supervisor_list")).status_code == 404
    assert client.get(detail).status_code == 404
    assert _register(client, bureau).status_code == 404

    client.force_login(admin)  # the bureau's administrator sees the full ID number
    assert own.supervisor.id_number in client.get(detail).content.decode()
    # The bureau's page leads to its register, for who may read it only.
    bureau_page = reverse("registry:agency_detail", args=[bureau.pk])
    assert 'data-testid="supervisor-register"' in client.get(bureau_page).content.decode()
    client.force_login(foreign)
    assert 'data-testid="supervisor-register"' not in client.get(bureau_page).content.decode()


def test_the_register_costs_the_same_queries_whatever_its_size(client, bureau, admin):
    client.force_login(admin)
    supervisor_user_make(bureau=bureau)
    client.get(reverse("registry:supervisor_list"))
    with queries_without_ledger_writes() as few:
        assert client.get(reverse("registry:supervisor_list")).status_code == 200
    for _ in range(6):
        supervisor_user_make(bureau=bureau)
    with queries_without_ledger_writes() as many:
        page = client.get(reverse("registry:supervisor_list"))
    assert page.status_code == 200 and page.content.decode().count("JD150626") >= 7
    assert many.count == few.count, many.sql
