"""The annual supervision work plan (年度监督工作计划) and 执法质效评议 (issue 14, item 5).

- The plan: 日常监督 is one of the regulation's modes (《行政执法监督条例》第十五条); an *annual plan* of
  supervision work is written in provincial regulations (《山东省行政执法监督条例》第二十条), not in
  the national one. The plan's items are carried out by supervision matters opened "from the plan";
  an item's progress is computed from those matters, never typed in.
- 执法质效评议 (第十九条): the supervision body writes the 评议方案 and 评议标准 and publishes the
  standards, the process and the results. The standards are a tree (一级指标 → 二级指标 → 评分细则)
  whose rules carry points and may carry a 单项否决 (veto). Each agency is scored by at least two
  supervisors (the pair rule of `rules.supervisors_violations`). The grade bands are a parameter
  (`supervision.evaluation_grade_bands`, unverified: no text gives them).

Who approves (a second supervisor of the bureau, not the drafter) and the order of the steps are
platform rules, labelled as such. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.scoring import ScoredItem, grade_for, score_total
from sanxiang.procedure.supervision.basis import PAGE_BASIS, regulation_article
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Violation

PLAN_BASIS = PAGE_BASIS["plan"]
EVALUATION_BASIS = regulation_article(19)
APPROVAL_BASIS = f"{PLATFORM_PREFIX}：监督工作计划、评议方案由起草人以外的本局监督人员审核批准"
ORDER_BASIS = f"{PLATFORM_PREFIX}：计划和评议方案经批准后才能公开、实施"
DESK_BASIS = f"{PLATFORM_PREFIX}：监督人员只办理本局的计划和评议"
STANDARDS_SIZE_BASIS = f"{PLATFORM_PREFIX}：评议标准的条目长度、细则条数和满分以能保存、能逐条评分为限"
RESULTS_BASIS = f"{EVALUATION_BASIS}；{PLATFORM_PREFIX}：每个参评机关均已评分后才能公开评议结果"


# --- the annual plan ------------------------------------------------------------------------------


class PlanItemKind(StrEnum):
    ROUTINE = "routine"
    FOCUSED = "focused"
    CASE_FILE_REVIEW = "case_file_review"
    EVALUATION = "evaluation"
    TRAINING = "training"
    OTHER = "other"


PLAN_ITEM_KIND_LABELS: dict[PlanItemKind, str] = {
    PlanItemKind.ROUTINE: "日常监督",
    PlanItemKind.FOCUSED: "重点监督",
    PlanItemKind.CASE_FILE_REVIEW: "案卷评查",
    PlanItemKind.EVALUATION: "执法质效评议",
    PlanItemKind.TRAINING: "培训",
    PlanItemKind.OTHER: "其他",
}

# The matter source a plan item's matters carry (重点监督 items open focused matters; the rest are
# routine work, 第十五条).
PLAN_ITEM_MATTER_SOURCE: dict[PlanItemKind, str] = {
    PlanItemKind.FOCUSED: "focused",
}


def plan_item_matter_source(kind: str) -> str:
    return PLAN_ITEM_MATTER_SOURCE.get(PlanItemKind(kind), "routine") if kind in set(PlanItemKind) else "routine"


class PlanState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"


PLAN_STATE_LABELS: dict[PlanState, str] = {
    PlanState.DRAFT: "草拟中",
    PlanState.APPROVED: "已批准",
    PlanState.PUBLISHED: "已批准并公开",
}

MONTHS = tuple(range(1, 13))


def months_text(months: Sequence[int]) -> str:
    """Planned months as people read them: 全年, or 3月、6月."""
    months = sorted(set(months))
    if tuple(months) == MONTHS:
        return "全年"
    return "、".join(f"{m}月" for m in months)


def plan_draft_violations(*, title: str, year: int | None, objectives: str, today: dt.date) -> list[Violation]:
    violations = []
    if not title.strip():
        violations.append(Violation("plan.title", "请填写计划名称", FORM_BASIS, "title"))
    if year is None or not (today.year - 1 <= year <= today.year + 1):
        violations.append(Violation("plan.year", f"计划年度应为{today.year - 1}年至{today.year + 1}年", FORM_BASIS, "year"))
    if not objectives.strip():
        violations.append(Violation("plan.objectives", "请填写年度工作目标", PLAN_BASIS, "objectives"))
    return violations


def plan_item_violations(
    *, plan_state: str, kind: str, subject: str, months: Sequence[int], all_agencies: bool, agency_count: int,
    supervisor_count: int,
) -> list[Violation]:
    """Every reason why the item may not be added to the plan."""
    violations = []
    if plan_state != PlanState.DRAFT:
        violations.append(Violation("plan.item_state", "计划已批准，不能再增加计划事项", ORDER_BASIS))
    if kind not in set(PlanItemKind):
        violations.append(Violation("plan.item_kind", "请选择计划事项的类别", FORM_BASIS, "kind"))
    if not subject.strip():
        violations.append(Violation("plan.item_subject", "请填写计划事项", FORM_BASIS, "subject"))
    if not months or any(m not in MONTHS for m in months):
        violations.append(Violation("plan.item_months", "请选择计划实施的月份", FORM_BASIS, "months"))
    if not all_agencies and agency_count == 0:
        violations.append(Violation("plan.item_agencies", "请选择监督对象，或者选择“全部执法机关”", FORM_BASIS, "agencies"))
    if supervisor_count == 0:
        violations.append(Violation("plan.item_supervisors", "请指定负责的监督人员", FORM_BASIS, "supervisors"))
    return violations


def approval_violations(*, what: str, state: str, drafted_by_id: int, approver_id: int, approver_may_approve: bool,
                        empty: bool) -> list[Violation]:
    """A plan or an evaluation scheme is approved by a supervisor of the bureau other than its drafter."""
    violations = []
    if state != PlanState.DRAFT:
        violations.append(Violation(f"{what}.approved", "已经批准，不能再次批准", ORDER_BASIS))
    if drafted_by_id == approver_id:
        violations.append(Violation(f"{what}.same_person", "须由起草人以外的本局监督人员审核批准", APPROVAL_BASIS, "approver"))
    if not approver_may_approve:
        violations.append(Violation(f"{what}.approver", "只有本局监督人员可以批准", APPROVAL_BASIS, "approver"))
    if empty:
        message = "计划还没有计划事项" if what == "plan" else "评议方案还没有参评机关或者评议标准"
        violations.append(Violation(f"{what}.empty", message, PLAN_BASIS if what == "plan" else EVALUATION_BASIS))
    return violations


def plan_publish_violations(*, state: str) -> list[Violation]:
    if state == PlanState.DRAFT:
        return [Violation("plan.publish_draft", "计划须经批准后才能公开", ORDER_BASIS)]
    if state == PlanState.PUBLISHED:
        return [Violation("plan.published", "计划已经公开", ORDER_BASIS)]
    return []


def plan_item_matter_violations(*, plan_state: str, agency_in_item: bool) -> list[Violation]:
    """A matter is opened from a plan item only once the plan is approved, about one of its agencies."""
    violations = []
    if plan_state == PlanState.DRAFT:
        violations.append(Violation("plan.matter_draft", "计划尚未批准，不能据此登记监督事项", ORDER_BASIS))
    if not agency_in_item:
        violations.append(Violation("plan.matter_agency", "该机关不是本计划事项的监督对象", PLAN_BASIS, "agency"))
    return violations


@dataclass(frozen=True)
class ItemProgress:
    """An item's progress, from the matters that carry it out."""

    opened: int
    closed: int

    @property
    def label(self) -> str:
        if self.opened == 0:
            return "尚未开展"
        if self.closed < self.opened:
            return "正在开展"
        return "已办结"


