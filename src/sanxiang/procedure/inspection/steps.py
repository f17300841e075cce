"""The steps of an inspection as the head and the officers meet them (framework:
`sanxiang.procedure.steps`): each writes the engine's facts (`Draft.update`) from the form's values
and names the records it makes; the engine (`procedures.INSPECTION`) then decides the transition
with every violation. The form's values arrive parsed (dates as `datetime.date`, the checklist as
a list of `{"item_id", "point", "finding", "note"}`); nothing here touches a database.
"""

from __future__ import annotations

from typing import Any

from sanxiang.procedure.inspection.procedures import INSPECTION
from sanxiang.procedure.inspection.rules import (
    EMERGENCY_BASIS,
    FINDINGS,
    OFFSITE_METHODS,
    OUTCOMES,
    ChecklistEntry,
    EmergencyStart,
    HeadApproval,
    InspectionRecord,
    OffsiteCheck,
    ResultNotice,
    case_open_problems,
    joint_join,
    violation_result_problems,
)
from sanxiang.procedure.roles import HEAD, OPERATIONAL
from sanxiang.procedure.steps import (
    APPROVAL_FORM_RULE,
    Draft,
    Field,
    Step,
    approval_field,
    area_field,
    bool_field,
    choices,
    date_field,
    reason_field,
)
from sanxiang.procedure.violations import FORM_BASIS

PROCEDURES = (INSPECTION.name,)


def _approve(draft: Draft, data: dict[str, Any]) -> None:
    decision = data.get("approval")
    if decision not in ("agree", "disagree"):
        draft.refuse("inspection.approval.unanswered", "请选择同意或者不同意", APPROVAL_FORM_RULE, "approval")
        return
    if decision == "disagree" and not str(data.get("reason") or "").strip():
        draft.refuse("inspection.approval.reason", "不同意的，须写明理由", APPROVAL_FORM_RULE, "reason")
    draft.update(approval=HeadApproval(head_name=draft.actor_name, decided_on=draft.on, approved=decision == "agree",
                                       reason=str(data.get("reason") or "")))
    draft.records.add("approval_form")


def _start_emergency(draft: Draft, data: dict[str, Any]) -> None:
    """The officers begin before the approval, stating the emergency (the guard refuses a blank
    one with the lawful path)."""
    draft.update(emergency=EmergencyStart(on=draft.on, reason=str(data.get("reason") or "").strip(),
                                          officer_name=draft.actor_name))
    draft.records.add("emergency_report")


def _approve_after(draft: Draft, data: dict[str, Any]) -> None:
    """事后补办: the head's decision on an inspection begun in an emergency, once."""
    if draft.snapshot.emergency is None:
        draft.refuse("inspection.approve_after.no_emergency",
                     "本次检查不是紧急情况下先行实施的检查，不需要事后补办批准", EMERGENCY_BASIS, "approval")
        return
    if draft.snapshot.approval is not None:
        draft.refuse("inspection.approve_after.done", "本次检查已经补办负责人批准手续，不能再次补办", EMERGENCY_BASIS,
                     "approval")
        return
    _approve(draft, data)


def _join(draft: Draft, data: dict[str, Any]) -> None:
    """综合查一次: another body joins with its items and officers (the Django side gathers them as
    `ItemRef`s and `OfficerSnapshot`s of the joining body); its head joining is its approval."""
    joined, violations = joint_join(
        draft.snapshot, draft.context, body_id=int(data["body_id"]), body_name=str(data.get("body_name") or ""),
        items=tuple(data.get("items") or ()), officers=tuple(data.get("officers") or ()), head_name=draft.actor_name,
    )
    draft.violations.extend(violations)
    draft.snapshot = joined


def _decline(draft: Draft, data: dict[str, Any]) -> None:
    """The head decides not to carry the inspection out: why, in words (kept on the inspection)."""
    if not str(data.get("reason") or "").strip():
        draft.refuse("inspection.decline.reason", "不予实施的，须写明理由", APPROVAL_FORM_RULE, "reason")


def _offsite(draft: Draft, data: dict[str, Any]) -> None:
    method = data.get("method")
    if method not in OFFSITE_METHODS:
        draft.refuse("inspection.offsite.method", "请选择非现场检查的方式", FORM_BASIS, "method")
        return
    on = data.get("on") or draft.on
    if on > draft.on:
        draft.refuse("inspection.offsite.future", "非现场检查的日期不能晚于今天", FORM_BASIS, "offsite.on")
    draft.update(offsite=OffsiteCheck(on=on, method=method, sufficient=bool(data.get("sufficient")),
                                      findings=str(data.get("findings") or "")))
    draft.records.add("offsite_record")


def checklist_parse(rows: Any) -> tuple[ChecklistEntry, ...]:
    """The checklist as the form sends it; an unknown finding stays unanswered ("")."""
    entries = []
    for row in rows or ():
        finding = str(row.get("finding") or "")
        entries.append(ChecklistEntry(item_id=int(row["item_id"]), point=str(row.get("point") or ""),
                                      finding=finding if finding in FINDINGS else "", note=str(row.get("note") or "")))
    return tuple(entries)


