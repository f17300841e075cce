"""案卷评查 through the API (issue 19), as its pages (evaluation/campaign_views.py, casefile_views.py):
the campaigns a user sees (the county's supervisors all of their bureau's, an agency's user those
that evaluate their agency or name them an evaluator), one campaign with its files and figures, its
definition, draw and results by the 司法局, an agency's self-check, an evaluator's score under the
read grant, the 司法局's re-grading, the copy of a file and its documents' PDFs (each reading in the
access log, as the page's); the standards in force and the 司法局's next version; a case file's live
score. What the page hides from a user (another evaluator's name and score before the results are
published, the seed before the draw, the copy outside the read grant) the API hides too. Handlers
parse, call `campaign_selectors` / `campaign_services` / `casefile_selectors` / `casefile_services`
and render."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal, NoReturn

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from pydantic import StrictBool, StrictInt

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_record, client_ip, request_access_record
from sanxiang.accounts.models import Role
from sanxiang.api.errors import InputRefused
from sanxiang.api.pagination import (
    DEFAULT_LIMIT,
    PageOut,
    cursor_query,
    date_range_filter,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    paginate_rows,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import Id, PlausibleDate, Status, Text, answers, binary_answer
from sanxiang.cases.selectors import case_get
from sanxiang.evaluation import campaign_selectors as selectors
from sanxiang.evaluation import campaign_services as services
from sanxiang.evaluation import casefile_selectors, casefile_services
from sanxiang.evaluation.models import CampaignAssignment, CampaignFile, EvaluationCampaign
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.evaluation.campaigns import (
    CAMPAIGN_PROCEDURES,
    SAMPLE_SIZE_MAX,
    STATE_LABELS,
    State,
    automatic_digest,
    manual_items,
    procedure_label,
)
from sanxiang.procedure.evaluation.casefile_standard import (
    FILE_KIND_LABELS,
    TIER_LABELS,
    UNSCORED_BASIS,
    FileKind,
    Item,
    ItemResult,
    Standard,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation

router = Router(tags=["evaluation"])

CAMPAIGNS = "/evaluation/campaigns"
STANDARDS = "/evaluation/casefile-standards"
CAMPAIGN_STATES = list(STATE_LABELS.items())
CampaignStatusIn = Literal[tuple(value for value, _ in CAMPAIGN_STATES)]  # type: ignore[valid-type]
ProcedureIn = Literal[tuple(k for k in CAMPAIGN_PROCEDURES if k in procedures_all())]  # type: ignore[valid-type]
FileKindIn = Literal[tuple(k.value for k in FileKind)]  # type: ignore[valid-type]
CAMPAIGN_ORDERING = {"defined_on": ("defined_on", "确定日期"), "period_end": ("period_end", "结案期间止"),
                     "id": ("id", "确定先后")}
DEFINED_SINCE, DEFINED_UNTIL = since_query("确定日期"), until_query("确定日期")
CAMPAIGN_STATUS = Query(None, description=status_description(CAMPAIGN_STATES))
KIND_PATH = Path(..., description="案卷类别")
ITEM_CODE_MAX = 40
RESULTS_MAX = 200


# --- refusals -----------------------------------------------------------------------------------


def _refusal_raise(refusal: Refused, *, fields: dict[str, str] | None = None, prefix: str = "") -> NoReturn:
    """A service's refusal, its fields named as the API names them: 422 when every reason is a
    field's (bad input), else 409 with every reason."""
    fields = fields or {}
    violations = [replace(v, field=fields.get(v.field, f"{prefix}{v.field}")) if v.field else v
                  for v in refusal.violations]
    if violations and all(v.field for v in violations):
        raise InputRefused(violations) from None
    raise Refused(violations) from None


