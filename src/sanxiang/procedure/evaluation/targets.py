"""The plan's targets (issue 15, item 3): whether an enforcement agency "fully applies the three
systems" (全面实行“三项制度”) in each kind of enforcement the plan names (行政许可、行政处罚、行政强制、
行政检查、行政征收征用), criterion by criterion, and the campaign that says what share of the county's
agencies must do so by when.

The rule, per agency and kind of enforcement (the Django side reads the records, this module
judges them):

- a kind applies to an agency when its catalogue (权责清单) holds an active matter of the kind, it
  has handled a case of the kind on the platform, or its 事前 publicity still lists a matter of the
  kind (a withdrawn power still shown to the public is a failure, not an absence); otherwise the kind is "无此类执法" and is
  neither met nor failed;
- a kind is met when every criterion that can be judged is met; a criterion with nothing to judge
  (no decision due in the window, no procedure of the kind on the platform) is "不适用" and says why,
  never a silent pass or a false failure;
- an agency fully applies the three systems when every kind that applies to it is met; an agency to
  which no kind applies is not counted in the share (and the page says so).

The criteria rest on the law (事前公开 and its 动态调整, 事后公开, 全过程记录, 法制审核: 国办发〔2018〕118号,
《行政处罚法》) and on the county plan (制度文件). Where a criterion needs a threshold the law does not
set (the share of decisions published on time, of recorded steps), the threshold is a parameter
labelled as a platform rule (`evaluation.targets.*`). The default campaign is a parameter citing the
plan; a county's 司法局 defines its next campaign (`campaign_violations` checks it). Pure Python.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.evaluation.documents import plan_basis
from sanxiang.procedure.parameters import ParameterSet, parameters_default, reference_split
from sanxiang.procedure.penalty.basis import GUIDELINE_118
from sanxiang.procedure.penalty.review import REVIEW_BASIS
from sanxiang.procedure.violations import Violation

CAMPAIGN_PARAMETER = "evaluation.targets.campaign"
WINDOW_PARAMETER = "evaluation.targets.window_months"
PUBLICATION_PARAMETER = "evaluation.targets.publication_timely_min_percent"
AUDIO_VIDEO_PARAMETER = "evaluation.targets.audio_video_min_percent"

RULE_BASIS = "平台规则：按执法类别逐项判断是否全面实行三项制度，各类别均达到的单位计为全面实行"
CAMPAIGN_BASIS = "平台规则：县司法局可以确定下一阶段全面实行三项制度的目标（单位占比和期限）"
CAMPAIGN_INPUT_BASIS = "平台规则：目标的名称、占比和期限"
TITLE_MAX = 100
MILESTONES_MAX = 3


class EnforcementKind(StrEnum):
    """The kinds of enforcement act the plan names."""

    PERMIT = "permit"
    PENALTY = "penalty"
    COERCION = "coercion"
    INSPECTION = "inspection"
    EXPROPRIATION = "expropriation"


KIND_LABELS: dict[EnforcementKind, str] = {
    EnforcementKind.PERMIT: "行政许可",
    EnforcementKind.PENALTY: "行政处罚",
    EnforcementKind.COERCION: "行政强制",
    EnforcementKind.INSPECTION: "行政检查",
    EnforcementKind.EXPROPRIATION: "行政征收征用",
}
# The catalogue's matter kinds (registry.MatterKind values) of each kind of enforcement.
KIND_MATTERS: dict[EnforcementKind, tuple[str, ...]] = {
    EnforcementKind.PERMIT: ("permit",),
    EnforcementKind.PENALTY: ("penalty",),
    EnforcementKind.COERCION: ("coercion",),
    EnforcementKind.INSPECTION: ("inspection",),
    EnforcementKind.EXPROPRIATION: ("expropriation", "requisition"),
}
# The procedures' act kinds (`procedure.catalog.ACT_KINDS`) of each kind of enforcement.
KIND_ACTS: dict[EnforcementKind, tuple[str, ...]] = {
    EnforcementKind.PERMIT: ("licensing",),
    EnforcementKind.PENALTY: ("penalty",),
    EnforcementKind.COERCION: ("coercion", "enforcement"),
    EnforcementKind.INSPECTION: ("inspection",),
    EnforcementKind.EXPROPRIATION: ("expropriation",),
}


def kind_of_act(act_kind: str) -> EnforcementKind | None:
    """The kind of enforcement of a procedure's act kind (None: not one the plan names)."""
    for kind, acts in KIND_ACTS.items():
        if act_kind in acts:
            return kind
    return None