def _record(draft: Draft, data: dict[str, Any]) -> None:
    record = InspectionRecord(
        on=data.get("on") or draft.on,
        officer_ids=tuple(int(i) for i in data.get("officer_ids") or ()),
        certificates_shown=bool(data.get("certificates_shown")),
        checklist=checklist_parse(data.get("checklist")),
        photos=int(data.get("photos") or 0),
        audio_video=int(data.get("audio_video") or 0),
        enterprise_signed=bool(data.get("enterprise_signed")),
        refusal_noted=bool(data.get("refusal_noted")),
        needs_testing=bool(data.get("needs_testing")),
    )
    draft.update(record=record)
    draft.records.add("on_site_record")
    if record.photos:
        draft.records.add("photo")
    if record.audio_video:
        draft.records.add("audio_video")


def _conclude_offsite(draft: Draft, data: dict[str, Any]) -> None:
    if draft.snapshot.offsite is not None:
        draft.records.add("offsite_record")


def _send_result(draft: Draft, data: dict[str, Any]) -> None:
    outcome = str(data.get("outcome") or "")
    draft.update(result=ResultNotice(
        sent_on=data.get("sent_on") or draft.on,
        outcome=outcome,
        findings=str(data.get("findings") or ""),
        test_results_on=data.get("test_results_on"),
        rectification_due=data.get("rectification_due"),
    ))
    draft.violations.extend(violation_result_problems(draft.snapshot))
    draft.records.add("result_notice")


def _case_open(draft: Draft, data: dict[str, Any]) -> None:
    """A body of the visit opens its own penalty case on the violation found (`data["body_id"]`:
    the actor's body, which the Django side supplies)."""
    draft.violations.extend(case_open_problems(draft.snapshot, body_id=data.get("body_id")))


STEPS: tuple[Step, ...] = (
    Step("inspection_approve", "负责人批准检查", PROCEDURES, transition=True, roles=HEAD,
         fields=(approval_field(), reason_field("reason", "不同意的理由", required=False)),
         apply=_approve, documents=(("inspection_approval", "approval_form"),)),
    Step("inspection_start_emergency", "紧急情况先行检查", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(reason_field("reason", "紧急情况"),), apply=_start_emergency,
         help="情况紧急、来不及事先报批的，可以先行检查，并在规定期限内报负责人补办批准手续"),
    Step("inspection_approve_after", "负责人补办批准", PROCEDURES, states=("in_progress", "recorded", "closed"),
         roles=HEAD, fields=(approval_field(), reason_field("reason", "不同意的理由", required=False)),
         apply=_approve_after, documents=(("inspection_approval", "approval_form"),)),
    Step("inspection_join", "参加综合查一次", PROCEDURES, states=("assigned", "approved"), roles=HEAD,
         apply=_join, help="本单位对同一企业的检查事项并入本次检查，一次入企、一并检查"),
    Step("inspection_decline", "不予实施", PROCEDURES, transition=True, roles=HEAD,
         fields=(reason_field("reason", "理由"),), apply=_decline),
    Step("inspection_offsite", "记录非现场检查", PROCEDURES, states=("approved",), roles=OPERATIONAL,
         fields=(
             Field("method", "非现场检查方式", "choice", choices=choices(OFFSITE_METHODS), radio=True),
             date_field("on", "检查日期"),
             bool_field("sufficient", "已实现检查目的，不需要现场检查"),
             area_field("findings", "核查情况"),
         ),
         apply=_offsite),
    Step("inspection_start", "开始现场检查", PROCEDURES, transition=True, roles=OPERATIONAL,
         help="到达现场后向企业出示执法证件和检查码"),
    Step("inspection_record", "填写现场检查记录", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(
             date_field("on", "检查日期"),
             Field("officer_ids", "检查人员", "officers"),
             bool_field("certificates_shown", "已出示执法证件"),
             bool_field("enterprise_signed", "企业人员已签名确认"),
             bool_field("refusal_noted", "企业人员拒绝签名，已在记录中注明"),
             bool_field("needs_testing", "已抽样送检，结果待检测后告知"),
         ),
         apply=_record, supplies=("record",)),
    Step("inspection_conclude_offsite", "以非现场检查完成", PROCEDURES, transition=True, roles=OPERATIONAL,
         apply=_conclude_offsite),
    Step("inspection_send_result", "告知检查结果", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(
             Field("outcome", "检查结果", "choice", choices=choices(OUTCOMES), radio=True, clear=True),
             area_field("findings", "发现的问题", required=False),
             date_field("sent_on", "告知日期"),
             date_field("test_results_on", "取得检测结果的日期", required=False),
             date_field("rectification_due", "整改期限", required=False),
         ),
         apply=_send_result, supplies=("result",), documents=(("inspection_result", "result_notice"),)),
    # The case opened here is a lead (案源登记, the penalty case's state `lead`): 立案 itself comes
    # later in the case, on the head's approval. The label says so.
    Step("inspection_case_open", "本单位登记案源（立案查处）", PROCEDURES, states=("closed",), roles=OPERATIONAL,
         apply=_case_open,
         help="检查发现属于本单位职权范围的违法行为的，由本单位登记案源，在案件中经负责人审批后立案查处；"
              "本单位检查人员上传的现场照片转为案件证据"),
)


def inspection_step(action: str) -> Step:
    return next(step for step in STEPS if step.action == action)


__all__ = ["STEPS", "checklist_parse", "inspection_step"]
