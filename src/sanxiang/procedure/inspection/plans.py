"""Inspection plans (检查计划) and special inspections (专项检查), as pure rules.

An annual plan is drafted by the agency, approved by its head, filed with the 司法局 (备案, by the
day the parameter `inspection_plans.annual_plan_filing_due` sets, unverified) and published
(抽查计划公告). A special inspection needs the recorded approval (批准机关 and 文号) and the 备案
before it starts. Whether a routine check needs a plan and a special one its 备案 are parameters
(`inspection_plans.routine_requires_plan`, `inspection_plans.special_requires_filing`): their basis
(《海南省涉企行政检查条例（试行）》第十条, 国办发〔2024〕54号) is verified only for Hainan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Violation

STATES = {"draft": "起草中", "approved": "已批准", "filed": "已备案", "published": "已公布"}
KINDS = {"annual": "年度检查计划", "special": "专项检查"}
ORDER = ("draft", "approved", "filed", "published")
HEAD_APPROVES = f"{PLATFORM_PREFIX}：检查计划由本机关负责人批准"


@dataclass(frozen=True)
class PlanSnapshot:
    kind: str  # annual | special
    state: str  # draft | approved | filed | published
    year: int
    starts_on: dt.date
    ends_on: dt.date
    item_count: int
    scope: str = ""
    frequency: str = ""
    approval_authority: str = ""
    approval_reference: str = ""
    filing_reference: str = ""


def _basis(parameters: ParameterSet, name: str) -> str:
    return parameters[name].reference


def plan_validate(plan: PlanSnapshot) -> list[Violation]:
    """What a plan must state (body, scope, items, frequency, period): every missing part."""
    basis = _basis(parameters_default(), "inspection_plans.routine_requires_plan")
    violations = []
    if plan.kind not in KINDS:
        violations.append(Violation("inspection.plan.kind", "请选择计划类别", FORM_BASIS, "kind"))
    if plan.item_count == 0:
        violations.append(Violation("inspection.plan.items", "检查计划须列明检查事项", basis, "items"))
    if not plan.scope.strip():
        violations.append(Violation("inspection.plan.scope", "检查计划须载明检查对象范围", basis, "scope"))
    if not plan.frequency.strip():
        violations.append(Violation("inspection.plan.frequency", "检查计划须载明检查频次", basis, "frequency"))
    if plan.ends_on < plan.starts_on:
        violations.append(Violation("inspection.plan.period", "实施期间的截止日期不能早于起始日期", FORM_BASIS, "ends_on"))
    elif plan.kind == "annual" and (plan.starts_on.year != plan.year or plan.ends_on.year != plan.year):
        violations.append(
            Violation("inspection.plan.year", f"年度检查计划的实施期间应在{plan.year}年内", FORM_BASIS, "ends_on")
        )
    return violations


def plan_approve_problems(plan: PlanSnapshot, *, actor_is_head: bool) -> list[Violation]:
    violations = []
    if plan.state != "draft":
        violations.append(Violation("inspection.plan.not_draft", f"检查计划{STATES.get(plan.state, '')}，不能再次批准",
                                    HEAD_APPROVES))
    if not actor_is_head:
        violations.append(Violation("inspection.plan.approver", "检查计划须由本机关负责人批准", HEAD_APPROVES))
    if plan.kind == "special" and not (plan.approval_authority.strip() and plan.approval_reference.strip()):
        basis = _basis(parameters_default(), "inspection_plans.special_requires_filing")
        violations.append(Violation("inspection.plan.special_approval",
                                    "专项检查须记录批准机关和批准文件文号", basis, "approval_reference"))
    return violations + plan_validate(plan)


def plan_file_problems(plan: PlanSnapshot) -> list[Violation]:
    violations = []
    if plan.state != "approved":
        violations.append(Violation("inspection.plan.file_state", "检查计划须先经批准，再报司法局备案",
                                    _basis(parameters_default(), "inspection_plans.routine_requires_plan")))
    if not plan.filing_reference.strip():
        violations.append(Violation("inspection.plan.filing_reference", "请填写备案编号", FORM_BASIS, "filing_reference"))
    return violations


def plan_publish_problems(plan: PlanSnapshot) -> list[Violation]:
    if plan.state != "filed":
        return [Violation("inspection.plan.publish_state", "检查计划须经批准并备案后方可公布",
                          _basis(parameters_default(), "inspection_plans.routine_requires_plan"))]
    return []


def plan_filing_due(*, year: int, kind: str, starts_on: dt.date, parameters: ParameterSet | None = None) -> dt.date:
    """The day a plan is due with the 司法局: an annual plan by the parameter's day of its year (never
    after its start is sensible, but the parameter rules); a special inspection before it starts."""
    parameters = parameters or parameters_default()
    if kind == "special":
        return starts_on
    month_day = parameters.value("inspection_plans.annual_plan_filing_due", on=dt.date(year, 1, 1))
    month, day = (int(part) for part in str(month_day).split("-"))
    return dt.date(year, month, day)


def plan_start_problems(plan: PlanSnapshot, *, on: dt.date, parameters: ParameterSet | None = None) -> list[Violation]:
    """Why inspections (a draw, or a special inspection) may not start under this plan on `on`:
    every reason, each with its basis. A special inspection needs the recorded approval and the
    备案; a routine one an approved plan; both only within the plan's period."""
    parameters = parameters or parameters_default()
    violations = []
    position = ORDER.index(plan.state) if plan.state in ORDER else -1
    if plan.kind == "special":
        if parameters.value("inspection_plans.special_requires_filing", on=on):
            basis = _basis(parameters, "inspection_plans.special_requires_filing")
            if position < ORDER.index("approved") or not plan.approval_reference.strip():
                violations.append(Violation("inspection.special.not_approved",
                                            "专项检查尚未记录批准，不能实施：请先由有权机关批准并记录批准文件", basis))
            if position < ORDER.index("filed"):
                violations.append(Violation("inspection.special.not_filed",
                                            "专项检查尚未备案，不能实施：请在批准后报司法局备案", basis))
    elif parameters.value("inspection_plans.routine_requires_plan", on=on) and position < ORDER.index("approved"):
        violations.append(Violation("inspection.plan.not_approved",
                                    "检查计划尚未经机关负责人批准，不能据此实施检查或者抽取",
                                    _basis(parameters, "inspection_plans.routine_requires_plan")))
    if not plan.starts_on <= on <= plan.ends_on:
        violations.append(Violation("inspection.plan.outside_period",
                                    f"{on.isoformat()}不在计划的实施期间（{plan.starts_on.isoformat()}至"
                                    f"{plan.ends_on.isoformat()}）内",
                                    _basis(parameters, "inspection_plans.routine_requires_plan")))
    return violations
