"""An administrative licence (行政许可) as data on the engine, like the penalty, coercion and
inspection procedures:

received (申请材料已收到) → accepted (受理, or 视为受理 after 5 working days without an answer), or
supplement (一次性告知补正 → resubmitted → received), or not_accepted (不予受理);
accepted → (extension: 延长期限, a step that stays in `accepted`) → granted (准予) or refused (不予);
received → granted on the spot (当场作出决定); granted → in_force once the licence is delivered;
in_force → change, renewal (decided or deemed granted), renewal refused (stays in force until
expiry), withdrawn, revoked, cancelled; withdrawn and revoked → cancelled (注销, 第七十条第四项).
"""

from sanxiang.procedure.engine import Procedure, RecordKind, RecordRequirement, State, Transition
from sanxiang.procedure.permit import rules as r
from sanxiang.procedure.permit.rules import PermitSnapshot

Requirement = RecordRequirement[PermitSnapshot]
Step = Transition[PermitSnapshot]

RECORD_KINDS = (
    RecordKind("application_form", "行政许可申请书"),
    RecordKind("acceptance_notice", "受理通知书"),
    RecordKind("non_acceptance_notice", "不予受理决定书"),
    RecordKind("missing_items_notice", "补正材料通知书（一次性告知）"),
    RecordKind("extension_approval", "延长审查期限审批表"),
    RecordKind("extension_notice", "延长审查期限告知书"),
    RecordKind("exclusion_notice", "不计入审查期限告知书"),
    RecordKind("hearing_right_notice", "听证告知书"),
    RecordKind("hearing_notice", "听证通知书"),
    RecordKind("hearing_transcript", "听证笔录"),
    RecordKind("review_opinion", "法制审核意见书"),
    RecordKind("grant_decision", "准予行政许可决定书"),
    RecordKind("refusal_decision", "不予行政许可决定书"),
    RecordKind("licence", "行政许可证件"),
    RecordKind("delivery_receipt", "送达回证"),
    RecordKind("change_decision", "变更行政许可决定书"),
    RecordKind("renewal_decision", "准予延续行政许可决定书"),
    RecordKind("renewal_refusal_decision", "不予延续行政许可决定书"),
    RecordKind("withdrawal_decision", "撤回行政许可决定书"),
    RecordKind("revocation_decision", "撤销行政许可决定书"),
    RecordKind("cancellation_decision", "注销行政许可决定书"),
)

STATES = (
    State("received", "已收到申请，待受理"),
    State("supplement", "已一次性告知补正，待申请人补正"),
    State("not_accepted", "不予受理", final=True),
    State("accepted", "已受理，审查中"),
    State("granted", "已准予许可，待颁发送达证件"),
    State("refused", "不予许可", final=True),
    State("in_force", "许可有效"),
    State("withdrawn", "许可已撤回，待注销"),
    State("revoked", "许可已撤销，待注销"),
    State("cancelled", "许可已注销", final=True),
)

DECISION_GUARDS = (r.decision_drafted, r.hearing_gate, r.review_gate, r.decision_in_time)

