"""The data of every step of every procedure, described for clients: one pydantic model per step,
generated from the step's fields (`procedure.steps.Field`) and the form that parses them
(`cases.forms.step_form_class`), published in the OpenAPI document as the component
`StepData_<procedure>_<step>`.

The models document; they do not validate. `POST /api/cases/{id}/actions/{action}` still parses
`data` with the step's form, so that a refusal names its field in Chinese exactly as the page
does. The limits written here (lengths, ranges, money digits) are read from that form's fields,
so the description cannot drift from what the form accepts.

How the request body is described, and why: the action is a path parameter and the same action
name can mean different fields in two procedures, so no property of the body can discriminate
the steps. `ActionIn.data` is therefore `$ref: StepData`, an `anyOf` of every step's component
(not `oneOf`: many steps have only optional fields, so `{}` fits several, which `oneOf` forbids
and which makes generated clients fail to deserialise), and `StepData` carries the map
procedure → action → component in `x-step-data`. Client generators turn the `anyOf` into a union
type (TypeScript) or a wrapper with one typed variant per step (Java, Python), and a client picks
the variant for the action it calls; GET /api/procedures gives the same map (`data_schema`).

The document is regenerated from the catalogue at every request of /api/openapi.json, so a
procedure registered in `procedure.catalog` appears here with no change in this package.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django import forms
from pydantic import BaseModel, ConfigDict, WithJsonSchema, create_model
from pydantic import Field as PydanticField

from sanxiang.cases.forms import step_form_class
from sanxiang.inputs import DATE_EARLIEST, DATE_LATEST, ID_MAX
from sanxiang.procedure.catalog import ProcedureSpec, procedures_all
from sanxiang.procedure.steps import Field, Step

REF = "#/components/schemas/{model}"  # pydantic's ref_template, as ninja's
STEP_DATA = "StepData"
STEP_DATA_EXTENSION = "x-step-data"
# What a model's field says to be documented as `StepData` (pydantic does not let a schema refer
# to a component it did not generate): an object, replaced by the reference in the document.
STEP_DATA_PLACEHOLDER = {"type": "object", "x-step-data-ref": True}

# What Python type each field kind has once parsed (for Python clients of the models; the
# JSON schema of each field is written out below).
PYTHON_TYPES: dict[str, Any] = {
    "text": str,
    "textarea": str,
    "lines": list[str],
    "date": dt.date,
    "datetime": dt.datetime,
    "bool": bool,
    "int": int,
    "yuan": Decimal,
    "choice": str,
    "choices": list[str],
    "officer": int,
    "officers": list[int],
    "team": list[int],
}
OFFICER_ID = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
OFFICER_NOTES = {
    "officer": "本单位执法人员的编号（GET /api/registry/officers）",
    "officers": "本案承办人员的编号（GET /api/cases/{case_id} 的 officer_ids）",
    "team": "本单位执法人员的编号（GET /api/registry/officers）",
}


def step_data_name(procedure: str, step: Step) -> str:
    """The component's name: stable, made of the procedure's key and the step's name."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{STEP_DATA}_{procedure}_{step.name}")


def _choices_note(field: Field) -> str:
    return "取值：" + "；".join(f"{value}（{label}）" for value, label in field.choices)


def field_json_schema(field: Field, form_field: forms.Field) -> tuple[dict[str, Any], str]:
    """The JSON schema of one field's value and what its description adds to the label, from the
    field's kind and the limits of the form field that parses it."""
    kind = field.kind
    note = ""
    if kind in ("text", "textarea"):
        schema: dict[str, Any] = {"type": "string", "maxLength": form_field.max_length}
        if field.required:
            schema["minLength"] = 1
    elif kind == "lines":
        schema = {"type": "array", "items": {"type": "string", "maxLength": form_field.max_length}}
        note = f"每项一行，合计不超过{form_field.max_length}个字符"
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
        note = f"日期（YYYY-MM-DD），{DATE_EARLIEST.isoformat()}至{DATE_LATEST.isoformat()}"
    elif kind == "datetime":
        schema = {"type": "string", "format": "date-time"}
        note = (f"日期时间（如 2026-03-05T09:30:00+08:00），按北京时间记载；"
                f"{DATE_EARLIEST.isoformat()}至{DATE_LATEST.isoformat()}")
    elif kind == "bool":
        schema = {"type": "boolean"}
        if field.required:
            schema["const"] = True
            note = "须为 true"
    elif kind == "int":
        schema = {"type": "integer", "minimum": form_field.min_value, "maximum": form_field.max_value}
    elif kind == "yuan":
        whole = form_field.max_digits - form_field.decimal_places
        schema = {"type": "string", "pattern": rf"^[0-9]{{1,{whole}}}(\.[0-9]{{1,{form_field.decimal_places}}})?$"}
        note = f"金额（元），用字符串表示，最多{form_field.decimal_places}位小数，如 \"3000.50\""
    elif kind == "choice":
        schema = {"type": "string", "enum": [v for v, _ in field.choices],
                  "x-enum-descriptions": [label for _, label in field.choices]}
        note = _choices_note(field)
    elif kind == "choices":
        schema = {"type": "array", "items": {"type": "string", "enum": [v for v, _ in field.choices],
                                             "x-enum-descriptions": [label for _, label in field.choices]}}
        note = _choices_note(field)
    elif kind == "officer":
        schema = dict(OFFICER_ID)
        note = OFFICER_NOTES[kind]
    elif kind in ("officers", "team"):
        schema = {"type": "array", "items": dict(OFFICER_ID)}
        note = OFFICER_NOTES[kind]
    else:  # Field refuses unknown kinds; a new kind must be described here
        raise ValueError(f"field {field.name}: no JSON schema for kind {kind}")
    if schema["type"] == "array" and field.required:
        schema["minItems"] = 1
    return schema, note


