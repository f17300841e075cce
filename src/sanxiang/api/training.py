"""培训 and 提醒 through the API (issue 19), as their pages: the sessions a user sees (an agency's
users their agency's and their county 司法局's, a supervisor every session of the county, a system
administrator all), one with its attendances, recorded by the organiser (an agency's head or
administrator, a supervisor for the 司法局) with its attendees marked or imported from the Excel
template; the per-agency summary and the officers' hours behind each of its numbers; the user's
reminders and their dismissal (知悉). Through evaluation's training and reminder services and
selectors (in the ledger). Handlers parse, call and render."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Path, Query, Router, Schema, UploadedFile
from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from sanxiang.api.errors import InputRefused
from sanxiang.api.files import content_answer
from sanxiang.api.pagination import (
    PageOut,
    cursor_query,
    date_range_filter,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import Id, Status, answers, binary_answer
from sanxiang.evaluation import reminder_selectors
from sanxiang.evaluation import training_selectors as selectors
from sanxiang.evaluation import training_services as services
from sanxiang.evaluation.models import AttendanceSource, Reminder, TrainingAttendance, TrainingSession
from sanxiang.evaluation.reminder_services import reminder_dismiss
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.evaluation.reminders import REMINDER_KIND_LABELS
from sanxiang.procedure.evaluation.training import (
    PLAN_TRAINING,
    TOPIC_MAX,
    TRAINING_KIND_LABELS,
    hours_parse,
    required_hours_basis,
    required_hours_unverified,
)
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.procedure.violations import Refused, Violation

router = Router(tags=["training"])

KINDS = [(k.value, label) for k, label in TRAINING_KIND_LABELS.items()]
SOURCES = [(value, str(label)) for value, label in AttendanceSource.choices]
SESSION_ORDERING = {"held_on": ("held_on", "培训日期"), "id": ("id", "登记先后")}
HELD_SINCE, HELD_UNTIL = since_query("培训日期"), until_query("培训日期")
# A reminder's due date may be empty, and a cursor needs a value to stand after: the list pages by
# the day it was raised (the page's own order, nearest due first, is `due_on` on each item).
REMINDER_ORDERING = {"raised_on": ("raised_on", "提醒日期"), "id": ("id", "提醒先后")}
RAISED_SINCE, RAISED_UNTIL = since_query("提醒日期"), until_query("提醒日期")
YEAR_MIN, YEAR_MAX = 2000, 2099
# The attendance codes of the services that are about the officers sent (the data), not the session.
ATTENDEE_CODE = "evaluation.training.attendee"


def _year_query():
    return Query(None, ge=YEAR_MIN, le=YEAR_MAX, description="年度（不填为今年）")


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- sessions -------------------------------------------------------------------------------------------


class TrainingSessionSummaryOut(Schema):
    id: int
    organiser_id: int = Field(..., description="组织培训的机关（执法机关或司法局）")
    organiser_name: str
    organiser_is_judicial_bureau: bool
    kind: str = Field(..., description=status_description(KINDS, what="培训类别"))
    kind_label: str
    topic: str = Field(..., description="培训主题")
    held_on: dt.date = Field(..., description="培训日期")
    hours: str = Field(..., description="学时（十进制数字的文字，如 2 或 3.5）")


class TrainingAttendanceOut(Schema):
    id: int
    officer_id: int
    officer_name: str
    agency_id: int = Field(..., description="登记参训时该人员所在的机关")
    agency_name: str
    hours: str = Field(..., description="参训学时")
    source: str = Field(..., description=status_description(SOURCES, what="登记方式"))
    source_label: str


class TrainingCandidateOut(Schema):
    officer_id: int
    name: str
    agency_id: int
    agency_name: str
    attending: bool = Field(..., description="已登记为参训人员")


class TrainingSessionOut(TrainingSessionSummaryOut):
    attendances: list[TrainingAttendanceOut] = Field(
        ..., description="参训人员：执法机关人员看到本机关人员的，司法局监督人员看到全部")
    organises: bool = Field(..., description="本人是否为该培训的组织方（可以登记参训人员）")
    candidates: list[TrainingCandidateOut] = Field(
        ..., description="可以登记为参训人员的在岗执法人员（仅向组织方列出；本机关的，司法局组织的为本县各执法机关的）")


class TrainingSessionPageOut(PageOut):
    items: list[TrainingSessionSummaryOut]


def _summary_out(session: TrainingSession) -> dict:
    return {
        "id": session.pk, "organiser_id": session.organiser_id, "organiser_name": session.organiser.name,
        "organiser_is_judicial_bureau": session.organiser.is_judicial_bureau, "kind": session.kind,
        "kind_label": TRAINING_KIND_LABELS.get(session.kind, session.kind), "topic": session.topic,
        "held_on": session.held_on, "hours": _hours(session.hours),
    }


def _attendance_out(attendance: TrainingAttendance) -> dict:
    return {
        "id": attendance.pk, "officer_id": attendance.officer_id, "officer_name": attendance.officer.name,
        "agency_id": attendance.agency_id, "agency_name": attendance.agency.name, "hours": _hours(attendance.hours),
        "source": attendance.source, "source_label": dict(SOURCES).get(attendance.source, attendance.source),
    }


def _session_detail(*, viewer, session_id: int) -> dict:
    session = selectors.session_get(viewer=viewer, session_id=session_id)
    attendances = selectors.session_attendances(viewer=viewer, session=session)
    organises = services.user_organises(session=session, user=viewer)
    present = {a.officer_id for a in attendances}
    candidates = list(selectors.attendee_candidates(session=session)) if organises else []
    return _summary_out(session) | {
        "attendances": [_attendance_out(a) for a in attendances], "organises": organises,
        "candidates": [{"officer_id": o.pk, "name": o.name, "agency_id": o.agency_id, "agency_name": o.agency.name,
                        "attending": o.pk in present} for o in candidates],
    }


@router.get("/training/sessions", response=answers({200: TrainingSessionPageOut}))
def training_session_list(
    request: HttpRequest,
    organiser: int | None = Query(None, ge=1, le=ID_MAX, description="组织培训的机关 id"),
    kind: str | None = Query(None, max_length=40, pattern="^(" + "|".join(k for k, _ in KINDS) + ")$",
                             description=status_description(KINDS, what="培训类别")),
    since: dt.date | None = HELD_SINCE,
    until: dt.date | None = HELD_UNTIL,
    ordering: str = ordering_query(SESSION_ORDERING, default="-held_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """培训，默认按培训日期从新到旧，分页返回，与培训页面相同：执法机关人员看到本机关组织的和本县司法局组织的，
    司法局监督人员看到本县的全部，系统管理员看到全部。"""
    rows = selectors.sessions_for(viewer=request.user)
    if organiser is not None:
        rows = rows.filter(organiser_id=organiser)
    if kind:
        rows = rows.filter(kind=kind)
    rows = date_range_filter(rows, field="held_on", since=since, until=until)
    order = order_resolve(ordering, keys=SESSION_ORDERING, default="-held_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_summary_out)


@router.get("/training/sessions/{session_id}", response=answers({200: TrainingSessionOut}, 404))
def training_session_get(request: HttpRequest, session_id: int = Path(..., ge=1, le=ID_MAX)):
    """一次培训及其参训人员，与培训详情页面相同（执法机关人员只看到本机关人员的参训记录）；
    组织方另见可以登记的在岗执法人员。看不到的培训返回 404。"""
    return _session_detail(viewer=request.user, session_id=session_id)


def _hours_as_sent(value: Any) -> float | int | str:
    """The hours as sent, a JSON number or a text of at most 20 characters, judged (with every other
    field) by the service. Not a boolean: pydantic's lax mode read `true` as 1.0 学时; one validator,
    not a union, so that a refusal names the field `hours` and nothing of pydantic's."""
    if isinstance(value, bool) or not isinstance(value, int | float | str) or (isinstance(value, str) and len(value) > 20):
        raise PydanticCustomError("hours_type", "学时应为数字或者数字的文本，例如 2 或 \"3.5\"")
    return value