def kind_of_matter(matter_kind: str) -> EnforcementKind | None:
    for kind, matters in KIND_MATTERS.items():
        if matter_kind in matters:
            return kind
    return None


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS: dict[Status, str] = {
    Status.MET: "达到",
    Status.NOT_MET: "未达到",
    Status.NOT_APPLICABLE: "不适用",
}
NO_SUCH_ENFORCEMENT = "无此类执法"


@dataclass(frozen=True)
class Criterion:
    code: str  # stable identifier (never shown)
    name: str  # 中文名称
    requirement: str  # what "met" means, in words
    basis: str  # the law, the plan or the platform rule it rests on
    parameters: tuple[str, ...] = ()  # the thresholds (platform rules) it uses
    per_kind: bool = True  # False: judged once for the agency (the same in every kind)

    def basis_text(self, parameters: ParameterSet | None = None) -> str:
        """The basis with the references of its thresholds (as cited, without checking notes)."""
        parameters = parameters or parameters_default()
        parts = [self.basis] + [reference_split(parameters[name].reference)[0] for name in self.parameters]
        return "；".join(dict.fromkeys(p for p in parts if p))


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        code="pre_publicity",
        name="事前公开完整、及时更新",
        requirement="权责清单中本类别的每一项有效执法事项都已事前公开，公开的内容与登记一致，已停用的事项不再公开",
        basis=f"{GUIDELINE_118}（强化事前公开：执法主体、职责、权限、依据等信息主动公开，并根据法律法规及机构职能变化及时动态调整）",
    ),
    Criterion(
        code="publication_timely",
        name="执法决定按期公开",
        requirement="判断期内应当公示的执法决定，按期公示的比率不低于达标线",
        basis=f"{GUIDELINE_118}（加强事后公开：执法决定应当在规定期限内公开）",
        parameters=(PUBLICATION_PARAMETER,),
    ),
    Criterion(
        code="audio_video",
        name="须音像记录的环节有音像记录",
        requirement="判断期内发生的须全程音像记录的环节，附有音像记录的比率不低于达标线",
        basis=f"{GUIDELINE_118}（执法全过程记录制度：对直接涉及重大财产权益的现场执法活动和办案场所进行全程音像记录）",
        parameters=(AUDIO_VIDEO_PARAMETER,),
    ),
    Criterion(
        code="legal_review",
        name="重大执法决定全部经法制审核",
        requirement="判断期内作出的每一件重大执法决定，决定前均经法制审核（最近一次审核意见为同意）",
        basis=REVIEW_BASIS,
    ),
    Criterion(
        code="documents",
        name="制度文件已报送",
        requirement="实施方案要求的各类制度文件均已报送司法局（被退回的已重新报送）",
        basis="",  # the plan's text, read from the documents parameter (`criterion_basis`)
        per_kind=False,
    ),
)
CRITERIA_BY_CODE: dict[str, Criterion] = {c.code: c for c in CRITERIA}


def criterion_basis(criterion: Criterion, parameters: ParameterSet | None = None) -> str:
    """A criterion's basis as cited: the documents criterion cites the plan's text on documents."""
    if criterion.code == "documents":
        return reference_split(plan_basis(parameters))[0]
    return criterion.basis_text(parameters)


@dataclass(frozen=True)
class Judgement:
    """A criterion (or a kind, or an agency) judged: its status and why, in Chinese."""

    status: Status
    reason: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _percent(numerator: int, denominator: int) -> float:
    return round(numerator * 100 / denominator, 1)


def _number(value: float) -> str:
    return f"{value:g}"


# --- the criteria ------------------------------------------------------------------------------------


