"""审核工作的监督 through the API (issue 19): the legal review of each agency's major decisions in a
year, as the supervision page (/staff/review/supervision/) shows it, and the decided cases behind
each number, as its cases page shows them; both through `review.selectors` (review_supervision,
review_supervision_total, review_supervision_cases), for the page's readers only (the bureau's
supervisors and system administrators the county, an agency head their agency). Handlers parse,
call and render."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

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
from sanxiang.api.schemas import answers
from sanxiang.inputs import ID_MAX
from sanxiang.review import selectors
from sanxiang.review.models import ReviewTally
from sanxiang.review.permissions import user_can_read_review_supervision

router = Router(tags=["review"])

YEAR = Query(None, ge=2000, le=2100, description="年度（2000至2100）；不填为本年度")
FIGURES = [(key, label) for key, (label, _q) in selectors.SUPERVISION_FIGURES.items()]
FigureIn = Literal[tuple(key for key, _ in FIGURES)]  # type: ignore[valid-type]
TALLY_ORDERING = {"decided_on": ("decided_on", "决定日期"), "id": ("pk", "案件先后")}
FIGURE = Query("major", description=status_description(FIGURES, what="统计项") + "；默认 major")
DECIDED_SINCE, DECIDED_UNTIL = since_query("决定日期"), until_query("决定日期")
UNREVIEWED_NAMED = 10  # as the page: the first few cases decided without review named in each row


def _readers_require(user) -> None:
    if not user_can_read_review_supervision(user):
        raise PermissionDenied("只有司法局监督人员、系统管理员和机关负责人可以查看法制审核统计")


class UnreviewedCaseOut(Schema):
    case_id: int
    case_number: str = Field(..., description="案号")


class AgencyReviewFiguresOut(Schema):
    agency_id: int | None = Field(..., description="执法机关（合计行为 null）")
    agency_name: str
    major_decided: int = Field(..., description="本年度作出的重大执法决定")
    reviewed: int = Field(..., description="其中决定前经法制审核的")
    unreviewed: int = Field(..., description="未经法制审核作出决定的")
    reviewed_percent: Decimal | None = Field(..., description="经法制审核的百分比（没有重大执法决定为 null）")
    rounds: int = Field(..., description="审核轮次合计")
    average_rounds: Decimal | None = Field(..., description="平均审核轮次")
    review_days: int = Field(..., description="审核用时合计（工作日）")
    reviews_timed: int = Field(..., description="计入用时的审核次数")
    average_review_days: Decimal | None = Field(..., description="平均审核用时（工作日）")
    sent_back: int = Field(..., description="曾被退回补充材料或者不同意的重大执法决定")
    reviewers: int = Field(..., description="在岗的法制审核人员")
    officers: int = Field(..., description="在岗的执法人员")
    reviewer_percent: Decimal | None = Field(..., description="法制审核人员占执法人员的百分比")
    reviewer_percent_required: Decimal = Field(..., description="应达到的百分比（平台参数）")
    reviewer_ratio_low: bool = Field(..., description="法制审核人员配备不足")
    reviewer_ratio_low_agencies: int = Field(..., description="配备不足的机关数")
    unreviewed_cases: list[UnreviewedCaseOut] = Field(
        ..., description=f"未经法制审核作出决定的案件（每个机关最多列出{UNREVIEWED_NAMED}件，其余见 …/cases?figure=unreviewed）")
    estimated: bool = Field(..., description="用时含估算（日历未知的年度按周末计算）")


class ReviewSupervisionOut(Schema):
    year: int
    rows: list[AgencyReviewFiguresOut] = Field(..., description="各执法机关，未经审核作出决定的机关在前")
    total: AgencyReviewFiguresOut = Field(..., description="合计")


def _figures_out(row: selectors.AgencyReviewFigures) -> dict:
    return {
        "agency_id": row.agency_id, "agency_name": row.agency_name, "major_decided": row.major_decided,
        "reviewed": row.reviewed, "unreviewed": row.unreviewed_count, "reviewed_percent": row.reviewed_percent,
        "rounds": row.rounds, "average_rounds": row.average_rounds, "review_days": row.review_days,
        "reviews_timed": row.reviews_timed, "average_review_days": row.average_review_days,
        "sent_back": row.sent_back, "reviewers": row.reviewers, "officers": row.officers,
        "reviewer_percent": row.reviewer_percent, "reviewer_percent_required": row.reviewer_percent_required,
        "reviewer_ratio_low": row.reviewer_ratio_low, "reviewer_ratio_low_agencies": row.reviewer_ratio_low_agencies,
        "unreviewed_cases": [{"case_id": pk, "case_number": number} for pk, number in row.unreviewed],
        "estimated": row.estimated,
    }


@router.get("/review-supervision", summary="法制审核统计", response=answers({200: ReviewSupervisionOut}, 403))
def review_supervision_get(request: HttpRequest, year: int | None = YEAR):
    """一个年度各执法机关重大执法决定的法制审核情况（由案件计算，不可录入），与“审核工作的监督”页面相同：司法局监督人员和系统管理员
    看到全县各机关，机关负责人看到本机关；其他人 403。每个数字背后的案件见 GET /api/review-supervision/cases。"""
    user = request.user
    _readers_require(user)
    year = year or timezone.localdate().year
    rows = selectors.review_supervision(user=user, year=year, unreviewed_limit=UNREVIEWED_NAMED)
    return {"year": year, "rows": [_figures_out(r) for r in rows],
            "total": _figures_out(selectors.review_supervision_total(rows))}


class SupervisionCaseOut(Schema):
    case_id: int
    case_number: str = Field(..., description="案号")
    agency_id: int
    agency_name: str
    decided_on: dt.date = Field(..., description="决定日期")
    criteria: list[str] = Field(..., description="认定为重大执法决定的情形")
    reviewed: bool = Field(..., description="决定前经法制审核")
    rounds: int = Field(..., description="审核轮次")
    review_days: int | None = Field(..., description="审核用时（工作日；没有计入用时的审核为 null）")
    estimated: bool = Field(..., description="用时含估算")
    sent_back: bool = Field(..., description="曾被退回补充材料或者不同意")


class SupervisionCasePageOut(PageOut):
    year: int
    figure: str = Field(..., description=status_description(FIGURES, what="统计项"))
    figure_label: str
    agency_id: int | None = Field(..., description="执法机关（不填为可查看的全部机关，即合计行）")
    items: list[SupervisionCaseOut]


def _case_out(tally: ReviewTally) -> dict:
    return {
        "case_id": tally.case_id, "case_number": tally.case.number, "agency_id": tally.agency_id,
        "agency_name": tally.agency.name, "decided_on": tally.decided_on,
        "criteria": selectors.criteria_labels(tally.criteria), "reviewed": tally.reviewed, "rounds": tally.rounds,
        "review_days": tally.review_days if tally.reviews_timed else None, "estimated": tally.estimated,
        "sent_back": tally.sent_back,
    }


@router.get("/review-supervision/cases", summary="法制审核统计的案件",
            response=answers({200: SupervisionCasePageOut}, 403, 404))
def review_supervision_case_list(
    request: HttpRequest,
    year: int | None = YEAR,
    figure: FigureIn = FIGURE,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法机关；不填为可查看的全部机关（合计行）"),
    since: dt.date | None = DECIDED_SINCE,
    until: dt.date | None = DECIDED_UNTIL,
    ordering: str = ordering_query(TALLY_ORDERING, default="-decided_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """统计表中一个数字背后的已决定案件（一个年度、一个统计项、一个机关或合计），默认按决定日期从新到旧，分页返回，与页面相同。
    不能查看的机关 404；司法局监督人员、系统管理员和机关负责人以外的 403。"""
    user = request.user
    _readers_require(user)
    year = year or timezone.localdate().year
    listing = selectors.review_supervision_cases(user=user, year=year, figure=figure, agency_id=agency)
    rows = date_range_filter(listing.tallies, field="decided_on", since=since, until=until)
    # The table's key is the case: `pk`, not `id`, ends the order.
    order = tuple(key.replace("id", "pk") if key.removeprefix("-") == "id" else key
                  for key in order_resolve(ordering, keys=TALLY_ORDERING, default="-decided_on"))
    page = paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_case_out)
    return page | {"year": year, "figure": listing.figure, "figure_label": listing.figure_label,
                   "agency_id": listing.agency.pk if listing.agency else None}