HoursIn = Annotated[Any, PlainValidator(_hours_as_sent), WithJsonSchema(
    {"anyOf": [{"type": "number"}, {"type": "string", "maxLength": 20}]})]


class TrainingSessionIn(Schema):
    kind: str = Field(..., max_length=40, description=status_description(KINDS, what="培训类别"))
    topic: str = Field(..., max_length=TOPIC_MAX, description=f"培训主题（不超过{TOPIC_MAX}字）")
    held_on: dt.date = Field(..., description="培训日期（不晚于今天：培训举办后再登记）")
    hours: HoursIn = Field(..., description="学时：大于0，以0.5学时为单位，例如 2 或 3.5")


def _organiser_require(user) -> None:
    if not services.user_may_organise(user):
        raise PermissionDenied("只有执法机关负责人、单位管理员或者司法局监督人员可以登记培训")


@router.post("/training/sessions", response=answers({201: TrainingSessionOut}, 403))
def training_session_new(request: HttpRequest, payload: TrainingSessionIn):
    """登记本机关（司法局监督人员为本局）已举办的一次培训，与登记培训页面相同，记入账本；随后登记参训人员。
    类别、主题、日期（不得晚于今天）、学时不合要求的，返回 422 并列出每个字段的全部理由；
    执法机关负责人、单位管理员和司法局监督人员以外的 403。"""
    user = request.user
    _organiser_require(user)
    try:
        session = services.training_session_record(
            actor=user, kind=payload.kind, topic=payload.topic, held_on=payload.held_on,
            hours=hours_parse(payload.hours), today=timezone.localdate())
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _session_detail(viewer=user, session_id=session.pk))