# --- 执法质效评议 -----------------------------------------------------------------------------------


class EvaluationState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"  # standards and process published; scoring
    PUBLISHED = "published"  # results published


EVALUATION_STATE_LABELS: dict[EvaluationState, str] = {
    EvaluationState.DRAFT: "草拟中",
    EvaluationState.APPROVED: "评议中（方案和标准已公开）",
    EvaluationState.PUBLISHED: "结果已公开",
}

LEVEL_LABELS = {1: "一级指标", 2: "二级指标", 3: "评分细则"}
POINTS_LIMIT = Decimal("1000")
# Platform rules (平台规则), what the stored standards and scores can hold: a node's text at most
# CRITERION_TEXT_MAX characters, at most RULES_LIMIT 评分细则 (each is scored in one form or request),
# full marks at most FULL_MARKS_LIMIT (an agency's score is kept to 999,999.9).
CRITERION_TEXT_MAX = 500
RULES_LIMIT = 1000
FULL_MARKS_LIMIT = Decimal("100000")


@dataclass(frozen=True)
class CriterionSpec:
    """A node of the standards: its level, text, parent (index in the list) and, for a rule, its points
    and whether it is a 单项否决 item."""

    level: int
    text: str
    parent: int | None
    points: Decimal | None = None
    veto: bool = False


