"""Cases over HTTP: register a case, list what can be done next with every reason the other
steps are blocked, and perform a step. A refused step answers 409 with the full list of
violations (code, message, legal basis), the same the case page shows; a step's data is parsed by
the same form as the page's."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field as SchemaField
from ninja import Header, Path, Query, Router, Schema
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
from sanxiang.accounts.permissions import permission_require, user_can_manage_parties
from sanxiang.api.pagination import (
    Q_MAX_LENGTH,
    PageOut,
    cursor_query,
    date_range_filter,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    until_query,
)
from sanxiang.api.schemas import (
    FieldOut,
    Id,
    PlausibleDate,
    Status,
    Text,
    ViolationOut,
    answers,
    changed_since_read,
    field_out,
)
from sanxiang.api.steps import STEP_DATA_PLACEHOLDER, step_data_name
from sanxiang.cases import selectors, services
from sanxiang.cases.forms import step_form_class
from sanxiang.cases.models import Case
from sanxiang.evidence.services import record_capture_parse
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.citations import OFFICERS_ACT
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Matter, Officer, Party

router = Router(tags=["cases"])


# The procedures of the catalogue, each with its registration choices: generated from the
# catalogue when the value is checked and when the OpenAPI document is drawn, never listed here.
def _procedure_known(value: str) -> str:
    if value not in procedures_all():
        raise PydanticCustomError("literal_error", "不是允许的取值")
    return value


def _procedure_schema(schema: dict) -> None:
    schema["enum"] = list(procedures_all())
    schema["description"] = "；".join(f"{key}（{spec.act_label}·{spec.label}）" for key, spec in procedures_all().items())


def _options_schema(schema: dict) -> None:
    schema["description"] = "登记时程序所需的选项：" + (
        "；".join(
            f"{key}: " + "，".join(f"{name}（{spec.option_labels.get(name, name)}）= " + "/".join(values)
                                  for name, values in spec.options.items())
            for key, spec in procedures_all().items() if spec.options
        ) or "无"
    )


ProcedureKey = Annotated[str, AfterValidator(_procedure_known), WithJsonSchema({"type": "string"})]


def _case_states() -> list[str]:
    return sorted({state.name for spec in procedures_all().values() for state in spec.engine.states})


def _case_state_known(value: str) -> str:
    if value not in _case_states():
        raise PydanticCustomError("literal_error", "不是允许的取值")
    return value


class _CaseStatesSchema:
    """The states of every procedure as the enum of a case's status, drawn with the OpenAPI document."""

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema["enum"] = _case_states()
        return schema


CaseStatus = Annotated[str, AfterValidator(_case_state_known), _CaseStatesSchema()]


OCCURRED_ON_DESCRIPTION = (
    "补录：实际发生日期（纸质案卷等已经办理的，按那一天办理：系统按那一天的规定判断，期限从那一天起算，文书以那一天为日期）。"
    "不得晚于今天，不得早于本案上一步骤的日期，须同时填写 back_entry_reason；步骤只能在补录登记的纸质案件中补录，"
    "补录的步骤制作的文书注明补录日期和实际发生日期。不补录的不填"
)
REASON_DESCRIPTION = "补录的理由（如：纸质案卷录入），与实际发生日期一并记入账本"


class CaseIn(Schema):
    procedure: ProcedureKey = SchemaField("ordinary", json_schema_extra=_procedure_schema)
    title: Text(200) = SchemaField(..., description="案由")
    party_id: Id
    officer_ids: list[Id] = SchemaField(..., max_length=50, description=f"承办人员（不少于规定人数，{OFFICERS_ACT}）")
    matter_id: Id | None = None
    enforcement_field: Text(60) = ""
    act_date: PlausibleDate = SchemaField(..., description="违法行为发生日期")
    discovered_on: PlausibleDate | None = SchemaField(None, description="发现日期，默认今天")
    options: dict[Text(40), Text(40)] = SchemaField({}, max_length=10, json_schema_extra=_options_schema)
    parent_id: Id | None = SchemaField(None, description="所属案件（在行政处罚案件中采取的查封、扣押，或者执行行政处罚决定）")
    occurred_on: PlausibleDate | None = SchemaField(None, description=OCCURRED_ON_DESCRIPTION)
    back_entry_reason: Text(500, multiline=True) = SchemaField("", description=REASON_DESCRIPTION)


class DeadlineOut(Schema):
    code: str
    label: str
    due: dt.date
    state: str = SchemaField(..., description="running | due_soon | overdue | met")
    basis: str
    estimated: bool


