"""A case that belongs to another (a measure inside a penalty case, the execution of a penalty
decision) concerns that case's party, and only a case still open takes a new one; the worklist
judges each case by its own procedure's final states."""

import datetime as dt
import json

import pytest
from django.test import Client

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import case_snapshot_build, officer_worklist
from sanxiang.cases.services import case_action_perform, case_create
from sanxiang.procedure.violations import Refused
from tests.cases.support import lead_make, world_make

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 2)


def measure(w, *, parent, party=None) -> Case:
    return case_create(
        actor=w.officer, agency=w.agency, title="涉嫌经营超过保质期的食品案", procedure="seal_seizure", party=party,
        officers=[w.zhang, w.li], enforcement_field="市场监管", on=ON, options={"measure_kind": "seizure"},
        parent=parent,
    )


def test_a_measure_inside_a_penalty_case_concerns_its_party():
    w = world_make()
    penalty = lead_make(w)  # against the company
    with pytest.raises(Refused) as refused:
        measure(w, parent=penalty, party=w.citizen)
    assert [(v.code, v.message, v.field) for v in refused.value.violations] == [
        ("case.parent_party", "当事人须与所属案件的当事人相同", "party")
    ]
    assert not Case.objects.filter(procedure="seal_seizure").exists()
    # Without a party given, the measure takes the penalty case's.
    assert measure(w, parent=penalty).party_id == w.company.pk


def test_a_closed_case_takes_no_new_case():
    w = world_make()
    penalty = lead_make(w)
    Case.objects.filter(pk=penalty.pk).update(state="not_opened")  # 不予立案: final
    penalty.refresh_from_db()
    with pytest.raises(Refused) as refused:
        measure(w, parent=penalty)
    assert [(v.code, v.message) for v in refused.value.violations] == [
        ("case.parent_closed", "所属案件已经不予立案，不能再登记属于它的案件")
    ]
    Case.objects.filter(pk=penalty.pk).update(state="investigating")
    penalty.refresh_from_db()
    assert measure(w, parent=penalty).parent_id == penalty.pk


def test_the_worklist_keeps_a_closed_penalty_case_until_archived_and_drops_a_closed_execution():
    w = world_make()
    penalty = lead_make(w)
    execution = lead_make(w)
    # 结案 (closed) is not final for a penalty case (it is still to be archived) but is for an
    # execution case.
    Case.objects.filter(pk=penalty.pk).update(state="closed")
    Case.objects.filter(pk=execution.pk).update(state="closed", procedure="enforcement")
    listed = {row.case.pk for row in officer_worklist(user=w.officer, on=ON)}
    assert penalty.pk in listed and execution.pk not in listed


@pytest.mark.parametrize(("value", "message"), [
    (5, "应为日期时间（YYYY-MM-DDTHH:MM）"),
    (True, "应为日期时间（YYYY-MM-DDTHH:MM）"),
    ("9999-12-31T23:59:59-12:00", "日期应在1990-01-01至2099-12-31之间"),
])
def test_a_datetime_that_is_no_string_or_has_no_local_time_is_a_422(value, message):
    w = world_make()
    case = measure(w, parent=None, party=w.company)
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    client = Client(enforce_csrf_checks=True)
    from tests.cases.test_coercion_cases import PROPOSAL

    client.post(f"/api/cases/{case.pk}/actions/coercion_propose", json.dumps({"data": PROPOSAL}),
                content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post(f"/api/cases/{case.pk}/actions/coercion_approve",
                           json.dumps({"data": {"approved_at": value, "opinion": "同意"}}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422, response.content
    assert {"code": "invalid", "message": message, "legal_basis": "数据校验", "field": "approved_at",
            "basis_kind": "platform"} in response.json()["violations"]


@pytest.mark.parametrize("value", [5, 3.5, False])
def test_a_date_that_is_no_string_is_a_422(value):
    w = world_make()
    case = lead_make(w)
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/api/cases/{case.pk}/actions/record_inquiry",
                           json.dumps({"data": {"on": value}}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422, response.content
    assert any(v["field"] == "on" and v["message"] == "应为日期（YYYY-MM-DD）" for v in response.json()["violations"])


def test_a_penalty_decision_is_executed_by_one_enforcement_case_at_a_time():
    """One execution of a decision at a time: a second enforcement case would demand and execute
    the same fine again (the platform's rule, 行政强制法第三十四条 and the case it serves)."""
    from tests.cases.test_enforcement_cases import enforcement_make, penalty_served

    w = world_make()
    penalty = penalty_served(w)
    first = enforcement_make(w, parent=penalty)
    with pytest.raises(Refused) as refused:
        enforcement_make(w, parent=penalty)
    (violation,) = refused.value.violations
    assert violation.code == "enforcement.parent.already_executed" and first.number in violation.message
    assert violation.basis_kind == "platform"
    # Once the first is closed, the decision may be executed by a new case (what remains of it).
    Case.objects.filter(pk=first.pk).update(state="closed")
    assert enforcement_make(w, parent=penalty).parent_id == penalty.pk


def test_while_an_enforcement_case_is_open_the_penalty_case_does_not_execute_its_decision_again():
    """The penalty case's own 催告 and court application would duplicate those of the enforcement
    case that executes its decision: refused while that case is open (a platform rule), allowed
    again once it is closed."""
    from tests.cases.test_enforcement_cases import enforcement_make, penalty_served

    w = world_make()
    penalty = penalty_served(w)
    child = enforcement_make(w, parent=penalty)
    day = dt.date(2026, 5, 20)
    with pytest.raises(Refused) as refused:
        case_action_perform(actor=w.officer, case=penalty, action="serve_enforcement_demand", data={"served_on": day},
                            on=day)
    (violation,) = refused.value.violations
    assert violation.code == "case.execution.elsewhere" and child.number in violation.message
    assert violation.basis_kind == "platform"
    Case.objects.filter(pk=child.pk).update(state="closed")
    penalty = case_action_perform(actor=w.officer, case=penalty, action="serve_enforcement_demand",
                                  data={"served_on": day}, on=day)
    assert "enforcement_demand" in case_snapshot_build(penalty).records
