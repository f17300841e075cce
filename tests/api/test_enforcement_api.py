"""行政强制执行 through the cases API: register an enforcement case (inside a penalty case, or on its
own with the registration's one choice), list its steps with their fields, perform them; a refused
step answers 409 with every violation, bad input 422 naming the field. The steps a POST performs
take today's date, so the dates sent are counted from today."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from sanxiang.cases.models import Case
from tests.api.support import bearer
from tests.cases.support import D, perform, to_decided, world_make
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_make()


def post(client, url, body, auth):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def registration(w, **changes) -> dict:
    return {"title": "强制拆除违法建设案", "procedure": "enforcement", "party_id": w.company.pk,
            "officer_ids": [w.zhang.pk, w.li.pk], "enforcement_field": "市场监管",
            "act_date": (timezone.localdate() - dt.timedelta(days=90)).isoformat(),
            "options": {"execution_power": "own"}} | changes


def decision(today: dt.date) -> dict:
    """A demolition order received 60 days ago, its last day 45 days ago."""
    return {
        "source": "other",
        "obligation": "demolition",
        "title": "责令限期拆除决定书",
        "number": "乌自然资责〔2026〕3号",
        "decided_on": (today - dt.timedelta(days=61)).isoformat(),
        "received_on": (today - dt.timedelta(days=60)).isoformat(),
        "performance_due": (today - dt.timedelta(days=45)).isoformat(),
        "duty": "自行拆除在基本农田上违法建设的彩钢房",
        "default": "逾期未拆除",
    }


def demand(today: dt.date, **changes) -> dict:
    return {
        "served_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=10)).isoformat(),
        "method": "自行拆除",
        "service_method": "direct",
        "place": "当事人住所",
        "signed_by": "刘某",
    } | changes


def test_an_enforcement_case_is_registered_inside_a_penalty_case_and_lists_its_steps(client, w):
    officer = bearer(w.officer)
    penalty = to_decided(w)
    perform(penalty, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26), place="经营场所")
    missing = post(client, "/api/cases", registration(w, options={}, parent_id=penalty.pk), officer)
    assert missing.status_code == 409
    assert [v["code"] for v in missing.json()["violations"]] == ["case.option.execution_power"]

    response = post(client, "/api/cases",
                    registration(w, title="申请强制执行罚款案", options={"execution_power": "none"}, parent_id=penalty.pk),
                    officer)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "pending" and created["state_label"] == "逾期未履行（待催告）"
    assert Case.objects.get(pk=created["id"]).parent_id == penalty.pk

    actions = {a["action"]: a for a in client.get(f"/api/cases/{created['id']}/actions", **officer).json()}
    assert {"serve_demand", "record_performance", "register_decision", "record_payment", "record_challenge"} == set(actions)
    serve = actions["serve_demand"]
    assert serve["label"] == "送达催告书" and serve["kind"] == "transition"
    fields = {f["name"]: f for f in serve["fields"]}
    assert {"served_on", "deadline", "method", "payment_method", "surcharge_yuan", "service_method"} <= set(fields)
    assert fields["deadline"]["kind"] == "date" and fields["deadline"]["required"] is True
    assert {"value": "direct", "label": "直接送达"} in fields["service_method"]["choices"]
    assert actions["register_decision"]["kind"] == "record"


def test_a_decision_made_outside_the_platform_is_registered_and_demanded_through_the_api(client, w):
    officer, head = bearer(w.officer), bearer(w.head)
    today = timezone.localdate()
    created = post(client, "/api/cases", registration(w), officer).json()
    url = f"/api/cases/{created['id']}/actions"

    refused = post(client, f"{url}/serve_demand", {"data": demand(today)}, officer)
    assert refused.status_code == 409
    assert "enforcement.decision.unregistered" in [v["code"] for v in refused.json()["violations"]]
    unregistered = next(v for v in refused.json()["violations"] if v["code"] == "enforcement.decision.unregistered")
    assert unregistered["basis_kind"] == "platform"

    registered = post(client, f"{url}/register_decision", {"data": decision(today)}, officer)
    assert registered.status_code == 200, registered.content
    assert registered.json()["state"] == "pending"

    bad = post(client, f"{url}/serve_demand", {"data": demand(today, deadline="明天")}, officer)
    assert bad.status_code == 422
    assert "deadline" in [v["field"] for v in bad.json()["violations"]]

    by_post = post(client, f"{url}/serve_demand", {"data": demand(today, service_method="post")}, officer)
    assert by_post.status_code == 409
    not_direct = next(v for v in by_post.json()["violations"] if v["code"] == "enforcement.demand.not_direct")
    assert not_direct["legal_basis"].startswith("《中华人民共和国行政强制法》第三十八条")
    assert Case.objects.get(pk=created["id"]).state == "pending"

    served = post(client, f"{url}/serve_demand", {"data": demand(today)}, officer)
    assert served.status_code == 200, served.content
    assert served.json()["state"] == "demanded"

    # Deciding is the head's: the officer's attempt answers 409 with the reason.
    execution = {"method": "demolition", "method_detail": "拆除违法建设的彩钢房",
                 "starts_at": f"{(today + dt.timedelta(days=30)).isoformat()}T09:00", "reasons": "经催告仍不履行",
                 "bases": "《中华人民共和国土地管理法》第七十七条第一款"}
    role = post(client, f"{url}/decide_execution", {"data": execution}, officer)
    assert role.status_code == 409
    assert {"code": "case.role", "message": "“作出强制执行决定”须由机关负责人办理", "legal_basis": "本单位职责分工",
            "field": "role", "basis_kind": "platform"} in role.json()["violations"]
    # The head too must wait for the demand's deadline (第三十七条第一款).
    waiting = post(client, f"{url}/decide_execution", {"data": execution}, head)
    assert waiting.status_code == 409
    assert "enforcement.demand.deadline_running" in [v["code"] for v in waiting.json()["violations"]]


def test_other_agencies_see_nothing_and_supervisors_only_read(client, w):
    created = post(client, "/api/cases", registration(w), bearer(w.officer)).json()
    stranger = bearer(user_make(role="officer", agency=agency_make()))
    assert client.get(f"/api/cases/{created['id']}/actions", **stranger).status_code == 404
    today = timezone.localdate()
    url = f"/api/cases/{created['id']}/actions/register_decision"
    assert post(client, url, {"data": decision(today)}, stranger).status_code == 404
    assert post(client, url, {"data": decision(today)}, bearer(w.supervisor)).status_code == 403


def test_unlawful_surcharge_terms_and_other_roles_answer_409_naming_the_fields(client, w):
    """第四十五条 and 行政处罚法第七十二条 through the API: the refusal names the form's fields; the
    legal reviewer takes no operational step (本单位职责分工)."""
    officer = bearer(w.officer)
    today = timezone.localdate()
    created = post(client, "/api/cases", registration(w), officer).json()
    url = f"/api/cases/{created['id']}/actions/register_decision"
    fine = decision(today) | {"obligation": "payment", "principal_yuan": "10000", "money_kind": "fine",
                              "title": "行政处罚决定书", "surcharge_notified": True,
                              "surcharge_from": (today - dt.timedelta(days=50)).isoformat(),
                              "surcharge_daily_permille": 1000}
    refused = post(client, url, {"data": fine}, officer)
    assert refused.status_code == 409
    fields = {v["code"]: v["field"] for v in refused.json()["violations"]}
    assert fields == {"enforcement.surcharge.from_within_period": "surcharge_from",
                      "enforcement.surcharge.rate_above_law": "surcharge_daily_permille"}
    reviewer = post(client, url, {"data": decision(today)}, bearer(w.reviewer))
    assert reviewer.status_code == 409
    assert [v["code"] for v in reviewer.json()["violations"]] == ["case.role"]
    lawful = fine | {"surcharge_from": None, "surcharge_daily_permille": None}
    lawful = {k: v for k, v in lawful.items() if v is not None}
    assert post(client, url, {"data": lawful}, officer).status_code == 200