def _points(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().removesuffix("分"))
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value > POINTS_LIMIT or value != value.quantize(Decimal("0.1")):
        return None
    return value.quantize(Decimal("0.1"))


STANDARDS_HELP = ("每行一项：“# 一级指标”，“## 二级指标”，“- 评分细则 | 分值”；单项否决的细则写“- 评分细则 | 分值 | 否决”。"
                  "分值只写在评分细则上，指标的分值为其细则之和。")


def standards_parse(text: str) -> tuple[list[CriterionSpec], list[Violation]]:
    """The standards typed as lines (see `STANDARDS_HELP`) as a tree, or every line's problem."""
    specs: list[CriterionSpec] = []
    violations: list[Violation] = []
    last: dict[int, int] = {}  # level -> index of the latest node of that level

    def problem(number: int, message: str) -> None:
        violations.append(Violation("standards.line", f"第{number}行：{message}", FORM_BASIS, "standards"))

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("##"):
            level, body = 2, line[2:]
        elif line.startswith("#"):
            level, body = 1, line[1:]
        elif line.startswith(("-", "－")):
            level, body = 3, line[1:]
        else:
            problem(number, "应以“#”“##”或者“-”开头")
            continue
        parts = [p.strip() for p in body.replace("｜", "|").split("|")]
        label = parts[0]
        if not label:
            problem(number, "没有写内容")
            continue
        if len(label) > CRITERION_TEXT_MAX:
            violations.append(Violation("standards.line", f"第{number}行：内容不能超过{CRITERION_TEXT_MAX}字",
                                        STANDARDS_SIZE_BASIS, "standards"))
            continue
        if level < 3:
            if len(parts) > 1:
                problem(number, "指标不写分值，分值写在评分细则上")
                continue
            parent = last.get(level - 1) if level == 2 else None
            if level == 2 and parent is None:
                problem(number, "二级指标前应有一级指标")
                continue
            specs.append(CriterionSpec(level=level, text=label, parent=parent))
        else:
            parent = last.get(2)
            if parent is None or (last.get(1) is not None and parent < last[1]):
                problem(number, "评分细则应写在二级指标之下")
                continue
            if len(parts) < 2 or len(parts) > 3:
                problem(number, "评分细则应写分值，如“- 内容 | 5”")
                continue
            points = _points(parts[1])
            if points is None:
                problem(number, "分值应为大于0的数（最多一位小数）")
                continue
            veto = len(parts) == 3 and parts[2] in ("否决", "单项否决")
            if len(parts) == 3 and not veto:
                problem(number, "第三栏只能写“否决”")
                continue
            specs.append(CriterionSpec(level=3, text=label, parent=parent, points=points, veto=veto))
        last[level] = len(specs) - 1
        for deeper in (lvl for lvl in (2, 3) if lvl > level):
            last.pop(deeper, None)
    if not violations:
        rules = sum(1 for s in specs if s.level == 3)
        if not rules:
            violations.append(Violation("standards.empty", "评议标准至少要有一项评分细则", EVALUATION_BASIS, "standards"))
        if rules > RULES_LIMIT:
            violations.append(Violation("standards.too_many", f"评分细则不能超过{RULES_LIMIT}项",
                                        STANDARDS_SIZE_BASIS, "standards"))
        if standards_full_marks(specs) > FULL_MARKS_LIMIT:
            violations.append(Violation("standards.full_marks", f"满分合计不能超过{FULL_MARKS_LIMIT}分",
                                        STANDARDS_SIZE_BASIS, "standards"))
        parents = {s.parent for s in specs}  # once: a check per node against every node was quadratic
        for index, spec in enumerate(specs):
            if spec.level < 3 and index not in parents:
                violations.append(Violation("standards.leaf", f"“{spec.text}”下没有{LEVEL_LABELS[spec.level + 1]}",
                                            FORM_BASIS, "standards"))
    return specs, violations