class TrainingAttendanceIn(Schema):
    officer_ids: list[Id] = Field(..., max_length=5000, description=(
        "参训人员：可以登记的在岗执法人员 id（GET 该培训的 candidates）。保存后参训人员即为所列人员，每人记全部学时："
        "新列入的增加，未列入的取消（已调离、退休等不再可登记的人员的记录保留）"))


class TrainingAttendanceMarkedOut(TrainingSessionOut):
    added: int = Field(..., description="本次新增的参训人员数")
    removed: int = Field(..., description="本次取消的参训人员数")


def _attendance_refusal(refused: Refused) -> Exception:
    """The officers sent are not ones the session may record: 422 on `officer_ids`; the session's
    side (the user is not its organiser) stays a 409."""
    if refused.violations and all(v.code == ATTENDEE_CODE for v in refused.violations):
        return InputRefused([dataclasses.replace(v, field="officer_ids") for v in refused.violations])
    return refused


@router.post("/training/sessions/{session_id}/attendance", response=answers({200: TrainingAttendanceMarkedOut}, 403, 404, 409))
def training_attendance_set(request: HttpRequest, payload: TrainingAttendanceIn,
                            session_id: int = Path(..., ge=1, le=ID_MAX)):
    """在页面上登记参训人员（勾选保存）：参训人员即为所列人员，记入账本。所列人员有不能登记的（不是本机关的在岗执法人员；
    司法局组织的培训为本县各执法机关的）返回 422（字段 officer_ids），一人也不登记；不是该培训组织方的
    （如执法机关负责人对司法局组织的培训）返回 409 并说明理由；执法机关负责人、单位管理员和司法局监督人员以外的 403；
    看不到的培训 404。"""
    user = request.user
    session = selectors.session_get(viewer=user, session_id=session_id)
    _organiser_require(user)
    try:
        added, removed = services.training_attendance_mark(actor=user, session=session,
                                                           officer_ids=list(dict.fromkeys(payload.officer_ids)))
    except Refused as refused:
        raise _attendance_refusal(refused) from None
    return _session_detail(viewer=user, session_id=session.pk) | {"added": added, "removed": removed}