def _points(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _user_name(user) -> str:
    return user.get_full_name() or user.username


def _is_bureau(viewer) -> bool:
    return viewer.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def _organizes(viewer, campaign: EvaluationCampaign) -> bool:
    return selectors.user_defines_campaigns(viewer) and viewer.agency_id == campaign.bureau_id


# --- campaigns ----------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    bureau_id: int
    bureau_name: str
    title: str = Field(..., description="评查活动名称")
    period_start: dt.date = Field(..., description="结案期间起")
    period_end: dt.date = Field(..., description="结案期间止")
    procedures: list[str] = Field(..., description="案件种类（程序）")
    procedure_labels: list[str]
    sample_size: int | None = Field(..., description="抽取数量（份）；按比例抽取的为 null")
    sample_percent: int | None = Field(..., description="抽取比例（%，向上取整）；按数量抽取的为 null")
    results_public: bool = Field(..., description="评查结果和抽取输入在门户网站向社会公开")
    status: str = Field(..., description=status_description(CAMPAIGN_STATES))
    status_label: str
    defined_on: dt.date
    drawn_at: dt.datetime | None
    published_on: dt.date | None = Field(..., description="结果公布日期")


class CampaignAgencyOut(Schema):
    id: int
    name: str


class CampaignEvaluatorOut(Schema):
    id: int
    name: str
    agency_id: int
    agency_name: str


class CampaignAssignmentOut(Schema):
    position: int = Field(..., description="评查人员顺序（1 或 2）")
    evaluator_id: int | None = Field(..., description="评查人员；司法局、本人或结果公布后可见，否则为 null")
    evaluator_name: str | None
    evaluator_agency_name: str | None
    scored: bool
    total: str | None = Field(..., description="得分；司法局、本人或结果公布后可见，否则为 null")
    grade: str | None
    grant_expires_at: dt.datetime = Field(..., description="阅卷截止")


class CampaignFileOut(Schema):
    id: int
    case_number: str
    agency_id: int
    agency_name: str
    closed_on: dt.date = Field(..., description="结案日期")
    procedure_label: str
    self_checked: bool
    self_total: str | None = Field(..., description="自查得分；未自查为 null")
    self_grade: str
    sampled: bool
    draw_position: int | None = Field(..., description="抽中顺序；未抽中为 null")
    regrade_required: bool = Field(..., description="两名评查人员评分相差过大，待司法局复评")
    final_total: str | None = Field(..., description="评查得分；尚无结果为 null；结果公布前不向该案卷的评查人员提供（null）")
    final_grade: str = Field(..., description="评查等次；尚无结果或者不提供时为空")
    final_passed: bool | None = Field(..., description="是否合格；结果公布前不向该案卷的评查人员提供（null）")
    assignments: list[CampaignAssignmentOut]


class CampaignCountsOut(Schema):
    listed: int = Field(..., description="列入的案卷")
    self_checked: int = Field(..., description="已自查")
    sampled: int = Field(..., description="抽中")
    final: int = Field(..., description="评分完毕")
    passed: int = Field(..., description="合格以上")
    regrade: int = Field(..., description="待复评")


class CampaignDetailOut(CampaignOut):
    agencies: list[CampaignAgencyOut] = Field(..., description="被评查机关")
    evaluators: list[CampaignEvaluatorOut] = Field(..., description="评查人员")
    seed_commitment: str = Field(..., description="随机种子摘要（SHA-256，抽取前公布）")
    seed: str | None = Field(..., description="随机种子（抽取后向司法局公布，结果公布后向所有看到活动的人公布；否则为 null）")
    population_sha256: str = Field(..., description="列入范围的案卷摘要")
    population_count: int
    sample_count: int
    counts: CampaignCountsOut = Field(..., description="案卷的统计（整个活动的）")
    files: list[CampaignFileOut] = Field(
        ..., description=f"本人可见的案卷的第一页（按案号，至多{DEFAULT_LIMIT}份）：司法局全部，执法机关本机关的和本人评查的；"
                         "全部案卷分页读取 files_url")
    files_next: str | None = Field(..., description="还有更多案卷时，其下一页的地址；没有更多为 null")
    files_url: str = Field(..., description="本人可见的全部案卷（分页）的地址")
    may_draw: bool = Field(..., description="本人现在可以抽取")
    may_publish: bool = Field(..., description="本人现在可以公布评查结果")


class CampaignPageOut(PageOut):
    items: list[CampaignOut]


class CampaignFilePageOut(PageOut):
    items: list[CampaignFileOut]


def _campaign_out(campaign: EvaluationCampaign) -> dict:
    return {
        "id": campaign.pk, "bureau_id": campaign.bureau_id, "bureau_name": campaign.bureau.name,
        "title": campaign.title, "period_start": campaign.period_start, "period_end": campaign.period_end,
        "procedures": list(campaign.procedures), "procedure_labels": [procedure_label(p) for p in campaign.procedures],
        "sample_size": campaign.sample_size, "sample_percent": campaign.sample_percent,
        "results_public": campaign.results_public, "status": campaign.state,
        "status_label": STATE_LABELS.get(campaign.state, ""), "defined_on": campaign.defined_on,
        "drawn_at": campaign.drawn_at, "published_on": campaign.published_on,
    }


def _assignments_out(assignments: list[CampaignAssignment], *, viewer, campaign: EvaluationCampaign) -> list[dict]:
    """As the file page shows them: who scored and what to the bureau's side, to the evaluator
    themself and once the results are published; to anyone else only whether each has scored."""
    rows = []
    for a in assignments:
        shown = _is_bureau(viewer) or a.evaluator_id == viewer.pk or campaign.published_on is not None
        rows.append({
            "position": a.position, "evaluator_id": a.evaluator_id if shown else None,
            "evaluator_name": _user_name(a.evaluator) if shown else None,
            "evaluator_agency_name": a.evaluator_agency.name if shown else None,
            "scored": a.scored_at is not None,
            "total": _points(a.total) if shown and a.scored_at else None,
            "grade": a.grade if shown and a.scored_at else None,
            "grant_expires_at": a.grant_expires_at,
        })
    return rows


def _final_out(file: CampaignFile, *, viewer, campaign: EvaluationCampaign, assignments: list) -> dict:
    """The file's result, as the pages show it: hidden (null) from its evaluators until published."""
    if not selectors.final_result_visible(viewer=viewer, campaign=campaign,
                                          evaluator_ids=[a.evaluator_id for a in assignments]):
        return {"final_total": None, "final_grade": "", "final_passed": None}
    return {"final_total": _points(file.final_total), "final_grade": file.final_grade,
            "final_passed": file.final_passed}


def _file_out(file: CampaignFile, *, viewer, campaign: EvaluationCampaign, assignments: list | None = None) -> dict:
    if assignments is None:
        assignments = list(file.assignments.select_related("evaluator", "evaluator_agency").order_by("position"))
    return {
        "id": file.pk, "case_number": file.case_number, "agency_id": file.agency_id, "agency_name": file.agency.name,
        "closed_on": file.closed_on, "procedure_label": procedure_label(file.case_procedure),
        "self_checked": file.self_total is not None, "self_total": _points(file.self_total),
        "self_grade": file.self_grade, "sampled": file.sampled, "draw_position": file.draw_position,
        "regrade_required": file.regrade_required,
        **_final_out(file, viewer=viewer, campaign=campaign, assignments=assignments),
        "assignments": _assignments_out(assignments if file.sampled else [], viewer=viewer, campaign=campaign),
    }


def _campaign_detail(*, viewer, campaign_id: int) -> dict:
    campaign = selectors.campaign_get(viewer=viewer, campaign_id=campaign_id)
    counts = selectors.campaign_counts_of(campaign=campaign)
    # The first page of the files the viewer sees (the rest through files_url, as the page pages them):
    # an agency's user the files of their agency and those they evaluate (the counts stay the campaign's).
    files_url = f"/api{CAMPAIGNS}/{campaign.pk}/files"
    page = _files_page(files_url, viewer=viewer, campaign=campaign, limit=DEFAULT_LIMIT, cursor=None, query={})
    organizes = _organizes(viewer, campaign)
    return _campaign_out(campaign) | {
        "agencies": [{"id": a.pk, "name": a.name} for a in campaign.agencies.order_by("name", "pk")],
        "evaluators": [{"id": u.pk, "name": _user_name(u), "agency_id": u.agency_id, "agency_name": u.agency.name}
                       for u in campaign.evaluators.select_related("agency").order_by("agency__name", "username")],
        "seed_commitment": campaign.seed_commitment, "seed": campaign.seed if selectors.draw_inputs_visible(viewer=viewer, campaign=campaign) else None,
        "population_sha256": campaign.population_sha256, "population_count": campaign.population_count,
        "sample_count": campaign.sample_count, "counts": counts,
        "files": page["items"], "files_next": page["next"], "files_url": files_url,
        "may_draw": organizes and campaign.state == State.SELF_CHECK,
        "may_publish": organizes and campaign.state == State.DRAWN,
    }


@router.get(CAMPAIGNS, summary="案卷评查活动列表", response=answers({200: CampaignPageOut}))
def campaign_list(
    request: HttpRequest,
    status: CampaignStatusIn | None = CAMPAIGN_STATUS,
    since: dt.date | None = DEFINED_SINCE,
    until: dt.date | None = DEFINED_UNTIL,
    ordering: str = ordering_query(CAMPAIGN_ORDERING, default="-defined_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """本人可见的案卷评查活动，默认按确定日期从新到旧，分页返回：司法局监督人员看到本县的，系统管理员看到全部，
    执法机关的人员看到评查本机关或者本人为评查人员的。"""
    rows = selectors.campaigns_visible(viewer=request.user)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="defined_on", since=since, until=until)
    order = order_resolve(ordering, keys=CAMPAIGN_ORDERING, default="-defined_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_campaign_out)


@router.get(CAMPAIGNS + "/{campaign_id}", summary="读取案卷评查活动", response=answers({200: CampaignDetailOut}, 404))
def campaign_get(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=ID_MAX)):
    """一次评查活动，与活动页面相同：范围、抽取方式、评查人员、随机种子摘要（抽取后公布种子）、案卷及其自查、
    抽中和评查结果、统计。执法机关的人员只看到本机关的案卷和本人评查的案卷；看不到的活动 404。"""
    return _campaign_detail(viewer=request.user, campaign_id=campaign_id)


FILES_ORDER = ("case_number", "id")


def _files_page(path: str, *, viewer, campaign: EvaluationCampaign, limit: int, cursor: str | None,
                query: dict) -> dict:
    """One page of the campaign's files the viewer sees (`campaign_files_for`, as the page lists them)."""
    rows = selectors.campaign_files_for(viewer=viewer, campaign=campaign)
    page = paginate_rows(rows, order=FILES_ORDER, limit=limit, cursor=cursor, path=path, query=query,
                         item=lambda f: _file_out(f, viewer=viewer, campaign=campaign,
                                                  assignments=list(f.assignments.all())))
    return page


@router.get(CAMPAIGNS + "/{campaign_id}/files", summary="评查活动的案卷（分页）",
            response=answers({200: CampaignFilePageOut}, 404))
def campaign_file_list(
    request: HttpRequest,
    campaign_id: int = Path(..., ge=1, le=ID_MAX),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """一次评查活动中本人可见的案卷，按案号排序，分页返回（与活动页面的案卷列表相同）：司法局全部，
    执法机关的人员本机关的和本人评查的。看不到的活动 404。"""
    campaign = selectors.campaign_get(viewer=request.user, campaign_id=campaign_id)
    return _files_page(request.path, viewer=request.user, campaign=campaign, limit=limit, cursor=cursor,
                       query={key: value for key, value in request.GET.items() if key != "cursor"})


class CampaignIn(Schema):
    title: Text(100) = Field(..., description="评查活动名称")
    period_start: PlausibleDate = Field(..., description="结案期间起")
    period_end: PlausibleDate = Field(..., description="结案期间止（须已经结束）")
    procedures: list[ProcedureIn] = Field(..., max_length=len(CAMPAIGN_PROCEDURES), description="评查的案件种类（程序）")
    agency_ids: list[Id] = Field(..., max_length=500, description="被评查机关（本县的执法机关）")
    sample_size: StrictInt | None = Field(None, ge=1, le=SAMPLE_SIZE_MAX, description="抽取数量（份），与抽取比例填写其中一项")
    sample_percent: StrictInt | None = Field(None, ge=1, le=100, description="抽取比例（%），与抽取数量填写其中一项")
    evaluator_ids: list[Id] = Field(..., max_length=500,
                                    description="评查人员（本县执法机关的执法人员、法制审核人员或者负责人；互查，不评查本机关案卷）")
    results_public: StrictBool = Field(False, description="评查结果和抽取输入在门户网站向社会公开")


DEFINE_FIELDS = {"agencies": "agency_ids", "evaluators": "evaluator_ids"}


@router.post(CAMPAIGNS, summary="确定案卷评查活动", response=answers({201: CampaignDetailOut}, 403))
def campaign_define(request: HttpRequest, payload: CampaignIn):
    """县司法局监督人员确定评查活动，与活动表单相同：列入期间内结案的案卷（冻结），生成随机种子并公布其摘要，记入账本。
    字段不合格、机关或评查人员不在本县、范围内没有案卷的，返回 422 并指明字段及依据；其他人 403。"""
    user = request.user
    if not selectors.user_defines_campaigns(user):
        raise PermissionDenied(services.SIDE)
    bureau = user.agency
    agencies = {a.pk: a for a in selectors.county_agencies(bureau=bureau).filter(pk__in=payload.agency_ids)}
    evaluators = {u.pk: u for u in selectors.evaluator_candidates(bureau=bureau).filter(pk__in=payload.evaluator_ids)}
    unknown = [Violation("campaign.agencies", f"执法机关 {pk} 不是本县的执法机关", FORM_BASIS, "agency_ids")
               for pk in dict.fromkeys(payload.agency_ids) if pk not in agencies]
    unknown += [Violation("campaign.evaluators", f"用户 {pk} 不是本县执法机关可以担任评查人员的人员", FORM_BASIS,
                          "evaluator_ids") for pk in dict.fromkeys(payload.evaluator_ids) if pk not in evaluators]
    if unknown:
        raise InputRefused(unknown)
    try:
        campaign = services.campaign_define(
            actor=user, title=payload.title, period_start=payload.period_start, period_end=payload.period_end,
            procedures=list(dict.fromkeys(payload.procedures)), agencies=list(agencies.values()),
            sample_size=payload.sample_size, sample_percent=payload.sample_percent,
            evaluators=list(evaluators.values()), results_public=payload.results_public, today=timezone.localdate(),
        )
    except Refused as refusal:
        _refusal_raise(refusal, fields=DEFINE_FIELDS)
    return Status(201, _campaign_detail(viewer=user, campaign_id=campaign.pk))


def _organizer_campaign(request: HttpRequest, campaign_id: int) -> EvaluationCampaign:
    campaign = selectors.campaign_get(viewer=request.user, campaign_id=campaign_id)
    if not _organizes(request.user, campaign):
        raise PermissionDenied(services.SIDE)
    return campaign


@router.post(CAMPAIGNS + "/{campaign_id}/draw", summary="抽取案卷和评查人员",
             response=answers({200: CampaignDetailOut}, 403, 404, 409))
def campaign_draw(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=ID_MAX)):
    """组织活动的司法局以确定活动时承诺的种子抽取案卷，并为每份抽中的案卷抽取两名其他机关的评查人员；随后公布种子和
    抽取输入，评查人员的阅卷期限自此起算。已经抽取、尚有机关未完成自查、评查人员不足的，返回 409 并列出全部理由。"""
    campaign = _organizer_campaign(request, campaign_id)
    services.campaign_draw_run(actor=request.user, campaign=campaign)
    return _campaign_detail(viewer=request.user, campaign_id=campaign.pk)


@router.post(CAMPAIGNS + "/{campaign_id}/publish", summary="公布评查结果",
             response=answers({200: CampaignDetailOut}, 403, 404, 409))
def campaign_publish(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=ID_MAX)):
    """公布评查结果（不可更改，计入案卷评查合格率；活动确定时选择公开的，同时在门户网站公开）。尚未抽取、已经公布、
    还有案卷未评分完毕或者待复评的，返回 409 并列出全部理由。"""
    campaign = _organizer_campaign(request, campaign_id)
    services.campaign_results_publish(actor=request.user, campaign=campaign, today=timezone.localdate())
    return _campaign_detail(viewer=request.user, campaign_id=campaign.pk)


@router.get(CAMPAIGNS + "/{campaign_id}/draw-inputs", summary="抽取的公开输入", response=answers({200: dict[str, Any]}, 404))
def campaign_draw_inputs(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=ID_MAX)):
    """抽取的公开输入，与活动页面下载的相同（python -m sanxiang_verify.draw 读取它重复抽取，核对种子与摘要）；
    抽取之前 404；结果公布之前只提供给司法局（及系统管理员），其他人 404（由种子和输入可以推算各案卷的评查人员）。"""
    campaign = selectors.campaign_get(viewer=request.user, campaign_id=campaign_id)
    if not selectors.draw_inputs_visible(viewer=request.user, campaign=campaign):
        raise Http404("尚未抽取，或者结果公布前只向司法局提供")
    return campaign.draw_inputs


# --- a file of a campaign -----------------------------------------------------------------------


class RecordRefOut(Schema):
    kind: str = Field(..., description="记录种类：document 文书、evidence 证据等")
    id: str
    label: str


class ScoredItemOut(Schema):
    code: str = Field(..., description="评查项目代码")
    title: str
    tier: str
    tier_label: str
    points: str = Field(..., description="分值（单项否决项为 0）")
    veto: bool = Field(..., description="单项否决项：符合（met）或不符合（failed）")
    rule: str = Field(..., description="评分细则")
    basis: str


class AutomaticItemOut(ScoredItemOut):
    applicable: bool
    failed: bool
    lost: str = Field(..., description="扣分")
    findings: list[str]
    records: list[RecordRefOut] = Field(..., description="自动评查查看的记录")


class CopyDocumentOut(Schema):
    id: int
    title: str
    number: str
    issued_on: dt.date
    pdf_url: str | None = Field(..., description="PDF 的下载地址（每次下载记入访问记录）；没有 PDF 的为 null")


class FileCopyOut(Schema):
    number: str = Field(..., description="案号")
    title: str = Field(..., description="案由")
    agency_name: str
    procedure_label: str
    state_label: str
    documents: list[CopyDocumentOut]


class StandardRefOut(Schema):
    version: str
    title: str
    note: str


class CampaignFileDetailOut(CampaignFileOut):
    campaign_id: int
    standard: StandardRefOut = Field(..., description="该案卷的评查标准")
    automatic_at: dt.datetime | None = Field(
        ..., description="自动评查结果保存的时间；尚未保存的为 null（抽取、自查、评分或复评时保存，读取不保存）")
    automatic: list[AutomaticItemOut] = Field(
        ..., description="平台根据案卷记录自动评查的项目：automatic_at 不为 null 的为已保存的结果，否则为可以评分的人读取时即时计算的结果")
    automatic_sha256: str | None = Field(
        ..., description="所示自动评查结果（automatic）的摘要（SHA-256）；评分时在请求的 automatic_sha256 中带回，"
                         "提交时重新计算的结果与之不同的返回 409；没有所示结果的为 null")
    action: Literal["self_check", "score", "regrade", ""] = Field(
        ..., description="本人现在可以提交的评分：self_check 自查、score 评查、regrade 复评；不能评分为空字符串")
    manual_items: list[ScoredItemOut] = Field(..., description="评分时须逐项填写的人工评查项目（仅 action 不为空时）")
    grant_expires_at: dt.datetime | None = Field(..., description="本人为评查人员的，阅卷截止")
    copy_: FileCopyOut | None = Field(..., alias="copy",
                                      description="案卷副本：抽中的评查人员在阅卷期限内、待复评时司法局可读；每次读取记入访问记录；自查、评分、复评的应答不含副本（null，应答会因幂等键重放），副本以 GET 该案卷读取")


def _item_out(item: Item) -> dict:
    return {"code": item.code, "title": item.title, "tier": str(item.tier), "tier_label": TIER_LABELS.get(item.tier, ""),
            "points": _points(item.points), "veto": item.veto, "rule": item.rule, "basis": item.basis}


def _ref_out(ref) -> dict:
    return {"kind": ref.kind, "id": str(ref.id), "label": ref.label}


def _automatic_out(standard: Standard, automatic: dict[str, ItemResult] | None) -> list[dict]:
    if automatic is None:
        return []
    return [_item_out(item) | {"applicable": r.applicable, "failed": r.failed, "lost": _points(r.lost) or "0",
                               "findings": list(r.findings), "records": [_ref_out(x) for x in r.records]}
            for item in standard.items if (r := automatic.get(item.code)) is not None]


def _file_action(viewer, campaign: EvaluationCampaign, file: CampaignFile,
                 assignment: CampaignAssignment | None, now: dt.datetime) -> str:
    """What the file page's form offers the viewer now."""
    if campaign.state == State.SELF_CHECK and file.self_total is None and selectors.user_self_checks(viewer, file):
        return "self_check"
    if (campaign.state == State.DRAWN and assignment is not None and assignment.scored_at is None
            and selectors.grant_active(assignment, now)):
        return "score"
    if campaign.state == State.DRAWN and file.regrade_required and not file.final_grade and _organizes(viewer, campaign):
        return "regrade"
    return ""


def _file_of(request: HttpRequest, campaign_id: int, file_id: int):
    campaign = selectors.campaign_get(viewer=request.user, campaign_id=campaign_id)
    file = selectors.file_get(viewer=request.user, campaign=campaign, file_id=file_id)
    return campaign, file


def _file_prepared(viewer, campaign: EvaluationCampaign, file: CampaignFile, now: dt.datetime):
    """The file's standard, the viewer's assignment, the action offered and the automatic items, as
    the page shows them: as stored by the write that first needed them, else computed for who may
    score the file now without storing (`automatic_at` null): a GET never changes the file's record."""
    standard = selectors.file_standard_of(file, region=campaign.bureau.region_code)
    assignment = selectors.assignment_of(file=file, viewer=viewer)
    action = _file_action(viewer, campaign, file, assignment, now)
    automatic = selectors.file_automatic_shown(file, standard, to_score=bool(action))
    return standard, assignment, action, automatic


def _file_detail(request: HttpRequest, campaign: EvaluationCampaign, file: CampaignFile, *,
                 with_copy: bool = True) -> dict:
    """The file as its page shows it. A write's answer is given without the copy (`with_copy=False`):
    the Idempotency-Key middleware keeps a write's answer 24 hours and replays it, which would hand the
    copy back after the reading period has ended, unlogged; the client reads it with the logged GET."""
    viewer = request.user
    now = timezone.now()
    standard, assignment, action, automatic = _file_prepared(viewer, campaign, file, now)
    copy = None
    if with_copy and selectors.copy_readable(viewer=viewer, campaign=campaign, file=file, assignment=assignment, at=now):
        # Every reading of the copy is recorded (access log and ledger) before it is answered, as the page's.
        with transaction.atomic():
            access_record(
                actor=viewer, action=AccessAction.VIEW, object_kind="evaluation.campaign_file", object_id=file.pk,
                object_label=f"案卷评查副本 {file.case_number}", agency_id=file.agency_id,
                ip_address=client_ip(request),
                details={"campaign": campaign.pk, "grant_expires_at": assignment.grant_expires_at.isoformat()
                         if assignment else None},
            )
        found = selectors.file_copy(file=file)
        base = f"/api{CAMPAIGNS}/{campaign.pk}/files/{file.pk}/documents"
        copy = {"number": found.number, "title": found.title, "agency_name": found.agency_name,
                "procedure_label": found.procedure_label, "state_label": found.state_label,
                "documents": [{"id": d.pk, "title": d.title, "number": d.number, "issued_on": d.issued_on,
                               "pdf_url": f"{base}/{d.pk}/pdf" if d.pdf_id else None} for d in found.documents]}
    return _file_out(file, viewer=viewer, campaign=campaign) | {
        "campaign_id": campaign.pk,
        "standard": {"version": standard.version, "title": standard.title, "note": standard.note},
        "automatic_at": file.automatic_at, "automatic": _automatic_out(standard, automatic),
        "automatic_sha256": automatic_digest(automatic) if automatic is not None else None, "action": action,
        "manual_items": [_item_out(i) for i in manual_items(standard, automatic)] if action else [],
        "grant_expires_at": assignment.grant_expires_at if assignment else None,
        "copy": copy,
    }


FILE_PATH = CAMPAIGNS + "/{campaign_id}/files/{file_id}"


@router.get(FILE_PATH, summary="读取评查案卷", response=answers({200: CampaignFileDetailOut}, 404), by_alias=True)
def campaign_file_get(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=ID_MAX),
                      file_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份评查案卷，与案卷页面相同：自查、评查人员的评分（其他评查人员的姓名和得分只对司法局、本人和结果公布后可见）、
    评查结果、自动评查项目、本人可以提交的评分及须填写的项目；抽中的评查人员在阅卷期限内（待复评时司法局）可读案卷副本，
    每次读取记入访问记录。司法局看到每份案卷，执法机关的人员看到本机关的和本人评查的，其他 404。"""
    campaign, file = _file_of(request, campaign_id, file_id)
    return _file_detail(request, campaign, file)


class ScoresIn(Schema):
    results: dict[Text(ITEM_CODE_MAX), Text(8)] = Field(
        ..., max_length=RESULTS_MAX,
        description="人工评查项目的评分（项目代码 → 值）：单项否决项填 met（符合）或 failed（不符合），其他项目填扣分"
                    "（0 至该项分值，以 0.5 分为单位）。须填写的项目见 GET 该案卷的 manual_items；自动评查的项目不填")
    automatic_sha256: str | None = Field(
        None, pattern=r"^[0-9a-f]{64}$",
        description="可选：GET 该案卷时的 automatic_sha256（所示自动评查结果的摘要）。给出的，提交时按案卷记录重新计算的"
                    "自动评查结果与之不同（读取后证据、执法证等记录有变动）即返回 409，不予评分；请重新读取核对后再提交")


def _results_checked(payload: ScoresIn, standard: Standard) -> dict[str, str]:
    """The results of the standard's items (an automatic item's value is not read); a code that is
    no item of the file's standard: 422 on its field."""
    codes = {i.code for i in standard.items}
    unknown = [Violation("campaign.item_unknown", f"“{code}”不是该案卷评查标准的项目", FORM_BASIS, f"results.{code}")
               for code in payload.results if code not in codes]
    if unknown:
        raise InputRefused(unknown)
    return {code: value.strip() for code, value in payload.results.items()}


