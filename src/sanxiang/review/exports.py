"""The supervision table as CSV: UTF-8 with a byte-order mark (Excel reads Chinese CSV only so),
cells that a spreadsheet would run as formulas kept as text."""

from collections.abc import Iterable, Iterator
from typing import Any

from sanxiang.review.selectors import AgencyReviewFigures
from sanxiang.tabular import csv_lines

HEADER = [
    "执法主体",
    "重大执法决定数",
    "决定前经法制审核数",
    "法制审核率（%）",
    "审核轮次合计",
    "平均审核轮次",
    "平均审核用时（工作日）",
    "退回或者不同意的案件数",
    "法制审核人员数",
    "在岗执法人员数",
    "法制审核人员占比（%）",
    "占比要求（%）",
    "法制审核人员占比不足",
    "未经法制审核作出决定的案件",
]


def _row(r: AgencyReviewFigures, *, total: bool = False) -> list[Any]:
    return [
        r.agency_name,
        r.major_decided,
        r.reviewed,
        r.reviewed_percent,
        r.rounds,
        r.average_rounds,
        r.average_review_days,
        r.sent_back,
        r.reviewers,
        r.officers,
        r.reviewer_percent,
        r.reviewer_percent_required,
        f"{r.reviewer_ratio_low_agencies}个单位" if total else r.reviewer_ratio_low,
        "、".join(number for _, number in r.unreviewed),
    ]


def supervision_csv_lines(rows: Iterable[AgencyReviewFigures], total: AgencyReviewFigures) -> Iterator[bytes]:
    """The file line by line, for a streamed response (each cell through `sanxiang.tabular`)."""

    def lines() -> Iterator[list[Any]]:
        for r in rows:
            yield _row(r)
        yield _row(total, total=True)

    return csv_lines(lines(), header=HEADER)


def supervision_csv(rows: list[AgencyReviewFigures], total: AgencyReviewFigures) -> bytes:
    return b"".join(supervision_csv_lines(rows, total))
