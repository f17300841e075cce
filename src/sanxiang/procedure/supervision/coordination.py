"""执法协调 (issue 14, part C): an agency raises, through the 司法局, a major or complex enforcement
problem, or a dispute with another agency about competence (《行政执法监督条例》第十三条: item lists,
jurisdiction, cross-field or cross-area enforcement); the supervisors accept it (or decline with a
reason), ask for materials, coordinate and record the coordination opinion, or, when coordination
fails, the handling opinion proposed to the government, and then the government's decision.

The states and who acts in each are this module's; the Django side stores them and their history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.supervision.basis import regulation_article
from sanxiang.procedure.violations import FORM_BASIS, Violation

ART_7 = regulation_article(7)  # the supervision body coordinates enforcement disputes
ART_13 = regulation_article(13)  # disputes between agencies; the government decides when it fails
# Platform rules (labelled as such): who records each step, and the county of the other agency.
SIDE_BASIS = "平台规则：协调事项由提请机关提交、补充材料，由司法局监督人员受理和记录"
STATE_BASIS = "平台规则：协调事项按受理、协调、报请政府决定的顺序办理"
COUNTY_BASIS = "平台规则：只能与本县（同一行政区划）的执法机关发生协调事项"


class CoordinationKind(StrEnum):
    PROBLEM = "problem"  # 重大、复杂执法问题
    COMPETENCE = "competence"  # 执法职责争议


COORDINATION_KIND_LABELS: dict[CoordinationKind, str] = {
    CoordinationKind.PROBLEM: "重大、复杂执法问题",
    CoordinationKind.COMPETENCE: "与其他机关的执法职责争议",
}


class CoordinationState(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    MATERIALS = "materials"
    DECLINED = "declined"
    AGREED = "agreed"
    FAILED = "failed"
    DECIDED = "decided"


COORDINATION_STATE_LABELS: dict[CoordinationState, str] = {
    CoordinationState.SUBMITTED: "已提请，待司法局受理",
    CoordinationState.ACCEPTED: "已受理，协调中",
    CoordinationState.MATERIALS: "待提请机关补充材料",
    CoordinationState.DECLINED: "不予受理",
    CoordinationState.AGREED: "协调一致，已出具协调意见",
    CoordinationState.FAILED: "协调不成，已提出处理意见报请政府决定",
    CoordinationState.DECIDED: "政府已作出决定",
}
OPEN_STATES = frozenset({CoordinationState.SUBMITTED, CoordinationState.ACCEPTED, CoordinationState.MATERIALS,
                         CoordinationState.FAILED})

BUREAU = "bureau"  # a supervisor of the receiving 司法局
REQUESTER = "requester"  # the agency that raised it


@dataclass(frozen=True)
class CoordinationAction:
    name: str
    label: str
    side: str
    states: tuple[CoordinationState, ...]
    to: CoordinationState | None  # None: recorded, the state stays
    required: tuple[tuple[str, str], ...]  # (field, label) that must not be empty
    basis: str


ACTIONS: dict[str, CoordinationAction] = {
    a.name: a
    for a in (
        CoordinationAction("accept", "受理", BUREAU, (CoordinationState.SUBMITTED,), CoordinationState.ACCEPTED, (), ART_7),
        CoordinationAction("decline", "不予受理", BUREAU, (CoordinationState.SUBMITTED,), CoordinationState.DECLINED,
                           (("text", "不予受理的理由"),), ART_7),
        CoordinationAction("ask_materials", "要求补充材料", BUREAU, (CoordinationState.ACCEPTED,),
                           CoordinationState.MATERIALS, (("text", "需要补充的材料"),), ART_7),
        CoordinationAction("supply_materials", "补充材料", REQUESTER, (CoordinationState.MATERIALS,),
                           CoordinationState.ACCEPTED, (("text", "补充材料的说明"),), ART_7),
        CoordinationAction("record_meeting", "记录协调会", BUREAU, (CoordinationState.ACCEPTED,), None,
                           (("text", "协调会情况（时间、地点、参加单位）"),), ART_13),
        CoordinationAction("record_opinion", "出具协调意见（协调一致）", BUREAU, (CoordinationState.ACCEPTED,),
                           CoordinationState.AGREED, (("text", "协调意见"),), ART_13),
        CoordinationAction("propose_to_government", "协调不成，提出处理意见报请政府决定", BUREAU,
                           (CoordinationState.ACCEPTED,), CoordinationState.FAILED, (("text", "处理意见"),), ART_13),
        CoordinationAction("record_government_decision", "记录政府的决定", BUREAU, (CoordinationState.FAILED,),
                           CoordinationState.DECIDED, (("text", "政府的决定"), ("decided_on", "决定日期")), ART_13),
    )
}


def coordination_actions_open(*, state: str, side: str | None) -> list[CoordinationAction]:
    """The actions the side may take in this state (what a page offers)."""
    return [a for a in ACTIONS.values() if a.side == side and state in a.states]


def coordination_raise_violations(
    *, kind: str, subject: str, description: str, requester_id: int | None, other_agency_id: int | None,
    other_in_county: bool,
) -> list[Violation]:
    """Every reason why the request may not be raised: kind, subject or description missing, a
    competence dispute without the other agency, or naming itself or an agency of another county."""
    violations: list[Violation] = []
    if requester_id is None:
        violations.append(Violation("coordination.requester", "执法协调由执法机关的负责人或者单位管理员提请", SIDE_BASIS))
    if kind not in {str(k) for k in CoordinationKind}:
        violations.append(Violation("coordination.kind", "请选择协调事项的类别", FORM_BASIS, "kind"))
    if not subject.strip():
        violations.append(Violation("coordination.subject", "请填写协调事项", FORM_BASIS, "subject"))
    if not description.strip():
        violations.append(Violation("coordination.description", "请说明问题或者争议的情况", FORM_BASIS, "description"))
    if kind == CoordinationKind.COMPETENCE:
        if other_agency_id is None:
            violations.append(
                Violation("coordination.other_agency_missing", "执法职责争议须写明与哪个机关发生争议", ART_13, "other_agency")
            )
        elif other_agency_id == requester_id:
            violations.append(
                Violation("coordination.other_agency_self", "发生争议的机关不能是本机关", ART_13, "other_agency")
            )
        elif not other_in_county:
            violations.append(
                Violation("coordination.other_agency_county", "发生争议的机关不在本县，应当报请共同的上级协调",
                          COUNTY_BASIS, "other_agency")
            )
    return violations


def coordination_action_violations(
    *, state: str, action: str, side: str | None, data: Mapping[str, object], on: dt.date | None = None,
    raised_on: dt.date | None = None,
) -> list[Violation]:
    """Every reason why `side` may not take `action` in `state` with `data`."""
    spec = ACTIONS.get(action)
    if spec is None:
        return [Violation("coordination.action", "没有这项办理操作", FORM_BASIS)]
    violations: list[Violation] = []
    if state not in spec.states:
        label = {str(k): v for k, v in COORDINATION_STATE_LABELS.items()}.get(state, state)
        violations.append(Violation("coordination.state", f"当前状态为“{label}”，不能{spec.label}", STATE_BASIS))
    if side != spec.side:
        who = "司法局监督人员" if spec.side == BUREAU else "提请协调的机关"
        violations.append(Violation("coordination.side", f"{spec.label}由{who}办理", SIDE_BASIS))
    for name, label in spec.required:
        value = data.get(name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            violations.append(Violation(f"coordination.{name}_missing", f"请填写{label}", spec.basis, name))
    decided_on = data.get("decided_on")
    if isinstance(decided_on, dt.date) and on is not None and decided_on > on:
        violations.append(Violation("coordination.decided_on_future", "决定日期不能晚于今天", FORM_BASIS, "decided_on"))
    if isinstance(decided_on, dt.date) and raised_on is not None and decided_on < raised_on:
        violations.append(Violation("coordination.decided_on_early", "决定日期不能早于提请协调的日期", FORM_BASIS,
                                    "decided_on"))
    return violations


__all__ = [
    "ACTIONS",
    "ART_13",
    "BUREAU",
    "COORDINATION_KIND_LABELS",
    "COORDINATION_STATE_LABELS",
    "OPEN_STATES",
    "REQUESTER",
    "CoordinationAction",
    "CoordinationKind",
    "CoordinationState",
    "coordination_action_violations",
    "coordination_actions_open",
    "coordination_raise_violations",
]
