"""三项制度实施目标 through the API (issue 19): what the targets pages show, computed by the same
selectors (`evaluation.target_selectors`): the share of the viewer's agencies fully applying the three
systems on a day against the campaign in force, with each agency's result and what holds it back; one
agency's kinds × criteria; the records a criterion was judged on; the monthly history; the county's
campaigns, and the 司法局's definition of the next one (`target_services.target_campaign_define`).
Who reads: the indicators' rule, as the pages (a supervisor their county, the system administrator every
county, an agency head their own agency; anyone else 403, an agency not theirs 404)."""

import datetime as dt
from dataclasses import replace
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError

from sanxiang.api.errors import InputRefused
from sanxiang.api.schemas import PlausibleDate, Status, Text, answers
from sanxiang.evaluation import target_selectors as selectors
from sanxiang.evaluation import target_services
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.evaluation.targets import (
    CAMPAIGN_BASIS,
    CRITERIA,
    KIND_LABELS,
    MILESTONES_MAX,
    RULE_BASIS,
    STATUS_LABELS,
    TITLE_MAX,
    EnforcementKind,
    criterion_basis,
    earliest_day,
)
from sanxiang.procedure.violations import Refused

router = Router(tags=["targets"])

DENIED = "只有司法局监督人员、系统管理员和机关负责人可以查看三项制度实施目标"
ON = Query(None, description="判断的日期（ISO 日期，不早于可以判断的第一天，不晚于今天），不填为今天")
KINDS = [k.value for k in EnforcementKind]
KindIn = Literal[tuple(KINDS)]  # type: ignore[valid-type]
CriterionIn = Literal[tuple(c.code for c in CRITERIA)]  # type: ignore[valid-type]
AGENCY_ID = Path(..., ge=1, le=ID_MAX, description="执法主体")
KIND = Query(..., description="执法类别")
CRITERION = Query(..., description="标准的代码（见 /api/targets/agencies/{agency_id} 的 criteria[].code）")
STATUSES = "met（达到）、not_met（未达到）、not_applicable（不适用、不计入）"


class JudgementOut(Schema):
    status: str = Field(..., description=STATUSES)
    status_label: str
    reason: str = Field(..., description="判断的理由")


class CriterionResultOut(JudgementOut):
    code: str
    name: str
    requirement: str = Field(..., description="达到的要求")
    basis: str


class KindResultOut(JudgementOut):
    kind: str = Field(..., description="执法类别：" + "、".join(f"{k.value}（{label}）" for k, label in KIND_LABELS.items()))
    label: str
    criteria: list[CriterionResultOut] = Field(..., description="各项标准；无此类执法时为空")


class FailureOut(Schema):
    kind: str
    kind_label: str
    criterion: str
    criterion_name: str
    reason: str


class AgencyTargetOut(JudgementOut):
    agency_id: int
    agency_name: str
    failures: list[FailureOut] = Field(..., description="未达到的标准（使其未能全面实行的原因）")


class AgencyTargetDetailOut(AgencyTargetOut):
    on: dt.date
    window_start: dt.date = Field(..., description="判断依据的记录期间的第一天")
    window_end: dt.date
    kinds: list[KindResultOut]


class MilestoneOut(Schema):
    due_on: dt.date
    percent: int = Field(..., description="全面实行的单位占比（%）")


class TargetCampaignOut(Schema):
    title: str
    milestones: list[MilestoneOut]
    basis: str = Field(..., description="目标的来源：实施方案，或司法局确定的日期")
    default: bool = Field(..., description="实施方案的目标（本县司法局尚未确定自己的目标）")


class TargetTableOut(Schema):
    on: dt.date
    window_start: dt.date
    window_end: dt.date
    campaign: TargetCampaignOut
    milestone: MilestoneOut | None = Field(..., description="该日对照的阶段目标")
    counted: int = Field(..., description="计入的单位数（不含无此类执法的）")
    met: int = Field(..., description="全面实行的单位数")
    share: float | None = Field(..., description="全面实行的单位占比（%）；没有计入的单位时为 null")
    reached: bool | None = Field(..., description="是否达到阶段目标；无从比较时为 null")
    agencies: list[AgencyTargetOut]
    basis: str


class RecordDateOut(Schema):
    label: str
    on: dt.date | None


class TargetRecordOut(Schema):
    reference: str = Field(..., description="案号、文书编号、执法事项编码等")
    title: str = Field(..., description="案由、事项或文件名称；本人不能查阅该案件时为空字符串")
    dates: list[RecordDateOut]
    note: str
    case_id: int | None


class TargetRecordsOut(JudgementOut):
    agency_id: int
    agency_name: str
    kind: str
    kind_label: str
    criterion: str
    criterion_name: str
    basis: str
    window_start: dt.date
    window_end: dt.date
    count: int = Field(..., description="记录总数（records 最多200条）")
    records: list[TargetRecordOut]


