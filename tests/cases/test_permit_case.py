"""A case of kind 行政许可 (the `permit` procedure, issue 18 item 1) registered through the API and
driven by its steps: the application is accepted only once its materials are complete
(《中华人民共和国行政许可法》第三十二条, 409 with the reason and the path), then accepted; its
decision period of 20 working days is listed; the facts are stored and every step is in the ledger."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.cases.support import ACT, world_make

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: dict, auth: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def test_a_permit_case_is_registered_and_accepted_only_with_complete_materials():
    w = world_make()
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    api, auth = Client(enforce_csrf_checks=True), {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    created = post(api, "/api/cases", {"procedure": "permit", "title": "食品经营许可申请", "party_id": w.company.pk,
                                       "officer_ids": [w.zhang.pk, w.li.pk], "enforcement_field": "市场监管",
                                       "act_date": ACT.isoformat()}, auth)
    assert created.status_code == 201, created.content
    assert created.json()["state_label"] == "已收到申请，待受理"
    case_id = created.json()["id"]
    assert [d["label"] for d in created.json()["deadlines"]] == ["一次性告知补正或者决定是否受理"]

    refused = post(api, f"/api/cases/{case_id}/actions/permit_accept", {"data": {}}, auth)
    assert refused.status_code == 409, refused.content
    violation = next(v for v in refused.json()["violations"] if v["code"] == "permit.accept.incomplete")
    assert "第三十二条" in violation["legal_basis"] and "一次性告知" in violation["message"]
    assert Case.objects.get(pk=case_id).state == "received"

    recorded = post(api, f"/api/cases/{case_id}/actions/permit_materials",
                    {"data": {"materials_complete": True, "on_spot_possible": False}}, auth)
    assert recorded.status_code == 200, recorded.content
    accepted = post(api, f"/api/cases/{case_id}/actions/permit_accept", {"data": {}}, auth)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "accepted"
    assert "作出行政许可决定" in [d["label"] for d in accepted.json()["deadlines"]]
    case = Case.objects.get(pk=case_id)
    assert case.facts["materials_complete"] is True and case.facts["accepted_on"]
    assert Entry.objects.filter(case_id=case_id, kind=EventKind.STEP_DONE).count() == 2

    # The generic case page serves it (no page of its own yet): its state and its next steps.
    browser = Client()
    browser.force_login(w.officer)
    page = browser.get(reverse("cases:case_detail", args=[case_id]))
    assert page.status_code == 200
    assert "已受理，审查中" in page.content.decode() and 'data-testid="action-permit_extend"' in page.content.decode()