def _manual_only(results: dict[str, str], standard: Standard, automatic) -> dict[str, str]:
    manual = {i.code for i in manual_items(standard, automatic)}
    return {code: value for code, value in results.items() if code in manual}


def _results_for(payload: ScoresIn, campaign: EvaluationCampaign, file: CampaignFile) -> dict[str, str]:
    """The manual items' results of a score: which items are automatic is known without computing
    them (the write computes them once, under the file's lock, and compares the digest shown)."""
    standard = selectors.file_standard_of(file, region=campaign.bureau.region_code)
    return _manual_only(_results_checked(payload, standard), standard,
                        selectors.file_automatic_pending(file, standard))


@router.post(FILE_PATH + "/self-check", summary="自查评分", response=answers({200: CampaignFileDetailOut}, 403, 404, 409),
             by_alias=True)
def campaign_file_self_check(request: HttpRequest, payload: ScoresIn, campaign_id: int = Path(..., ge=1, le=ID_MAX),
                             file_id: int = Path(..., ge=1, le=ID_MAX)):
    """案卷所属机关的法制审核人员或者负责人在抽取前自查评分一次（其他人 403）。项目未填或者取值不合格的，返回 422 并以
    results.<项目代码> 指明；已经抽取、已经自查的，返回 409 并列出全部理由（含各项目的问题）。"""
    campaign, file = _file_of(request, campaign_id, file_id)
    viewer = request.user
    if not selectors.user_self_checks(viewer, file):
        raise PermissionDenied("只有本机关的法制审核人员或者负责人可以自查本机关的案卷")
    results = _results_for(payload, campaign, file)
    try:
        services.campaign_self_check(actor=viewer, file=file, results=results, automatic_shown=payload.automatic_sha256)
    except Refused as refusal:
        _refusal_raise(refusal, prefix="results.")
    file.refresh_from_db()
    return _file_detail(request, campaign, file, with_copy=False)


