"""法制审核 through the API (issue 19 item 1): the cases sent for legal review of a major decision,
to whom their case page shows them (`review.selectors.reviews_for`, `review_case_get`), and one
case's review as the case page's 法制审核 panel shows it (`cases.selectors.case_review_view`): why
the case is major, where the review stands, every round with its opinion, reasons and checklist.

The review desk (`/staff/review/`) offers no form of its own: its rows lead to the case page,
where the reviewer gives the opinion and the head assigns a reviewer or extends the period. Through
the API these are the case's steps, POST /api/cases/{case_id}/actions/{action} with `record_review`
(出具法制审核意见, the reviewer), `assign_reviewer` (指定审核人员) and `extend_review` (批准延长审核期限,
the head), their data in the components StepData_<程序>_<步骤>; the engine refuses a step the law
does not allow with 409 and its reasons, as on the page."""

import datetime as dt
from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
from sanxiang.api.pagination import (
    CURSOR_DESCRIPTION,
    CURSOR_MAX_LENGTH,
    DEFAULT_LIMIT,
    LIMIT_DESCRIPTION,
    MAX_LIMIT,
    PageOut,
    date_range_check,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import (
    PlausibleDate,
    answers,
)
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import case_review_view, case_snapshot_build, state_label
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.penalty.review import REVIEW_STATES
from sanxiang.registry.models import Officer
from sanxiang.review import selectors
from sanxiang.review.selectors import REVIEW_LIST_STATES

router = Router(tags=["reviews"])

ReviewStatusIn = Literal[tuple(REVIEW_LIST_STATES)]  # type: ignore[valid-type]
# The cases registered last first, as the case list; the id breaks ties.
REVIEW_ORDERING = {"created_at": ("created_at", "案件登记时间"), "id": ("id", "登记先后")}

STATUS_QUERY = Query(None, description=status_description(REVIEW_LIST_STATES, what="审核情况"))
SINCE_QUERY = since_query("最近一次送审的日期")
UNTIL_QUERY = until_query("最近一次送审的日期")

class ReviewSummaryOut(Schema):
    case_id: int
    case_number: str = Field(..., description="案号")
    case_title: str = Field(..., description="案由")
    agency_id: int
    state_label: str = Field(..., description="案件状态")
    status: str = Field(..., description=status_description(REVIEW_LIST_STATES, what="审核情况"))
    status_label: str
    round: int = Field(..., description="最近一次送审的轮次")
    submitted_on: dt.date = Field(..., description="最近一次送审的日期")
    reviewer_id: int | None = Field(..., description="审核人员（执法人员编号）；尚未分配的为 null")
    reviewer_name: str
    opinion: str = Field(..., description="对最近一次送审的审核意见（代码）；审核中为空字符串")
    opinion_label: str
    given_on: dt.date | None = Field(..., description="出具审核意见的日期")


class ReviewPageOut(PageOut):
    items: list[ReviewSummaryOut]


class ChecklistOut(Schema):
    item: str
    finding: str
    note: str


class ReviewRoundOut(Schema):
    round: int
    submitted_on: dt.date
    submitted_by: str = Field(..., description="送审人")
    reviewer: str = Field(..., description="审核人员")
    package: list[str] = Field(..., description="送审材料")
    response: str = Field(..., description="对上一轮审核意见的说明")
    due: dt.date | None = Field(..., description="审核期限")
    due_estimated: bool
    opinion: str = Field(..., description="审核意见（代码）；审核中为空字符串")
    opinion_label: str
    given_on: dt.date | None
    reasons: str = Field(..., description="审核意见的理由")
    checklist: list[ChecklistOut] = Field(..., description="审核事项及结论")


class MajorCriterionOut(Schema):
    label: str
    basis: str


class ReviewOut(Schema):
    case_id: int
    case_number: str
    case_title: str
    agency_id: int
    state_label: str
    status: str = Field(..., description=status_description(REVIEW_STATES, what="法制审核状态"))
    status_label: str
    major_criteria: list[MajorCriterionOut] = Field(..., description="认定为重大执法决定的情形及依据")
    discussion_reasons: list[str] = Field(..., description="须经集体讨论的理由")
    rounds: list[ReviewRoundOut] = Field(..., description="各轮送审及审核意见，最近的在前")


def _summary(case: Case) -> dict:
    row = selectors.review_row(case.requests, case.opinions)
    return {
        "case_id": case.pk, "case_number": case.number, "case_title": case.title, "agency_id": case.agency_id,
        "state_label": state_label(case), "status": row.status, "status_label": row.status_label, "round": row.round,
        "submitted_on": row.submitted_on, "reviewer_id": row.reviewer_id, "reviewer_name": "", "opinion": row.opinion,
        "opinion_label": row.opinion_label if row.opinion else "", "given_on": row.given_on,
    }


@router.get("/reviews", summary="法制审核列表", response=answers({200: ReviewPageOut}))
def review_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法机关"),
    status: ReviewStatusIn | None = STATUS_QUERY,
    since: PlausibleDate | None = SINCE_QUERY,
    until: PlausibleDate | None = UNTIL_QUERY,
    ordering: str = ordering_query(REVIEW_ORDERING, default="-created_at"),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION),
    cursor: str | None = Query(None, max_length=CURSOR_MAX_LENGTH, description=CURSOR_DESCRIPTION),
):
    """送审法制审核的案件（重大执法决定），最新登记的案件在前，分页返回：最近一次送审及其审核意见。
    能读该案件的人员可见（本机关人员；司法局监督人员须经调阅）。出具审核意见等操作为案件的步骤，见 GET /api/reviews/{case_id}。"""
    date_range_check(since, until)
    cases = selectors.reviews_for(viewer=request.user, agency_id=agency, status=status, since=since, until=until)
    page = paginate(request, cases, order=order_resolve(ordering, keys=REVIEW_ORDERING, default="-created_at"), limit=limit, cursor=cursor, item=_summary)
    names = dict(Officer.objects.filter(pk__in={i["reviewer_id"] for i in page["items"]} - {None})
                 .values_list("pk", "name"))
    for item in page["items"]:
        item["reviewer_name"] = names.get(item["reviewer_id"], "")
    return page


