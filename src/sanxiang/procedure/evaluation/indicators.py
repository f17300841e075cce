"""The judicial bureau's indicators (指标, issue 15 item 1), each defined once: what counts in the
numerator and the denominator (in words: the queries in `sanxiang.evaluation.indicators` implement
exactly these sentences), the legal hook, the version, the direction and the unit.

No national text sets these formulas or any numeric target (reference: supervision_and_procedures
§2, "formulas are mine"): each formula is a platform rule (`PLATFORM_FORMULA`), hooked to the law
or the parameter whose duty it measures. A period a formula uses is a parameter
(`procedure/parameters/*.toml`) whose reference the hook cites; nothing here is a number of days.

Versions: a definition is never edited in place once used. A change of meaning is a new
`Indicator` with the same code, a higher `version` and the day it applies from (`valid_from`);
the earlier version stays in `INDICATORS` so that a figure computed under it can still be
explained. `indicator_current(code, on=day)` picks the version in force on a day.

An indicator whose records do not exist yet (案卷评查) is
declared with `available=False` and `pending` saying what is missing: the pages list it as
"待接入" with that reason, never as a figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.evaluation.training import PLAN_TRAINING, REQUIRED_HOURS_PARAMETER
from sanxiang.procedure.parameters import ParameterSet, parameters_default, reference_split
from sanxiang.procedure.penalty.challenges import CORRECTION_BASIS
from sanxiang.procedure.penalty.review import REVIEW_BASIS
from sanxiang.procedure.supervision.basis import SICHUAN, regulation_article

PLATFORM_FORMULA = "平台规则：指标口径由本平台确定（国家未规定计算公式）"


class Unit(StrEnum):
    PERCENT = "percent"  # numerator ÷ denominator × 100, one decimal place
    COUNT = "count"  # the numerator alone (the denominator shown beside it for context)


UNIT_LABELS: dict[Unit, str] = {Unit.PERCENT: "%", Unit.COUNT: "项"}


@dataclass(frozen=True)
class Indicator:
    code: str  # stable identifier (never shown on a page)
    version: int
    valid_from: dt.date  # the first day this version applies to
    name: str  # 中文名称
    numerator: str  # what counts above the line, in words
    denominator: str  # what counts below it, in words
    period_rule: str  # which day of a record puts it in a period
    hook: str  # the legal hook: the duty the figure measures
    parameters: tuple[str, ...] = ()  # the parameters whose references complete the hook
    higher_is_better: bool = True
    unit: Unit = Unit.PERCENT
    available: bool = True
    pending: str = ""  # why an unavailable indicator has no figure yet
    formula_basis: str = PLATFORM_FORMULA

    @property
    def key(self) -> tuple[str, int]:
        return (self.code, self.version)

    def basis_text(self, parameters: ParameterSet | None = None) -> str:
        """The hook with the references of its parameters (as cited, without checking notes)."""
        parameters = parameters or parameters_default()
        parts: list[str] = []
        for text in (self.hook, *(reference_split(parameters[name].reference)[0] for name in self.parameters)):
            for part in text.split("；"):
                if part and part not in parts:
                    parts.append(part)
        return "；".join(parts)

    def value(self, numerator: int, denominator: int) -> float | None:
        """The figure: a percentage (None when nothing is due: no denominator), or the count."""
        if self.unit == Unit.COUNT:
            return float(numerator)
        if not denominator:
            return None
        return round(numerator * 100 / denominator, 1)


FIRST_DAY = dt.date(2018, 12, 5)  # 国办发〔2018〕118号, from which the three systems are measured

# The audio-video recording indicator counts, per recording step a parameter lists, the record
# that proves the step took place and the step's recording (`audio_video_<step>` evidence).
# A step with no record of its own (留置送达 leaves only the receipt, shared with any service) is
# not counted: AV_STEPS_UNCOUNTED names it on the indicator's page.
AV_STEP_RECORDS: dict[str, tuple[str, str]] = {
    # step: (record kind proving the step took place, its label)
    "hearing": ("hearing_transcript", "听证"),
    "preservation": ("preservation_notice", "先行登记保存"),
    "inspection": ("inspection_record", "现场检查"),
    "inquiry": ("inquiry_record", "询问"),
    "public_notice_service": ("public_notice_record", "公告送达"),
    "seal_up": ("measure_decision", "查封"),
    "seizure": ("measure_decision", "扣押"),
    "freeze": ("freeze_decision", "冻结"),
    "forced_demolition": ("demolition_notice", "强制拆除"),
    "substitute_performance": ("substitute_record", "代履行"),
    "execution": ("execution_record", "在现场实施强制执行"),
}
# Recording steps with no record of their own from which the step's occurrence can be read: not
# counted even when a parameter requires their recording (the indicator's denominator says so).
AV_STEPS_UNCOUNTED: dict[str, str] = {
    "lien_service": "留置送达",
    "on_spot_penalty": "简易程序当场处罚",
    "on_site_execution": "现场强制执行",
}
AV_STEP_PARAMETERS = ("penalty.recording.audio_video_steps", "coercion.audio_video_required_steps")
AV_STEPS_UNCOUNTED_NOTE = "留置送达、当场处罚、现场强制执行没有单独的笔录或者文书可据以判断该环节已经发生，暂不计入"


@dataclass(frozen=True)
class AvStep:
    """One kind of step the audio-video indicator counts: the record proving it took place, its
    label, and the recording steps whose recording covers it."""

    record_kind: str
    label: str
    recordings: tuple[str, ...]


def av_steps_required(*, on: dt.date, parameters: ParameterSet | None = None, region: str = "") -> list[AvStep]:
    """The recording steps the parameters require on a day that the indicator can count, each with
    the record kind proving it took place. 查封 and 扣押 share one decision: one step, covered by
    either recording."""
    parameters = parameters or parameters_default()
    required: list[str] = []
    for name in AV_STEP_PARAMETERS:
        required += list(parameters.value(name, on=on, region=region))
    by_record: dict[str, tuple[list[str], list[str]]] = {}
    for step in required:
        if step in AV_STEP_RECORDS:
            record_kind, label = AV_STEP_RECORDS[step]
            labels, steps = by_record.setdefault(record_kind, ([], []))
            if step not in steps:
                labels.append(label)
                steps.append(step)
    return [AvStep(kind, "、".join(labels), tuple(steps)) for kind, (labels, steps) in by_record.items()]


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="publication_timely",
        version=1,
        valid_from=FIRST_DAY,
        name="事后公开及时率",
        numerator="在法定期限内公示的执法决定（公示日期不晚于应当公示日期）",
        denominator="应当公示日期在统计期内的执法决定（依法不予公开、暂缓公开的除外）",
        period_rule="按应当公示日期计入",
        hook="执法决定信息应当在作出决定之日起规定期限内公开",
        parameters=("publication.penalty_permit_working_days", "publication.other_decision_working_days"),
    ),
    Indicator(
        code="withdrawal_timely",
        version=1,
        valid_from=FIRST_DAY,
        name="公示撤回及时率",
        numerator="在期限内撤回的公示（撤回日期不晚于应当撤回日期）",
        denominator="应当撤回日期在统计期内、已经公示的被变更、撤销、确认违法或者确认无效的决定",
        period_rule="按应当撤回日期计入",
        hook="决定被变更、撤销、确认违法或者确认无效的，应当在规定期限内撤回公示信息",
        parameters=("publication.withdrawal_working_days",),
    ),
    Indicator(
        code="audio_video_coverage",
        version=1,
        valid_from=FIRST_DAY,
        name="音像记录覆盖率",
        numerator="附有该环节音像记录的须音像记录环节",
        denominator="统计期内发生的须全程音像记录的环节（以该环节的笔录、文书为准，每案每环节计一次；"
        + AV_STEPS_UNCOUNTED_NOTE + "）",
        period_rule="按该环节笔录或者文书的日期计入（最早的一份）",
        hook="须全程音像记录的执法环节应当附音像记录",
        parameters=AV_STEP_PARAMETERS,
    ),
    Indicator(
        code="legal_review_rate",
        version=1,
        valid_from=FIRST_DAY,
        name="重大执法决定法制审核率",
        numerator="决定前经法制审核（最近一次审核意见为同意）的重大执法决定",
        denominator="统计期内作出的重大执法决定",
        period_rule="按决定日期计入",
        hook=REVIEW_BASIS,
    ),
    Indicator(
        code="filing_timely",
        version=1,
        valid_from=dt.date(2026, 2, 1),
        name="重大执法决定备案及时率",
        numerator="在备案期限内报送备案的重大执法决定",
        denominator="统计期内作出、应当报送备案的重大执法决定",
        period_rule="按决定日期计入",
        hook=f"{regulation_article(12)}（监督三项制度的执行）",
        parameters=("supervision.major_decision_filing_days",),
    ),
    Indicator(
        code="certificate_rate",
        version=1,
        valid_from=FIRST_DAY,
        name="行政执法证持证率",
        numerator="统计期末持有有效行政执法证的在岗执法人员",
        denominator="在岗执法人员（按当前人员状态）",
        period_rule="以统计期最后一日（未到则以今日）判断证件是否有效",
        hook=f"{regulation_article(12, detail='第一项')}（执法人员资格和证件）；年度行政执法数据中的持证率",
    ),
    Indicator(
        code="rectification_on_time",
        version=1,
        valid_from=dt.date(2026, 2, 1),
        name="监督文书按期整改报告率",
        numerator="在答复期限内报送整改（履行）报告的监督文书",
        denominator="答复期限在统计期内届满的监督文书（已撤回的除外）",
        period_rule="按答复期限计入",
        hook=f"{regulation_article(27)}、第二十八条：被监督机关应当在规定时限内报告整改情况",
    ),
    Indicator(
        code="deadlines_overdue",
        version=1,
        valid_from=FIRST_DAY,
        name="逾期办理的案件期限",
        numerator="逾期的案件期限（逾期完成，或者届满仍未完成）",
        denominator="届满日在统计期内的案件期限",
        period_rule="按届满日计入；未完成的，以统计期最后一日（未到则以今日）判断是否逾期",
        hook="办案期限由程序规则计算（各期限的依据见案件页）",
        higher_is_better=False,
        unit=Unit.COUNT,
    ),
    # 案卷评查 (issue 16, item 4): the files drawn in the 司法局's campaigns, counted once the campaign's
    # results are published (every file then has its final score).
    Indicator(
        code="case_file_pass_rate",
        version=1,
        valid_from=dt.date(2026, 2, 1),
        name="案卷评查合格率",
        numerator="评查结果为合格或者优秀的案卷",
        denominator="统计期内公布评查结果的案卷评查活动中抽中的案卷（两名其他机关评查人员评分的平均分，或者司法局复评的得分）",
        period_rule="按评查活动公布结果的日期计入",
        hook=regulation_article(18),
    ),
    Indicator(
        code="training_compliance",
        version=1,
        valid_from=FIRST_DAY,
        name="培训达标率",
        numerator="当年1月1日至统计期最后一日参加培训的学时达到年度规定学时的在岗执法人员",
        denominator="在岗执法人员（按当前人员状态）",
        period_rule="按统计期最后一日（未到则以今日）所在年度计算，学时累计至该日",
        hook=PLAN_TRAINING,
        parameters=(REQUIRED_HOURS_PARAMETER,),
    ),
    Indicator(
        code="challenge_correction_rate",
        version=1,
        valid_from=FIRST_DAY,
        name="复议诉讼纠错率",
        numerator="统计期内有行政复议、行政诉讼终结，且其中至少一项结果为变更、撤销（含部分撤销）、确认违法或者确认无效的行政处罚决定",
        denominator="统计期内有行政复议、行政诉讼终结并已登记结果的行政处罚决定（每一决定计一次）",
        period_rule="按复议、诉讼的终结日期计入",
        hook=f"{SICHUAN}第三十九条（统计分析应当包括复议、诉讼中发现的问题）；纠错的结果：{CORRECTION_BASIS}",
        higher_is_better=False,
    ),
)


class UnknownIndicator(KeyError):
    pass


def indicator_versions(code: str) -> list[Indicator]:
    """Every version of an indicator, oldest first."""
    return sorted((i for i in INDICATORS if i.code == code), key=lambda i: i.version)


def indicator_current(code: str, *, on: dt.date) -> Indicator:
    """The version of the indicator in force on a day (the first version before it applies)."""
    versions = indicator_versions(code)
    if not versions:
        raise UnknownIndicator(code)
    in_force = [i for i in versions if i.valid_from <= on]
    return in_force[-1] if in_force else versions[0]


def indicators_current(*, on: dt.date, available: bool | None = None) -> list[Indicator]:
    """Every indicator in its version in force on a day, in the order of `INDICATORS`."""
    codes = list(dict.fromkeys(i.code for i in INDICATORS))
    current = [indicator_current(code, on=on) for code in codes]
    if available is not None:
        current = [i for i in current if i.available == available]
    return current


__all__ = [
    "AV_STEPS_UNCOUNTED",
    "AV_STEPS_UNCOUNTED_NOTE",
    "AV_STEP_RECORDS",
    "INDICATORS",
    "PLATFORM_FORMULA",
    "UNIT_LABELS",
    "AvStep",
    "Indicator",
    "Unit",
    "UnknownIndicator",
    "av_steps_required",
    "indicator_current",
    "indicator_versions",
    "indicators_current",
]
