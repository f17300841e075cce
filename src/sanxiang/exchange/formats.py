"""The exchange formats: their names, their JSON Schemas (draft 2020-12, shipped in `schemas/`),
the canonical bytes of a document, and every reason a document does not validate, in Chinese.

The schemas are the contract with the provincial supervision information system (whose interface is
not public, supervision_and_procedures §10 item 6): each property says, in `x-national-item`, the
national data item it carries (a 双公示 field code, an item of the annual statistics tables) or,
in `x-platform`, that it is this platform's own field and what it means. `docs/exchange.md` is
the table of both.

The decision schema is not written by hand: it is built from the 双公示 fields as
`sanxiang.procedure.dual_publicity` states them (code, name, required, maximum length), so that
the law as code stays in one place; `decision_schema_build()` gives it and a test compares it with
the file shipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from sanxiang.ledger.canonical import canonical_json
from sanxiang.procedure.annual import ANNUAL_CATEGORIES, ANNUAL_REPORT_BASIS, COERCION_ROWS
from sanxiang.procedure.annual_counting import PENALTY_COLUMNS, STATISTICS_SOURCE
from sanxiang.procedure.dual_publicity import (
    DUAL_PUBLICITY_BASIS,
    LAYOUT_LABELS,
    dual_publicity_fields,
)

FORMAT_VERSION = 1
CASE_FORMAT = "sanxiang.exchange.case"
DECISION_FORMAT = "sanxiang.exchange.decision"
YEAR_FORMAT = "sanxiang.exchange.year"
MANIFEST_FORMAT = "sanxiang.exchange.manifest"
ASSIGNMENT_FORMAT = "sanxiang.exchange.assignment"

# format → the schema file's stem in schemas/.
SCHEMA_NAMES: dict[str, str] = {
    CASE_FORMAT: "case",
    DECISION_FORMAT: "decision",
    YEAR_FORMAT: "year",
    MANIFEST_FORMAT: "manifest",
    ASSIGNMENT_FORMAT: "assignment",
}
FORMAT_LABELS: dict[str, str] = {
    CASE_FORMAT: "案件数据",
    DECISION_FORMAT: "执法决定（双公示）数据",
    YEAR_FORMAT: "年度行政执法数据",
    MANIFEST_FORMAT: "导出清单",
    ASSIGNMENT_FORMAT: "上级交办事项",
}
SCHEMA_ID_PREFIX = "urn:sanxiang:exchange:1:"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
# 万元 with six decimals (decimal(18,6) of the 双公示 tables): procedure.dual_publicity.wan_yuan_from_fen.
WAN_YUAN_PATTERN = r"^\d{1,12}\.\d{6}$"


def schema_text(name: str) -> str:
    """The schema file `schemas/<name>.schema.json` as shipped with the package."""
    return (resources.files("sanxiang.exchange") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


@cache
def schema_load(name: str) -> dict[str, Any]:
    return json.loads(schema_text(name))


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = schema_load(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def exchange_json(document: Any) -> bytes:
    """The bytes a document is written as: canonical JSON (sorted keys, UTF-8, no spaces, no
    floats), the form the ledger hashes, so that the same records give the same bytes anywhere."""
    return canonical_json(document)


# --- the decision schema, from the 双公示 fields --------------------------------------------------


def _field_schema(field) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "title": field.name, "x-national-item": field.code}
    if field.max_length is not None:
        schema["maxLength"] = field.max_length
    if field.kind == "date":
        schema["pattern"] = f"^$|{DATE_PATTERN}"
    elif field.kind == "amount":
        schema["pattern"] = f"^$|{WAN_YUAN_PATTERN}"
    if field.note:
        schema["description"] = field.note
    return schema


def _fields_defs(layout: str) -> dict[str, Any]:
    fields = dual_publicity_fields(layout)
    return {
        f"{layout}_fields": {
            "type": "object",
            "title": f"双公示{LAYOUT_LABELS[layout]}信息的字段",
            "properties": {field.code: _field_schema(field) for field in fields},
            "required": [field.code for field in fields],
            "additionalProperties": False,
        },
        f"{layout}_complete": {
            "title": f"公示中或者公示期满的{LAYOUT_LABELS[layout]}信息：必填字段不能为空",
            "properties": {field.code: {"minLength": 1, "title": field.name} for field in fields if field.required},
        },
    }


def _text(title: str, platform: str, *, max_length: int | None = None, nullable: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": ["string", "null"] if nullable else "string", "title": title,
                              "x-platform": platform}
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def _date(title: str, platform: str, *, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "pattern": DATE_PATTERN, "format": "date",
            "title": title, "x-platform": platform}


def decision_schema_build() -> dict[str, Any]:
    """The schema of a decision document: the 双公示 row of a decision the platform published, in
    the layout of its kind (CF_* 行政处罚, XK_* 行政许可), with its publication status. A withdrawn
    decision keeps only what stays public after a withdrawal (the text fields are emptied), so the
    required fields must be filled only while it is, or was until its period ended, published."""
    defs: dict[str, Any] = {}
    for layout in ("CF", "XK"):
        defs |= _fields_defs(layout)
    complete_when_shown = [
        {
            "if": {"required": ["layout", "status"],
                   "properties": {"layout": {"const": layout}, "status": {"enum": ["published", "expired"]}}},
            "then": {"properties": {"fields": {"$ref": f"#/$defs/{layout}_complete"}}},
        }
        for layout in ("CF", "XK")
    ]
    by_layout = [
        {
            "if": {"required": ["layout"], "properties": {"layout": {"const": layout}}},
            "then": {"properties": {"fields": {"$ref": f"#/$defs/{layout}_fields"}}},
        }
        for layout in ("CF", "XK")
    ]
    return {
        "$schema": DRAFT_2020_12,
        "$id": f"{SCHEMA_ID_PREFIX}decision",
        "title": "执法决定数据（双公示）",
        "description": (
            "本平台公示的一项行政处罚或者行政许可决定，按“双公示”数据标准的字段（"
            f"{DUAL_PUBLICITY_BASIS}）。由 sanxiang.exchange.formats.decision_schema_build 生成，请勿手工修改。"
        ),
        "type": "object",
        "properties": {
            "format": {"const": DECISION_FORMAT, "title": "数据格式", "x-platform": "本格式的名称"},
            "format_version": {"const": FORMAT_VERSION, "title": "格式版本", "x-platform": "本格式的版本"},
            "layout": {"enum": ["CF", "XK"], "title": "数据标准", "x-platform": "CF为行政处罚，XK为行政许可"},
            "case_number": _text("案号", "决定所属案件的案号，与案件数据的 case.number 相同", max_length=80),
            "status": {"enum": ["published", "withdrawn", "expired"], "title": "公示状态",
                       "x-platform": "published 公示中，withdrawn 已撤回，expired 公示期满"},
            "status_label": _text("公示状态（中文）", "公示中、已撤回或者公示期满"),
            "published_on": _date("公示日期", "本平台公开之日"),
            "withdrawn_on": _date("撤回日期", "决定被变更、撤销等而撤回公示之日", nullable=True),
            "withdrawal_statement": _text("撤回说明", "撤回后仍然公开的说明", max_length=2000),
            "fields": {"type": "object", "title": "双公示字段",
                       "x-national-item": "双公示数据标准 CF_*（行政处罚）或 XK_*（行政许可）的全部字段"},
        },
        "required": ["format", "format_version", "layout", "case_number", "status", "status_label", "published_on",
                     "withdrawn_on", "withdrawal_statement", "fields"],
        "additionalProperties": False,
        "allOf": [*by_layout, *complete_when_shown],
        "$defs": defs,
    }


def _counts(title: str, labels: dict[str, str], item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "title": title,
        "x-national-item": item,
        "properties": {
            key: {"type": ["integer", "null"], "minimum": 0, "title": label, "x-national-item": f"{item}：{label}"}
            for key, label in labels.items()
        },
        "required": list(labels),
        "additionalProperties": False,
    }


def year_schema_build() -> dict[str, Any]:
    """The schema of a year document: per agency, the figures of the annual statistics tables
    (`procedure.annual`, `procedure.annual_counting`: categories, 行政强制 rows, 行政处罚 table)."""
    table = {
        "type": "object",
        "title": "行政处罚统计表的一行",
        "x-national-item": "行政处罚统计表",
        "properties": {
            "columns": {
                "type": "object",
                "title": "各栏件数",
                "x-national-item": "行政处罚统计表的栏目（一份决定按最重的种类计一次）",
                "properties": {
                    key: {"type": "integer", "minimum": 0, "title": label, "x-national-item": f"行政处罚统计表：{label}"}
                    for key, label in PENALTY_COLUMNS.items()
                },
                "required": list(PENALTY_COLUMNS),
                "additionalProperties": False,
            },
            "total": {"type": "integer", "minimum": 0, "title": "合计", "x-national-item": "行政处罚统计表：合计"},
            "amount_fen": {"type": "integer", "minimum": 0, "title": "罚没金额（分）",
                           "x-platform": "罚没金额以分为单位的精确数额"},
            "amount_wan_yuan": {"type": "string", "pattern": r"^\d+\.\d{2}$", "title": "罚没金额（万元）",
                                "x-national-item": "行政处罚统计表：罚没金额（万元），两位小数"},
        },
        "required": ["columns", "total", "amount_fen", "amount_wan_yuan"],
        "additionalProperties": False,
    }
    agency = {
        "type": "object",
        "title": "一个执法主体的年度数据",
        "x-platform": "按执法主体分列",
        "properties": {
            "name": {"type": "string", "minLength": 1, "title": "执法主体名称", "x-platform": "执法主体的名称"},
            "credit_code": {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                            "title": "统一社会信用代码", "x-platform": "执法主体的统一社会信用代码"},
            "report_published": {"type": "boolean", "title": "是否已向社会公开",
                                 "x-platform": "本机关是否已在本平台公开该年度的行政执法数据"},
            "categories": _counts("年度行政执法数据", ANNUAL_CATEGORIES, "年度行政执法数据"),
            "coercion_rows": _counts("行政强制分项", COERCION_ROWS, "行政强制统计表"),
            "penalty_table": {"anyOf": [{"$ref": "#/$defs/penalty_table"}, {"type": "null"}],
                              "title": "行政处罚统计表", "x-national-item": "行政处罚统计表（没有处罚职权的为 null）"},
            "notes": {"type": "array", "items": {"type": "string"}, "title": "说明",
                      "x-platform": "统计口径和需要核对的事项"},
        },
        "required": ["name", "credit_code", "report_published", "categories", "coercion_rows", "penalty_table", "notes"],
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT_2020_12,
        "$id": f"{SCHEMA_ID_PREFIX}year",
        "title": "年度行政执法数据",
        "description": (
            f"各执法主体一个年度的行政执法数据，按年度统计表计数（{ANNUAL_REPORT_BASIS}；{STATISTICS_SOURCE}）。"
            "有职权但未实施的为0，没有该项职权的为 null。"
            "由 sanxiang.exchange.formats.year_schema_build 生成，请勿手工修改。"
        ),
        "type": "object",
        "properties": {
            "format": {"const": YEAR_FORMAT, "title": "数据格式", "x-platform": "本格式的名称"},
            "format_version": {"const": FORMAT_VERSION, "title": "格式版本", "x-platform": "本格式的版本"},
            "year": {"type": "integer", "minimum": 2000, "maximum": 9999, "title": "年度", "x-national-item": "统计年度"},
            "agencies": {"type": "array", "items": {"$ref": "#/$defs/agency"}, "title": "各执法主体",
                         "x-platform": "按名称排列"},
            "county_penalty_table": {"$ref": "#/$defs/penalty_table", "title": "全县行政处罚统计表",
                                     "x-national-item": "行政处罚统计表（各执法主体之和）"},
        },
        "required": ["format", "format_version", "year", "agencies", "county_penalty_table"],
        "additionalProperties": False,
        "$defs": {"penalty_table": table, "agency": agency},
    }


GENERATED_SCHEMAS = {"decision": decision_schema_build, "year": year_schema_build}


def schema_fields(name: str) -> list[tuple[str, dict[str, Any]]]:
    """Every property of schema `name` with its JSON path (`/case/number`; `[]` for each item of an
    array), definitions followed where a property refers to one: the rows of the field table of
    docs/exchange.md, and what the test of the `x-national-item` / `x-platform` marks walks."""
    root = schema_load(name)
    fields: list[tuple[str, dict[str, Any]]] = []

    def resolved(schema: dict[str, Any]) -> list[dict[str, Any]]:
        refs = [schema.get("$ref"), *(alt.get("$ref") for alt in schema.get("anyOf", []))]
        return [root["$defs"][ref.removeprefix("#/$defs/")] for ref in refs if isinstance(ref, str)]

    def walk(schema: dict[str, Any], path: str) -> None:
        for inner in resolved(schema):
            walk(inner, path)
        for key, sub in schema.get("properties", {}).items():
            fields.append((f"{path}/{key}", sub))
            walk(sub, f"{path}/{key}")
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], f"{path}[]")

    walk(root, "")
    return fields


def schema_fields_markdown(name: str) -> str:
    """The field table of schema `name` for docs/exchange.md."""
    lines = ["| 字段 | 名称 | 国家数据项 | 本平台字段的说明 |", "|---|---|---|---|"]
    for path, sub in schema_fields(name):
        lines.append(f"| `{path}` | {sub.get('title', '')} | {sub.get('x-national-item', '')} | {sub.get('x-platform', '')} |")
    return "\n".join(lines) + "\n"


def schema_file_text(schema: dict[str, Any]) -> str:
    """How a generated schema is written to its file (indented for reading, keys in order)."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