def _description(field: Field, note: str) -> str:
    return "。".join(part.rstrip("。") for part in (field.label, field.help, note) if part) + "。"


def _no_default(schema: dict[str, Any]) -> None:
    # An optional field is left out rather than sent as null (the type admits no null).
    schema.pop("default", None)


# (procedure, step name) → (the step, its model): a step registered anew gets a new model.
_MODELS: dict[tuple[str, str], tuple[Step, type[BaseModel]]] = {}


def step_data_model(procedure: str, step: Step, procedure_label: str = "") -> type[BaseModel]:
    """The pydantic model of one step's data (component `StepData_<procedure>_<step>`)."""
    cached = _MODELS.get((procedure, step.name))
    if cached is not None and cached[0] is step:
        return cached[1]
    model = _step_data_model_build(procedure, step, procedure_label)
    _MODELS[(procedure, step.name)] = (step, model)
    return model


def _step_data_model_build(procedure: str, step: Step, procedure_label: str) -> type[BaseModel]:
    form_fields = step_form_class(step, agency_officers=[], case_officers=[]).base_fields
    definitions: dict[str, Any] = {}
    for index, field in enumerate(step.fields):
        schema, note = field_json_schema(field, form_fields[field.name])
        python_type = PYTHON_TYPES[field.kind]
        definitions[f"field_{index}"] = (
            Annotated[python_type if field.required else python_type | None, WithJsonSchema(schema)],
            PydanticField(... if field.required else None, alias=field.name, title=field.label,
                          description=_description(field, note), json_schema_extra=_no_default),
        )
    name = step_data_name(procedure, step)
    kind = "改变案件状态" if step.transition else "记录事实，不改变状态"
    doc = f"{procedure_label or procedure}：{step.label}（{step.name}，{kind}）的 data。" + (step.help or "")
    return create_model(name, __config__=ConfigDict(extra="forbid", title=name), __doc__=doc, **definitions)


def step_data_schema(spec: ProcedureSpec, step: Step) -> dict[str, Any]:
    return step_data_model(spec.key, step, f"{spec.act_label}·{spec.label}").model_json_schema(
        ref_template=REF, mode="validation"
    )


def step_data_components() -> dict[str, dict[str, Any]]:
    """Every step's component, and `StepData`: anyOf of them all with the map procedure → action
    → component in `x-step-data`."""
    components: dict[str, dict[str, Any]] = {}
    steps: dict[str, dict[str, str]] = {}
    for key, spec in procedures_all().items():
        for step in spec.steps:
            name = step_data_name(key, step)
            components[name] = step_data_schema(spec, step)
            steps.setdefault(key, {})[step.name] = REF.format(model=name)
    components[STEP_DATA] = {
        "title": STEP_DATA,
        "description": "步骤的表单数据：字段取决于案件的程序和所办步骤，每一步见组件 StepData_<程序>_<步骤>"
        f"（{STEP_DATA_EXTENSION} 按程序、步骤列出；GET /api/procedures 同样给出）。"
        "以该步骤的表单校验为准：不合格的字段返回 422，并指明字段。",
        "anyOf": [{"$ref": ref} for refs in steps.values() for ref in refs.values()],
        STEP_DATA_EXTENSION: steps,
    }
    return components


def _placeholders_replace(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if isinstance(value, dict) and value.get("x-step-data-ref"):
                rest = {k: v for k, v in value.items() if k not in STEP_DATA_PLACEHOLDER}
                node[key] = {"$ref": REF.format(model=STEP_DATA), **rest}
            else:
                _placeholders_replace(value)
    elif isinstance(node, list):
        for item in node:
            _placeholders_replace(item)


def openapi_steps_install(document: dict[str, Any]) -> None:
    """Add the step components to an OpenAPI document and point the fields marked with
    `STEP_DATA_PLACEHOLDER` (`ActionIn.data`) at `StepData`."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    _placeholders_replace(schemas)
    schemas.update(step_data_components())


__all__ = [
    "STEP_DATA",
    "STEP_DATA_EXTENSION",
    "STEP_DATA_PLACEHOLDER",
    "field_json_schema",
    "openapi_steps_install",
    "step_data_components",
    "step_data_model",
    "step_data_name",
]
