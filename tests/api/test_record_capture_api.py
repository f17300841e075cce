"""Record steps and record corrections over the API, as the case page takes them (issue 13): the
device's time of a record written offline (`device_time`) goes into the step's or the correction's
ledger entry; a bad time, or bad record data, answers 422 naming the field and records nothing; a
correction without reason answers 409 with the reason's rule; tokens write without CSRF, a
browser session needs its CSRF token; another agency finds nothing."""

import datetime as dt
import json

import pytest
from django.middleware.csrf import get_token
from django.test import Client
from django.utils import timezone

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.cases.support import inquiry, investigating_today
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def wc():
    return investigating_today()


def bearer(user) -> dict:
    _, token = api_token_create(actor=user, user=user, name="执法记录仪对接")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, url, body, auth=None, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **(auth or {}), **headers)


def api_inquiry(w) -> dict:
    values = inquiry(w, timezone.localdate())
    return values | {"on": values["on"].isoformat()}


def step_payloads(case: Case, action: str) -> list[dict]:
    bodies = Entry.objects.filter(kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:{action}").order_by("seq")
    return [json.loads(bytes(b))["payload"] for b in bodies.values_list("body", flat=True)]


def recorded(client, w, case) -> dict:
    response = post(client, f"/api/cases/{case.pk}/actions/record_inquiry",
                    {"data": api_inquiry(w), "device_time": device_time(hours=-2)}, bearer(w.officer))
    assert response.status_code == 200, response.content
    return client.get(f"/api/cases/{case.pk}/records", **bearer(w.officer)).json()[0]


def device_time(**delta) -> str:
    return (timezone.now() + dt.timedelta(**delta)).astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat()


def test_a_record_written_offline_keeps_the_device_s_time_in_its_entry(client, wc):
    w, case = wc
    written = timezone.now() - dt.timedelta(hours=3)
    body = {"data": api_inquiry(w), "device_time": written.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat()}
    response = post(client, f"/api/cases/{case.pk}/actions/record_inquiry", body, bearer(w.officer))
    assert response.status_code == 200, response.content
    [payload] = step_payloads(case, "record_inquiry")
    assert payload["device_time"] == written.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # Without it (a client online), nothing is claimed about the device.
    again = post(client, f"/api/cases/{case.pk}/actions/record_inquiry", {"data": api_inquiry(w)}, bearer(w.officer))
    assert again.status_code == 200 and "device_time" not in step_payloads(case, "record_inquiry")[1]


@pytest.mark.parametrize(("value", "message"), [
    ("昨天上午", "设备时间格式不正确，请刷新页面后重新提交"),
    ("x" * 41, "不能超过40个字符（现有41个）"),
    (None, "设备时间与服务器时间相差过大（超过三十天之前或晚于一天之后），请核对手机的日期和时间后重新提交"),
])
def test_a_bad_device_time_is_a_422_naming_the_field_and_nothing_is_recorded(client, wc, value, message):
    w, case = wc
    value = value or device_time(days=-31)
    response = post(client, f"/api/cases/{case.pk}/actions/record_inquiry",
                    {"data": api_inquiry(w), "device_time": value}, bearer(w.officer))
    assert response.status_code == 422, response.content
    [violation] = response.json()["violations"]
    assert (violation["field"], violation["message"]) == ("device_time", message)
    assert step_payloads(case, "record_inquiry") == []
    assert Case.objects.get(pk=case.pk).details.get("step_values", []) == []


def test_records_are_listed_and_corrected_with_reason_and_device_time(client, wc):
    w, case = wc
    record = recorded(client, w, case)
    assert (record["action"], record["label"], record["correctable"]) == ("record_inquiry", "询问并制作询问笔录", True)
    assert record["values"]["place"] == "本局询问室" and record["corrections"] == []

    url = f"/api/cases/{case.pk}/records/{record['id']}/corrections"
    corrected = api_inquiry(w) | {"place": "当事人经营场所"}
    written = device_time(minutes=-20)
    response = post(client, url, {"data": corrected, "reason": "询问地点记错", "device_time": written}, bearer(w.officer))

    assert response.status_code == 200, response.content
    [entry] = step_payloads(case, "correct_record")
    assert entry["data"]["fields"] == ["place"] and entry["data"]["reason"] == "询问地点记错"
    assert entry["device_time"] == dt.datetime.fromisoformat(written).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    [listed] = client.get(f"/api/cases/{case.pk}/records", **bearer(w.officer)).json()
    assert listed["values"]["place"] == "当事人经营场所"
    assert [(c["reason"], c["fields"]) for c in listed["corrections"]] == [("询问地点记错", ["place"])]


def test_a_bad_correction_is_a_422_or_a_409_with_every_reason_and_nothing_changes(client, wc):
    w, case = wc
    record = recorded(client, w, case)
    url = f"/api/cases/{case.pk}/records/{record['id']}/corrections"
    # Data the record's form refuses, and a bad device time: 422, each field named.
    missing = {k: v for k, v in api_inquiry(w).items() if k != "place"}
    response = post(client, url, {"data": missing, "reason": "补正"}, bearer(w.officer))
    assert response.status_code == 422 and [v["field"] for v in response.json()["violations"]] == ["place"]
    response = post(client, url, {"data": api_inquiry(w), "reason": "补正", "device_time": "2026/03/10"}, bearer(w.officer))
    assert response.status_code == 422 and [v["field"] for v in response.json()["violations"]] == ["device_time"]
    assert post(client, url, {"data": api_inquiry(w)}, bearer(w.officer)).status_code == 422  # no reason at all
    # Nothing changed and an empty reason: 409 with both reasons (the platform's correction rules).
    response = post(client, url, {"data": api_inquiry(w), "reason": " "}, bearer(w.officer))
    assert response.status_code == 409
    assert {v["code"] for v in response.json()["violations"]} == {"case.correction_reason", "case.correction_empty"}
    assert step_payloads(case, "correct_record") == []
    assert post(client, f"/api/cases/{case.pk}/records/999/corrections", {"data": {}, "reason": "x"},
                bearer(w.officer)).status_code == 404


def test_a_browser_session_corrects_with_its_csrf_token_and_other_agencies_find_nothing(wc):
    w, case = wc
    record = recorded(Client(enforce_csrf_checks=True), w, case)
    url = f"/api/cases/{case.pk}/records/{record['id']}/corrections"
    body = {"data": api_inquiry(w) | {"place": "当事人经营场所"}, "reason": "询问地点记错"}
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.officer)
    refused = post(browser, url, body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    page = browser.get(f"/staff/cases/{case.pk}/")
    token = get_token(page.wsgi_request)
    browser.cookies["csrftoken"] = page.wsgi_request.META["CSRF_COOKIE"]
    assert post(browser, url, body, HTTP_X_CSRFTOKEN=token).status_code == 200

    stranger = bearer(user_make(role="officer", agency=agency_make()))
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/api/cases/{case.pk}/records", **stranger).status_code == 404
    assert post(client, url, body, stranger).status_code == 404
    assert post(client, url, body, bearer(w.supervisor)).status_code == 403