def standards_full_marks(specs: Sequence[CriterionSpec]) -> Decimal:
    return sum((s.points for s in specs if s.points is not None), Decimal("0"))


def evaluation_draft_violations(
    *, title: str, scheme: str, process: str, period_start: dt.date | None, period_end: dt.date | None,
    agency_count: int,
) -> list[Violation]:
    violations = []
    if not title.strip():
        violations.append(Violation("evaluation.title", "请填写评议名称", FORM_BASIS, "title"))
    if not scheme.strip():
        violations.append(Violation("evaluation.scheme", "请填写评议方案（目的、范围、方式）", EVALUATION_BASIS, "scheme"))
    if not process.strip():
        violations.append(Violation("evaluation.process", "请填写评议的步骤和时间安排", EVALUATION_BASIS, "process"))
    if period_start is None or period_end is None:
        violations.append(Violation("evaluation.period", "请填写评议期间的起止日期", FORM_BASIS, "period_start"))
    elif period_end < period_start:
        violations.append(Violation("evaluation.period_order", "评议期间的结束日期不能早于开始日期", FORM_BASIS, "period_end"))
    if agency_count == 0:
        violations.append(Violation("evaluation.agencies", "请选择参评的执法机关", EVALUATION_BASIS, "agencies"))
    return violations


@dataclass(frozen=True)
class ItemScore:
    """One rule's score as the supervisors give it."""

    criterion_id: int
    points: Decimal  # the rule's full points
    awarded: Decimal | None  # None: not given
    veto_allowed: bool = False
    veto: bool = False  # the 单项否决 was found
    reason: str = ""  # why points were deducted (扣分原因)


def score_violations(*, state: str, agency_in_evaluation: bool, items: Sequence[ItemScore],
                     criterion_labels: dict[int, str] | None = None) -> list[Violation]:
    """Every reason why the scores may not be recorded (the pair rule is checked by
    `rules.supervisors_violations`): the evaluation not approved or already published, an agency not
    evaluated, a rule unscored, out of range, a deduction without its reason, a veto on a rule that
    carries none."""
    labels = criterion_labels or {}
    violations = []
    if state == EvaluationState.DRAFT:
        violations.append(Violation("score.draft", "评议方案和标准尚未批准公开，不能评分", EVALUATION_BASIS))
    elif state == EvaluationState.PUBLISHED:
        violations.append(Violation("score.published", "评议结果已经公开，不能再评分", ORDER_BASIS))
    if not agency_in_evaluation:
        violations.append(Violation("score.agency", "该机关不是本次评议的参评机关", EVALUATION_BASIS, "agency"))
    for item in items:
        name = labels.get(item.criterion_id, "评分细则")
        field = f"c{item.criterion_id}"
        if item.awarded is None:
            violations.append(Violation("score.missing", f"“{name}”尚未评分", EVALUATION_BASIS, field))
            continue
        if item.awarded < 0 or item.awarded > item.points:
            violations.append(Violation("score.range", f"“{name}”的得分应在0至{item.points}分之间", EVALUATION_BASIS, field))
        elif item.awarded < item.points and not item.reason.strip():
            violations.append(Violation("score.reason", f"“{name}”有扣分，请写明扣分原因", EVALUATION_BASIS, field))
        if item.veto and not item.veto_allowed:
            violations.append(Violation("score.veto", f"“{name}”不是单项否决项", EVALUATION_BASIS, field))
        if item.veto and not item.reason.strip():
            violations.append(Violation("score.veto_reason", f"“{name}”单项否决，请写明原因", EVALUATION_BASIS, field))
    return violations