def publicity_judge(
    *,
    published: bool,
    active: int,
    missing: Sequence[str],
    outdated: Sequence[str],
    retired: Sequence[str],
    has_cases: bool = False,
) -> Judgement:
    """事前公开 of one kind: `active` matters of the kind in the catalogue; `missing` (names) not
    published, `outdated` published with content that differs from the registry, `retired` no
    longer active but still published; `has_cases`: the agency handled cases of the kind."""
    if not published:
        return Judgement(Status.NOT_MET, "本单位尚未事前公开（公开信息未生成）")
    reasons = []
    if not active and has_cases:
        reasons.append("权责清单中没有本类别的有效执法事项，但办理了此类执法案件")
    if missing:
        reasons.append(f"{len(missing)}项执法事项未公开：{_names(missing)}")
    if outdated:
        reasons.append(f"{len(outdated)}项执法事项的公开内容与登记不一致，未及时更新：{_names(outdated)}")
    if retired:
        reasons.append(f"{len(retired)}项已停用的执法事项仍在公开：{_names(retired)}")
    if reasons:
        return Judgement(Status.NOT_MET, "；".join(reasons))
    if not active:
        return Judgement(Status.NOT_APPLICABLE, "权责清单中没有本类别的有效执法事项")
    return Judgement(Status.MET, f"本类别{active}项有效执法事项均已公开，内容与登记一致")


def _names(names: Sequence[str], shown: int = 3) -> str:
    text = "、".join(names[:shown])
    return text + (f"等{len(names)}项" if len(names) > shown else "")


def rate_judge(
    *, numerator: int, denominator: int, min_percent: float, counted: str, meeting: str, none_due: str
) -> Judgement:
    """A share of records above a threshold: `counted` names the records of the denominator
    ("应当公示的决定"), `meeting` those of the numerator ("按期公示"), `none_due` why nothing is due."""
    if not denominator:
        return Judgement(Status.NOT_APPLICABLE, none_due)
    value = _percent(numerator, denominator)
    text = f"{counted}{denominator}件，{meeting}{numerator}件（{_number(value)}%）"
    if value >= min_percent:
        return Judgement(Status.MET, f"{text}，达到{_number(min_percent)}%的达标线")
    return Judgement(Status.NOT_MET, f"{text}，低于{_number(min_percent)}%的达标线（平台规则）")


def review_judge(*, reviewed: int, major: int, none_due: str) -> Judgement:
    """Every major decision reviewed before it was made (the law: no threshold)."""
    if not major:
        return Judgement(Status.NOT_APPLICABLE, none_due)
    if reviewed == major:
        return Judgement(Status.MET, f"重大执法决定{major}件，决定前均经法制审核")
    return Judgement(
        Status.NOT_MET,
        f"重大执法决定{major}件，其中{major - reviewed}件决定前未经法制审核（审核未同意即作出决定的，同样计入）",
    )


def documents_judge(*, items: Iterable[tuple[str, str]]) -> Judgement:
    """制度文件: `items` are (kind label, checklist status) of every kind the plan asks for; met when
    each is submitted (waiting for review, or accepted)."""
    items = list(items)
    if not items:
        return Judgement(Status.NOT_APPLICABLE, "实施方案未要求报送制度文件")
    missing = [label for label, status in items if status == "missing"]
    returned = [label for label, status in items if status == "returned"]
    reasons = []
    if missing:
        reasons.append(f"未报送：{'、'.join(missing)}")
    if returned:
        reasons.append(f"被退回后未重新报送：{'、'.join(returned)}")
    if reasons:
        return Judgement(Status.NOT_MET, "；".join(reasons))
    return Judgement(Status.MET, f"{len(items)}类制度文件均已报送")


def no_procedure_judgement(kind: EnforcementKind) -> Judgement:
    """A criterion read from case records, for a kind the platform has no procedure of yet."""
    return Judgement(Status.NOT_APPLICABLE, f"平台尚未办理{KIND_LABELS[kind]}案件，没有可据以判断的办案记录")


def no_review_records_judgement(kind: EnforcementKind) -> Judgement:
    """The legal-review criterion of a kind whose major decisions the platform does not tally yet."""
    return Judgement(
        Status.NOT_APPLICABLE, f"平台尚未统计{KIND_LABELS[kind]}的重大执法决定法制审核情况，无法判断"
    )


