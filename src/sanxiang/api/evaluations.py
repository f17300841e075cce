"""执法质效评议 (evaluations) through the API (issue 19), as their pages: read by the bureau's
supervisors (a system administrator reads all), drafted with their standards, approved by a second
supervisor (the scheme, process and standards then published on the portal), scored agency by
agency, rule by rule, by two supervisors, and their results published, all through supervision's
plan services (in the ledger). Handlers parse, call and render."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sanxiang.api.desk import desk_pair, desk_require
from sanxiang.api.errors import InputRefused
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
from sanxiang.api.schemas import Id, PlausibleDate, Status, Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.supervision.plans import (
    EVALUATION_STATE_LABELS,
    RULES_LIMIT,
    STANDARDS_HELP,
    EvaluationState,
    approval_violations,
    results_publish_violations,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.supervision import plan_selectors as selectors
from sanxiang.supervision import plan_services as services
from sanxiang.supervision.models import Evaluation

router = Router(tags=["supervision"])

EVALUATION_STATES = [(s.value, label) for s, label in EVALUATION_STATE_LABELS.items()]
EvaluationStatusIn = Literal[tuple(value for value, _ in EVALUATION_STATES)]  # type: ignore[valid-type]
EVALUATION_ORDERING = {"drafted_on": ("drafted_on", "起草日期"), "period_start": ("period_start", "评议期间起始"),
                       "id": ("id", "起草先后")}
EVALUATION_STATUS = Query(None, description=status_description(EVALUATION_STATES))
DRAFTED_SINCE, DRAFTED_UNTIL = since_query("起草日期"), until_query("起草日期")


class CriterionOut(Schema):
    id: int
    number: str = Field(..., description="编号，如 1、1.2、1.2.3")
    level: int = Field(..., description="层级：1 一级指标，2 二级指标，3 评分细则（只对评分细则评分）")
    text: str
    points: str = Field(..., description="分值（指标为其细则之和）")
    veto: bool = Field(..., description="单项否决")


class AgencyScoreOut(Schema):
    agency_id: int
    agency_name: str
    scored: bool
    total: str | None = Field(..., description="得分（未评分为 null）")
    full_marks: str | None
    grade: str = Field(..., description="等次（未评分为空字符串）")
    vetoed: bool


class EvaluationOut(Schema):
    id: int
    bureau_id: int
    title: str = Field(..., description="评议名称")
    scheme: str = Field(..., description="评议方案")
    process: str = Field(..., description="评议步骤和时间安排")
    period_start: dt.date
    period_end: dt.date
    plan_item_id: int | None = Field(..., description="所属计划事项")
    status: str = Field(..., description=status_description(EVALUATION_STATES))
    status_label: str
    drafted_on: dt.date
    approved_on: dt.date | None
    results_published_on: dt.date | None


class EvaluationDetailOut(EvaluationOut):
    criteria: list[CriterionOut]
    agencies: list[AgencyScoreOut]
    approve_blockers: list[str] = Field(..., description="本人现在不能批准的全部理由（仅草拟中）")
    publish_blockers: list[str] = Field(..., description="现在不能公开结果的全部理由（仅评议中）")


class EvaluationPageOut(PageOut):
    items: list[EvaluationOut]


def _points(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _evaluation_out(evaluation: Evaluation) -> dict:
    state = EvaluationState(evaluation.state)
    return {"id": evaluation.pk, "bureau_id": evaluation.bureau_id, "title": evaluation.title,
            "scheme": evaluation.scheme, "process": evaluation.process, "period_start": evaluation.period_start,
            "period_end": evaluation.period_end, "plan_item_id": evaluation.plan_item_id, "status": state.value,
            "status_label": EVALUATION_STATE_LABELS[state], "drafted_on": evaluation.drafted_on,
            "approved_on": evaluation.approved_on, "results_published_on": evaluation.results_published_on}


def _evaluation_detail(*, viewer, evaluation_id: int) -> dict:
    evaluation = selectors.evaluation_get(user=viewer, evaluation_id=evaluation_id)
    desk = selectors.user_is_supervisor(viewer)
    criteria = selectors.criterion_rows(evaluation=evaluation)
    agency_rows = selectors.evaluation_agency_rows(evaluation=evaluation)
    approve = approval_violations(
        what="evaluation", state=evaluation.state, drafted_by_id=evaluation.drafted_by_id, approver_id=viewer.pk,
        approver_may_approve=desk and viewer.agency_id == evaluation.bureau_id, empty=not (agency_rows and criteria),
    ) if desk and evaluation.state == EvaluationState.DRAFT else []
    publish = results_publish_violations(
        state=evaluation.state, unscored=[r.agency.name for r in agency_rows if r.score is None],
    ) if desk and evaluation.state == EvaluationState.APPROVED else []
    return _evaluation_out(evaluation) | {
        "criteria": [{"id": r.criterion.pk, "number": r.number, "level": r.criterion.level, "text": r.criterion.text,
                      "points": _points(r.points), "veto": r.criterion.veto} for r in criteria],
        "agencies": [{"agency_id": r.agency.pk, "agency_name": r.agency.name, "scored": r.score is not None,
                      "total": _points(r.score.total) if r.score else None,
                      "full_marks": _points(r.score.full_marks) if r.score else None,
                      "grade": r.score.grade if r.score else "", "vetoed": bool(r.score and r.score.vetoed)}
                     for r in agency_rows],
        "approve_blockers": [v.message for v in approve],
        "publish_blockers": [v.message for v in publish],
    }


def _read_require(request: HttpRequest) -> None:
    if not selectors.user_may_read(request.user):
        raise PermissionDenied("只有司法局监督人员可以查看")


@router.get("/supervision/evaluations", response=answers({200: EvaluationPageOut}, 403))
def supervision_evaluation_list(
    request: HttpRequest,
    status: EvaluationStatusIn | None = EVALUATION_STATUS,
    since: dt.date | None = DRAFTED_SINCE,
    until: dt.date | None = DRAFTED_UNTIL,
    ordering: str = ordering_query(EVALUATION_ORDERING, default="-drafted_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """执法质效评议，默认按起草日期从新到旧，分页返回；本局监督人员看到本局的，系统管理员看到全部，其他人 403。"""
    _read_require(request)
    rows = selectors.evaluations_visible(user=request.user)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="drafted_on", since=since, until=until)
    order = order_resolve(ordering, keys=EVALUATION_ORDERING, default="-drafted_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_evaluation_out)


@router.get("/supervision/evaluations/{evaluation_id}", response=answers({200: EvaluationDetailOut}, 403, 404))
def supervision_evaluation_get(request: HttpRequest, evaluation_id: int = Path(..., ge=1, le=ID_MAX)):
    """一次评议：方案、评议标准（编号、分值）、参评机关及其得分和等次、本人现在不能批准或公开结果的理由。"""
    _read_require(request)
    return _evaluation_detail(viewer=request.user, evaluation_id=evaluation_id)


class EvaluationIn(Schema):
    title: Text(200) = Field(..., min_length=1, description="评议名称")
    period_start: PlausibleDate = Field(..., description="评议期间自")
    period_end: PlausibleDate = Field(..., description="评议期间至")
    agency_ids: list[Id] = Field(..., min_length=1, max_length=500, description="参评机关（本县的执法机关）")
    scheme: Text(20000, multiline=True) = Field(..., min_length=1, description="评议方案（目的、范围、方式）")
    process: Text(20000, multiline=True) = Field(..., min_length=1, description="评议步骤和时间安排")
    standards: Text(50000, multiline=True) = Field(..., min_length=1, description="评议标准。" + STANDARDS_HELP)
    plan_item_id: int | None = Field(None, ge=1, le=ID_MAX, description="所属计划事项（本局已批准计划的评议事项，可不填）")


@router.post("/supervision/evaluations", response=answers({201: EvaluationDetailOut}, 403))
def supervision_evaluation_new(request: HttpRequest, payload: EvaluationIn):
    """本局监督人员起草评议（方案、步骤、期间、参评机关、评议标准），与评议页面相同，记入账本。字段不合格、
    标准有误（逐行说明）、机关不在本局监督范围内的，返回 422 并指明字段及依据；其他人 403。"""
    desk_require(request)
    user = request.user
    agencies = {a.pk: a for a in services.county_agencies(bureau=user.agency).filter(pk__in=payload.agency_ids)}
    unknown = [Violation("form.agency", f"执法机关 {pk} 不在本局的监督范围内", FORM_BASIS, "agency_ids")
               for pk in dict.fromkeys(payload.agency_ids) if pk not in agencies]
    plan_item = None
    if payload.plan_item_id is not None:
        plan_item = selectors.plan_items_for_evaluation(user=user).filter(pk=payload.plan_item_id).first()
        if plan_item is None:
            unknown.append(Violation("form.plan_item", "请选择本局已批准计划中的评议事项", FORM_BASIS, "plan_item_id"))
    if unknown:
        raise InputRefused(unknown)
    try:
        evaluation = services.evaluation_draft(
            actor=user, title=payload.title, scheme=payload.scheme, process=payload.process,
            period_start=payload.period_start, period_end=payload.period_end, agencies=list(agencies.values()),
            standards=payload.standards, plan_item=plan_item)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _evaluation_detail(viewer=user, evaluation_id=evaluation.pk))


@router.post("/supervision/evaluations/{evaluation_id}/approve",
             response=answers({200: EvaluationDetailOut}, 403, 404, 409))
def supervision_evaluation_approve(request: HttpRequest, evaluation_id: int = Path(..., ge=1, le=ID_MAX)):
    """起草人以外的本局监督人员批准评议方案和标准（同时在门户网站公开方案、步骤和标准，不可撤回），此后可以评分。
    已批准、起草人本人、没有标准或参评机关的，返回 409 并列出全部理由及依据。"""
    desk_require(request)
    evaluation = selectors.evaluation_get(user=request.user, evaluation_id=evaluation_id)
    services.evaluation_approve(actor=request.user, evaluation=evaluation)
    return _evaluation_detail(viewer=request.user, evaluation_id=evaluation.pk)


@router.post("/supervision/evaluations/{evaluation_id}/publish",
             response=answers({200: EvaluationDetailOut}, 403, 404, 409))
def supervision_evaluation_publish(request: HttpRequest, evaluation_id: int = Path(..., ge=1, le=ID_MAX)):
    """在门户网站公开评议结果（不可撤回）。尚未批准、已公开、还有参评机关未评分的，返回 409 并列出全部理由。"""
    desk_require(request)
    evaluation = selectors.evaluation_get(user=request.user, evaluation_id=evaluation_id)
    services.evaluation_results_publish(actor=request.user, evaluation=evaluation)
    return _evaluation_detail(viewer=request.user, evaluation_id=evaluation.pk)


class RuleScoreIn(Schema):
    criterion_id: int = Field(..., ge=1, le=ID_MAX, description="评分细则（层级 3）")
    awarded: Decimal = Field(..., ge=0, le=9999, max_digits=6, decimal_places=1, description="得分（不超过该细则的分值）")
    veto: bool = Field(False, description="发现单项否决的情形（仅单项否决的细则）")
    reason: Text(2000, multiline=True) = Field("", description="扣分原因（扣分时须填）")


class ScoreIn(Schema):
    scores: list[RuleScoreIn] = Field(..., max_length=RULES_LIMIT, description="逐条评分细则的得分；每条细则都须评分")
    comment: Text(5000, multiline=True) = Field("", description="评议意见")
    second_supervisor_id: int | None = Field(None, ge=1, le=ID_MAX, description="共同评分的本局另一名持证监督人员（用户 id）")


@router.post("/supervision/evaluations/{evaluation_id}/scores/{agency_id}",
             response=answers({200: EvaluationDetailOut}, 403, 404, 409))
def supervision_evaluation_score(request: HttpRequest, payload: ScoreIn,
                                 evaluation_id: int = Path(..., ge=1, le=ID_MAX),
                                 agency_id: int = Path(..., ge=1, le=ID_MAX)):
    """两名本局监督人员对一个参评机关逐条评分，与评分页面相同（再次评分取代先前的，均记入账本）。不是参评机关的 404；
    评议不在评分阶段、有细则未评分、得分超过分值、扣分未写原因、持证人数不足的，返回 409 并列出全部理由及依据。"""
    desk_require(request)
    user = request.user
    evaluation = selectors.evaluation_get(user=user, evaluation_id=evaluation_id)
    agency = selectors.evaluation_agency_get(evaluation=evaluation, agency_id=agency_id)
    supervisors = desk_pair(request, bureau_id=evaluation.bureau_id, second_id=payload.second_supervisor_id)
    scores = {s.criterion_id: (s.awarded, s.veto, s.reason) for s in payload.scores}
    services.evaluation_score(actor=user, evaluation=evaluation, agency=agency,
                              supervisors=supervisors, scores=scores, comment=payload.comment)
    return _evaluation_detail(viewer=user, evaluation_id=evaluation.pk)