class TrainingAttendanceImportedOut(TrainingSessionOut):
    rows: int = Field(..., description="文件中的数据行数")
    added: int = Field(..., description="本次导入的参训人员数")
    unchanged: int = Field(..., description="此前已登记、未变的人数")


IMPORT_FILE = File(..., description=(
    "参训人员名单（multipart/form-data 的字段 file）：Excel 工作簿（.xlsx），按导入模板（GET /api/training/"
    f"attendance-template）填写：表头 姓名、执法证号、身份证号码、学时；不超过{services.MAX_ROWS}行、"
    f"{services.MAX_FILE_BYTES // (1024 * 1024)}MB"))


def _row_violation(error: services.RowError) -> Violation:
    where = f"第{error.row}行" + (f"“{error.column}”" if error.column else "") + "：" if error.row else ""
    field = "file" if error.row is None else f"file.{error.row}" + (f".{error.column}" if error.column else "")
    return Violation("evaluation.training.import_row", f"{where}{error.message}", services.IMPORT_BASIS, field)


@router.post("/training/sessions/{session_id}/attendance/import",
             response=answers({200: TrainingAttendanceImportedOut}, 403, 404, 409, 413))
def training_attendance_import(request: HttpRequest, session_id: int = Path(..., ge=1, le=ID_MAX),
                               file: UploadedFile = IMPORT_FILE):
    """从 Excel 导入参训人员，与培训详情页面的导入相同：逐行核对（按执法证号或身份证号码找到人员，姓名须一致；学时不填的
    按本次培训的全部学时，不得超过），已登记的人员不变，记入账本。有任何一行不合要求时一人也不导入，返回 422，
    每条理由的 field 为 file.<Excel 行号>.<列名>（整个文件的问题为 file），message 以“第N行”开头；
    不是该培训组织方的返回 409；执法机关负责人、单位管理员和司法局监督人员以外的 403；看不到的培训 404。
    带 Idempotency-Key 重发时返回首次的应答（此时请求体不超过平台的请求体上限，否则 413）。"""
    user = request.user
    session = selectors.session_get(viewer=user, session_id=session_id)
    _organiser_require(user)
    report = services.training_attendance_import(actor=user, session=session, file=file)
    if not report.ok:
        raise InputRefused([_row_violation(e) for e in report.errors])
    return _session_detail(viewer=user, session_id=session.pk) | {
        "rows": report.rows, "added": report.added, "unchanged": report.unchanged}


@router.get("/training/attendance-template", summary="下载参训人员导入模板", response=answers({}, 403),
            openapi_extra=binary_answer(services.XLSX_CONTENT_TYPE, description="参训人员导入模板（.xlsx）"))
def training_attendance_template(request: HttpRequest):
    """参训人员导入模板（Excel），与培训详情页面的“下载导入模板”相同；执法机关负责人、单位管理员和司法局监督人员以外的 403。"""
    _organiser_require(request.user)
    return content_answer(services.attendance_template_build(), filename="参训人员.xlsx",
                          content_type=services.XLSX_CONTENT_TYPE)


# --- the summary and the officers behind it --------------------------------------------------------------


class AgencyTrainingOut(Schema):
    agency_id: int
    agency_name: str
    officers: int = Field(..., description="在岗执法人员数")
    met: int = Field(..., description="达到年度学时要求的人数")
    short: int = Field(..., description="未达到的人数")
    rate: str | None = Field(..., description="达标率（0至1的小数文字，保留四位；没有在岗执法人员时为 null）")
    sessions: int = Field(..., description="本年度组织的培训次数")
    session_hours: str = Field(..., description="本年度组织的培训学时合计")
    attended_hours: str = Field(..., description="本机关人员本年度参训学时合计（任一组织方）")