ACCEPT = Step(
    "permit_accept", "受理申请", ("received",), "accepted",
    guards=(r.accepted_on_recorded,),
    records=(Requirement(("application_form",), r.ART_32), Requirement(("acceptance_notice",), r.ART_32)),
    legal_basis=r.ART_32,
)
DEEM_ACCEPTED = Step(
    "permit_deem_accepted", "逾期未告知，视为受理", ("received",), "accepted",
    guards=(r.deemed_acceptance_due,),
    records=(Requirement(("application_form",), r.ART_32),),
    legal_basis=r.ART_32,
)
NOTIFY_MISSING = Step(
    "permit_notify_missing", "一次性告知补正材料", ("received",), "supplement",
    guards=(r.answer_in_time, r.notice_once),
    records=(Requirement(("missing_items_notice",), r.ART_32),),
    legal_basis=r.ART_32,
)
RESUBMIT = Step(
    "permit_resubmit", "申请人补正材料", ("supplement",), "received",
    legal_basis=r.ART_32,
)
REFUSE_ACCEPTANCE = Step(
    "permit_refuse_acceptance", "不予受理", ("received", "supplement"), "not_accepted",
    guards=(r.answer_in_time, r.acceptance_refusal_complete),
    records=(Requirement(("non_acceptance_notice",), r.ART_32),),
    legal_basis=r.ART_32,
)
EXTEND = Step(
    "permit_extend", "延长审查期限", ("accepted",), "accepted",
    guards=(r.extension_allowed,),
    records=(Requirement(("extension_approval",), r.ART_42), Requirement(("extension_notice",), r.ART_42)),
    legal_basis=r.ART_42,
)
GRANT = Step(
    "permit_grant", "作出准予行政许可决定", ("accepted",), "granted",
    guards=(*DECISION_GUARDS, r.outcome_is("grant")),
    records=(Requirement(("grant_decision",), r.ART_42),
             Requirement(("review_opinion",), r.REVIEW_BASIS, when=lambda s, c: s.major)),
    legal_basis=r.ART_42,
)
GRANT_ON_SPOT = Step(
    "permit_grant_on_spot", "当场作出准予行政许可决定", ("received",), "granted",
    guards=(r.on_spot_allowed, r.decision_drafted, r.review_gate, r.outcome_is("grant")),
    records=(Requirement(("application_form",), r.ART_34), Requirement(("grant_decision",), r.ART_34)),
    legal_basis=r.ART_34,
)
REFUSE = Step(
    "permit_refuse", "作出不予行政许可决定", ("accepted",), "refused",
    guards=(*DECISION_GUARDS, r.outcome_is("refuse"), r.refusal_reasoned),
    records=(Requirement(("refusal_decision",), r.ART_38),
             Requirement(("review_opinion",), r.REVIEW_BASIS, when=lambda s, c: s.major)),
    legal_basis=r.ART_38,
)
DELIVER = Step(
    "permit_deliver", "颁发、送达许可证件", ("granted",), "in_force",
    guards=(r.delivery_in_time,),
    records=(Requirement(("licence",), r.ART_44), Requirement(("delivery_receipt",), r.ART_44)),
    legal_basis=r.ART_44,
)
CHANGE = Step(
    "permit_change", "变更许可", ("in_force",), "in_force",
    guards=(r.change_complete,),
    records=(Requirement(("change_decision",), r.ART_49),),
    legal_basis=r.ART_49,
)
RENEW = Step(
    "permit_renew", "准予延续许可", ("in_force",), "in_force",
    guards=(r.renewal_grantable,),
    records=(Requirement(("renewal_decision",), r.ART_50),),
    legal_basis=r.ART_50,
)
RENEW_DEEMED = Step(
    "permit_renew_deemed", "逾期未决定，视为准予延续", ("in_force",), "in_force",
    guards=(r.renewal_deemed,),
    legal_basis=r.ART_50,
)
REFUSE_RENEWAL = Step(
    "permit_refuse_renewal", "不予延续许可", ("in_force",), "in_force",
    guards=(r.renewal_refusable,),
    records=(Requirement(("renewal_refusal_decision",), r.ART_38),),
    legal_basis=f"{r.ART_50}；{r.ART_38}",
)
WITHDRAW = Step(
    "permit_withdraw", "撤回许可", ("in_force",), "withdrawn",
    guards=(r.ending_reasoned("withdraw"),),
    records=(Requirement(("withdrawal_decision",), r.ART_8),),
    legal_basis=r.ART_8,
)
REVOKE = Step(
    "permit_revoke", "撤销许可", ("granted", "in_force"), "revoked",
    guards=(r.ending_reasoned("revoke"),),
    records=(Requirement(("revocation_decision",), r.ART_69),),
    legal_basis=r.ART_69,
)
CANCEL = Step(
    "permit_cancel", "注销许可", ("in_force", "withdrawn", "revoked"), "cancelled",
    guards=(r.ending_reasoned("cancel"),),
    records=(Requirement(("cancellation_decision",), r.ART_70),),
    legal_basis=r.ART_70,
)

PERMIT: Procedure[PermitSnapshot] = Procedure(
    name="permit",
    label="行政许可",
    states=STATES,
    initial="received",
    transitions=(ACCEPT, DEEM_ACCEPTED, NOTIFY_MISSING, RESUBMIT, REFUSE_ACCEPTANCE, EXTEND, GRANT, GRANT_ON_SPOT,
                 REFUSE, DELIVER, CHANGE, RENEW, RENEW_DEEMED, REFUSE_RENEWAL, WITHDRAW, REVOKE, CANCEL),
    record_kinds=RECORD_KINDS,
    legal_basis=r.PERMIT_BASIS,
)