class CaseOut(Schema):
    id: int
    number: str
    title: str
    agency_id: int
    procedure: str
    state: str
    state_label: str
    party_id: int | None
    officer_ids: list[int]
    act_date: dt.date | None
    deadlines: list[DeadlineOut]
    problems: list[ViolationOut] = SchemaField(..., description="无法计算的期限及其原因（如案件日期早于有关规定施行）")


class CaseSummaryOut(Schema):
    id: int
    number: str
    title: str
    agency_id: int
    procedure: str
    state: str


class CasePageOut(PageOut):
    items: list[CaseSummaryOut]


# Newest first; the id breaks ties between cases registered in the same instant.
CASE_ORDERING = {"created_at": ("created_at", "登记时间"), "number": ("number", "案号")}
CASE_STATUS = Query(None, max_length=64,
                    description="案件状态（各程序的状态及其名称见 GET /api/procedures 的 states）")
CASE_SINCE, CASE_UNTIL = since_query("登记日期"), until_query("登记日期")
CASE_SUMMARY_FIELDS = ("id", "number", "title", "agency_id", "procedure", "state", "created_at")


class NumberedDocumentOut(Schema):
    kind: str
    title: str


class ActionOut(Schema):
    action: str
    label: str
    kind: str = SchemaField(..., description="transition（改变案件状态）或 record（记录事实）")
    allowed: bool
    violations: list[ViolationOut]
    fields: list[FieldOut]
    documents: list[str]
    target: str
    data_schema: str = SchemaField("", description="该步骤 data 的 OpenAPI 组件名（StepData_<程序>_<步骤>）")
    numbered_documents: list[NumberedDocumentOut] = SchemaField(
        [], description="该步骤可能制作的需编号文书；补录时可在 document_numbers 中按 kind 填写纸质文书的文号")


DEVICE_TIME_DESCRIPTION = (
    "设备上记录（或更正）的时间，ISO 8601 格式并带时区，如 2026-03-10T09:30:00+08:00；离线填写、联网后补传时填写，"
    "与服务器收到的时间一并记入账本。不得早于三十天前或晚于一天后。可不填"
)


class ActionIn(Schema):
    # Parsed as an object here and by the step's form in the view (Chinese messages per field);
    # documented as the union of every step's data (api/steps.py explains the choice).
    data: Annotated[dict[str, Any], WithJsonSchema(STEP_DATA_PLACEHOLDER)] = SchemaField(
        default_factory=dict, description="该步骤表单的字段值：见组件 StepData_<程序>_<步骤>，或 GET …/actions 的 fields"
    )
    # Checked as the case page checks its hidden field (evidence.services.record_capture_parse).
    device_time: Text(40) | None = SchemaField(None, description=DEVICE_TIME_DESCRIPTION)
    occurred_on: PlausibleDate | None = SchemaField(None, description=OCCURRED_ON_DESCRIPTION)
    back_entry_reason: Text(500, multiline=True) = SchemaField("", description=REASON_DESCRIPTION)
    document_numbers: dict[Text(40), Text(80)] = SchemaField(
        {}, max_length=10,
        description="补录：该步骤制作的需编号文书沿用纸质文书的文号，键为文书种类（见 GET /api/procedures），值为文号；"
        "不得与本机关已有文书的文号重复。未填写的由系统编号",
    )


class CorrectionIn(Schema):
    data: Annotated[dict[str, Any], WithJsonSchema(STEP_DATA_PLACEHOLDER)] = SchemaField(
        ..., description="更正后的全部字段值（与该记录的步骤表单相同，见 GET …/records 的 action 对应的 StepData 组件）"
    )
    reason: Text(500, multiline=True) = SchemaField(..., description="更正的理由")
    device_time: Text(40) | None = SchemaField(None, description=DEVICE_TIME_DESCRIPTION)


class CorrectionOut(Schema):
    at: str
    by: str
    reason: str
    fields: list[str] = SchemaField(..., description="更正的字段")


class RecordOut(Schema):
    id: int
    action: str
    label: str
    on: str = SchemaField(..., description="记录的日期")
    values: dict[str, Any] = SchemaField(..., description="各字段当前的值（已按更正后的值）")
    correctable: bool = SchemaField(..., description="案件当前状态下能否更正")
    corrections: list[CorrectionOut]