@router.post(FILE_PATH + "/score", summary="评查人员评分", response=answers({200: CampaignFileDetailOut}, 403, 404, 409),
             by_alias=True)
def campaign_file_score(request: HttpRequest, payload: ScoresIn, campaign_id: int = Path(..., ge=1, le=ID_MAX),
                        file_id: int = Path(..., ge=1, le=ID_MAX)):
    """抽中的评查人员在阅卷期限内为该案卷评分一次（不是该案卷评查人员的 403）；两人都评分后取平均分，相差过大的由司法局
    复评。项目未填或者取值不合格的，返回 422 并以 results.<项目代码> 指明；阅卷期限已过、已经评分、活动不在评查阶段的，
    返回 409 并列出全部理由。"""
    campaign, file = _file_of(request, campaign_id, file_id)
    viewer = request.user
    assignment = selectors.assignment_of(file=file, viewer=viewer)
    if assignment is None:
        raise PermissionDenied("只有抽中的评查人员可以为该案卷评分")
    results = _results_for(payload, campaign, file)
    try:
        services.campaign_score(actor=viewer, assignment=assignment, results=results, automatic_shown=payload.automatic_sha256)
    except Refused as refusal:
        _refusal_raise(refusal, prefix="results.")
    file.refresh_from_db()
    return _file_detail(request, campaign, file, with_copy=False)


