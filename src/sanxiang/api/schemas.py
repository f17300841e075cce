import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StrictInt, WithJsonSchema
from pydantic_core import PydanticCustomError

from sanxiang.inputs import DATE_EARLIEST, DATE_LATEST, ID_MAX, date_problem, text_problem

# --- input types: the platform's input rules (sanxiang.inputs), as the web forms apply them -----


def _text_checked(max_length: int, *, multiline: bool = False):
    def check(value: str) -> str:
        problem = text_problem(value, max_length=max_length, multiline=multiline)
        if problem:
            raise PydanticCustomError("invalid_text", problem)
        return value

    return check


def _date_checked(value: dt.date) -> dt.date:
    problem = date_problem(value)
    if problem:
        raise PydanticCustomError("date_range", problem)
    return value


def Text(max_length: int, *, multiline: bool = False):
    """A text of at most `max_length` characters without NUL or control characters."""
    return Annotated[
        str,
        AfterValidator(_text_checked(max_length, multiline=multiline)),
        WithJsonSchema({"type": "string", "maxLength": max_length}),
    ]


PlausibleDate = Annotated[
    dt.date,
    AfterValidator(_date_checked),
    WithJsonSchema({"type": "string", "format": "date", "description": f"{DATE_EARLIEST.isoformat()}至{DATE_LATEST.isoformat()}"}),
]
# Strict: JSON's true is no id (pydantic's lax mode would read it as 1), nor is 5.0 or "5".
Id = Annotated[StrictInt, Field(ge=1, le=ID_MAX)]


class ViolationOut(Schema):
    code: str
    message: str
    legal_basis: str
    field: str | None = None
    # "law": the basis cites a law, regulation or normative document; "platform": a rule of this
    # platform (data checks, who in the agency takes which step, input limits).
    basis_kind: Literal["law", "platform"] = "law"


class ChoiceOut(Schema):
    value: str
    label: str


class FieldOut(Schema):
    """One input of a step's form (`procedure.steps.Field`), as GET …/actions and GET /api/procedures
    describe it; the request schema of each step is the component `StepData_<程序>_<步骤>`."""

    name: str
    label: str
    kind: str = Field(..., description="text, textarea, lines, date, datetime, bool, int, yuan, choice, choices, officer, officers, team")
    required: bool
    choices: list[ChoiceOut]
    help: str = ""


def field_out(field) -> dict:
    """A step's field (`procedure.steps.Field`) as `FieldOut`."""
    return {"name": field.name, "label": field.label, "kind": field.kind, "required": field.required,
            "choices": [{"value": value, "label": label} for value, label in field.choices], "help": field.help}


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody
    violations: list[ViolationOut]


class AgencyOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    entrusting_agency_id: int | None
    region_code: str
    parent_government: str
    enforcement_fields: str
    status: str


class CertificateOut(Schema):
    id: int
    number: str
    enforcement_fields: str
    valid_from: dt.date
    valid_to: dt.date
    status: str
    valid_today: bool


class OfficerOut(Schema):
    id: int
    agency_id: int
    name: str
    post: str
    department: str = Field(..., description="内设机构（如执法一中队、法制股），区分同名人员；未填写时为空字符串")
    id_number: str
    staffing_type: str
    is_legal_reviewer: bool
    status: str
    certificates: list[CertificateOut]


class LegalBasisOut(Schema):
    law: str
    article: str = ""


class MatterOut(Schema):
    id: int
    agency_id: int
    code: str
    name: str
    kind: str
    enforcement_field: str
    legal_bases: list[LegalBasisOut]
    is_active: bool


def answers(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's documented answers: its own and the errors it may give, always with 400
    (an unparsable request, or a query string with control characters), 401 (no valid token or
    session) and 422 (a field out of its rules), each in the one error shape."""
    return {**{code: ErrorOut for code in sorted({400, 401, 422, *errors})}, **ok}


try:
    from ninja import Status
except ImportError:  # django-ninja before 1.5 takes a (status, body) tuple

    def Status(status_code: int, value: Any) -> tuple[int, Any]:
        return status_code, value


def changed_since_read(*, code: str, message: str, summary: str = "已有变动",
                       basis: str = "平台规则：防止覆盖他人的修改") -> Any:
    """The 412 of a write whose If-Match is no longer the row's version (someone changed it after
    the client read it): the one error shape, its reason naming the If-Match field."""
    return Status(412, {"error": {"code": "precondition_failed", "message": summary}, "violations": [{
        "code": code, "message": message, "legal_basis": basis, "basis_kind": "platform", "field": "If-Match"}]})


def binary_answer(*content_types: str, description: str) -> dict:
    """`openapi_extra` of an operation answering a file's bytes: its 200 in these content types."""
    return {"responses": {200: {"description": description, "content": {
        content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in content_types}}}}