def _case_out(case: Case) -> dict:
    deadlines, problems = selectors.case_deadlines_checked(case=case)
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "agency_id": case.agency_id,
        "procedure": case.procedure,
        "state": case.state,
        "state_label": selectors.state_label(case),
        "party_id": case.party_id,
        "officer_ids": sorted(case.officers.values_list("pk", flat=True)),
        "act_date": case.act_date,
        "deadlines": [
            {"code": d.code, "label": d.label, "due": d.due, "state": d.state, "basis": d.basis, "estimated": d.estimated}
            for d in deadlines
        ],
        "problems": [p.as_dict() for p in problems],
    }


# The step field kinds whose value is a list (the others take one value).
MULTIPLE_KINDS = ("lines", "choices", "officers", "team")


def _invalid(errors: dict) -> dict:
    return {
        "error": {"code": "invalid", "message": "请求格式不正确"},
        "violations": [
            {"code": "invalid", "message": str(message), "legal_basis": "数据校验", "field": None if name == "__all__" else name,
             "basis_kind": "platform"}
            for name, messages in errors.items()
            for message in messages
        ],
    }


@router.get("/cases", response=answers({200: CasePageOut}))
def case_list(
    request: HttpRequest,
    q: str = Query("", max_length=Q_MAX_LENGTH, description="按案号、案由或当事人名称查找"),
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="办案的执法主体"),
    status: CaseStatus | None = CASE_STATUS,
    since: dt.date | None = CASE_SINCE,
    until: dt.date | None = CASE_UNTIL,
    ordering: str = ordering_query(CASE_ORDERING, default="-created_at"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """本单位（司法局、系统管理员：全部）的案件，默认最新登记的在前，分页返回；next_cursor 或 next 给出下一页。"""
    cases = selectors.case_list(viewer=request.user, search=q, state=status or "")
    cases = cases.select_related(None).only(*CASE_SUMMARY_FIELDS)
    if agency is not None:
        cases = cases.filter(agency_id=agency)
    cases = date_range_filter(cases, field="created_at", since=since, until=until)
    order = order_resolve(ordering, keys=CASE_ORDERING, default="-created_at")
    return paginate(request, cases, order=order, limit=limit, cursor=cursor)


@router.post("/cases", response=answers({201: CaseOut}, 403, 409))
def case_create(request: HttpRequest, payload: CaseIn):
    agency = request.user.agency
    permission_require(agency is not None and user_can_manage_parties(request.user, agency.pk), "只有本单位人员可以登记案件")
    # Look up within the caller's agency only, so that another agency's ids reveal nothing.
    party = Party.objects.filter(agency=agency, pk=payload.party_id).first()
    officers = list(Officer.objects.filter(agency=agency, pk__in=payload.officer_ids))
    matter = Matter.objects.filter(agency=agency, pk=payload.matter_id).first() if payload.matter_id else None
    parent = Case.objects.filter(agency=agency, pk=payload.parent_id).first() if payload.parent_id else None
    violations = []
    if party is None:
        violations.append(Violation("case.party_unknown", "本单位没有这个当事人", "数据校验", "party_id"))
    if len(officers) != len(set(payload.officer_ids)):
        violations.append(Violation("case.officer_unknown", "承办人员中有不属于本单位的人员", "数据校验", "officer_ids"))
    if payload.parent_id and parent is None:
        violations.append(Violation("case.parent_unknown", "本单位没有这个案件", "数据校验", "parent_id"))
    if payload.matter_id and matter is None:
        violations.append(Violation("case.matter_unknown", "本单位没有这个执法事项", "数据校验", "matter_id"))
    if violations:
        raise Refused(violations)
    case = services.case_create(
        actor=request.user,
        agency=agency,
        title=payload.title,
        procedure=payload.procedure,
        party=party,
        officers=officers,
        matter=matter,
        enforcement_field=payload.enforcement_field,
        act_date=payload.act_date,
        discovered_on=payload.discovered_on,
        options=dict(payload.options),
        parent=parent,
        occurred_on=payload.occurred_on,
        back_entry_reason=payload.back_entry_reason,
    )
    return Status(201, _case_out(case))


# Lost updates (issue 19): a case's version is its ETag, sent with every answer that shows the case;
# a step or a correction sent with If-Match is refused with 412 when the case changed since the client
# read it (another officer took a step meanwhile), checked under the case's row lock.
IF_MATCH = Header(None, alias="If-Match", max_length=500,
                  description="可选：读取本案时响应头 ETag 的值；本案此后已有变动（如他人已办理某一步骤）时返回 412，不予办理")


def case_etag(case: Case) -> str:
    return f'"{case.pk}-{int(case.updated_at.timestamp() * 1_000_000)}"'


def _etag_matches(if_match: str, case: Case) -> bool:
    """If-Match compares strongly (RFC 9110 §13.1.1): a weak tag (W/"…") never matches."""
    tags = {tag.strip() for tag in if_match.split(",")}
    return "*" in tags or case_etag(case) in tags


def _precondition_failed(case: Case):
    return changed_since_read(code="case.changed", summary="本案已有变动", basis="平台规则：防止覆盖他人的办理",
                              message="本案在您读取之后已有变动（如他人已办理某一步骤），请重新读取本案后再办理")


@contextmanager
def _case_locked_as_read(case: Case, if_match: str | None) -> Iterator[bool]:
    """Within one transaction: the case's row locked, and whether it is still the version the client
    read (always true without If-Match); the step is taken inside, under the same lock."""
    with transaction.atomic():
        if if_match is None:
            yield True
            return
        # The case's family (its parent, its children) locked in pk order, as every step locks it
        # (cases.services._case_family_locked), so that this lock cannot deadlock with a step of the family.
        family = Q(pk=case.pk) | Q(parent_id=case.pk)
        if case.parent_id is not None:
            family |= Q(pk=case.parent_id)
        rows = {row.pk: row for row in Case.objects.select_for_update(of=("self",)).filter(family)
                .order_by("pk").only("pk", "parent_id", "updated_at")}
        yield case.pk in rows and _etag_matches(if_match, rows[case.pk])


def _with_etag(response: HttpResponse, case: Case) -> Case:
    response["ETag"] = case_etag(case)
    return case


@router.get("/cases/{case_id}", response=answers({200: CaseOut}, 403, 404))
def case_get(request: HttpRequest, response: HttpResponse, case_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个案件；响应头 ETag 为本案当前版本，办理步骤时可放在 If-Match 中。读取记入访问日志，如案件页面。"""
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    # Recorded as the case page's reading is (cases.views.case_detail), before the case is answered.
    with transaction.atomic():
        request_access_record(request=request, action=AccessAction.VIEW,
                              target=AccessTarget("case", case.pk, str(case), case_id=case.pk, agency_id=case.agency_id))
    return _case_out(_with_etag(response, case))


OCCURRED_ON_QUERY = Query(None, description="补录：按这一实际发生日期判断各步骤（不填为今天）")


@router.get("/cases/{case_id}/actions", response=answers({200: list[ActionOut]}, 404))
def case_actions(
    request: HttpRequest, case_id: int = Path(..., ge=1, le=ID_MAX),
    occurred_on: PlausibleDate | None = OCCURRED_ON_QUERY,
):
    """本案当前能办理的步骤，及其他步骤不能办理的全部理由；给出 occurred_on 时按那一天判断（补录）。"""
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    return [
        {
            "action": view.action,
            "label": view.label,
            "kind": view.kind,
            "allowed": view.allowed,
            "violations": [v.as_dict() for v in view.violations],
            "fields": [field_out(f) for f in view.fields],
            "documents": list(view.documents),
            "target": view.target,
            "data_schema": step_data_name(case.procedure, selectors.step_for(case, view.action)),
            "numbered_documents": [{"kind": kind, "title": title}
                                   for kind, title in selectors.step_numbered_documents(selectors.step_for(case, view.action))],
        }
        for view in selectors.case_actions(case=case, viewer=request.user, occurred_on=occurred_on)
    ]


class _Invalid(Exception):
    """Input that the step's form or the capture check refused: answered 422 with its fields."""

    def __init__(self, body: dict) -> None:
        super().__init__("invalid")
        self.body = body


def _step_data_parse(case: Case, step, data: dict[str, Any]) -> dict[str, Any]:
    """The step's data checked by the step's form, as the page checks it; _Invalid naming each field."""
    officers = [(str(pk), name) for pk, name in Officer.objects.filter(agency_id=case.agency_id).values_list("pk", "name")]
    case_officers = [(str(pk), name) for pk, name in case.officers.values_list("pk", "name")]
    # JSON can give a list or an object where the form expects one value; Django's date fields
    # then fail with AttributeError (a 500). Refused here, at the door where JSON becomes form data.
    shapes = {
        spec.name: ["应为单个值，不能是列表或对象"]
        for spec in step.fields
        if spec.kind not in MULTIPLE_KINDS and isinstance(data.get(spec.name), list | dict)
    }
    if shapes:
        raise _Invalid(_invalid(shapes))
    form = step_form_class(step, agency_officers=officers, case_officers=case_officers)(data=data)
    if not form.is_valid():
        raise _Invalid(_invalid(form.errors))
    return form.cleaned_data


def _device_time_parse(text: str | None, *, action: str) -> dt.datetime | None:
    """`device_time` checked as the page's hidden field is (format, and not too far from the
    server's clock); _Invalid naming the field."""
    try:
        return record_capture_parse(fields={"device_time": text or ""}, step=action).device_time
    except Refused as refusal:
        raise _Invalid({"error": {"code": "invalid", "message": "请求格式不正确"},
                        "violations": [v.as_dict() for v in refusal.violations]}) from None


@router.post(
    "/cases/{case_id}/actions/{action}",
    response=answers({200: CaseOut}, 403, 404, 409, 412),
)
def case_action_perform(
    request: HttpRequest, response: HttpResponse, payload: ActionIn, case_id: int = Path(..., ge=1, le=ID_MAX),
    action: str = Path(..., max_length=64), if_match: str | None = IF_MATCH,
):
    """办理本案的一个步骤。`action` 为步骤名（GET /api/cases/{case_id}/actions 列出本案当前的步骤）；
    `data` 为该步骤表单的字段，组件 StepData_<程序>_<步骤> 描述每一步的字段（组件 StepData 的
    x-step-data 按程序、步骤给出对应的组件；GET /api/procedures 同样给出）。字段按该步骤的表单校验，
    不合格时返回 422 并指明字段；依法不能办理时返回 409，列出全部理由及法律依据。已经办理（如纸质案卷）的步骤
    以 occurred_on 和 back_entry_reason 补录：按实际发生日期判断和记载。"""
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    permission_require(selectors.user_can_act_on_case(request.user, case), selectors.READ_ONLY)
    step = selectors.step_for(case, action)
    if step is None:
        raise Refused([Violation("case.action_unknown", f"本案的程序没有“{action}”这一步骤", "数据校验", "action")])
    try:
        data = _step_data_parse(case, step, payload.data)
        device_time = _device_time_parse(payload.device_time, action=action)
    except _Invalid as invalid:
        return Status(422, invalid.body)
    with _case_locked_as_read(case, if_match) as unchanged:
        if not unchanged:
            return _precondition_failed(case)
        case = services.case_action_perform(
            actor=request.user, case=case, action=action, data=data, device_time=device_time,
            occurred_on=payload.occurred_on, back_entry_reason=payload.back_entry_reason,
            document_numbers=dict(payload.document_numbers))
    return Status(200, _case_out(_with_etag(response, case)))


@router.get("/cases/{case_id}/records", response=answers({200: list[RecordOut]}, 404))
def case_record_list(request: HttpRequest, case_id: int = Path(..., ge=1, le=ID_MAX)):
    """本案记录的事实（各记录类步骤填写的内容，如询问笔录），最早的在前；correctable 表示当前能否更正。"""
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    return [
        {
            "id": record["id"],
            "action": record["action"],
            "label": record["label"],
            "on": record["on"],
            "values": record["values"],
            "correctable": selectors.record_correctable(case=case, record=record),
            "corrections": [{"at": c["at"], "by": c["by"], "reason": c["reason"], "fields": list(c["changes"])}
                            for c in record.get("corrections") or []],
        }
        for record in selectors.case_recorded(case)
    ]


@router.post(
    "/cases/{case_id}/records/{record_id}/corrections",
    response=answers({200: CaseOut}, 403, 404, 409, 412),
)
def case_record_correct(
    request: HttpRequest, response: HttpResponse, payload: CorrectionIn, case_id: int = Path(..., ge=1, le=ID_MAX),
    record_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH,
):
    """更正本案的一项记录：data 为更正后的全部字段（按该记录的步骤表单校验，不合格时返回 422 并指明字段），
    reason 为更正的理由。账本保留原记录，另记一条更正（谁、何时、为何、改了哪些字段）；依规定不能更正时
    返回 409，列出全部理由。"""
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    permission_require(selectors.user_can_act_on_case(request.user, case), selectors.READ_ONLY)
    record = selectors.case_recorded_get(case, record_id)
    step = selectors.step_for(case, record["action"]) if record is not None else None
    if step is None:
        raise Http404
    try:
        data = _step_data_parse(case, step, payload.data)
        device_time = _device_time_parse(payload.device_time, action=record["action"])
    except _Invalid as invalid:
        return Status(422, invalid.body)
    with _case_locked_as_read(case, if_match) as unchanged:
        if not unchanged:
            return _precondition_failed(case)
        case = services.case_record_correct(actor=request.user, case=case, record_id=record_id, data=data,
                                            reason=payload.reason, device_time=device_time)
    return Status(200, _case_out(_with_etag(response, case)))