@router.post(FILE_PATH + "/regrade", summary="司法局复评", response=answers({200: CampaignFileDetailOut}, 403, 404, 409),
             by_alias=True)
def campaign_file_regrade(request: HttpRequest, payload: ScoresIn, campaign_id: int = Path(..., ge=1, le=ID_MAX),
                          file_id: int = Path(..., ge=1, le=ID_MAX)):
    """组织活动的司法局复评两名评查人员评分相差过大的案卷，其得分为评查结果（其他人 403）。项目未填或者取值不合格的，返回
    422 并以 results.<项目代码> 指明；不需要复评、活动不在评查阶段的，返回 409 并列出全部理由。"""
    campaign, file = _file_of(request, campaign_id, file_id)
    viewer = request.user
    if not _organizes(viewer, campaign):
        raise PermissionDenied(services.SIDE)
    results = _results_for(payload, campaign, file)
    try:
        services.campaign_regrade(actor=viewer, file=file, results=results, automatic_shown=payload.automatic_sha256)
    except Refused as refusal:
        _refusal_raise(refusal, prefix="results.")
    file.refresh_from_db()
    return _file_detail(request, campaign, file, with_copy=False)


@router.get(FILE_PATH + "/documents/{document_id}/pdf", summary="案卷副本中文书的 PDF",
            response=answers({}, 404), openapi_extra=binary_answer("application/pdf", description="文书的 PDF"))