class HistoryAgencyOut(Schema):
    agency_id: int
    name: str
    status: str = Field(..., description="met 或 not_met")
    failures: list[str]


class HistoryMonthOut(Schema):
    month: dt.date = Field(..., description="月份（该月第一天）")
    computed_on: dt.date
    counted: int
    met: int
    share: float | None
    target_percent: int | None
    target_due_on: dt.date | None
    agencies: list[HistoryAgencyOut]


class TargetCampaignRowOut(TargetCampaignOut):
    id: int
    defined_on: dt.date
    defined_by: str


class CampaignsOut(Schema):
    in_force: TargetCampaignOut
    campaigns: list[TargetCampaignRowOut] = Field(..., description="本县司法局确定过的目标，最近的在前（最近的即施行的）")
    basis: str


class MilestoneIn(Schema):
    due_on: PlausibleDate = Field(..., description="阶段期限")
    percent: int = Field(..., description="全面实行的单位占比（%，1至100）")


class TargetCampaignIn(Schema):
    title: Text(TITLE_MAX + 100) = Field(..., description=f"目标名称（最多{TITLE_MAX}字）")
    milestones: list[MilestoneIn] = Field(..., max_length=10, description=f"阶段目标（1至{MILESTONES_MAX}个），期限和占比逐段递增")


# --- helpers ----------------------------------------------------------------------------------------------


def _require(request: HttpRequest) -> None:
    if not selectors.user_reads_targets(request.user):
        raise PermissionDenied(DENIED)