# --- validation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason a document does not validate: where (a JSON pointer such as /case/number) and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}：{self.message}"


TYPE_LABELS = {
    "string": "字符串", "integer": "整数", "number": "数字", "boolean": "布尔值", "null": "空值（null）",
    "object": "对象", "array": "数组",
}
FORMAT_NAMES = {"date": "日期（YYYY-MM-DD）"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _pointer(parts) -> str:
    return "".join(f"/{part}" for part in parts)


def _title_of(root: dict[str, Any], schema_path) -> str | None:
    """The title of the subschema of the value that failed, followed from the root along the
    schema path through local references, so that a property checked by a shared definition (a
    credit code) is named by its own title."""
    node: Any = root
    title = None
    for part in schema_path:
        if part in ("properties", "items", "prefixItems"):
            title = None
        if part == "$ref" and isinstance(node, dict) and str(node.get("$ref", "")).startswith("#/"):
            target: Any = root
            for step in node["$ref"].removeprefix("#/").split("/"):
                target = target[step]
            node = target
        else:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return title
        if isinstance(node, dict) and isinstance(node.get("title"), str):
            title = node["title"]
    return title


def _problems_of(error: ValidationError, root: dict[str, Any]) -> list[Problem]:
    path = _pointer(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    title = _title_of(root, error.absolute_schema_path)
    if title is None and isinstance(error.schema, dict):
        title = error.schema.get("title")
    named = f"（{title}）" if title else ""
    if kind == "required":
        properties = error.schema.get("properties", {})
        return [
            Problem(f"{path}/{name}", f"缺少必填字段“{name}”" + (f"（{properties[name]['title']}）"
                                                               if "title" in properties.get(name, {}) else ""))
            for name in expected
            if isinstance(value, dict) and name not in value
        ]
    if kind == "type":
        types = expected if isinstance(expected, list) else [expected]
        wanted = "或".join(TYPE_LABELS.get(t, t) for t in types)
        return [Problem(path, f"{named}应为{wanted}，实际为{TYPE_LABELS.get(_json_type(value), _json_type(value))}{_show(value)}")]
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {}))) if isinstance(value, dict) else []
        return [Problem(f"{path}/{name}", "格式中没有这个字段") for name in extra] or [Problem(path, error.message)]
    messages = {
        "pattern": lambda: f"{named}格式不正确（应符合 {expected}），当前为{_show(value)}",
        "maxLength": lambda: f"{named}不能超过{expected}个字符，当前为{len(value)}个字符",
        "minLength": lambda: f"{named}不能为空" if expected == 1 else f"{named}至少{expected}个字符",
        "enum": lambda: f"{named}只能是{'、'.join(_show(v) for v in expected)}，当前为{_show(value)}",
        "const": lambda: f"{named}应为{_show(expected)}，当前为{_show(value)}",
        "format": lambda: f"{named}不是有效的{FORMAT_NAMES.get(expected, expected)}：{_show(value)}",
        "minimum": lambda: f"{named}不能小于{expected}，当前为{_show(value)}",
        "maximum": lambda: f"{named}不能大于{expected}，当前为{_show(value)}",
        "minItems": lambda: f"{named}至少应有{expected}项",
    }
    if kind in messages:
        return [Problem(path, messages[kind]())]
    return [Problem(path, error.message)]