def campaign_file_document(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=ID_MAX),
                           file_id: int = Path(..., ge=1, le=ID_MAX), document_id: int = Path(..., ge=1, le=ID_MAX)):
    """案卷副本中一份文书的 PDF（签发时的），只给现在可读副本的人（抽中的评查人员在阅卷期限内，待复评时司法局）；
    发送前记入访问记录。其他人、没有这份文书的，404。"""
    campaign, file = _file_of(request, campaign_id, file_id)
    opened = services.campaign_copy_document_open(viewer=request.user, campaign=campaign, file=file,
                                                  document_id=document_id, ip_address=client_ip(request),
                                                  at=timezone.now())
    if isinstance(opened, str):
        raise Http404
    document, blob = opened
    response = FileResponse(blob, as_attachment=True, filename=f"{document.filename_stem}.pdf",
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# --- the standards ------------------------------------------------------------------------------


class StandardItemOut(ScoredItemOut):
    stage: str
    deduction: str = Field(..., description="每处扣分")
    automatic: bool = Field(..., description="平台根据案卷记录自动评查")
    fix: str = Field(..., description="案件办理中如何整改")


class StandardVersionOut(Schema):
    id: int
    kind: str
    version: str
    title: str
    valid_from: dt.date = Field(..., description="施行日期")
    changes: list[str] = Field(..., description="与上一版本相比的修改（与标准页面相同，不含发布人和发布时间）")


class CasefileStandardOut(Schema):
    kind: str = Field(..., description="案卷类别：" + "、".join(f"{k.value}（{v}）" for k, v in FILE_KIND_LABELS.items()))
    kind_label: str
    version: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    county: bool = Field(..., description="本县司法局发布的版本（否则为平台的默认标准）")
    on_platform: bool = Field(..., description="平台有该类案件的办案程序（否则只用于人工评查）")
    note: str
    full_marks: str = Field(..., description="满分")


class CasefileStandardDetailOut(CasefileStandardOut):
    items: list[StandardItemOut]
    versions: list[StandardVersionOut] = Field(..., description="本县司法局发布的各版本，从新到旧")


class CasefileStandardListOut(Schema):
    items: list[CasefileStandardOut]
    on: dt.date = Field(..., description="施行日期所依据的日期（今天）")


def _region(user) -> str:
    return user.agency.region_code if user.agency_id else ""


def _standard_out(kind: FileKind, standard: Standard) -> dict:
    return {"kind": kind.value, "kind_label": FILE_KIND_LABELS[kind], "version": standard.version,
            "title": standard.title, "valid_from": standard.valid_from, "valid_to": standard.valid_to,
            "county": bool(standard.region), "on_platform": standard.on_platform, "note": standard.note,
            "full_marks": _points(standard.full_marks)}


def _version_out(row) -> dict:
    return {"id": row.pk, "kind": row.kind, "version": row.version, "title": row.title, "valid_from": row.valid_from,
            "changes": list(row.changes)}


def _standard_detail(user, kind: FileKind) -> dict:
    region = _region(user)
    standard = casefile_selectors.standard_for(kind, timezone.localdate(), region)
    return _standard_out(kind, standard) | {
        "items": [_item_out(i) | {"stage": i.stage, "deduction": _points(i.deduction), "automatic": i.automatic,
                                  "fix": i.fix} for i in standard.items],
        "versions": [_version_out(row) for row in casefile_selectors.standard_versions(kind=kind, region=region)],
    }


@router.get(STANDARDS, summary="施行中的案卷评查标准", response=answers({200: CasefileStandardListOut}))
def casefile_standard_list(request: HttpRequest):
    """本县每类案卷今天施行的案卷评查标准（本县司法局发布的版本，否则为平台的默认标准），与评查标准页面相同。"""
    region = _region(request.user)
    today = timezone.localdate()
    return {"items": [_standard_out(kind, casefile_selectors.standard_for(kind, today, region)) for kind in FileKind],
            "on": today}


@router.get(STANDARDS + "/{kind}", summary="读取案卷评查标准", response=answers({200: CasefileStandardDetailOut}))
def casefile_standard_get(request: HttpRequest, kind: FileKindIn = KIND_PATH):
    """一类案卷今天施行的评查标准及其全部项目（分值、评分细则、依据、是否自动评查），以及本县司法局发布的各版本和修改内容。"""
    return _standard_detail(request.user, FileKind(kind))


class CasefileStandardIn(Schema):
    kind: FileKindIn = Field(..., description="案卷类别")
    title: Text(100) = Field(..., description="标准名称")
    version: Text(40) = Field(..., description="版本号")
    valid_from: PlausibleDate = Field(..., description="施行日期（不早于今天）")
    changes: Text(20000, multiline=True) = Field(..., description="修改内容，每行改一项（格式与评查标准页面相同）")


@router.post(STANDARDS, summary="发布案卷评查标准", response=answers({201: CasefileStandardDetailOut}, 403))
def casefile_standard_publish(request: HttpRequest, payload: CasefileStandardIn):
    """县司法局监督人员在施行中的版本上修改，发布本县的下一版本（发布后不可修改），记入账本并列明修改内容；返回该类
    案卷的标准（新版本施行前仍为原版本）及各版本。字段或修改内容不合格、施行日期早于今天、版本号或施行日期重复的，
    返回 422 并指明字段及依据；其他人 403。"""
    user = request.user
    if not selectors.user_defines_campaigns(user):
        raise PermissionDenied("只有县司法局监督人员可以发布本县的案卷评查标准")
    try:
        casefile_services.casefile_standard_publish(
            actor=user, kind=payload.kind, changes=payload.changes, version=payload.version, title=payload.title,
            valid_from=payload.valid_from, today=timezone.localdate())
    except Refused as refusal:
        _refusal_raise(refusal)
    return Status(201, _standard_detail(user, FileKind(payload.kind)))


# --- a case file's live score -------------------------------------------------------------------


class ScoreItemOut(ScoredItemOut):
    state: Literal["manual", "not_applicable", "failed", "met"] = Field(
        ..., description="manual 人工评查（暂按满分计）、not_applicable 不涉及、failed 扣分或不符合、met 符合")
    state_label: str
    score: str | None = Field(..., description="得分；人工评查项目为 null")
    lost: str = Field(..., description="扣分")
    findings: list[str]
    fix: str = Field(..., description="整改")
    records: list[RecordRefOut]


class ScoreTierOut(Schema):
    code: str
    label: str
    score: str
    full: str = Field(..., description="该部分满分（单项否决部分为 0，不计分）")
    items: list[ScoreItemOut]


class TextCheckOut(Schema):
    group_label: str
    title: str
    message: str
    basis: str


class DecisionTextOut(Schema):
    source: RecordRefOut
    checked: int = Field(..., description="检查的项数")
    failed: list[TextCheckOut] = Field(..., description="不符合的检查")


class CasefileScoreOut(Schema):
    kind: str
    kind_label: str
    standard_version: str
    standard_title: str
    on: dt.date = Field(..., description="计算所依据的日期（已结案的为结案日期）")
    total: str
    full_marks: str
    grade: str
    vetoed: bool = Field(..., description="有单项否决项不符合：不合格卷，不能结案")
    manual_count: int = Field(..., description="暂按满分计的人工评查项目数")
    unscored_basis: str
    failing: list[str] = Field(..., description="扣分和不符合的项目代码（自动评查的）")
    tiers: list[ScoreTierOut]
    texts: list[DecisionTextOut] = Field(..., description="决定书文本检查")
    unread_texts: list[RecordRefOut] = Field(..., description="无法读取文本、未做文本检查的决定书")


class CaseCasefileScoreOut(Schema):
    case_id: int
    score: CasefileScoreOut | None = Field(..., description="案卷评查得分；本案的程序没有适用的评查标准的为 null")


def _score_item_out(row) -> dict:
    result = row.result
    return _item_out(row.item) | {
        "state": row.state, "state_label": row.state_label, "score": _points(row.score),
        "lost": _points(result.lost) if result is not None else "0", "findings": list(result.findings) if result else [],
        "fix": row.item.fix, "records": [_ref_out(r) for r in result.records] if result else [],
    }


@router.get("/cases/{case_id}/casefile-score", summary="案卷评查得分", response=answers({200: CaseCasefileScoreOut}, 403, 404))
def case_casefile_score(request: HttpRequest, case_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个案件的案卷按施行中的评查标准自动计算的得分，与案卷评查得分页面相同：各部分得分、扣分和不符合的项目及整改方法、
    查看的记录、决定书文本检查。能读本案的人员可见（读取记入访问记录），其他 404。"""
    case = case_get(viewer=request.user, case_id=case_id)
    with transaction.atomic():
        request_access_record(request=request, action=AccessAction.VIEW,
                              target=AccessTarget("case", case.pk, str(case), case_id=case.pk, agency_id=case.agency_id))
    scored = casefile_selectors.case_file_score(case)
    if scored is None:
        return {"case_id": case.pk, "score": None}
    return {"case_id": case.pk, "score": {
        "kind": scored.kind.value, "kind_label": scored.kind_label, "standard_version": scored.standard.version,
        "standard_title": scored.standard.title, "on": scored.on, "total": _points(scored.score.total),
        "full_marks": _points(scored.score.full_marks), "grade": scored.score.grade, "vetoed": scored.vetoed,
        "manual_count": scored.manual_count, "unscored_basis": UNSCORED_BASIS,
        "failing": [r.item.code for r in scored.failing],
        "tiers": [{"code": str(t.code), "label": t.label, "score": _points(t.score), "full": _points(t.full),
                   "items": [_score_item_out(r) for r in t.rows]} for t in scored.tiers],
        "texts": [{"source": _ref_out(t.source), "checked": len(t.checks),
                   "failed": [{"group_label": c.group_label, "title": c.title, "message": c.message, "basis": c.basis}
                              for c in t.checks if not c.passed]} for t in scored.texts],
        "unread_texts": [_ref_out(r) for r in scored.unread_texts],
    }}


__all__ = ["router"]