def _on(on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if on is None:
        return today
    if not earliest_day() <= on <= today:
        raise ValidationError([{"type": "date_range", "loc": ("query", "on"),
                                "msg": f"应在{earliest_day():%Y-%m-%d}至今天之间"}])
    return on


def _judgement(judgement) -> dict:
    return {"status": judgement.status.value, "status_label": STATUS_LABELS[judgement.status],
            "reason": judgement.reason}


def _agency(result) -> dict:
    return _judgement(result.judgement) | {
        "agency_id": result.agency.pk, "agency_name": result.agency.name,
        "failures": [{"kind": k.kind.value, "kind_label": k.label, "criterion": c.criterion.code,
                      "criterion_name": c.criterion.name, "reason": c.judgement.reason} for k, c in result.failures],
    }


def _campaign(campaign) -> dict:
    return {"title": campaign.title, "milestones": [_milestone(m) for m in campaign.milestones],
            "basis": campaign.basis, "default": campaign.default}


def _milestone(milestone) -> dict:
    return {"due_on": milestone.due_on, "percent": milestone.percent}


# --- reads ----------------------------------------------------------------------------------------------------


@router.get("/targets", response=answers({200: TargetTableOut}, 403))
def target_table_get(request: HttpRequest, on: dt.date | None = ON):
    """某日（默认今天）本人可见的执法机关全面实行三项制度的情况：计入的单位数、全面实行的单位数和占比，对照本县施行的目标及该日的阶段目标，
    每个机关的结论和未达到的标准。司法局监督人员为本县各机关，系统管理员为全部，机关负责人为本机关。"""
    _require(request)
    table = selectors.target_table(viewer=request.user, on=_on(on))
    return {
        "on": table.on, "window_start": table.window.start, "window_end": table.window.end,
        "campaign": _campaign(table.campaign),
        "milestone": _milestone(table.milestone) if table.milestone else None,
        "counted": table.counted, "met": table.met, "share": table.share, "reached": table.reached,
        "agencies": [_agency(r) for r in table.results], "basis": RULE_BASIS,
    }


@router.get("/targets/agencies/{agency_id}", response=answers({200: AgencyTargetDetailOut}, 403, 404))
def target_agency_get(request: HttpRequest, agency_id: int = AGENCY_ID, on: dt.date | None = ON):
    """一个执法机关某日（默认今天）各执法类别 × 各项标准的结论和理由。不是本人可见的机关返回 404。"""
    _require(request)
    day = _on(on)
    result = selectors.target_agency(viewer=request.user, agency_id=agency_id, on=day)
    if result is None:
        raise Http404("没有这个执法主体，或者无权查看")
    window = selectors.window_of(on=day, region=result.agency.region_code)
    return _agency(result) | {
        "on": day, "window_start": window.start, "window_end": window.end,
        "kinds": [_judgement(k.judgement) | {
            "kind": k.kind.value, "label": k.label,
            "criteria": [_judgement(c.judgement) | {"code": c.criterion.code, "name": c.criterion.name,
                                                    "requirement": c.criterion.requirement,
                                                    "basis": criterion_basis(c.criterion)} for c in k.criteria]}
            for k in result.kinds],
    }


@router.get("/targets/agencies/{agency_id}/records", response=answers({200: TargetRecordsOut}, 403, 404))
def target_records_get(
    request: HttpRequest,
    agency_id: int = AGENCY_ID,
    kind: KindIn = KIND,
    criterion: CriterionIn = CRITERION,
    on: dt.date | None = ON,
):
    """一个执法机关某一类执法的某项标准所依据的记录（最多200条，count 为总数）。案由只向能查阅该案件的人提供。不是本人可见的机关返回 404。"""
    _require(request)
    day = _on(on)
    listing = selectors.target_records(viewer=request.user, agency_id=agency_id, kind=EnforcementKind(kind),
                                       criterion=criterion, on=day)
    if listing is None:
        raise Http404("没有这个执法主体，或者无权查看")
    return _judgement(listing.judgement) | {
        "agency_id": listing.agency.pk, "agency_name": listing.agency.name, "kind": listing.kind.value,
        "kind_label": KIND_LABELS[listing.kind], "criterion": listing.criterion.code,
        "criterion_name": listing.criterion.name, "basis": criterion_basis(listing.criterion),
        "window_start": listing.window.start, "window_end": listing.window.end, "count": listing.count,
        "records": [{"reference": r.reference, "title": "" if r.withheld else r.title,
                     "dates": [{"label": label, "on": when} for label, when in r.dates], "note": r.note, "case_id": r.case_id}
                    for r in listing.rows],
    }


@router.get("/targets/history", response=answers({200: list[HistoryMonthOut]}, 403))
def target_history_get(request: HttpRequest):
    """每月记录的全面实行占比（最早的在前），每个数字都列出其所含的机关及未达到的原因。司法局监督人员为本县，系统管理员为各县合计，
    机关负责人只见本机关。"""
    _require(request)
    return [{"month": h.month, "computed_on": h.computed_on, "counted": h.counted, "met": h.met, "share": h.share,
             "target_percent": h.target_percent, "target_due_on": h.target_due_on,
             "agencies": [{"agency_id": a.agency_id, "name": a.name, "status": a.status, "failures": list(a.failures)}
                          for a in h.agencies]}
            for h in selectors.target_history(viewer=request.user)]


def _define_require(request: HttpRequest) -> None:
    if not selectors.user_defines_campaigns(request.user):
        raise PermissionDenied("只有县司法局监督人员可以确定本县的实施目标")


def _campaigns(request: HttpRequest) -> dict:
    bureau = request.user.agency
    return {
        "in_force": _campaign(selectors.campaign_in_force(bureau=bureau, on=timezone.localdate())),
        "campaigns": [{"id": c.pk, "title": c.title, "defined_on": c.defined_on, "defined_by": str(c.defined_by),
                       "milestones": [{"due_on": dt.date.fromisoformat(m["due_on"]), "percent": int(m["percent"])}
                                      for m in c.milestones],
                       "basis": f"{bureau.name}于{c.defined_on:%Y-%m-%d}确定", "default": False}
                      for c in selectors.campaigns_of(bureau=bureau)],
        "basis": CAMPAIGN_BASIS,
    }


@router.get("/targets/campaigns", response=answers({200: CampaignsOut}, 403))
def target_campaign_list(request: HttpRequest):
    """本县施行的实施目标和本县司法局确定过的目标。只有县司法局监督人员可以查看（与确定目标的页面相同）。"""
    _define_require(request)
    return _campaigns(request)


def _field(field: str | None, *, given: int) -> str | None:
    """The form's field (`due_on_2`) as the API names it (`milestones.1.due_on`); a milestone the
    request does not have (none given) is `milestones` itself."""
    for name in ("due_on", "percent"):
        if field and field.startswith(f"{name}_") and field[len(name) + 1:].isdigit():
            index = int(field[len(name) + 1:]) - 1
            return f"milestones.{index}.{name}" if 0 <= index < given else "milestones"
    return field


@router.post("/targets/campaigns", response=answers({201: CampaignsOut}, 403))
def target_campaign_define(request: HttpRequest, payload: TargetCampaignIn):
    """县司法局监督人员确定本县的下一个实施目标（目标名称和1至3个阶段：期限和全面实行的单位占比），即时施行。
    名称未填或过长、占比不在1至100、期限或占比未逐段递增、阶段过多的，返回 422 并指明每个字段。"""
    _define_require(request)
    try:
        target_services.target_campaign_define(
            actor=request.user, title=payload.title,
            milestones=[(m.due_on, m.percent) for m in payload.milestones], on=timezone.localdate())
    except Refused as refused:
        raise InputRefused([replace(v, field=_field(v.field, given=len(payload.milestones)) or "milestones") for v in refused.violations]) from None
    return Status(201, _campaigns(request))
