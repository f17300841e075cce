"""The access log: recording (service and decorator), the supervisors' page, its filters and
its CSV and Excel exports, and who may see what."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from sanxiang.access.models import AccessAction, AccessLogEntry
from sanxiang.access.selectors import LOG_TIME_ZONE, AccessLogFilter, access_log_list
from sanxiang.access.services import AccessTarget, access_record, access_recorded, access_target_set
from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.ledger.models import Entry
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    own, other = agency_make(name="本局"), agency_make(name="他局")
    users = {
        "supervisor": user_make(role=Role.SUPERVISOR, agency=bureau),
        "admin": user_make(role=Role.SYSTEM_ADMIN),
        "head": user_make(role=Role.AGENCY_HEAD, agency=own),
        "other_head": user_make(role=Role.AGENCY_HEAD, agency=other),
        "officer": user_make(role=Role.OFFICER, agency=own, username="zhangsan"),
        "other_officer": user_make(role=Role.OFFICER, agency=other),
        "reviewer": user_make(role=Role.REVIEWER, agency=own),
        "agency_admin": user_make(role=Role.AGENCY_ADMIN, agency=own),
    }
    users["officer"].display_name = "张三"
    users["officer"].save()
    cases = {
        "own": case_create(actor=None, agency=own, number="乌审市监罚〔2026〕7号", title="无照经营"),
        "other": case_create(actor=None, agency=other, number="乌审交罚〔2026〕9号", title="超限运输"),
    }
    return users, cases


def _log(user, case, *, at: dt.datetime | None = None, action=AccessAction.VIEW, label="现场录像.mp4"):
    entry = access_record(
        actor=user,
        action=action,
        object_kind="evidence",
        object_id=1,
        object_label=label,
        case_id=case.pk,
        agency_id=case.agency_id,
        ip_address="10.0.0.8",
    )
    if at is not None:
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


def _beijing(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOG_TIME_ZONE)


# Recording --------------------------------------------------------------------------------


def test_access_record_writes_a_row_and_a_ledger_entry(world):
    users, cases = world
    row = _log(users["officer"], cases["own"])
    body = json.loads(bytes(Entry.objects.get(seq=row.ledger_seq).body))
    assert body["kind"] == "access.viewed" and body["case"] == cases["own"].pk
    assert body["actor"]["username"] == "zhangsan"
    assert body["payload"] == {
        "action": "view",
        "object_kind": "evidence",
        "object_id": "1",
        "object_label": "现场录像.mp4",
    }


def test_access_record_without_a_user_and_with_details(world):
    _, cases = world
    row = access_record(
        actor=None,
        action=AccessAction.EXPORT,
        object_kind="casefile",
        object_id=cases["own"].pk,
        case_id=cases["own"].pk,
        details={"channel": "command"},
    )
    assert row.user is None and str(row).startswith("命令行")
    body = json.loads(bytes(Entry.objects.get(seq=row.ledger_seq).body))
    assert body["actor"] is None and body["payload"]["details"] == {"channel": "command"}


def _request(user):
    request = RequestFactory().get("/x", REMOTE_ADDR="192.0.2.7")
    request.user = user
    return request


def test_access_recorded_decorator_records_what_the_view_served(world):
    users, cases = world
    case = cases["own"]

    @access_recorded(AccessAction.DOWNLOAD)
    def download(request, case_id):
        access_target_set(
            request, AccessTarget("case", case.pk, case.number, case_id=case.pk, agency_id=case.agency_id)
        )
        return HttpResponse("content")

    response = download(_request(users["officer"]), case.pk)
    assert response.status_code == 200
    row = AccessLogEntry.objects.get()
    assert (row.user, row.action, row.object_kind, row.case_id, row.ip_address) == (
        users["officer"],
        "download",
        "case",
        case.pk,
        "192.0.2.7",
    )


def test_access_recorded_does_not_record_refusals_and_refuses_undeclared_success(world):
    users, _ = world

    @access_recorded()
    def missing(request):
        raise Http404

    @access_recorded()
    def forbidden(request):
        return HttpResponse(status=403)

    @access_recorded()
    def careless(request):
        return HttpResponse("served without saying what")

    with pytest.raises(Http404):
        missing(_request(users["officer"]))
    assert forbidden(_request(users["officer"])).status_code == 403
    with pytest.raises(ImproperlyConfigured):
        careless(_request(users["officer"]))
    assert not AccessLogEntry.objects.exists()


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,status",
    [
        ("supervisor", 200),
        ("admin", 200),
        ("head", 200),
        ("officer", 403),
        ("reviewer", 403),
        ("agency_admin", 403),
    ],
)
def test_page_and_exports_by_role(client, world, who, status):
    users, _ = world
    client.force_login(users[who])
    for name in ("access:log_list", "access:log_export_csv", "access:log_export_xlsx"):
        assert client.get(reverse(name)).status_code == status, name


def test_anonymous_users_are_sent_to_login(client):
    for name in ("access:log_list", "access:log_export_csv", "access:log_export_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_agency_heads_see_only_their_own_agencys_log(client, world):
    users, cases = world
    _log(users["officer"], cases["own"], label="本局的录像")
    _log(users["other_officer"], cases["other"], label="他局的录像")
    _log(users["supervisor"], cases["other"], label="监督人员看他局")
    client.force_login(users["head"])
    page = client.get(reverse("access:log_list")).content.decode()
    assert "本局的录像" in page and "他局的录像" not in page and "监督人员看他局" not in page
    csv_text = b"".join(client.get(reverse("access:log_export_csv")).streaming_content).decode("utf-8-sig")
    assert "本局的录像" in csv_text and "他局" not in csv_text.replace("访问记录导出", "")
    client.force_login(users["supervisor"])
    page = client.get(reverse("access:log_list")).content.decode()
    assert "本局的录像" in page and "他局的录像" in page


def test_selector_scopes_and_refuses_other_roles(world):
    users, cases = world
    _log(users["officer"], cases["own"])
    _log(users["other_officer"], cases["other"])
    assert access_log_list(viewer=users["supervisor"]).count() == 2
    assert {e.agency_id for e in access_log_list(viewer=users["other_head"])} == {cases["other"].agency_id}
    assert access_log_list(viewer=users["officer"]).count() == 0


# Filters ----------------------------------------------------------------------------------


def test_filters_by_case_user_action_and_beijing_days(world):
    users, cases = world
    late_evening = _log(
        users["officer"], cases["own"], at=_beijing(2026, 3, 1, 23, 30)
    )  # 15:30 UTC on 1 March
    after_midnight = _log(
        users["officer"], cases["own"], at=_beijing(2026, 3, 2, 0, 10)
    )  # 16:10 UTC on 1 March
    other = _log(
        users["other_officer"], cases["other"], at=_beijing(2026, 3, 2, 9, 0), action=AccessAction.DOWNLOAD
    )
    viewer = users["supervisor"]

    def ids(**kw):
        return {e.pk for e in access_log_list(viewer=viewer, filters=AccessLogFilter(**kw))}

    assert ids(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1)) == {late_evening.pk}
    assert ids(date_from=dt.date(2026, 3, 2)) == {after_midnight.pk, other.pk}
    assert ids(date_to=dt.date(2026, 3, 2)) == {late_evening.pk, after_midnight.pk, other.pk}
    assert ids(case="市监罚") == {late_evening.pk, after_midnight.pk}
    assert ids(case="〔2026〕9号") == {other.pk}
    assert ids(user="zhangsan") == ids(user="张三") == {late_evening.pk, after_midnight.pk}
    assert ids(user="zhang") == set()  # user names match exactly, person names in part
    assert ids(action="download") == {other.pk}


def test_invalid_filters_answer_400(client, world):
    users, _ = world
    client.force_login(users["supervisor"])
    response = client.get(reverse("access:log_list"), {"date_from": "2026-03-05", "date_to": "2026-03-01"})
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()
    assert client.get(reverse("access:log_export_csv"), {"date_from": "not a date"}).status_code == 400
    assert not AccessLogEntry.objects.filter(object_kind="access_log").exists()


def test_page_filters_and_paginates(client, world):
    users, cases = world
    for _ in range(55):
        _log(users["officer"], cases["own"])
    client.force_login(users["supervisor"])
    first = client.get(reverse("access:log_list"), {"case": "市监罚"})
    assert first.status_code == 200 and "共 55 条" in first.content.decode()
    assert "case=%E5%B8%82%E7%9B%91%E7%BD%9A&amp;page=2" in first.content.decode()
    second = client.get(reverse("access:log_list"), {"case": "市监罚", "page": 2})
    assert second.context["page"].number == 2 and len(second.context["page"]) == 5


# Exports ----------------------------------------------------------------------------------


def test_csv_export_is_filtered_recorded_and_safe_for_excel(client, world):
    users, cases = world
    _log(users["officer"], cases["own"], at=_beijing(2026, 3, 1, 8, 5, 9), label='=HYPERLINK("http://x")')
    _log(users["officer"], cases["other"], label="不在本案")
    client.force_login(users["supervisor"])
    response = client.get(reverse("access:log_export_csv"), {"case": "乌审市监罚〔2026〕7号"})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["时间", "用户名", "姓名", "角色", "操作"]
    assert len(rows) == 2
    assert rows[1][0] == "2026-03-01 08:05:09"  # Beijing time
    assert rows[1][1:3] == ["zhangsan", "张三"] and rows[1][8] == "乌审市监罚〔2026〕7号"
    assert rows[1][7] == '\'=HYPERLINK("http://x")'  # never a formula
    exported = AccessLogEntry.objects.get(object_kind="access_log")
    assert (exported.user, exported.action, exported.object_id) == (users["supervisor"], "export", "csv")
    assert "乌审市监罚〔2026〕7号" in exported.object_label
    assert Entry.objects.filter(seq=exported.ledger_seq, kind="access.viewed").exists()


def test_xlsx_export(client, world):
    users, cases = world
    _log(users["officer"], cases["own"], label="=1+1")
    client.force_login(users["head"])
    response = client.get(reverse("access:log_export_xlsx"), {"user": "zhangsan"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and len(rows) == 2
    assert rows[1][7] == "=1+1"
    assert sheet.cell(row=2, column=8).data_type == "s"  # kept as text, not a formula
    exported = AccessLogEntry.objects.get(object_kind="access_log")
    # An agency head's export goes into their own agency's log.
    assert exported.agency_id == users["head"].agency_id


def test_the_export_appears_in_the_log_it_exports(client, world):
    users, _ = world
    client.force_login(users["supervisor"])
    raw = b"".join(client.get(reverse("access:log_export_csv")).streaming_content).decode("utf-8-sig")
    assert "访问记录导出" in raw