@router.get("/reviews/{case_id}", summary="读取案件的法制审核", response=answers({200: ReviewOut}, 403, 404))
def review_get(request: HttpRequest, case_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个案件的法制审核（案件页面的“法制审核”栏）：重大执法决定的认定、审核状态、各轮送审与审核意见。
    审核人员出具审核意见：POST /api/cases/{case_id}/actions/record_review；机关负责人指定审核人员、批准延长审核期限：
    assign_reviewer、extend_review（字段见组件 StepData_<程序>_<步骤>）。读取记入访问日志，如案件页面。"""
    case = selectors.review_case_get(viewer=request.user, case_id=case_id)
    # The opinion is read as on the case page, whose reading the access log records (cases.views.case_detail).
    with transaction.atomic():
        request_access_record(request=request, action=AccessAction.VIEW,
                              target=AccessTarget("case", case.pk, str(case), case_id=case.pk, agency_id=case.agency_id))
    view = case_review_view(case=case, snapshot=case_snapshot_build(case))
    return {
        "case_id": case.pk, "case_number": case.number, "case_title": case.title, "agency_id": case.agency_id,
        "state_label": state_label(case), "status": view.status_code, "status_label": view.status_label,
        "major_criteria": [{"label": c.label, "basis": c.legal_basis} for c in view.criteria],
        "discussion_reasons": list(view.discussion_reasons),
        "rounds": [
            {"round": r.round, "submitted_on": dt.date.fromisoformat(r.submitted_on), "submitted_by": r.submitted_by,
             "reviewer": r.reviewer, "package": list(r.package), "response": r.response, "due": r.due,
             "due_estimated": r.due_estimated, "opinion": r.opinion_code, "opinion_label": r.opinion,
             "given_on": dt.date.fromisoformat(r.opinion_on) if r.opinion_on else None, "reasons": r.reasons,
             "checklist": [{"item": item, "finding": finding, "note": note} for item, finding, note in r.checklist]}
            for r in view.rounds
        ],
    }
