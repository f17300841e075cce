"""Issue 19: the access log through the API, as the 访问日志 page lists it: who reads which entries
(county, agency), its filters, ordering and cursor, and 422 naming the bad parameter.
Bearer token, CSRF checks on (Django's test client with a token: no session)."""

import datetime as dt

import pytest

from sanxiang.access.models import AccessAction, AccessLogEntry
from sanxiang.access.selectors import LOG_TIME_ZONE
from sanxiang.access.services import access_record
from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from tests.api.support import bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

URL = "/api/access-log"


@pytest.fixture
def world():
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    own, other = agency_make(name="本局"), agency_make(name="他局")
    far = agency_make(name="外县局", region_code="150627")
    users = {
        "supervisor": user_make(role=Role.SUPERVISOR, agency=bureau),
        "far_supervisor": user_make(role=Role.SUPERVISOR,
                                    agency=agency_make(is_judicial_bureau=True, region_code="150627")),
        "admin": user_make(role=Role.SYSTEM_ADMIN),
        "head": user_make(role=Role.AGENCY_HEAD, agency=own),
        "officer": user_make(role=Role.OFFICER, agency=own, username="zhangsan"),
        "reviewer": user_make(role=Role.REVIEWER, agency=own),
    }
    users["officer"].display_name = "张三"
    users["officer"].save()
    cases = {a.name: case_create(actor=None, agency=a, number=f"乌审罚〔2026〕{i}号", title="无照经营")
             for i, a in enumerate((own, other, far), start=1)}
    entries = []
    for day, (name, action) in enumerate([("本局", AccessAction.VIEW), ("他局", AccessAction.DOWNLOAD),
                                          ("外县局", AccessAction.VIEW), ("本局", AccessAction.EXPORT)], start=1):
        case = cases[name]
        entry = access_record(actor=users["officer"], action=action, object_kind="evidence", object_id=day,
                              object_label="现场录像.mp4", case_id=case.pk, agency_id=case.agency_id,
                              ip_address="10.0.0.8")
        at = dt.datetime(2026, 3, day, 0, 30, tzinfo=LOG_TIME_ZONE)  # early morning in Beijing: the day before in UTC
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=at)
        entries.append(entry.pk)
    return users, cases, entries


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_each_role_reads_the_entries_the_page_shows(client, world):
    users, _, entries = world
    first, second, far, fourth = entries
    assert ids(client.get(URL, **bearer(users["admin"]))) == [fourth, far, second, first]
    assert ids(client.get(URL, **bearer(users["supervisor"]))) == [fourth, second, first]  # not another county's
    assert ids(client.get(URL, **bearer(users["far_supervisor"]))) == [far]
    assert ids(client.get(URL, **bearer(users["head"]))) == [fourth, first]  # their agency's only
    for role in ("officer", "reviewer"):
        assert client.get(URL, **bearer(users[role])).status_code == 403


def test_a_row_names_the_user_the_object_and_the_case(client, world):
    users, cases, entries = world
    row = client.get(URL, **bearer(users["head"])).json()["items"][-1]
    assert row["id"] == entries[0] and row["user_name"] == "张三" and row["user_id"] == users["officer"].pk
    assert row["action"] == "view" and row["action_label"] == "查看" and row["object_kind_label"] == "证据"
    assert row["case_number"] == cases["本局"].number and row["agency_name"] == "本局"
    assert row["object_label"] == "现场录像.mp4" and row["ip_address"] == "10.0.0.8"


def test_the_page_filters_ordering_and_cursor(client, world):
    users, _, entries = world
    first, second, _, fourth = entries
    auth = bearer(users["supervisor"])
    # Days are Beijing's: the entry of 3 March 00:30 is on 3 March, though on 2 March in UTC.
    assert ids(client.get(URL, {"since": "2026-03-02", "until": "2026-03-02"}, **auth)) == [second]
    assert ids(client.get(URL, {"action": "export"}, **auth)) == [fourth]
    assert ids(client.get(URL, {"case": "〔2026〕2"}, **auth)) == [second]
    assert ids(client.get(URL, {"user": "张"}, **auth)) == [fourth, second, first]
    assert ids(client.get(URL, {"user": "zhang"}, **auth)) == []  # a user name must be whole, as on the page
    assert ids(client.get(URL, {"ordering": "at"}, **auth)) == [first, second, fourth]
    page = client.get(URL, {"limit": 2}, **auth).json()
    assert [row["id"] for row in page["items"]] == [fourth, second]
    assert ids(client.get(page["next"], **auth)) == [first]


@pytest.mark.parametrize("query, field", [
    ({"since": "2026-03-05", "until": "2026-03-01"}, "until"),
    ({"action": "delete"}, "action"),
    ({"ordering": "user"}, "ordering"),
    ({"case": "x" * 81}, "case"),
])
def test_bad_parameters_are_422_naming_them(client, world, query, field):
    users, _, _ = world
    response = client.get(URL, query, **bearer(users["supervisor"]))
    assert response.status_code == 422, response.content
    assert field in [v["field"] for v in response.json()["violations"]]