def kind_judge(*, applies: bool, criteria: Sequence[tuple[Criterion, Judgement]]) -> Judgement:
    """A kind of enforcement of one agency: met when every criterion that can be judged is met."""
    if not applies:
        return Judgement(Status.NOT_APPLICABLE, NO_SUCH_ENFORCEMENT)
    failed = [c.name for c, j in criteria if j.status == Status.NOT_MET]
    if failed:
        return Judgement(Status.NOT_MET, f"未达到：{'、'.join(failed)}")
    judged = [c for c, j in criteria if j.status == Status.MET]
    if not judged:
        return Judgement(Status.NOT_APPLICABLE, "各项标准均无可据以判断的记录")
    return Judgement(Status.MET, "各项可判断的标准均达到")


def agency_judge(*, kinds: Sequence[tuple[EnforcementKind, Judgement]]) -> Judgement:
    """An agency fully applies the three systems when every kind that applies to it is met; an agency
    to which no kind applies (or none can be judged) is not counted."""
    failed = [KIND_LABELS[k] for k, j in kinds if j.status == Status.NOT_MET]
    if failed:
        return Judgement(Status.NOT_MET, f"未全面实行：{'、'.join(failed)}")
    met = [KIND_LABELS[k] for k, j in kinds if j.status == Status.MET]
    if not met:
        return Judgement(
            Status.NOT_APPLICABLE,
            "没有可判断的执法类别（权责清单和案件中均无许可、处罚、强制、检查、征收征用）",
        )
    return Judgement(Status.MET, f"全面实行：{'、'.join(met)}")


def share_percent(*, met: int, counted: int) -> float | None:
    """The share of counted agencies that fully apply the three systems (None: no agency counted)."""
    return _percent(met, counted) if counted else None


def window_months(*, on: dt.date, parameters: ParameterSet | None = None, region: str = "") -> int:
    return int((parameters or parameters_default()).value(WINDOW_PARAMETER, on=on, region=region))


def window_start(*, on: dt.date, months: int) -> dt.date:
    """The first day of the window that ends on `on`: the first of the month `months - 1` months
    before `on`'s month (the window is that many calendar months, the last one lived up to `on`)."""
    index = on.year * 12 + on.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def earliest_day(parameters: ParameterSet | None = None) -> dt.date:
    """The first day the targets can be judged on: every parameter they read is in force from it."""
    parameters = parameters or parameters_default()
    names = (
        CAMPAIGN_PARAMETER,
        WINDOW_PARAMETER,
        PUBLICATION_PARAMETER,
        AUDIO_VIDEO_PARAMETER,
        "evaluation.documents.kinds",
        "evaluation.documents.due_on",
    )
    return max(min(p.start for p in parameters[name].periods) for name in names)


def threshold(name: str, *, on: dt.date, parameters: ParameterSet | None = None, region: str = "") -> float:
    return float((parameters or parameters_default()).value(name, on=on, region=region))


# --- campaigns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    due_on: dt.date
    percent: int


@dataclass(frozen=True)
class Campaign:
    title: str
    milestones: tuple[Milestone, ...]
    basis: str
    default: bool  # the plan's campaign (a parameter), not one a county defined

    def milestone_on(self, day: dt.date) -> Milestone | None:
        """The milestone a day is measured against: the next one due (on or after the day), or the
        last one once every date has passed."""
        upcoming = [m for m in self.milestones if m.due_on >= day]
        if upcoming:
            return upcoming[0]
        return self.milestones[-1] if self.milestones else None


DEFAULT_TITLE = "实施方案目标"


def campaign_default(*, on: dt.date, parameters: ParameterSet | None = None, region: str = "") -> Campaign:
    """The plan's campaign (the parameter in force on `on` for the region)."""
    parameters = parameters or parameters_default()
    values = parameters.value(CAMPAIGN_PARAMETER, on=on, region=region)
    milestones = tuple(
        sorted((Milestone(v["due_on"], int(v["percent"])) for v in values), key=lambda m: m.due_on)
    )
    return Campaign(
        DEFAULT_TITLE, milestones, reference_split(parameters[CAMPAIGN_PARAMETER].reference)[0], True
    )