class TrainingSummaryOut(Schema):
    year: int
    required_hours: str = Field(..., description="每名执法人员每年应完成的学时")
    required_hours_basis: str = Field(..., description="学时要求的依据")
    required_hours_unverified: bool = Field(..., description="学时要求是否为待核实的参数")
    officers: int = Field(..., description="在岗执法人员数（合计）")
    met: int = Field(..., description="达到学时要求的人数（合计）")
    rate: str | None = Field(..., description="培训达标率（0至1的小数文字，保留四位；没有在岗执法人员时为 null）")
    agencies: list[AgencyTrainingOut]
    basis: str = Field(..., description="培训工作的依据")


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.0001')):f}"


def _year(year: int | None) -> int:
    return year if year is not None else timezone.localdate().year


def _year_refused(missing: ParameterMissing) -> InputRefused:
    """A year before the required hours were set (the parameter's first period): 422 on `year`."""
    return InputRefused([dataclasses.replace(missing.violation, field="year")])


@router.get("/training/summary", response=answers({200: TrainingSummaryOut}))
def training_summary(request: HttpRequest, year: int | None = _year_query()):
    """培训情况汇总，与培训情况汇总页面相同：本人可查看的每个执法机关（司法局监督人员为本县各执法机关，
    执法机关人员为本机关）的在岗执法人员、达到年度学时要求的人数、组织培训的次数和学时、人员参训学时，
    及合计的培训达标率；每个数字背后的人员见 GET /api/training/officers。学时要求施行以前的年度返回 422（字段 year）。"""
    year = _year(year)
    try:
        rows, compliance = selectors.agency_training_summary(viewer=request.user, year=year)
    except ParameterMissing as missing:
        raise _year_refused(missing) from None
    return {
        "year": year, "required_hours": _hours(compliance.required), "required_hours_basis": required_hours_basis(),
        "required_hours_unverified": required_hours_unverified(), "officers": compliance.officer_count,
        "met": compliance.met_count, "rate": _rate(compliance.rate), "basis": PLAN_TRAINING,
        "agencies": [{
            "agency_id": r.agency.pk, "agency_name": r.agency.name, "officers": r.officers, "met": r.met,
            "short": r.short, "rate": _rate(r.rate), "sessions": r.sessions, "session_hours": _hours(r.session_hours),
            "attended_hours": _hours(r.attended_hours),
        } for r in rows],
    }


class OfficerAttendanceOut(Schema):
    id: int
    session_id: int
    topic: str
    held_on: dt.date
    hours: str


class OfficerTrainingOut(Schema):
    officer_id: int
    name: str
    agency_id: int
    agency_name: str
    hours: str = Field(..., description="本年度参训学时")
    met: bool = Field(..., description="是否达到年度学时要求")
    short_by: str = Field(..., description="差多少学时（达到的为 0）")
    attendances: list[OfficerAttendanceOut] = Field(..., description="构成学时的参训记录")


class TrainingOfficersOut(Schema):
    year: int
    required_hours: str
    agency_id: int | None
    officers: list[OfficerTrainingOut]


MET = Query(None, description="true：只列达到学时要求的；false：只列未达到的；不填为全部")


@router.get("/training/officers", response=answers({200: TrainingOfficersOut}))
def training_officers(
    request: HttpRequest,
    year: int | None = _year_query(),
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法机关 id（不填为本人可查看的全部执法机关）"),
    met: bool | None = MET,
):
    """培训情况汇总中每个数字背后的执法人员，与执法人员培训学时页面相同：本人可查看的执法机关的在岗执法人员，
    每人的年度学时、是否达到要求及构成学时的参训记录。不可查看的执法机关没有人员（空列表）；
    学时要求施行以前的年度返回 422（字段 year）。"""
    year = _year(year)
    agencies = selectors.agencies_visible(viewer=request.user)
    if agency is not None:
        agencies = agencies.filter(pk=agency)
    try:
        compliance = selectors.training_compliance([a.pk for a in agencies], year)
    except ParameterMissing as missing:
        raise _year_refused(missing) from None
    rows = compliance.officers if met is None else [o for o in compliance.officers if o.met == met]
    attendances: dict[int, list[dict]] = {}
    for a in selectors.attendances_visible(viewer=request.user).filter(
            pk__in=[i for o in rows for i in o.attendance_ids]).order_by("session__held_on", "pk"):
        attendances.setdefault(a.officer_id, []).append({
            "id": a.pk, "session_id": a.session_id, "topic": a.session.topic, "held_on": a.session.held_on,
            "hours": _hours(a.hours)})
    return {
        "year": year, "required_hours": _hours(compliance.required), "agency_id": agency,
        "officers": [{
            "officer_id": o.officer_id, "name": o.name, "agency_id": o.agency_id, "agency_name": o.agency_name,
            "hours": _hours(o.hours), "met": o.met, "short_by": _hours(o.short_by),
            "attendances": attendances.get(o.officer_id, []),
        } for o in rows],
    }


