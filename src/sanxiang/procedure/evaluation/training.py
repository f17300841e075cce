"""培训 (training): sessions organised by an agency or by the 司法局, the hours each officer attends,
and the yearly hours rule that training compliance (培训达标率) counts.

The plan asks the 司法局 to train the county's officers on the three systems and each agency to train
its own and report its training to the 司法局 (`PLAN_TRAINING`). No national rule sets a number of
hours (the supervision regulation leaves officer training to rules "另行制定"), so the required hours
are an unverified parameter (`evaluation.training.required_hours_per_year`). Pure Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.violations import Violation

PLAN_TRAINING = (
    "乌政办发〔2022〕115号《乌审旗全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度实施方案》"
    "三、（一）1：旗司法局系统组织培训，各行政执法机关经常组织本部门行政执法人员培训并将培训情况报旗司法局"
)
ORGANISER_BASIS = "平台规则：培训由组织培训的机关（本机关负责人、单位管理员，或者司法局监督人员）登记和记录参训人员"
ATTENDEE_BASIS = "平台规则：执法机关组织的培训只记录本机关的执法人员；司法局组织的培训记录本县各执法机关的执法人员"
INPUT_BASIS = "平台规则：培训的日期、学时和主题"
REQUIRED_HOURS_PARAMETER = "evaluation.training.required_hours_per_year"
HOURS_STEP = Decimal("0.5")
HOURS_MAX = Decimal("200")  # one session: a platform limit against typing mistakes
TOPIC_MAX = 200


class TrainingKind(StrEnum):
    PUBLIC_LAW = "public_law"
    SPECIALIST_LAW = "specialist_law"
    THREE_SYSTEMS = "three_systems"
    OTHER = "other"


TRAINING_KIND_LABELS: dict[TrainingKind, str] = {
    TrainingKind.PUBLIC_LAW: "公共法律知识",
    TrainingKind.SPECIALIST_LAW: "专业法律知识",
    TrainingKind.THREE_SYSTEMS: "三项制度",
    TrainingKind.OTHER: "其他",
}


def required_hours(*, year: int, parameters: ParameterSet | None = None, region: str = "") -> Decimal:
    """The hours an officer must attend in `year` (the parameter in force on 31 December)."""
    value = (parameters or parameters_default()).value(REQUIRED_HOURS_PARAMETER, on=dt.date(year, 12, 31), region=region)
    return Decimal(str(value))


def required_hours_first_year(parameters: ParameterSet | None = None) -> int:
    """The first year whose 31 December has required hours in force: before it a year's hours cannot
    be judged (the summary of an earlier year is not offered)."""
    return min(p.start for p in (parameters or parameters_default())[REQUIRED_HOURS_PARAMETER].periods).year


def required_hours_basis(parameters: ParameterSet | None = None) -> str:
    return (parameters or parameters_default())["evaluation.training.required_hours_per_year"].reference


def required_hours_unverified(parameters: ParameterSet | None = None) -> bool:
    """Whether the required hours still wait for the province's or county's rule (pages say so)."""
    return (parameters or parameters_default())["evaluation.training.required_hours_per_year"].unverified


def hours_parse(text: object) -> Decimal | None:
    """Hours as typed ("2", "1.5", 3): a Decimal, or None when it is not a number."""
    if isinstance(text, bool):
        return None
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def hours_problem(hours: Decimal | None, *, at_most: Decimal = HOURS_MAX) -> str | None:
    """Why `hours` cannot be the hours of a session (or of an attendance), in Chinese; None if it can."""
    if hours is None:
        return "学时应为数字，例如 2 或 1.5"
    if hours <= 0:
        return "学时应大于0"
    if hours > at_most:  # before the remainder, which a huge exponent cannot compute
        return f"学时不能超过{at_most.normalize():f}"
    if hours % HOURS_STEP:
        return f"学时以{HOURS_STEP}为单位，例如 1.5"
    return None


def session_violations(
    *, kind: str, topic: str, held_on: dt.date | None, hours: Decimal | None, today: dt.date, organiser_ok: bool
) -> list[Violation]:
    """Why a training session cannot be recorded as given (every reason)."""
    violations = []
    if not organiser_ok:
        violations.append(Violation("evaluation.training.organiser", "只有本机关负责人、单位管理员或者司法局监督人员可以登记培训",
                                    ORGANISER_BASIS))
    if kind not in TrainingKind.__members__.values():
        labels = "、".join(TRAINING_KIND_LABELS.values())
        violations.append(Violation("evaluation.training.kind", f"请选择培训类别：{labels}", PLAN_TRAINING, "kind"))
    topic = (topic or "").strip()
    if not topic:
        violations.append(Violation("evaluation.training.topic", "请填写培训主题", INPUT_BASIS, "topic"))
    elif len(topic) > TOPIC_MAX:
        violations.append(Violation("evaluation.training.topic_long", f"培训主题不能超过{TOPIC_MAX}个字", INPUT_BASIS,
                                    "topic"))
    if held_on is None:
        violations.append(Violation("evaluation.training.held_on", "请填写培训日期", INPUT_BASIS, "held_on"))
    elif held_on > today:
        violations.append(Violation("evaluation.training.future", "培训日期晚于今天：培训举办后再登记", INPUT_BASIS,
                                    "held_on"))
    problem = hours_problem(hours)
    if problem:
        violations.append(Violation("evaluation.training.hours", problem, INPUT_BASIS, "hours"))
    return violations


def hours_round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OfficerHours:
    """One officer's attended hours in a year, and whether they meet the rule."""

    officer_id: int
    hours: Decimal
    required: Decimal

    @property
    def met(self) -> bool:
        return officer_meets_hours(hours=self.hours, required=self.required)

    @property
    def short_by(self) -> Decimal:
        return max(self.required - self.hours, Decimal(0))


def officer_meets_hours(*, hours: Decimal, required: Decimal) -> bool:
    """An officer meets the yearly rule when the hours attended reach the required hours."""
    return hours >= required


@dataclass(frozen=True)
class Compliance:
    """培训达标率: the officers meeting the hours (numerator) among all officers (denominator)."""

    required: Decimal
    met: tuple[int, ...]  # officer ids
    officers: tuple[int, ...]
    hours: Mapping[int, Decimal]

    @property
    def rate(self) -> Decimal | None:
        if not self.officers:
            return None
        return Decimal(len(self.met)) / Decimal(len(self.officers))


def compliance_compute(
    *, officer_ids: Iterable[int], attendances: Iterable[tuple[int, Decimal]], required: Decimal
) -> Compliance:
    """Sum each officer's attended hours (attendances of officers outside `officer_ids` are ignored)
    and count those who meet the rule."""
    officers = tuple(sorted(set(officer_ids)))
    totals = {o: Decimal(0) for o in officers}
    for officer_id, hours in attendances:
        if officer_id in totals:
            totals[officer_id] += hours
    met = tuple(o for o in officers if officer_meets_hours(hours=totals[o], required=required))
    return Compliance(required=required, met=met, officers=officers, hours=totals)