@dataclass(frozen=True)
class EvaluationResult:
    points_sum: Decimal  # the sum of the rules' scores
    full_marks: Decimal
    vetoed: bool
    total: Decimal  # the score: the sum, or 0 when a 单项否决 was found
    grade: str


def grade_bands(*, on: dt.date, parameters: ParameterSet | None = None, region: str = "") -> list[tuple[Decimal, str]]:
    """The bands in force, highest first: (lower bound in % of full marks, label)."""
    parameters = parameters or parameters_default()
    bands = parameters.value("supervision.evaluation_grade_bands", on=on, region=region)
    return sorted(((Decimal(str(b["min"])), str(b["label"])) for b in bands), key=lambda b: b[0], reverse=True)


def evaluation_result(*, items: Sequence[ItemScore], bands: Sequence[tuple[Decimal, str]]) -> EvaluationResult:
    """The total of an agency's scores: the sum of its rules' points, unless a 单项否决 was found (then
    0 and the lowest grade); the grade by the share of full marks (the shared core, `procedure.scoring`)."""
    result = score_total([ScoredItem(code=str(i.criterion_id), tier="", points=i.points,
                                     score=i.awarded or Decimal("0"), vetoed=i.veto and i.veto_allowed)
                          for i in items], bands=bands)
    return EvaluationResult(points_sum=result.points_sum, full_marks=result.full_marks, vetoed=result.vetoed,
                            total=result.total, grade=result.grade)


def results_publish_violations(*, state: str, unscored: Sequence[str]) -> list[Violation]:
    """The results are published once, when every agency evaluated has been scored (第十九条: the
    results are published; publishing part of them would misstate the round)."""
    violations = []
    if state == EvaluationState.DRAFT:
        violations.append(Violation("results.draft", "评议方案和标准尚未批准公开", ORDER_BASIS))
    elif state == EvaluationState.PUBLISHED:
        violations.append(Violation("results.published", "评议结果已经公开", ORDER_BASIS))
    if unscored:
        violations.append(Violation("results.unscored", f"尚有{len(unscored)}个参评机关未评分：{'、'.join(unscored)}",
                                    RESULTS_BASIS))
    return violations


__all__ = [
    "APPROVAL_BASIS",
    "EVALUATION_BASIS",
    "EVALUATION_STATE_LABELS",
    "LEVEL_LABELS",
    "PLAN_BASIS",
    "PLAN_ITEM_KIND_LABELS",
    "PLAN_STATE_LABELS",
    "STANDARDS_HELP",
    "CriterionSpec",
    "EvaluationResult",
    "EvaluationState",
    "ItemProgress",
    "ItemScore",
    "PlanItemKind",
    "PlanState",
    "approval_violations",
    "evaluation_draft_violations",
    "evaluation_result",
    "grade_bands",
    "grade_for",
    "months_text",
    "plan_draft_violations",
    "plan_item_matter_source",
    "plan_item_matter_violations",
    "plan_item_violations",
    "plan_publish_violations",
    "results_publish_violations",
    "score_violations",
    "standards_full_marks",
    "standards_parse",
]
