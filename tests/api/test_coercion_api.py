"""The cases API with a compulsory measure (查封、扣押): registration with its kind and its penalty
case, the steps listed with their fields, a step performed, bad input answered 422 and a refusal
409 with every reason. Every date sent is fixed (the step's day is the server's today, which no
assertion reads)."""

import datetime as dt
import json

import pytest

from sanxiang.cases.models import Case
from tests.api.support import bearer
from tests.cases.support import lead_make, world_make
from tests.cases.test_coercion_cases import (
    FREEZE_PROPOSAL,
    PROPOSAL,
    TAKEN_ON,
    on_spot,
    perform,
    recording_upload,
    to_in_force,
)
from tests.factories import agency_make

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def w():
    return world_make()


def post(client, url, body, auth):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def registration(w, **changes) -> dict:
    return {"title": "涉嫌经营超过保质期的食品案", "procedure": "seal_seizure", "party_id": w.company.pk,
            "officer_ids": [w.zhang.pk, w.li.pk], "enforcement_field": "市场监管", "act_date": "2026-03-01",
            "options": {"measure_kind": "seizure"}} | changes


def test_a_measure_is_registered_inside_its_penalty_case_and_refused_without_its_kind(client, w):
    officer = bearer(w.officer)
    penalty = lead_make(w)
    created = post(client, "/api/cases", registration(w, parent_id=penalty.pk), officer)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["procedure"], body["state"], body["state_label"]) == ("seal_seizure", "proposed", "拟采取")
    assert Case.objects.get(pk=body["id"]).parent_id == penalty.pk

    missing = post(client, "/api/cases", registration(w, options={}), officer)
    assert missing.status_code == 409
    assert [(v["code"], v["message"], v["field"]) for v in missing.json()["violations"]] == [
        ("case.option.measure_kind", "请选择强制措施种类（查封、扣押）", "measure_kind")
    ]
    theirs = Case.objects.create(agency=agency_make(), number="他案1号", title="他案", procedure="ordinary")
    foreign = post(client, "/api/cases", registration(w, parent_id=theirs.pk), officer)
    assert foreign.status_code == 409
    assert [v["code"] for v in foreign.json()["violations"]] == ["case.parent_unknown"]


