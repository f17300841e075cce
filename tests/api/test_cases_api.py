"""The cases API: create a case, list the actions with their violations, perform one; a refused
step answers 409 with every violation (code, message, legal basis)."""

import json

import pytest
from openapi_spec_validator import validate

from sanxiang.cases.models import Case
from tests.api.support import bearer
from tests.cases.support import ACT, DISCOVERED, OPEN, world_make
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_make()


def post(client, url, body, auth):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def test_create_list_actions_and_perform_with_a_409_carrying_every_violation(client, w):
    officer, head = bearer(w.officer), bearer(w.head)
    body = {"title": "涉嫌无证经营案", "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk],
            "enforcement_field": "市场监管", "act_date": ACT.isoformat(), "discovered_on": DISCOVERED.isoformat()}
    response = post(client, "/api/cases", body, officer)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "lead" and created["state_label"] == "案源登记"
    case_id = created["id"]
    listed = client.get("/api/cases", **officer).json()
    assert [c["id"] for c in listed["items"]] == [case_id] and listed["next_cursor"] is None and listed["next"] is None

    actions = {a["action"]: a for a in client.get(f"/api/cases/{case_id}/actions", **officer).json()}
    assert actions["open"]["allowed"] is False
    assert {"code": "penalty.opening.head_approval_missing",
            "message": "立案（或者不予立案）须经行政机关负责人批准，尚无负责人审批意见",
            "legal_basis": "《中华人民共和国行政处罚法》第五十四条第二款；各部门行政处罚程序规定（立案须经行政机关负责人批准）",
            "field": "opening_approved_by_head", "basis_kind": "law"} in actions["open"]["violations"]
    assert "summary" in [f["name"] for f in actions["open"]["fields"]]

    refused = post(client, f"/api/cases/{case_id}/actions/open", {"data": OPEN}, officer)
    assert refused.status_code == 409
    assert refused.json()["error"] == {"code": "refused", "message": "操作被拒绝"}
    codes = [v["code"] for v in refused.json()["violations"]]
    assert "penalty.opening.head_approval_missing" in codes
    assert all(set(v) == {"code", "message", "legal_basis", "field", "basis_kind"} and v["legal_basis"] for v in refused.json()["violations"])
    assert Case.objects.get(pk=case_id).state == "lead"

    assert post(client, f"/api/cases/{case_id}/actions/approve_opening", {"data": {"approval": "agree", "opinion": "同意立案"}}, head).status_code == 200
    # The case was found on 03-05 and is opened today: nothing else blocks it.
    opened = post(client, f"/api/cases/{case_id}/actions/open", {"data": OPEN}, officer)
    assert opened.status_code == 200, opened.content
    assert opened.json()["state"] == "opened"
    assert any(d["code"] == "penalty.deadline.decision" for d in opened.json()["deadlines"])


def test_unparsable_data_is_a_422_naming_the_field_and_other_agencies_get_404(client, w):
    case = post(client, "/api/cases", {"title": "案", "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk],
                                       "act_date": ACT.isoformat()}, bearer(w.officer)).json()
    response = post(client, f"/api/cases/{case['id']}/actions/approve_opening", {"data": {}}, bearer(w.head))
    assert response.status_code == 422
    # Every missing field is named: the approval's explicit 同意/不同意 and the opinion.
    assert {v["field"] for v in response.json()["violations"]} == {"approval", "opinion"}
    stranger = bearer(user_make(role="officer", agency=agency_make()))
    assert client.get(f"/api/cases/{case['id']}/actions", **stranger).status_code == 404
    assert post(client, f"/api/cases/{case['id']}/actions/open", {"data": OPEN}, stranger).status_code == 404
    assert post(client, f"/api/cases/{case['id']}/actions/open", {"data": OPEN}, bearer(w.supervisor)).status_code == 403
    # Another agency's party is unknown here.
    foreign = post(client, "/api/cases", {"title": "案", "party_id": w.company.pk, "officer_ids": [],
                                          "act_date": ACT.isoformat()}, stranger)
    assert foreign.status_code == 409 and foreign.json()["violations"][0]["code"] == "case.party_unknown"


def test_the_openapi_description_stays_valid_with_the_cases_paths(client):
    schema = client.get("/api/openapi.json").json()
    validate(schema)
    assert {"/api/cases", "/api/cases/{case_id}/actions", "/api/cases/{case_id}/actions/{action}"} <= set(schema["paths"])