def document_problems(document: Any, *, expected_format: str | None = None) -> list[Problem]:
    """Every reason `document` (parsed JSON) does not validate against the schema its `format`
    names (or `expected_format`), in document order; [] when it validates."""
    if not isinstance(document, dict):
        return [Problem("", f"文档应为 JSON 对象，实际为{TYPE_LABELS.get(_json_type(document), '其他')}")]
    name = document.get("format") if expected_format is None else expected_format
    if not isinstance(name, str) or name not in SCHEMA_NAMES:
        known = "、".join(SCHEMA_NAMES)
        return [Problem("/format", f"未知的数据格式{_show(name)}，应为{known}之一")]
    root = schema_load(SCHEMA_NAMES[name])
    errors = sorted(_validator(SCHEMA_NAMES[name]).iter_errors(document),
                    key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    problems: list[Problem] = []
    for error in errors:
        for problem in _problems_of(error, root):
            if problem not in problems:
                problems.append(problem)
    return problems


def file_problems(data: bytes) -> list[Problem]:
    """`document_problems` of a file's bytes: a file that is not UTF-8 JSON says so."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return [Problem("", "文件不是 UTF-8 编码的文本")]
    except json.JSONDecodeError as exc:
        return [Problem("", f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}")]
    return document_problems(document)
