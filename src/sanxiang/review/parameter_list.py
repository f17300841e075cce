"""Reads for the legal staff's parameters page (issue 13 item 6): every parameter whose legal
reference is marked unverified, with the value in force, the basis it cites and its status.
The notes that a rule is unverified are for the legal staff here, not on officers' pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sanxiang.procedure.catalog import audio_video_steps_labelled
from sanxiang.procedure.inspection.registers import CREDIT_GRADE_NAMES, RISK_GRADES
from sanxiang.procedure.parameters import Parameter, ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.procedures import AUDIO_VIDEO_STEPS
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS
from sanxiang.procedure.permit.annual import PERMIT_ROWS
from sanxiang.procedure.publication_coercion import PARTY_KINDS
from sanxiang.procedure.supervision.filings import compulsory_actions_text
from sanxiang.registry.models import StaffingType

STATUS_UNVERIFIED = "待核实"
STATUS_PLATFORM = "平台规则，待核实"


@dataclass(frozen=True)
class ParameterRow:
    description: str
    value: str
    reference: str
    status: str
    since: dt.date | None
    note: str = ""  # what is to be checked, in Chinese (the file's “（待核实：…）”)


def _labels(values: list, labels: dict[str, str]) -> str:
    return "、".join(str(labels.get(v, v)) for v in values)


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.0f}元" if fen % 100 == 0 else f"{fen / 100:,.2f}元"


def parameter_value_text(parameter: Parameter, value: Any) -> str:
    """A parameter's value as the legal staff read it: amounts in 元, periods with their unit,
    lists of kinds and steps by their Chinese names."""
    unit = parameter.unit
    if isinstance(value, bool):
        return "是" if value else "否"
    if unit == "fen":
        return _yuan(value)
    if unit == "days":
        return f"{value}日"
    if unit == "working days":
        return f"{value}个工作日"
    if unit == "months":
        return f"{value}个月"
    if unit == "persons":
        return f"{value}人"
    if unit == "ratio":
        return f"{value * 100:g}%"
    if unit.startswith("[start, end)"):
        return f"{value[0]}至{'次日' if value[1] <= value[0] else ''}{value[1]}"
    if unit == "steps":
        return _labels(value, {**audio_video_steps_labelled(), **AUDIO_VIDEO_STEPS})
    if unit == "compulsory decisions":
        return compulsory_actions_text(value)
    if unit == "licence rows":
        return _labels(value, PERMIT_ROWS)
    if unit == "penalty kinds":
        return _labels(value, PENALTY_KINDS)
    if unit == "staffing types":
        return _labels(value, dict(StaffingType.choices))
    if unit == "months by party kind":
        return "；".join(f"{PARTY_KINDS.get(kind, kind)}{months}个月" for kind, months in value.items())
    if unit == "bands":  # grade bands of 执法质效评议: the lower bound of each, as a share of full marks
        return "；".join(f"{band['label']}：{band['min']}%以上" for band in value)
    if unit == "percent by risk and credit grade":  # 双随机 sampling ratios (issue 17)
        return "；".join(
            f"{RISK_GRADES.get(risk, risk)}：" + "、".join(f"{CREDIT_GRADE_NAMES.get(credit, credit)}{ratio}%"
                                                         for credit, ratio in by_credit.items())
            for risk, by_credit in value.items()
        )
    if unit == "month-day":
        month, day = (int(part) for part in str(value).split("-"))
        return f"每年{month}月{day}日"
    if isinstance(value, list):
        return f"分{len(value)}种情形规定"
    return str(value)


def parameters_unverified(*, on: dt.date, parameters: ParameterSet | None = None) -> list[ParameterRow]:
    """Every unverified parameter, in the order of the parameter files, with its value on `on`."""
    parameters = parameters or parameters_default()
    rows = []
    for name in parameters.names():
        parameter = parameters[name]
        if not parameter.unverified:
            continue
        try:
            period = parameter.period_on(on)
            value, since = parameter_value_text(parameter, period.value), period.start
        except ParameterMissing:
            value, since = "尚无施行中的值", None
        platform = "平台规则" in parameter.note or parameter.reference.startswith(("本平台", "平台规则", "系统规则"))
        rows.append(ParameterRow(
            # The files explain a flag's values as true/false: 是/否, as the value column shows them.
            description=parameter.description.replace("true：", "是：").replace("false：", "否："),
            value=value,
            reference=parameter.reference,
            status=STATUS_PLATFORM if platform else STATUS_UNVERIFIED,
            since=since,
            note=parameter.note.removeprefix("待核实：").replace("待核实：", ""),
        ))
    return rows