# --- reminders ---------------------------------------------------------------------------------------------

REMINDER_KINDS = [(str(k), label) for k, label in REMINDER_KIND_LABELS.items()]


class ReminderOut(Schema):
    id: int
    kind: str = Field(..., description=status_description(REMINDER_KINDS, what="提醒种类"))
    kind_label: str
    title: str = Field(..., description="提醒内容")
    detail: str = Field(..., description="说明（可能为空）")
    url: str = Field(..., description="相关页面的地址（站内路径，可能为空）")
    agency_id: int | None = Field(..., description="涉及的执法主体")
    due_on: dt.date | None = Field(..., description="到期日（没有的为 null）")
    overdue: bool = Field(..., description="到期日已过")
    raised_on: dt.date = Field(..., description="提醒日期（本提醒阶段开始之日）")
    stage: str = Field(..., description="提醒阶段（如到期前90、30、7日或 overdue）")
    dismissed: bool = Field(..., description="已知悉（本阶段不再提醒）")


class ReminderPageOut(PageOut):
    items: list[ReminderOut]


def _reminder_out(reminder: Reminder) -> dict:
    today = timezone.localdate()
    return {
        "id": reminder.pk, "kind": reminder.kind, "kind_label": REMINDER_KIND_LABELS.get(reminder.kind, "提醒"),
        "title": reminder.title, "detail": reminder.detail, "url": reminder.url, "agency_id": reminder.agency_id,
        "due_on": reminder.due_on, "overdue": reminder.due_on is not None and reminder.due_on < today,
        "raised_on": reminder.raised_on, "stage": reminder.stage, "dismissed": reminder.dismissed_at is not None,
    }


@router.get("/reminders", response=answers({200: ReminderPageOut}))
def reminder_list(
    request: HttpRequest,
    since: dt.date | None = RAISED_SINCE,
    until: dt.date | None = RAISED_UNTIL,
    ordering: str = ordering_query(REMINDER_ORDERING, default="-raised_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """我的提醒，与“我的提醒”页面相同：给本人的，以及给本人角色在本单位的（如机关负责人、司法局监督人员）、
    尚未知悉且仍然适用的提醒；默认按提醒日期从新到旧，分页返回。"""
    rows = date_range_filter(reminder_selectors.reminders_open(user=request.user), field="raised_on",
                             since=since, until=until)
    order = order_resolve(ordering, keys=REMINDER_ORDERING, default="-raised_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_reminder_out)


@router.post("/reminders/{reminder_id}/actions/dismiss", response=answers({200: ReminderOut}, 404))
def reminder_dismiss_action(request: HttpRequest, reminder_id: int = Path(..., ge=1, le=ID_MAX)):
    """知悉一条提醒，与“我的提醒”页面的“知悉”相同：本阶段不再提醒（给某角色的提醒，该单位该角色的每个人都不再看到），
    记入账本；进入下一提醒阶段时会再次提醒。已知悉的再次知悉不变。不是给本人的提醒返回 404。"""
    reminder = reminder_selectors.reminder_get(user=request.user, reminder_id=reminder_id)
    return _reminder_out(reminder_dismiss(reminder=reminder, actor=request.user))

