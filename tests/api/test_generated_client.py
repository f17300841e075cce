"""Issue 19 item 2: the OpenAPI document says everything a client needs. A client generated at
run time from `/api/openapi.json` alone (one method per operation, every parameter and body checked
against the document before it is sent, every answer against the schema documented for its
status, each step's `data` against the component that `x-step-data` names for the case's procedure
and the action) drives a paper penalty case of March 2026 from registration to archive, entered
afterwards with the days it happened (occurred_on), and the engine's deadlines count from those
days. Requests go through Django's client with the CSRF checks on, authenticated by tokens."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from tests.cases.support import (
    ACT,
    DISCOVERED,
    FIRST_DECISION_DAY,
    NOTICE_SERVED,
    OPEN,
    OPENED,
    PENALTY,
    D,
    end_investigation_data,
    inquiry,
    notice_data,
    world_make,
)

pytestmark = pytest.mark.django_db
BASE = "urn:sanxiang:openapi"
REASON = "纸质案卷补录：本案于2026年3月以纸质文书办理"


class SchemaViolation(AssertionError):
    pass


class GeneratedClient:
    """What a client generator makes of the document, at run time: `client.<operation>(...)` for
    every operationId (its module prefix dropped), keyword arguments for the path, query and header
    parameters, `body=` for the JSON body."""

    def __init__(self, document: dict[str, Any], http: Client, token: str) -> None:
        self.document, self.http, self.token = document, http, token
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(BASE, resource)
        self.operations = {}
        for path, item in document["paths"].items():
            for method, operation in item.items():
                name = operation["operationId"].removeprefix("sanxiang_api_").split("_", 1)[1]
                self.operations[name] = (method, path, operation)

    def check(self, value: Any, schema: dict[str, Any], what: str) -> None:
        errors = sorted(Draft202012Validator(schema, registry=self.registry).iter_errors(value), key=str)
        if errors:
            raise SchemaViolation(f"{what}: " + "; ".join(f"{list(e.path)} {e.message}" for e in errors[:5]))

    def ref(self, ref: str) -> dict[str, Any]:
        """A schema of the document by its reference or JSON pointer ("#/components/…")."""
        return {"$ref": BASE + ref}

    def at(self, *parts: Any) -> dict[str, Any]:
        return self.ref("#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts))

    def step_schema(self, procedure: str, action: str) -> dict[str, Any]:
        steps = self.document["components"]["schemas"]["StepData"]["x-step-data"]
        assert action in steps[procedure], f"the document has no step {action} of {procedure}"
        return self.ref(steps[procedure][action])

    def __getattr__(self, name: str):
        if name not in self.operations:
            raise AttributeError(name)
        method, path, operation = self.operations[name]

        def call(*, body: Any = None, **arguments: Any) -> tuple[int, Any, dict[str, str]]:
            query, headers = {}, {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
            url = path
            for index, parameter in enumerate(operation.get("parameters", [])):
                key = parameter["name"].lower().replace("-", "_")
                if key not in arguments:
                    assert not parameter.get("required"), f"{name}: {parameter['name']} is required"
                    continue
                value = arguments.pop(key)
                self.check(value, self.at("paths", path, method, "parameters", index, "schema"),
                           f"{name} {parameter['name']}")
                if parameter["in"] == "path":
                    url = url.replace("{" + parameter["name"] + "}", str(value))
                elif parameter["in"] == "query":
                    query[parameter["name"]] = value
                else:
                    headers["HTTP_" + parameter["name"].upper().replace("-", "_")] = value
            assert not arguments, f"{name} takes no {sorted(arguments)}"
            if body is not None:
                self.check(body, self.at("paths", path, method, "requestBody", "content", "application/json", "schema"),
                           f"{name} body")
                answer = self.http.generic(method.upper(), url + ("?" + "&".join(f"{k}={v}" for k, v in query.items())
                                                                  if query else ""),
                                           json.dumps(body, ensure_ascii=False), "application/json", **headers)
            else:
                answer = getattr(self.http, method)(url, query, **headers)
            assert str(answer.status_code) in operation["responses"], f"{name}: status {answer.status_code} undocumented"
            payload = answer.json()
            self.check(payload, self.at("paths", path, method, "responses", str(answer.status_code), "content",
                                        "application/json", "schema"), f"{name} answer {answer.status_code}")
            return answer.status_code, payload, dict(answer.headers)

        return call


def plain(value: Any) -> Any:
    """The JSON a client sends: dates as ISO text."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def test_a_client_generated_from_the_schema_drives_a_paper_case_from_registration_to_archive():
    w = world_make()
    document = Client().get("/api/openapi.json").json()
    http = Client(enforce_csrf_checks=True)
    officer = GeneratedClient(document, http, api_token_create(actor=w.officer, user=w.officer, name="生成")[1])
    head = GeneratedClient(document, http, api_token_create(actor=w.head, user=w.head, name="生成")[1])

    status, case, _ = officer.case_create(body={
        "title": "涉嫌经营超过保质期的食品案", "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk],
        "enforcement_field": "市场监管", "act_date": ACT.isoformat(), "discovered_on": DISCOVERED.isoformat(),
        "occurred_on": DISCOVERED.isoformat(), "back_entry_reason": REASON,
    })
    assert status == 201, case
    case_id, procedure = case["id"], case["procedure"]

    steps = [
        (head, "approve_opening", OPENED, {"approval": "agree", "opinion": "同意立案"}),
        (officer, "open", OPENED, OPEN),
        (officer, "investigate", D(2026, 3, 9), {}),
        (officer, "record_inquiry", D(2026, 3, 10), inquiry(w, D(2026, 3, 10), officer_ids=[w.zhang.pk, w.li.pk])),
        (officer, "end_investigation", D(2026, 3, 16), end_investigation_data()),
        (officer, "notify", NOTICE_SERVED, notice_data(NOTICE_SERVED)),
        (officer, "draft_decision", FIRST_DECISION_DAY, {"outcome": "penalty", **PENALTY}),
        (officer, "decide", FIRST_DECISION_DAY, {}),
        (officer, "serve", D(2026, 3, 26), {"method": "direct", "served_on": D(2026, 3, 26),
                                            "place": "当事人经营场所", "signed_by": "巴特尔"}),
        (officer, "record_payment", D(2026, 3, 30), {"paid_on": D(2026, 3, 30), "amount_yuan": "3000",
                                                     "receipt": "NO.123"}),
        (officer, "complete_execution", D(2026, 3, 31), {}),
        (head, "close", D(2026, 3, 31), {"execution": "当事人已缴纳罚款3000元", "handler_opinion": "建议结案",
                                         "head_opinion": "同意结案"}),
        (officer, "archive", D(2026, 4, 1), {}),
    ]
    for client, action, day, data in steps:
        data = plain(data)
        client.check(data, client.step_schema(procedure, action), f"{action} data")
        # What may be done at that day, as the document describes it, before doing it.
        status, actions, _ = client.case_actions(case_id=case_id, occurred_on=day.isoformat())
        assert status == 200 and action in {a["action"] for a in actions}, (action, actions)
        status, _, headers = client.case_get(case_id=case_id)
        status, case, _ = client.case_action_perform(
            case_id=case_id, action=action, if_match=headers["ETag"],
            body={"data": data, "occurred_on": day.isoformat(), "back_entry_reason": REASON},
        )
        assert status == 200, (action, case)
        if action == "open":
            decision_due = next(d for d in case["deadlines"] if d["code"] == "penalty.deadline.decision")
            # 第六十条: 90 days from the day the case was opened (2026-03-06), not from today.
            assert decision_due["due"] == "2026-06-04"
    assert case["state"] == "archived" and Case.objects.get(pk=case_id).state == "archived"

    # The client's own checks bite: a step's data of the wrong type is caught before it is sent.
    with pytest.raises(SchemaViolation):
        officer.check(plain({"paid_on": "三月三十日", "amount_yuan": 3000}), officer.step_schema(procedure, "record_payment"),
                      "record_payment data")
