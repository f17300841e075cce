"""A procedure registered in the catalogue is served everywhere with no change elsewhere: a
throwaway procedure (two states, one transition, a step with one field, its own snapshot) gets its
case registered through the API, its page, its actions, its step performed (refused with the
reason, then lawful), its place in /api/procedures and its data schema in the OpenAPI document.

Its rule is a platform rule of this test, not law: the step needs a note that says what was
checked."""

import json
from dataclasses import dataclass, replace

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure import catalog
from sanxiang.procedure.catalog import ProcedureSpec, procedure_register, procedures_all
from sanxiang.procedure.engine import GuardContext, Procedure, State, Transition, procedure_mermaid
from sanxiang.procedure.steps import Draft, Field, Step
from sanxiang.procedure.violations import Violation
from tests.cases.support import ACT, world_make

pytestmark = pytest.mark.django_db

KEY = "trial_generic"
RULE = "平台规则：本测试的办结须写明核实情况"


@dataclass(frozen=True)
class TrialSnapshot:
    state: str
    records: frozenset[str] = frozenset()
    note: str = ""


def _note_says_what_was_checked(snapshot: TrialSnapshot, context: GuardContext):
    if "核实" not in snapshot.note:
        yield Violation("trial.note_unchecked", "办结前须写明核实的情况", RULE, "note")


ENGINE = Procedure(
    name="trial",
    label="试行程序",
    states=(State("pending", "待办结"), State("done", "已办结", final=True)),
    initial="pending",
    transitions=(Transition("finish", "办结", ("pending",), "done", guards=(_note_says_what_was_checked,),
                            legal_basis=RULE),),
)


def _finish(draft: Draft, data: dict) -> None:
    draft.update(note=data["note"])


TRIAL = ProcedureSpec(
    key=KEY,
    label="试行程序",
    act_kind="inspection",
    engine=ENGINE,
    snapshot_type=TrialSnapshot,
    steps=(
        Step("finish", "办结", (KEY,), transition=True, fields=(Field("note", "核实情况", "text"),), apply=_finish,
             supplies=("note",), help="写明核实了什么"),
    ),
    derived_fields=frozenset({"state", "records"}),
    advance=lambda snapshot, action, context: replace(snapshot, state=ENGINE.transition(action).target),
    deadlines=lambda snapshot, **_: ([], []),
)


def procedure_unregister(key: str) -> None:
    """Take a procedure out of the catalogue again (the catalogue itself never does: a procedure
    of the law stays registered for the life of the process)."""
    catalog._CATALOGUE.pop(key)


@pytest.fixture
def trial():
    procedures_all()  # the real catalogue first: a registration into an empty one would keep it from loading
    procedure_register(TRIAL)
    yield TRIAL
    procedure_unregister(KEY)
    assert KEY not in procedures_all()


def bearer(user) -> dict:
    _, token = api_token_create(actor=user, user=user, name="对接")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client: Client, url: str, body: dict, auth: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def test_a_procedure_registered_in_the_catalogue_is_served_by_the_pages_the_api_and_the_openapi(trial):
    w = world_make()
    api, auth = Client(enforce_csrf_checks=True), bearer(w.officer)

    # Registered through the API like any procedure of the catalogue.
    created = post(api, "/api/cases", {"procedure": KEY, "title": "试行案件", "party_id": w.company.pk,
                                       "officer_ids": [w.zhang.pk, w.li.pk], "enforcement_field": "市场监管",
                                       "act_date": ACT.isoformat()}, auth)
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "pending" and created.json()["state_label"] == "待办结"
    assert created.json()["deadlines"] == [] and created.json()["problems"] == []
    case_id = created.json()["id"]

    # The case page shows the procedure's state and its step with its form.
    browser = Client()
    browser.force_login(w.officer)
    page = browser.get(reverse("cases:case_detail", args=[case_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="action-finish"' in html and "试行程序" in html and "待办结" in html and "核实情况" in html
    number = Case.objects.get(pk=case_id).number
    assert number in browser.get(reverse("web:home")).content.decode().split('data-testid="worklist"')[1]

    # The API lists the step with its field and the component that describes its data.
    actions = api.get(f"/api/cases/{case_id}/actions", **auth).json()
    assert [(a["action"], a["label"], a["kind"], a["allowed"], a["target"], a["data_schema"]) for a in actions] == [
        ("finish", "办结", "transition", True, "已办结", "StepData_trial_generic_finish")
    ]
    assert actions[0]["fields"] == [
        {"name": "note", "label": "核实情况", "kind": "text", "required": True, "choices": [], "help": ""}
    ]

    # Performed: the form refuses a missing field (422, in Chinese), the procedure's rule refuses a
    # note that says nothing checked (409, with its reason and basis), and a lawful note is taken.
    missing = post(api, f"/api/cases/{case_id}/actions/finish", {"data": {}}, auth)
    assert missing.status_code == 422
    assert [(v["field"], v["message"]) for v in missing.json()["violations"]] == [("note", "这个字段是必填项。")]
    refused = post(api, f"/api/cases/{case_id}/actions/finish", {"data": {"note": "已到现场"}}, auth)
    assert refused.status_code == 409
    assert refused.json()["violations"] == [{"code": "trial.note_unchecked", "message": "办结前须写明核实的情况",
                                             "legal_basis": RULE, "field": "note", "basis_kind": "platform"}]
    assert Case.objects.get(pk=case_id).state == "pending"
    done = post(api, f"/api/cases/{case_id}/actions/finish", {"data": {"note": "已核实现场情况"}}, auth)
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "done" and done.json()["state_label"] == "已办结"
    case = Case.objects.get(pk=case_id)
    assert case.facts == {"note": "已核实现场情况"}
    assert Entry.objects.filter(case_id=case_id, kind=EventKind.STEP_DONE, subject=f"case:{case_id}:finish").count() == 1
    assert api.get(f"/api/cases/{case_id}/actions", **auth).json() == []
    assert "已办结" in browser.get(reverse("cases:case_detail", args=[case_id])).content.decode()
    assert number not in browser.get(reverse("web:home")).content.decode().split('data-testid="worklist"')[1]

    # The OpenAPI document describes the step's data and offers the procedure at registration.
    document = api.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    component = schemas["StepData_trial_generic_finish"]
    assert component["required"] == ["note"]
    assert component["properties"]["note"] | {"description": ""} == {
        "title": "核实情况", "type": "string", "minLength": 1, "maxLength": 500, "description": ""}
    assert schemas["StepData"]["x-step-data"][KEY] == {"finish": "#/components/schemas/StepData_trial_generic_finish"}
    assert {"$ref": "#/components/schemas/StepData_trial_generic_finish"} in schemas["StepData"]["anyOf"]
    assert KEY in schemas["CaseIn"]["properties"]["procedure"]["enum"]

    # And /api/procedures lists it with its flowchart.
    described = api.get(f"/api/procedures/{KEY}", **auth).json()
    assert described["act_kind_label"] == "行政检查" and described["mermaid"] == procedure_mermaid(ENGINE)
    assert [(s["action"], s["states"], s["target"]) for s in described["steps"]] == [("finish", ["pending"], "done")]
