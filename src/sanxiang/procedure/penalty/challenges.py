"""行政复议 and 行政诉讼 against a penalty decision: how each ended, and which endings correct it.

The recording step (`record_challenge`) stores a challenge's kind, its start, its end and, once it
has ended, its result (`Challenge.result`, a key of `CHALLENGE_RESULTS`). A result "corrects" the
decision when the reconsideration body or the court changed it, revoked it (wholly or in part), or
held it unlawful or void (`CORRECTING_RESULTS`): what the 复议诉讼纠错率 indicator counts. Upheld,
dismissed, withdrawn and settled challenges leave the decision as it was. Pure Python."""

from __future__ import annotations

import datetime as dt

from sanxiang.procedure.penalty.basis import article
from sanxiang.procedure.violations import FORM_BASIS, Violation

RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"

UPHELD, CHANGED, REVOKED, ILLEGAL, VOID, WITHDRAWN = (
    "upheld",
    "changed",
    "revoked",
    "illegal",
    "void",
    "withdrawn",
)

CHALLENGE_RESULTS: dict[str, str] = {
    UPHELD: "维持决定或者驳回请求",
    CHANGED: "变更决定",
    REVOKED: "撤销或者部分撤销决定",
    ILLEGAL: "确认决定违法",
    VOID: "确认决定无效",
    WITHDRAWN: "撤回申请、撤诉、调解或者终止",
}

# Where each result is provided for, by kind of challenge (复议法 2023, 诉讼法 2017).
CHALLENGE_RESULT_BASES: dict[str, dict[str, str]] = {
    "reconsideration": {
        UPHELD: article(RECONSIDERATION_LAW, 68, 69),
        CHANGED: article(RECONSIDERATION_LAW, 63),
        REVOKED: article(RECONSIDERATION_LAW, 64),
        ILLEGAL: article(RECONSIDERATION_LAW, 65),
        VOID: article(RECONSIDERATION_LAW, 67),
        WITHDRAWN: article(RECONSIDERATION_LAW, 73, 74),
    },
    "litigation": {
        UPHELD: article(LITIGATION_LAW, 69),
        CHANGED: article(LITIGATION_LAW, 77),
        REVOKED: article(LITIGATION_LAW, 70),
        ILLEGAL: article(LITIGATION_LAW, 74),
        VOID: article(LITIGATION_LAW, 75),
        WITHDRAWN: article(LITIGATION_LAW, 60, 62),
    },
}

# The results by which the decision was corrected: changed, revoked, held unlawful or void.
CORRECTING_RESULTS: frozenset[str] = frozenset({CHANGED, REVOKED, ILLEGAL, VOID})
CORRECTION_BASIS = "；".join(
    "、".join(CHALLENGE_RESULT_BASES[kind][r] for r in (CHANGED, REVOKED, ILLEGAL, VOID))
    for kind in ("reconsideration", "litigation")
)
RESULT_WITH_END = "平台规则：复议、诉讼终结的，同时登记终结日期和结果"


def challenge_result_corrects(result: str | None) -> bool:
    return result in CORRECTING_RESULTS


def challenge_violations(
    *, kind: str, started_on: dt.date | None, ended_on: dt.date | None, result: str | None, today: dt.date
) -> list[Violation]:
    """Why a challenge cannot be recorded so (every reason): an end needs its result and a result
    its end; neither in the future nor the end before the start; a known result."""
    violations: list[Violation] = []
    if started_on is not None and started_on > today:
        violations.append(
            Violation("case.challenge.future", "开始日期不能晚于今天", FORM_BASIS, "started_on")
        )
    if ended_on is not None and ended_on > today:
        violations.append(
            Violation("case.challenge.ended_future", "终结日期不能晚于今天", FORM_BASIS, "ended_on")
        )
    if ended_on is not None and started_on is not None and ended_on < started_on:
        violations.append(
            Violation("case.challenge.ended_before_started", "终结日期早于开始日期", FORM_BASIS, "ended_on")
        )
    if result and result not in CHALLENGE_RESULTS:
        violations.append(
            Violation("case.challenge.result_unknown", "请选择复议、诉讼的结果", RESULT_WITH_END, "result")
        )
    if ended_on is not None and not result:
        violations.append(
            Violation(
                "case.challenge.result_missing",
                "已终结的，请同时选择复议、诉讼的结果",
                RESULT_WITH_END,
                "result",
            )
        )
    if result and ended_on is None:
        violations.append(
            Violation(
                "case.challenge.end_missing", "登记结果的，请同时填写终结日期", RESULT_WITH_END, "ended_on"
            )
        )
    return violations


__all__ = [
    "CHALLENGE_RESULTS",
    "CHALLENGE_RESULT_BASES",
    "CORRECTING_RESULTS",
    "CORRECTION_BASIS",
    "LITIGATION_LAW",
    "RECONSIDERATION_LAW",
    "challenge_result_corrects",
    "challenge_violations",
]
