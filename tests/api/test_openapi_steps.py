"""The OpenAPI document describes the data of every step of every procedure of the catalogue,
generated from the steps' fields: one component `StepData_<procedure>_<step>` per step, all of
them under `StepData` (anyOf, with the map procedure → action → component), which the body of
POST /api/cases/{case_id}/actions/{action} refers to.

The tests iterate over the catalogue, so that they grow with it and fail when a step has no
schema; they check that a body built from a step's schema is accepted by the step's form, that
one past a limit of the schema is refused by the form too, and that the requests the API took
before still fit. Validation itself stays the form's: a refused field is named in Chinese."""

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from sanxiang.accounts.services import api_token_create
from sanxiang.api.steps import step_data_model
from sanxiang.cases.forms import step_form_class
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.steps import FIELD_KINDS, Field, Step
from tests.cases.support import OPEN, lead_make, world_make

pytestmark = pytest.mark.django_db

OFFICER = 7  # the one officer the forms below offer
OFFICERS = [(str(OFFICER), "张三")]
EVERY_STEP = [(key, step) for key, spec in procedures_all().items() for step in spec.steps]


@pytest.fixture(scope="module")
def document(django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def component(document: dict, key: str, step: Step) -> dict:
    return document["components"]["schemas"][f"StepData_{key}_{step.name}"]


def validator(document: dict, name: str) -> Draft202012Validator:
    """A JSON Schema validator of one component, resolving its references within the document."""
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": document["components"]},
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def form_of(step: Step, data: dict):
    return step_form_class(step, agency_officers=OFFICERS, case_officers=OFFICERS)(data=data)


def sample(schema: dict) -> Any:
    """A value that the schema allows, built from the schema alone."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][-1]
    kind = schema["type"]
    if kind == "array":
        return [sample(schema["items"])]
    if kind == "boolean":
        return True
    if kind == "integer":
        return OFFICER if schema.get("maximum") == ID_MAX else schema["maximum"]
    assert kind == "string", schema
    if schema.get("format") == "date":
        return "2026-03-05"
    if schema.get("format") == "date-time":
        return "2026-03-05T09:30:00+08:00"
    if "pattern" in schema:
        return "123456789012.50"
    return "核" * schema["maxLength"]


def test_the_document_is_valid_and_the_actions_body_refers_to_every_step(document):
    validate(document)
    schemas = document["components"]["schemas"]
    body = document["paths"]["/api/cases/{case_id}/actions/{action}"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ActionIn"}
    assert schemas["ActionIn"]["properties"]["data"]["$ref"] == "#/components/schemas/StepData"
    mapping = schemas["StepData"]["x-step-data"]
    assert set(mapping) == set(procedures_all())
    refs = [option["$ref"] for option in schemas["StepData"]["anyOf"]]
    assert len(refs) == len(set(refs)) == len(EVERY_STEP) > 40
    for key, step in EVERY_STEP:
        ref = f"#/components/schemas/StepData_{key}_{step.name}"
        assert mapping[key][step.name] == ref and ref in refs


@pytest.mark.parametrize(("key", "step"), EVERY_STEP, ids=[f"{k}-{s.name}" for k, s in EVERY_STEP])
def test_every_step_has_a_schema_with_each_of_its_fields(document, key, step):
    schema = component(document, key, step)
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert list(schema["properties"]) == [f.name for f in step.fields]
    assert schema.get("required", []) == [f.name for f in step.fields if f.required]
    assert step.label in schema["description"]
    for field in step.fields:
        prop = schema["properties"][field.name]
        assert prop["title"] == field.label and prop["description"].startswith(field.label)
        assert field.help in prop["description"]
        assert all(label in prop["description"] for _, label in field.choices)


@pytest.mark.parametrize(("key", "step"), EVERY_STEP, ids=[f"{k}-{s.name}" for k, s in EVERY_STEP])
def test_a_body_built_from_the_schema_is_taken_by_the_form_and_one_past_its_limits_is_refused(document, key, step):
    schema = component(document, key, step)
    check = validator(document, f"StepData_{key}_{step.name}")
    required = {name: sample(schema["properties"][name]) for name in schema.get("required", [])}
    full = {name: sample(prop) for name, prop in schema["properties"].items()}
    for body in (required, full):
        assert list(check.iter_errors(body)) == []
        form = form_of(step, body)
        assert form.is_valid(), (body, form.errors)
    for name, prop in schema["properties"].items():
        for beyond in _beyond(prop):
            body = full | {name: beyond}
            assert list(check.iter_errors(body)), (name, beyond)
            form = form_of(step, body)
            assert not form.is_valid() and name in form.errors, (name, beyond)
        if name in required:
            assert list(check.iter_errors({k: v for k, v in full.items() if k != name}))
            assert name in form_of(step, {k: v for k, v in full.items() if k != name}).errors


def _beyond(prop: dict) -> list:
    """Values just outside what the schema allows, where the form draws the same line."""
    if "const" in prop:
        return [False]
    if "enum" in prop:
        return ["不存在的取值"]
    kind = prop["type"]
    if kind == "array":
        return [[item] for item in _beyond(prop["items"])]
    if kind == "integer":
        # An officer's id: the schema cannot know the agency's officers, only that an id is positive.
        return [prop["maximum"] + 1, prop["minimum"] - 1] if prop.get("maximum") != ID_MAX else [0]
    if kind == "string" and "pattern" in prop:
        return ["1.234", "1234567890123"]
    if kind == "string" and "maxLength" in prop:
        return ["核" * (prop["maxLength"] + 1)]
    if prop.get("format") == "date":
        return ["2026-13-01"]
    return []


def test_each_kind_of_field_is_described_as_the_form_parses_it():
    fields = (
        Field("a_text", "文字", "text", help="说明"),
        Field("a_textarea", "长文字", "textarea", required=False),
        Field("a_lines", "多行", "lines"),
        Field("a_date", "日期", "date"),
        Field("a_datetime", "时间", "datetime", required=False),
        Field("a_bool", "勾选", "bool", required=False),
        Field("a_sworn", "必须勾选", "bool"),
        Field("an_int", "人数", "int", required=False),
        Field("a_yuan", "金额", "yuan"),
        Field("a_choice", "单选", "choice", choices=(("x", "甲"), ("y", "乙"))),
        Field("a_choices", "多选", "choices", required=False, choices=(("x", "甲"),)),
        Field("an_officer", "人员", "officer"),
        Field("some_officers", "本案人员", "officers"),
        Field("a_team", "承办人员", "team", required=False),
    )
    assert {f.kind for f in fields} == set(FIELD_KINDS)
    step = Step("try_all", "试办", ("trial",), states=("lead",), fields=fields)
    schema = step_data_model("trial", step).model_json_schema()
    props = {name: {k: v for k, v in prop.items() if k not in ("title", "description")}
             for name, prop in schema["properties"].items()}
    officer = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
    assert props == {
        "a_text": {"type": "string", "maxLength": 500, "minLength": 1},
        "a_textarea": {"type": "string", "maxLength": 5000},
        "a_lines": {"type": "array", "items": {"type": "string", "maxLength": 10000}, "minItems": 1},
        "a_date": {"type": "string", "format": "date"},
        "a_datetime": {"type": "string", "format": "date-time"},
        "a_bool": {"type": "boolean"},
        "a_sworn": {"type": "boolean", "const": True},
        "an_int": {"type": "integer", "minimum": 0, "maximum": 1000},
        "a_yuan": {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"},
        "a_choice": {"type": "string", "enum": ["x", "y"], "x-enum-descriptions": ["甲", "乙"]},
        "a_choices": {"type": "array", "items": {"type": "string", "enum": ["x"], "x-enum-descriptions": ["甲"]}},
        "an_officer": officer,
        "some_officers": {"type": "array", "items": officer, "minItems": 1},
        "a_team": {"type": "array", "items": officer},
    }
    assert schema["required"] == ["a_text", "a_lines", "a_date", "a_sworn", "a_yuan", "a_choice", "an_officer",
                                  "some_officers"]
    described = {name: prop["description"] for name, prop in schema["properties"].items()}
    assert described["a_text"] == "文字。说明。"
    assert described["a_date"] == "日期。日期（YYYY-MM-DD），1990-01-01至2099-12-31。"
    assert described["a_choice"] == "单选。取值：x（甲）；y（乙）。"
    assert "北京时间" in described["a_datetime"] and "须为 true" in described["a_sworn"]


def test_the_requests_the_api_took_before_fit_their_schema_and_a_misshapen_one_does_not(document):
    w = world_make()
    bodies = {
        ("ordinary", "open"): OPEN,
        ("ordinary", "approve_opening"): {"approval": "agree", "opinion": "同意立案"},
        ("ordinary", "change_officers"): {"officer_ids": [w.zhang.pk, w.reviewer_officer.pk], "reason": "李四调岗"},
        ("summary", "open"): {},
    }
    for (key, action), body in bodies.items():
        if procedures_all()[key].step(action) is None:
            continue
        assert list(validator(document, f"StepData_{key}_{action}").iter_errors(body)) == [], (key, action)
    # A list where one date goes: refused by the schema, as by the API (422 naming the field).
    assert list(validator(document, "StepData_ordinary_record_inquiry").iter_errors({"on": ["2026-03-02"]}))


def test_a_field_the_form_refuses_is_a_422_with_the_forms_own_message(client):
    w = world_make()
    case = lead_make(w)
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = OPEN | {"source": "unknown"}
    response = client.post(f"/api/cases/{case.pk}/actions/open", json.dumps({"data": body}),
                           content_type="application/json", **auth)
    assert response.status_code == 422
    form = form_of(procedures_all()["ordinary"].step("open"), body)
    assert not form.is_valid()
    assert [(v["field"], v["message"]) for v in response.json()["violations"]] == [("source", form.errors["source"][0])]
    assert "unknown" in form.errors["source"][0] and "选择" in form.errors["source"][0]
    actions = client.get(f"/api/cases/{case.pk}/actions", **auth).json()
    assert {a["action"]: a["data_schema"] for a in actions}["open"] == "StepData_ordinary_open"