def test_the_steps_are_listed_with_their_fields_and_performed_with_422_and_409_answers(client, w):
    officer, head = bearer(w.officer), bearer(w.head)
    case_id = post(client, "/api/cases", registration(w), officer).json()["id"]

    actions = {a["action"]: a for a in client.get(f"/api/cases/{case_id}/actions", **officer).json()}
    assert {"coercion_propose", "coercion_approve", "coercion_decline", "coercion_take_emergency"} <= set(actions)
    propose = actions["coercion_propose"]
    assert (propose["kind"], propose["allowed"]) == ("record", True)
    fields = {f["name"]: f for f in propose["fields"]}
    assert (fields["items"]["kind"], fields["items"]["label"]) == ("lines", "查封、扣押的场所、设施或者财物")
    approve = actions["coercion_approve"]
    assert (approve["kind"], approve["allowed"], approve["target"]) == ("transition", False, "已批准，待实施")
    assert approve["violations"][0]["code"] == "case.role"
    emergency = actions["coercion_take_emergency"]
    assert emergency["documents"] == ["现场笔录", "查封（扣押）决定书", "查封（扣押）财物清单"]
    assert {"emergency_reason", "taken_at", "handed_over", "no_daily_necessities"} <= {f["name"] for f in emergency["fields"]}

    proposed = post(client, f"/api/cases/{case_id}/actions/coercion_propose", {"data": PROPOSAL}, officer)
    assert proposed.status_code == 200, proposed.content
    bad = post(client, f"/api/cases/{case_id}/actions/coercion_approve",
               {"data": {"approved_at": "三月二日上午", "opinion": "同意"}}, head)
    assert bad.status_code == 422
    assert [v["field"] for v in bad.json()["violations"]] == ["approved_at"]
    # The 审批表 was written today (the step's day): an approval dated before it is refused.
    backdated = post(client, f"/api/cases/{case_id}/actions/coercion_approve",
                     {"data": {"approved_at": "2021-07-14T09:00", "opinion": "同意扣押"}}, head)
    assert backdated.status_code == 409
    assert [(v["code"], v["field"]) for v in backdated.json()["violations"]] == [
        ("coercion.approval.before_proposal", "approved_at")
    ]

    # A measure written up on 2026-03-02 (a fixed day, through the service) is approved that day.
    case_id = post(client, "/api/cases", registration(w), officer).json()["id"]
    perform(Case.objects.get(pk=case_id), "coercion_propose", TAKEN_ON, w.officer, **PROPOSAL)
    approved = post(client, f"/api/cases/{case_id}/actions/coercion_approve",
                    {"data": {"approved_at": "2026-03-02T09:00", "opinion": "同意扣押"}}, head)
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"

    data = on_spot(w)
    data |= {"taken_at": "2026-03-02T10:00", "ended_at": "2026-03-02T11:00"}
    refused = post(client, f"/api/cases/{case_id}/actions/coercion_take", {"data": data}, officer)
    assert refused.status_code == 409
    (violation,) = refused.json()["violations"]
    assert (violation["code"], violation["field"], violation["basis_kind"]) == (
        "coercion.audio_video.missing.seizure", "records", "law"
    )
    assert violation["message"] == "“扣押”列入音像记录事项清单，须关联全程音像记录文件后才能办理"
    assert Case.objects.get(pk=case_id).state == "approved"


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "sNaN", "1e5000", "1e999999999", "1e30", "-1"])
def test_a_freeze_amount_that_is_no_amount_is_answered_409_naming_its_line_never_500(client, w, amount):
    officer = bearer(w.officer)
    case_id = post(client, "/api/cases", registration(w, procedure="freeze", options={}), officer).json()["id"]
    line = f"中国农业银行乌审旗支行，某公司，6228480000000001，{amount}"
    data = FREEZE_PROPOSAL | {"accounts": [line]}
    refused = post(client, f"/api/cases/{case_id}/actions/coercion_propose", {"data": data}, officer)
    assert refused.status_code == 409, refused.content
    assert [(v["code"], v["field"]) for v in refused.json()["violations"]] == [("coercion.accounts.amount", "accounts")]
    assert f"“{line}”" in refused.json()["violations"][0]["message"]
    fine = post(client, f"/api/cases/{case_id}/actions/coercion_propose", {"data": FREEZE_PROPOSAL}, officer)
    assert fine.status_code == 200, fine.content


def test_a_measure_dated_before_the_officers_rule_is_answered_409_never_500(client, w):
    """The number of officers an act needs has no value before 2021-07-15: a measure dated before it
    is refused with that reason."""
    officer, head = bearer(w.officer), bearer(w.head)
    case_id = post(client, "/api/cases", registration(w), officer).json()["id"]
    case = perform(Case.objects.get(pk=case_id), "coercion_propose", D(2021, 7, 13), w.officer, **PROPOSAL)
    approved = post(client, f"/api/cases/{case_id}/actions/coercion_approve",
                    {"data": {"approved_at": "2021-07-14T09:00", "opinion": "同意扣押"}}, head)
    assert approved.status_code == 200, approved.content
    recording_upload(w, case, "seizure")
    data = on_spot(w) | {"taken_at": "2021-07-14T10:00", "ended_at": "2021-07-14T11:00"}
    taken = post(client, f"/api/cases/{case_id}/actions/coercion_take", {"data": data}, officer)
    assert taken.status_code == 409, taken.content
    assert "parameter.missing.team.min_officers_who_may_act" in [v["code"] for v in taken.json()["violations"]]
    assert Case.objects.get(pk=case_id).state == "approved"


def test_a_release_asked_by_an_officer_or_the_reviewer_is_answered_409(client, w):
    case = to_in_force(w)
    for user in (w.officer, w.reviewer):
        refused = post(client, f"/api/cases/{case.pk}/actions/coercion_release",
                       {"data": {"ground": "no_violation", "returned": True}}, bearer(user))
        assert refused.status_code == 409, refused.content
        assert [v["code"] for v in refused.json()["violations"]] == ["case.role"]
    released = post(client, f"/api/cases/{case.pk}/actions/coercion_release",
                    {"data": {"ground": "no_violation", "returned": True}}, bearer(w.head))
    assert released.status_code == 200, released.content
    assert released.json()["state"] == "released"