def campaign_violations(
    *, title: str, milestones: Sequence[tuple[dt.date | None, int | None]]
) -> list[Violation]:
    """Why a county's campaign cannot be defined (every reason). `milestones` are (date, percent)
    pairs as entered, position i naming the form's fields `due_on_<i+1>` and `percent_<i+1>`; a pair
    left wholly empty is skipped."""
    violations = []
    title = (title or "").strip()
    if not title:
        violations.append(
            Violation("evaluation.target.title_missing", "请填写目标名称", CAMPAIGN_INPUT_BASIS, "title")
        )
    elif len(title) > TITLE_MAX:
        violations.append(
            Violation(
                "evaluation.target.title_long",
                f"目标名称不能超过{TITLE_MAX}个字",
                CAMPAIGN_INPUT_BASIS,
                "title",
            )
        )
    entered = []
    for position, (due_on, percent) in enumerate(milestones, start=1):
        if due_on is None and percent is None:
            continue
        if due_on is None:
            violations.append(
                Violation(
                    "evaluation.target.date_missing",
                    f"请填写第{position}阶段的期限",
                    CAMPAIGN_INPUT_BASIS,
                    f"due_on_{position}",
                )
            )
        if percent is None:
            violations.append(
                Violation(
                    "evaluation.target.percent_missing",
                    f"请填写第{position}阶段的单位占比",
                    CAMPAIGN_INPUT_BASIS,
                    f"percent_{position}",
                )
            )
        elif not 1 <= percent <= 100:
            violations.append(
                Violation(
                    "evaluation.target.percent_range",
                    f"第{position}阶段的单位占比应为1至100",
                    CAMPAIGN_INPUT_BASIS,
                    f"percent_{position}",
                )
            )
        if due_on is not None and percent is not None:
            entered.append((position, due_on, percent))
    if not any(d is not None or p is not None for d, p in milestones):
        violations.append(
            Violation(
                "evaluation.target.none",
                "请至少填写一个阶段的期限和单位占比",
                CAMPAIGN_INPUT_BASIS,
                "due_on_1",
            )
        )
    if len(milestones) > MILESTONES_MAX:
        violations.append(
            Violation("evaluation.target.too_many", f"最多{MILESTONES_MAX}个阶段", CAMPAIGN_INPUT_BASIS)
        )
    for (_, before_on, before_percent), (position, due_on, percent) in itertools.pairwise(entered):
        if due_on <= before_on:
            violations.append(
                Violation(
                    "evaluation.target.order",
                    f"第{position}阶段的期限应晚于前一阶段",
                    CAMPAIGN_BASIS,
                    f"due_on_{position}",
                )
            )
        if percent < before_percent:
            violations.append(
                Violation(
                    "evaluation.target.decreasing",
                    f"第{position}阶段的单位占比不应低于前一阶段",
                    CAMPAIGN_BASIS,
                    f"percent_{position}",
                )
            )
    return violations


__all__ = [
    "AUDIO_VIDEO_PARAMETER",
    "CAMPAIGN_BASIS",
    "CAMPAIGN_PARAMETER",
    "CRITERIA",
    "CRITERIA_BY_CODE",
    "KIND_ACTS",
    "KIND_LABELS",
    "KIND_MATTERS",
    "NO_SUCH_ENFORCEMENT",
    "PUBLICATION_PARAMETER",
    "RULE_BASIS",
    "STATUS_LABELS",
    "WINDOW_PARAMETER",
    "Campaign",
    "Criterion",
    "EnforcementKind",
    "Judgement",
    "Milestone",
    "Status",
    "agency_judge",
    "campaign_default",
    "campaign_violations",
    "criterion_basis",
    "documents_judge",
    "earliest_day",
    "kind_judge",
    "kind_of_act",
    "kind_of_matter",
    "no_procedure_judgement",
    "no_review_records_judgement",
    "publicity_judge",
    "rate_judge",
    "review_judge",
    "share_percent",
    "threshold",
    "window_months",
    "window_start",
]
