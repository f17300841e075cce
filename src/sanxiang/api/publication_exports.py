"""The “双公示” export and the annual data (年度行政执法数据) through the API (issue 19), from the
same selectors and services as their pages (`/staff/publication/dual-publicity/`, `annual/`).

双公示: the check of an export (its rows against the credit platform's field list, the problems
listed up to the page's number with the total given) and the file itself, recorded in the access
log and the ledger before it is sent, exactly as the page's download. Who may export what is the
page's scope: an agency's users their own agency, supervisors every agency of their county, system
administrators every agency. `agency` is the registry's agency id (as in /api/registry/agencies);
another agency, or one outside the county, is 404.

年度数据: an agency's figures of a finished year as the page shows them, with what is public beside
each; without `agency`, a supervisor reads the county table and the agencies late to publish. The
narrative (行政执法情况说明) and the publication of the year are the page's two forms, for the
agency's head or administrator (or a system administrator), refused as the page refuses them. A
year the page does not offer is 422 naming `year` (the page silently shows the latest)."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Header, Query, Router, Schema

from sanxiang.access.services import client_ip
from sanxiang.accounts.models import Role, User
from sanxiang.api.errors import InputRefused
from sanxiang.api.files import content_answer
from sanxiang.api.pagination import PageOut, cursor_encode, cursor_query, limit_query, paginate
from sanxiang.api.schemas import PlausibleDate, Text, answers, binary_answer, changed_since_read
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.annual import ANNUAL_REPORT_BASIS
from sanxiang.procedure.annual_counting import (
    NARRATIVE_MAX_CHARS,
    NARRATIVE_SECTIONS,
    PENALTY_COLUMNS,
)
from sanxiang.procedure.dual_publicity import LAYOUT_LABELS
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.publication import annual_selectors
from sanxiang.publication.annual import (
    COUNTED_RECORDS_ORDER,
    NARRATIVE_PERMISSION_MESSAGE,
    PERMISSION_MESSAGE,
    CountedRecord,
    annual_counted_acts,
    annual_narrative_submit,
    annual_report_publish,
    counted_record_of,
)
from sanxiang.publication.annual_selectors import (
    RECORD_GROUPS,
    RECORD_KINDS,
    RECORDS_SHOWN,
    annual_agency_for,
    annual_agency_view,
    annual_county_view,
    annual_missing,
    annual_narrative_version,
    annual_titles_withheld,
    annual_years,
)
from sanxiang.publication.dual_publicity import (
    CONTENT_TYPES,
    FORMATS,
    MAX_PROBLEMS_SHOWN,
    MAX_RANGE_DAYS,
    DualPublicityScope,
    attachment_disposition,
    dual_publicity_check,
    dual_publicity_export,
    dual_publicity_label,
    dual_publicity_rows,
    dual_publicity_scope,
)
from sanxiang.publication.permissions import user_can_publish
from sanxiang.registry.models import Agency
from sanxiang.registry.permissions import permission_require

router = Router(tags=["publication"])

LayoutIn = Literal[tuple(LAYOUT_LABELS)]  # type: ignore[valid-type]
FormatIn = Literal[tuple(FORMATS)]  # type: ignore[valid-type]
RecordGroupIn = Literal[tuple(RECORD_GROUPS)]  # type: ignore[valid-type]
NarrativeKey = Literal[tuple(NARRATIVE_SECTIONS)]  # type: ignore[valid-type]


def _choices(labels: dict[str, str]) -> str:
    return "；".join(f"`{key}` {label}" for key, label in labels.items())


LAYOUT_QUERY = Query(..., description=f"数据类别：{_choices(LAYOUT_LABELS)}")
START_QUERY = Query(..., description="决定日期自（含）")
END_QUERY = Query(None, description=f"决定日期至（含）；不填则为起始日当天；最多{MAX_RANGE_DAYS}天")
FORMAT_QUERY = Query("csv", description=f"文件格式：{_choices(FORMATS)}")
GROUP_QUERY = Query(..., description=f"记录的类别：{_choices(RECORD_GROUPS)}")
AGENCY_QUERY = Query(None, ge=1, le=ID_MAX, description=(
    "执法主体（与 /api/registry/agencies 的编号相同）；不填：执法机关的人员为本机关，司法局监督人员为本县全部，系统管理员为全部"))


# --- 双公示 ------------------------------------------------------------------------------------------


class DualPublicityProblemOut(Schema):
    row: int = Field(..., description="导出文件中的行（自1起，不含表头）")
    number: str = Field(..., description="该行的决定书文号")
    field: str | None = Field(..., description="字段代码（如 CF_XDR_SHXYM）；涉及整行的为 null")
    field_name: str = Field(..., description="字段名称")
    message: str
    legal_basis: str


class DualPublicityCheckOut(Schema):
    layout: str
    layout_label: str
    start: dt.date
    end: dt.date
    agency_id: int | None = Field(..., description="核对的执法主体（未选择的执法机关人员为本机关）；多个执法主体的为 null")
    label: str = Field(..., description="导出内容的名称")
    row_count: int = Field(..., description="将导出的行数")
    problem_count: int = Field(..., description="问题总数")
    problem_rows: int = Field(..., description="有问题的行数")
    problems: list[DualPublicityProblemOut] = Field(..., description=f"问题（最多列出{MAX_PROBLEMS_SHOWN}个，总数见 problem_count）")
    problems_shown_max: int


def _range(start: dt.date, end: dt.date | None) -> dt.date:
    """The end of the range (the start's day when none), refused with 422 naming `end` as the page's form."""
    end = end or start
    if end < start:
        raise InputRefused([Violation("dual_publicity.end", "截止日期不能早于起始日期", FORM_BASIS, "end")])
    if (end - start).days >= MAX_RANGE_DAYS:
        raise InputRefused([Violation("dual_publicity.range", f"一次最多导出{MAX_RANGE_DAYS}天内作出的决定，请缩小日期范围",
                                      FORM_BASIS, "end")])
    return end


NO_PUBLIC_AGENCY = Violation(
    "dual_publicity.no_agency", "没有已在公示平台公开的执法主体，没有可以核对或导出的数据（执法主体须先在公示平台公开）",
    FORM_BASIS, "agency")


def _public_agency_ids(scope: DualPublicityScope, agency: int | None) -> tuple[list[int] | None, int | None]:
    """The public agencies exported, and the registry agency they are (None for several): the
    registry agency asked for (404 outside the scope); without one, every agency offered, or the
    user's own where "every agency" is not offered. A scope without any public agency (an agency
    not yet on the portal, a county without one) is 409: nothing is checked, exported or recorded."""
    if agency is None:
        if scope.all_allowed:
            ids = scope.ids(None)
            if ids == []:
                raise Refused([NO_PUBLIC_AGENCY])
            return ids, None
        if not scope.agencies:
            raise Refused([NO_PUBLIC_AGENCY])
        return [a.pk for a in scope.agencies], scope.agencies[0].source_id
    chosen = next((a.pk for a in scope.agencies if a.source_id == agency), None)
    if chosen is None:
        raise Http404
    return scope.ids(chosen), agency


@router.get("/publication/dual-publicity", summary="核对“双公示”数据",
            response=answers({200: DualPublicityCheckOut}, 403, 404, 409))
def dual_publicity_check_get(request: HttpRequest, layout: LayoutIn = LAYOUT_QUERY, start: PlausibleDate = START_QUERY,
                             end: PlausibleDate | None = END_QUERY, agency: int | None = AGENCY_QUERY):
    """“双公示”数据的核对（“双公示”导出页面的“核对”）：所选日期内作出、正在公示的决定导出的行数，以及按信用信息
    数据标准逐行核对发现的问题（行、文号、字段、问题及依据）。核对不发送数据，不记入访问日志。
    没有已在公示平台公开的执法主体可以核对的（如本机关尚未公开），返回 409。"""
    scope = dual_publicity_scope(user=request.user)
    end = _range(start, end)
    ids, agency_used = _public_agency_ids(scope, agency)
    check = dual_publicity_check(rows=dual_publicity_rows(agency_ids=ids, start=start, end=end, layout=layout),
                                 layout=layout)
    return {
        "layout": layout, "layout_label": LAYOUT_LABELS[layout], "start": start, "end": end, "agency_id": agency_used,
        "label": dual_publicity_label(layout=layout, start=start, end=end), "row_count": check.row_count,
        "problem_count": check.problem_count, "problem_rows": check.problem_rows,
        "problems": [{"row": p.row, "number": p.number, "field": p.field, "field_name": p.field_name,
                      "message": p.message, "legal_basis": p.basis} for p in check.problems],
        "problems_shown_max": MAX_PROBLEMS_SHOWN,
    }


# CSV and XLSX are bytes; the JSON file is an object (its `layout`, `fields` and `rows`).
FILE_ANSWER = binary_answer(CONTENT_TYPES["csv"], CONTENT_TYPES["xlsx"], description="“双公示”数据文件")
FILE_ANSWER["responses"][200]["content"][CONTENT_TYPES["json"]] = {"schema": {"type": "object"}}


@router.get("/publication/dual-publicity/file", summary="导出“双公示”数据", response=answers({}, 403, 404, 409),
            openapi_extra=FILE_ANSWER)
def dual_publicity_file_get(request: HttpRequest, layout: LayoutIn = LAYOUT_QUERY, start: PlausibleDate = START_QUERY,
                            end: PlausibleDate | None = END_QUERY, agency: int | None = AGENCY_QUERY,
                            format: FormatIn = FORMAT_QUERY):
    """“双公示”数据文件（与导出页面下载的相同）：所选日期内作出、正在公示的决定，每行为信用信息数据标准的一条。
    数据离开本平台，发送之前记入访问日志和存证账本。没有已在公示平台公开的执法主体可以导出的，返回 409，
    不导出也不记录。"""
    scope = dual_publicity_scope(user=request.user)
    end = _range(start, end)
    ids, _agency_used = _public_agency_ids(scope, agency)
    file = dual_publicity_export(actor=request.user, scope=scope, agency_ids=ids, layout=layout, start=start, end=end,
                                 file_format=format, ip_address=client_ip(request))
    response = content_answer(file.content, filename=file.filename, content_type=file.content_type)
    # The page's header (publication.exports.attachment): the Chinese name, and `filename=` in ASCII.
    response["Content-Disposition"] = attachment_disposition(file)
    return response


# --- 年度行政执法数据 ---------------------------------------------------------------------------------


class AnnualCategoryOut(Schema):
    key: str
    label: str
    value: int | None = Field(..., description="本平台统计；没有该项职权的为 null（公示为“—”）")
    has_power: bool = Field(..., description="权责清单中有此类事项")
    recorded: bool = Field(..., description="本平台记录此类行为（否则按0填列）")
    published: int | None = Field(..., description="已公开的数；尚未公开或没有该项职权的为 null")


class AnnualLineOut(Schema):
    key: str
    label: str
    value: int | None
    published: int | None = Field(None, description="已公开的数；尚未公开的为 null")


class AnnualCoercionLineOut(AnnualLineOut):
    has_power: bool


class AnnualInspectionBandOut(Schema):
    band: int
    label: str
    value: int


class AnnualInspectionTopOut(Schema):
    name: str
    times: int
    band: int


class AnnualInspectionOut(Schema):
    in_cases: int = Field(..., description="案件调查中的现场检查")
    in_register: int = Field(..., description="行政检查模块登记并计入的检查")
    same_visit: int = Field(..., description="检查后立案、同日的现场检查（只计1次，减去）")
    total: int = Field(..., description="行政检查次数")
    left_out: list[AnnualLineOut] = Field(..., description="行政检查模块登记而未计入的，按原因")
    bands: list[AnnualInspectionBandOut] = Field(..., description="检查频次：被检查1次、2次、3次及以上的企业数")
    top: list[AnnualInspectionTopOut] = Field(..., description="被检查次数最多的企业")


class AnnualNarrativeSectionOut(Schema):
    key: str
    label: str
    text: str


class AnnualNarrativeOut(Schema):
    submitted_at: dt.datetime
    sections: list[AnnualNarrativeSectionOut]
    republish_needed: bool = Field(..., description="提交后尚未重新发布，公开的仍是原内容")


class AnnualRecordOut(Schema):
    case_id: int
    case_number: str
    case_title: str = Field(..., description="案件标题；司法局监督人员未经调阅的案件为空字符串（title_withheld）")
    title_withheld: bool = Field(..., description="案件标题因未经调阅而不提供")
    kind: str = Field(..., description="计入的类别（penalty、inspection、levy、requisition 或其他行政行为的类别）")
    on: dt.date = Field(..., description="计入的日期（决定日期、检查日期）")
    penalty_column: str = Field(..., description="行政处罚计入的处罚种类（其他为空字符串）")
    penalty_column_label: str
    amount_fen: int = Field(..., description="罚没金额（分）")


class AnnualRecordGroupOut(Schema):
    key: str
    label: str
    count: int = Field(..., description="计入的记录总数")
    items: list[AnnualRecordOut] = Field(..., description=f"前{RECORDS_SHOWN}条")
    next: str | None = Field(..., description="其余记录（GET /api/publication/annual/records，自所列最后一条之后）；已全部列出的为 null")


class AnnualAgencyDataOut(Schema):
    agency_id: int
    agency_name: str
    due_on: dt.date = Field(..., description="应当公开的日期")
    published_at: dt.datetime | None = Field(..., description="公开的时间；尚未公开的为 null")
    has_public_agency: bool = Field(..., description="执法主体已在公示平台公开（否则不能发布）")
    can_publish: bool = Field(..., description="调用者可以提交情况说明和发布年度数据")
    categories: list[AnnualCategoryOut]
    coercion_lines: list[AnnualCoercionLineOut] = Field(..., description="行政强制分项；没有行政强制职权的为空")
    penalty_lines: list[AnnualLineOut] = Field(..., description="行政处罚分项（按决定中最重的处罚种类计）；没有处罚职权的为空")
    penalty_total: int | None
    penalty_amount_wan: str | None = Field(..., description="罚没金额（万元，两位小数）")
    published_penalty_total: int | None
    published_amount_wan: str | None
    other_act_lines: list[AnnualLineOut] = Field(..., description="其他行政行为（本年度办结）")
    inspection: AnnualInspectionOut | None = Field(..., description="行政检查；没有处罚职权的为 null（页面不列）")
    notes: list[str]
    narrative: AnnualNarrativeOut | None = Field(..., description="行政执法情况说明；尚未提交的为 null")
    records: list[AnnualRecordGroupOut] = Field(..., description="每个数字背后的记录")


class AnnualCountyLineOut(Schema):
    agency_id: int
    agency_name: str
    penalty_columns: dict[str, int] = Field(..., description="行政处罚分项（键见 penalty_column_labels）")
    penalty_total: int
    penalty_amount_wan: str
    submitted: bool = Field(..., description="已提交情况说明")
    published: bool = Field(..., description="已公开年度数据")


class AnnualCountyInspectionOut(Schema):
    agency_id: int
    agency_name: str
    total: int
    left_out_total: int
    bands: dict[int, int]


class AnnualCountyOut(Schema):
    penalty_column_labels: dict[str, str]
    lines: list[AnnualCountyLineOut]
    total_columns: dict[str, int]
    total: int
    total_amount_wan: str
    inspections: list[AnnualCountyInspectionOut]


class AnnualMissingAgencyOut(Schema):
    agency_id: int
    agency_name: str
    days_overdue: int
    has_public_agency: bool


class AnnualMissingOut(Schema):
    year: int
    due_on: dt.date
    agencies: list[AnnualMissingAgencyOut] = Field(..., description="逾期未公开的执法主体（1月31日之前为空）")


class AnnualDataOut(Schema):
    year: int
    years: list[int] = Field(..., description="可查看的年度（已结束的，最近的在前）")
    basis: str
    county: bool = Field(..., description="调用者可以选择执法主体（司法局监督人员、系统管理员）")
    agency: AnnualAgencyDataOut | None = Field(..., description="所选执法主体的年度数据；未选择的为 null")
    county_table: AnnualCountyOut | None = Field(..., description="未选择执法主体时，全县的行政处罚分项和行政检查")
    missing: AnnualMissingOut | None = Field(..., description="逾期未公开上一年度数据的执法主体（司法局监督人员、系统管理员）")


def _year(year: int | None, *, field: str = "year") -> int:
    years = annual_years(today=timezone.localdate())
    if year is None:
        return years[0]
    if year not in years:
        raise InputRefused([Violation("annual.year", f"只能查看或发布{years[-1]}至{years[0]}年度的数据", FORM_BASIS, field)])
    return year


def _agency(user: User, agency: int | None) -> tuple[Agency | None, bool]:
    """The agency read (the page's rule), 404 for an agency asked for that the user does not read."""
    chosen, county = annual_agency_for(user=user, agency_id=agency)
    if agency is not None and (chosen is None or chosen.pk != agency):
        raise Http404
    return chosen, county


def _records_scope(group: str, agency: Agency, year: int) -> str:
    """What a records cursor is signed for: a cursor of one group, agency or year is refused by another."""
    return f"annual-records:{group}:{agency.pk}:{year}"


def _records_next(agency: Agency, year: int, group: str, county: bool, last: CountedRecord) -> str:
    """The rest of a group's records: the records list after `last`, the last one listed."""
    cursor = cursor_encode([getattr(last, key) for key in COUNTED_RECORDS_ORDER], order=COUNTED_RECORDS_ORDER,
                           scope=_records_scope(group, agency, year))
    query = {"year": year, "group": group, "limit": annual_selectors.RECORDS_SHOWN} | ({"agency": agency.pk} if county else {})
    return f"/api/publication/annual/records?{urlencode(query | {'cursor': cursor})}"


def _record(r: CountedRecord) -> dict:
    return {"case_id": r.case_id, "case_number": r.case_number, "case_title": r.case_title,
            "title_withheld": r.title_withheld, "kind": r.kind, "on": r.on,
            "penalty_column": r.penalty_column, "penalty_column_label": PENALTY_COLUMNS.get(r.penalty_column, ""),
            "amount_fen": r.amount_fen}


def _agency_out(user: User, agency: Agency, year: int, county: bool) -> dict:
    view = annual_agency_view(user=user, agency=agency, year=year)
    report, published, narrative = view["report"], view["published"], view["narrative"]
    table = report["penalty_table"]
    public_penalty = published.penalty_rows if published is not None else {}
    return {
        "agency_id": agency.pk, "agency_name": agency.name, "due_on": view["due_on"],
        "published_at": published.published_at if published is not None else None,
        "has_public_agency": view["has_public_agency"], "can_publish": view["can_publish"],
        "categories": view["rows"],
        "coercion_lines": view["coercion_lines"] if report["counts"]["coercion"] is not None else [],
        "penalty_lines": view["penalty_lines"],
        "penalty_total": table.total if table is not None else None,
        "penalty_amount_wan": str(table.amount_wan) if table is not None else None,
        "published_penalty_total": public_penalty.get("total"),
        "published_amount_wan": str(view["published_amount_wan"]) if view["published_amount_wan"] is not None else None,
        "other_act_lines": report["other_act_lines"],
        "inspection": {
            "in_cases": report["inspection"].in_cases, "in_register": report["inspection"].in_register,
            "same_visit": report["inspection"].same_visit, "total": report["inspection"].total,
            "left_out": report["inspection_left_out"], "bands": report["inspection_bands"], "top": report["inspection_top"],
        } if table is not None else None,
        "notes": report["notes"],
        "narrative": {
            "submitted_at": narrative.submitted_at,
            "sections": [{"key": key, "label": label, "text": narrative.sections.get(key, "")}
                         for key, label in NARRATIVE_SECTIONS.items()],
            "republish_needed": published is not None and published.narrative != narrative.sections,
        } if narrative is not None else None,
        "records": [
            {"key": g.key, "label": g.label, "count": g.count, "items": [_record(r) for r in g.records],
             "next": _records_next(agency, year, g.key, county, g.records[-1]) if g.more and g.records else None}
            for g in view["record_groups"].values()
        ],
    }


def _county_out(user: User, year: int) -> dict:
    view = annual_county_view(user=user, year=year)
    total = view["county_total"]
    return {
        "penalty_column_labels": PENALTY_COLUMNS,
        "lines": [{"agency_id": row["line"].agency_id, "agency_name": row["line"].agency_name,
                   "penalty_columns": row["line"].table.columns, "penalty_total": row["line"].table.total,
                   "penalty_amount_wan": str(row["line"].table.amount_wan), "submitted": row["submitted"],
                   "published": row["published"]} for row in view["county_lines"]],
        "total_columns": total.columns, "total": total.total, "total_amount_wan": str(total.amount_wan),
        "inspections": [{"agency_id": i.agency_id, "agency_name": i.agency_name, "total": i.total,
                         "left_out_total": i.left_out_total, "bands": i.bands} for i in view["county_inspections"]],
    }


def _annual_out(user: User, *, agency: Agency | None, county: bool, year: int) -> dict:
    missing = None
    if county:
        m = annual_missing(user=user, today=timezone.localdate())
        missing = {"year": m["missing_year"], "due_on": m["missing_due_on"], "agencies": [
            {"agency_id": a.agency_id, "agency_name": a.agency_name, "days_overdue": a.days_overdue,
             "has_public_agency": a.has_public_agency} for a in m["missing"]]}
    return {
        "year": year, "years": annual_years(today=timezone.localdate()), "basis": ANNUAL_REPORT_BASIS, "county": county,
        "agency": _agency_out(user, agency, year, county) if agency is not None else None,
        "county_table": _county_out(user, year) if county and agency is None else None,
        "missing": missing,
    }


YEAR_QUERY = Query(None, ge=1, le=9999, description="年度（已结束的最近五年之一）；不填为上一年度")
ANNUAL_AGENCY_QUERY = Query(None, ge=1, le=ID_MAX, description=(
    "执法主体（与 /api/registry/agencies 的编号相同）：司法局监督人员、系统管理员选择；执法机关的人员只能查看本机关"))


def _narrative_etag(response: HttpResponse, agency: Agency | None, year: int) -> None:
    if agency is not None:
        response["ETag"] = annual_narrative_version(agency=agency, year=year)


@router.get("/publication/annual", summary="年度行政执法数据", response=answers({200: AnnualDataOut}, 403, 404))
def annual_data_get(request: HttpRequest, response: HttpResponse, year: int | None = YEAR_QUERY,
                    agency: int | None = ANNUAL_AGENCY_QUERY):
    """年度行政执法数据（与年度数据页面相同）：执法主体一个年度的各类数据，已公开的数据列在旁边，行政执法情况说明，
    应当公开的日期，以及每个数字背后的记录。司法局监督人员不选执法主体时，为全县的行政处罚分项和行政检查、
    各执法主体是否已提交情况说明和公开，以及逾期未公开上一年度数据的执法主体。选择了执法主体的，响应头 ETag
    为其该年度情况说明的版本（提交情况说明时可放在 If-Match 中）。"""
    year = _year(year)
    chosen, county = _agency(request.user, agency)
    _narrative_etag(response, chosen, year)
    return _annual_out(request.user, agency=chosen, county=county, year=year)


class AnnualRecordPageOut(PageOut):
    items: list[AnnualRecordOut]
    count: int = Field(..., description="计入的记录总数")


@router.get("/publication/annual/records", summary="年度数据背后的记录", response=answers({200: AnnualRecordPageOut}, 403, 404))
def annual_record_list(request: HttpRequest, group: RecordGroupIn = GROUP_QUERY,
                       year: int | None = YEAR_QUERY, agency: int | None = ANNUAL_AGENCY_QUERY,
                       limit: int = limit_query(), cursor: str | None = cursor_query()):
    """一个执法主体年度数据中一类数字背后的全部记录（年度数据的 records 只列前若干条），分页返回。
    司法局监督人员、系统管理员须选择执法主体（否则 422）。司法局监督人员未经调阅的案件不提供标题（title_withheld）。
    翻页标记只用于同一类别、执法主体和年度，否则 422。"""
    year = _year(year)
    chosen, _county = _agency(request.user, agency)
    if chosen is None:
        raise InputRefused([Violation("annual.agency", "请选择执法主体", FORM_BASIS, "agency")])
    acts = annual_counted_acts(agency=chosen, year=year, kinds=RECORD_KINDS[group])
    rows = acts.select_related("case").only("kind", "on", "penalty_column", "amount_fen", "case__number", "case__title")
    page = paginate(request, rows, order=COUNTED_RECORDS_ORDER, limit=limit, cursor=cursor, item=counted_record_of,
                    scope=_records_scope(group, chosen, year))
    items = annual_titles_withheld(viewer=request.user, records=page["items"])
    return page | {"items": [_record(r) for r in items], "count": acts.count()}


class AnnualNarrativeIn(Schema):
    year: int = Field(..., ge=1, le=9999, description="年度（已结束的最近五年之一）")
    agency: int | None = Field(None, ge=1, le=ID_MAX, description="执法主体：系统管理员必填；执法机关的人员为本机关")
    sections: dict[NarrativeKey, Text(NARRATIVE_MAX_CHARS + 1000, multiline=True)] = Field(  # type: ignore[valid-type]
        ..., description=f"各部分的内容，每部分必填、至多{NARRATIVE_MAX_CHARS}字：{_choices(NARRATIVE_SECTIONS)}")


class AnnualPublishIn(Schema):
    year: int = Field(..., ge=1, le=9999, description="年度（已结束的最近五年之一）")
    agency: int | None = Field(None, ge=1, le=ID_MAX, description="执法主体：系统管理员必填；执法机关的人员为本机关")


def _agency_to_write(user: User, agency: int | None, message: str) -> tuple[Agency, bool]:
    chosen, county = _agency(user, agency)
    if chosen is None:
        # A supervisor publishes for no agency (403 as on the page); a system administrator names one.
        permission_require(user.role == Role.SYSTEM_ADMIN, message)
        raise InputRefused([Violation("annual.agency", "请选择执法主体", FORM_BASIS, "agency")])
    permission_require(user_can_publish(user, chosen.pk), message)
    return chosen, county


NARRATIVE_IF_MATCH = Header(None, alias="If-Match", max_length=500, description=(
    "可选：读取年度数据时响应头 ETag 的值；此后情况说明已有变动（如他人已提交）时返回 412，不予提交"))


def _narrative_changed():
    return changed_since_read(code="annual_narrative.changed",
                              message="情况说明在您读取之后已有变动（如他人已提交），请重新读取后再提交")


@router.post("/publication/annual/narrative", summary="提交年度行政执法情况说明",
             response=answers({200: AnnualDataOut}, 403, 404, 409, 412))
def annual_narrative_post(request: HttpRequest, response: HttpResponse, payload: AnnualNarrativeIn,
                          if_match: str | None = NARRATIVE_IF_MATCH):
    """提交（或重新提交）执法主体一个年度的行政执法情况说明（本机关负责人、单位管理员或系统管理员），各部分全部必填；
    发布年度数据时一并公开。有部分未填写、超过字数的，返回 409 并列出全部理由。If-Match（可选）为读取时的 ETag，
    此后已有人提交的返回 412，不予提交。返回提交后的年度数据，响应头 ETag 为提交后的版本。"""
    year = _year(payload.year)
    agency, county = _agency_to_write(request.user, payload.agency, NARRATIVE_PERMISSION_MESSAGE)
    with transaction.atomic():
        if if_match is not None:
            # A weak tag never matches (RFC 9110 strong comparison), as for the reports.
            tags = {tag.strip() for tag in if_match.split(",")}
            if "*" not in tags and annual_narrative_version(agency=agency, year=year, lock=True) not in tags:
                return _narrative_changed()
        annual_narrative_submit(actor=request.user, agency=agency, year=year, sections=dict(payload.sections))
    _narrative_etag(response, agency, year)
    return _annual_out(request.user, agency=agency, county=county, year=year)


@router.post("/publication/annual/publish", summary="发布年度行政执法数据", response=answers({200: AnnualDataOut}, 403, 404, 409))
def annual_publish_post(request: HttpRequest, response: HttpResponse, payload: AnnualPublishIn):
    """向社会公开执法主体一个年度的行政执法数据（本机关负责人、单位管理员或系统管理员），连同已提交的情况说明；
    已公开的，以本平台统计数据重新发布。执法主体尚未在公示平台公开等不能发布的，返回 409 并列出全部理由。"""
    year = _year(payload.year)
    agency, county = _agency_to_write(request.user, payload.agency, PERMISSION_MESSAGE)
    annual_report_publish(actor=request.user, agency=agency, year=year)
    _narrative_etag(response, agency, year)
    return _annual_out(request.user, agency=agency, county=county, year=year)

