"""The steps of a licence application as the staff meet them (framework: `sanxiang.procedure.steps`):
each writes the engine's facts (`Draft.update`) from the form's values and names the records it
makes; the engine (`procedures.PERMIT`) then decides the transition with every violation. The
form's values arrive parsed (dates as `datetime.date`, lines as a list); nothing here touches a
database. A step that answers the applicant issues its document (`documents`: the kinds
documents.registry.PERMIT_KINDS lists, built by cases.paperwork_permit); the internal records
(审批表, 听证笔录, 送达回证 …) are recorded by the steps themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanxiang.procedure.dual_publicity import PERMIT_CATEGORIES
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.permit import rules as r
from sanxiang.procedure.permit.procedures import PERMIT
from sanxiang.procedure.permit.rules import (
    ENDINGS,
    EXCLUDED_KINDS,
    OUTCOMES,
    REVIEW_OPINIONS,
    Change,
    Decision,
    Ending,
    ExcludedPeriod,
    Extension,
    Refusal,
    Renewal,
    ReviewOpinion,
)
from sanxiang.procedure.roles import HEAD, OPERATIONAL, REVIEWER
from sanxiang.procedure.steps import (
    Draft,
    Field,
    Step,
    area_field,
    bool_field,
    choices,
    date_field,
    lines_field,
    reason_field,
)
from sanxiang.procedure.violations import FORM_BASIS

KEY = PERMIT.name
PROCEDURES = (KEY,)
REMEDIES_HELP = "告知申请人依法申请行政复议或者提起行政诉讼的权利、期限和机关"


def _text(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


def _reasons_listed(name: str) -> tuple[tuple[str, str], ...]:
    """The reasons of the latest period of a parameter, as a choice (the guard checks the
    reasons in force on the day)."""
    parameter = parameters_default()[name]
    latest = max((p for p in parameter.periods if not p.region), key=lambda p: p.start)
    return tuple((reason, reason) for reason in latest.value)


def _materials(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(materials_complete=bool(data.get("materials_complete")),
                 on_spot_possible=bool(data.get("on_spot_possible")))


def _accept(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(accepted_on=data.get("accepted_on") or draft.on)


def _deem_accepted(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(accepted_on=draft.snapshot.received_on, deemed_accepted=True)


def _notify_missing(draft: Draft, data: dict[str, Any]) -> None:
    items = tuple(str(i).strip() for i in data.get("missing_items") or () if str(i).strip())
    draft.update(missing_notice_on=draft.on, missing_items=items)


def _resubmit(draft: Draft, data: dict[str, Any]) -> None:
    on = data.get("received_on") or draft.on
    if on > draft.on:
        draft.refuse("permit.resubmit.future", "补正材料的日期不能晚于今天", FORM_BASIS, "received_on")
    draft.update(received_on=on, supplemented_on=on, materials_complete=bool(data.get("materials_complete")))


def _refuse_acceptance(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(acceptance_refusal=Refusal(draft.on, _text(data, "reasons"), _text(data, "remedies")))


def _extend(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(extension=Extension(draft.actor_name, draft.on, _text(data, "reasons"), data.get("told_on")))
    draft.records.add("extension_approval")


def _exclusion(draft: Draft, data: dict[str, Any]) -> None:
    kind, start, end = data.get("kind"), data.get("start"), data.get("end")
    if kind not in EXCLUDED_KINDS:
        draft.refuse("permit.exclusion.kind", "请选择不计入期限的事项", FORM_BASIS, "kind")
        return
    if start is None or end is None or end < start:
        draft.refuse("permit.exclusion.dates", "请填写起止日期，结束日期不得早于开始日期", FORM_BASIS, "end")
        return
    period = ExcludedPeriod(kind, start, end, data.get("told_on"))
    draft.update(exclusions=(*draft.snapshot.exclusions, period))


def _exclusion_told(kind: str, draft: Draft) -> bool:
    """The 不计入审查期限告知书 is issued when the applicant is told in writing (第四十五条)."""
    exclusions = draft.snapshot.exclusions
    return bool(exclusions) and exclusions[-1].told_on is not None


def _hearing_right(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(hearing_right_due=True, hearing_right_told_on=data.get("told_on") or draft.on)


def _hearing_answer(draft: Draft, data: dict[str, Any]) -> None:
    if data.get("answer") == "request":
        draft.update(hearing_requested_on=data.get("on") or draft.on)
    elif data.get("answer") == "waive":
        draft.update(hearing_waived=True)
    else:
        draft.refuse("permit.hearing.answer", "请选择申请听证或者放弃听证", FORM_BASIS, "answer")


def _hearing_held(draft: Draft, data: dict[str, Any]) -> None:
    notice_on, held_on = data.get("notice_on"), data.get("held_on")
    if notice_on is None or held_on is None or held_on < notice_on or held_on > draft.on:
        draft.refuse("permit.hearing.dates", "请填写通知日期和举行日期（举行日期不早于通知日期、不晚于今天）",
                     FORM_BASIS, "held_on")
        return
    draft.update(hearing_notice_on=notice_on, hearing_held_on=held_on)
    draft.records.update({"hearing_notice", "hearing_transcript"})


def _review(draft: Draft, data: dict[str, Any]) -> None:
    opinion, outcome = data.get("opinion"), data.get("outcome")
    if opinion not in REVIEW_OPINIONS or outcome not in OUTCOMES:
        draft.refuse("permit.review.form", "请选择审核意见和所审核的拟作出决定", FORM_BASIS, "opinion")
        return
    officer = draft.actor_officer
    if officer is None or officer.id is None:
        draft.refuse("permit.review.reviewer", "法制审核须由本机关的法制审核人员出具", r.REVIEW_BASIS, "opinion")
        return
    draft.update(review_opinions=(*draft.snapshot.review_opinions,
                                  ReviewOpinion(officer.id, opinion, draft.on, outcome)))
    draft.records.add("review_opinion")


def _category(data: dict[str, Any]) -> str:
    """许可类别: one of the standard's list; none chosen is 其他 (code 06), as the export reads it."""
    value = _text(data, "category")
    return value if value in PERMIT_CATEGORIES.values() else PERMIT_CATEGORIES["06"]


def _decision(outcome: str):
    def apply(draft: Draft, data: dict[str, Any]) -> None:
        draft.update(decision=Decision(outcome, draft.on, _text(data, "reasons"), _text(data, "remedies"),
                                       _text(data, "late_explanation"), _text(data, "content"),
                                       _text(data, "licence_name"), _category(data)))
    return apply


def _deliver(draft: Draft, data: dict[str, Any]) -> None:
    expires = data.get("expires_on")
    if expires is not None and expires <= draft.on:
        draft.refuse("permit.deliver.expiry", "有效期截止日期须晚于今天", FORM_BASIS, "expires_on")
    draft.update(delivered_on=data.get("delivered_on") or draft.on, expires_on=expires,
                 delivery_late_explanation=_text(data, "late_explanation"), licence_number=_text(data, "licence_number"))
    draft.records.update({"licence", "delivery_receipt"})


def _change(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(change=Change(draft.on, _text(data, "content")), changes_on=(*draft.snapshot.changes_on, draft.on))


def _renewal_apply(draft: Draft, data: dict[str, Any]) -> None:
    on = data.get("applied_on") or draft.on
    if on > draft.on:
        draft.refuse("permit.renewal.future", "申请日期不能晚于今天", FORM_BASIS, "applied_on")
    draft.update(renewal=Renewal(on), renewal_refusal=None)


def _renewed_until(draft: Draft, data: dict[str, Any]) -> dt.date | None:
    until = data.get("renewed_until")
    expires = draft.snapshot.expires_on
    if until is None or (expires is not None and until <= expires):
        draft.refuse("permit.renewal.until", "请填写延续后的有效期截止日期（须晚于原有效期）", FORM_BASIS, "renewed_until")
    return until


def _renew(draft: Draft, data: dict[str, Any]) -> None:
    renewal = draft.snapshot.renewal
    if renewal is None:
        return  # the engine refuses: no renewal application
    until = _renewed_until(draft, data)
    decision = Decision("grant", draft.on, late_explanation=_text(data, "late_explanation"))
    draft.update(renewal=Renewal(renewal.applied_on, decision, until))


def _renew_deemed(draft: Draft, data: dict[str, Any]) -> None:
    renewal = draft.snapshot.renewal
    if renewal is None:
        return
    draft.update(renewal=Renewal(renewal.applied_on, None, _renewed_until(draft, data)))


def _refuse_renewal(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(renewal_refusal=Refusal(draft.on, _text(data, "reasons"), _text(data, "remedies")))


def _ending(kind: str):
    def apply(draft: Draft, data: dict[str, Any]) -> None:
        ending = Ending(kind, _text(data, "reason"), _text(data, "facts"), draft.on, _text(data, "remedies"))
        draft.update(ending=ending, endings=(*draft.snapshot.endings, ending))
    return apply


def _ending_fields(kind: str, *, remedies: bool) -> tuple[Field, ...]:
    label = ENDINGS[kind]
    fields = (
        Field("reason", f"{label}的法定情形", "choice", choices=_reasons_listed(r.ENDING_PARAMETERS[kind]), radio=True,
              clear=True),
        area_field("facts", f"{label}的事实和证据"),
    )
    return (*fields, area_field("remedies", "救济途径", help=REMEDIES_HELP)) if remedies else fields


def _refusal_fields(what: str) -> tuple[Field, ...]:
    return (reason_field("reasons", f"{what}的理由"), area_field("remedies", "救济途径", help=REMEDIES_HELP))


GRANT_FIELDS = (
    area_field("content", "准予行政许可的内容（许可的范围、项目等，载入决定书）"),
    Field("category", "许可类别（“双公示”报送）", "choice", choices=tuple((v, v) for v in PERMIT_CATEGORIES.values()),
          radio=True, required=False),
    Field("licence_name", "许可证件名称（需要颁发证件的填写）", required=False),
)
LATE = area_field("late_explanation", "逾期原因（超过法定期限的须填写）", required=False)

STEPS: tuple[Step, ...] = (
    Step("permit_materials", "登记申请材料审查情况", PROCEDURES, states=("received", "supplement"), roles=OPERATIONAL,
         fields=(bool_field("materials_complete", "申请材料齐全、符合法定形式"),
                 bool_field("on_spot_possible", "该事项可以当场作出决定")),
         apply=_materials),
    Step("permit_accept", "受理申请", PROCEDURES, transition=True, roles=OPERATIONAL,
         documents=(("permit_acceptance_notice", "acceptance_notice"),),
         fields=(date_field("accepted_on", "受理日期（不填为今天）", required=False),), apply=_accept),
    Step("permit_deem_accepted", "逾期未告知，视为受理", PROCEDURES, transition=True, roles=OPERATIONAL,
         documents=(("permit_acceptance_notice", "acceptance_notice"),), apply=_deem_accepted,
         help="收到申请材料后五个工作日内未一次性告知补正的，自收到申请材料之日起即为受理"),
    Step("permit_notify_missing", "一次性告知补正材料", PROCEDURES, transition=True, roles=OPERATIONAL,
         documents=(("permit_missing_items_notice", "missing_items_notice"),),
         fields=(lines_field("missing_items", "需要补正的全部内容（一行一项）"),), apply=_notify_missing),
    Step("permit_resubmit", "申请人补正材料", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(date_field("received_on", "收到补正材料的日期"),
                 bool_field("materials_complete", "补正后申请材料齐全、符合法定形式")),
         apply=_resubmit),
    Step("permit_refuse_acceptance", "不予受理", PROCEDURES, transition=True, roles=OPERATIONAL,
         supplies=("acceptance_refusal",),
         fields=_refusal_fields("不予受理"), apply=_refuse_acceptance,
         documents=(("permit_non_acceptance", "non_acceptance_notice"),)),
    Step("permit_exclusion", "登记不计入审查期限的时间", PROCEDURES, states=("accepted",), roles=OPERATIONAL,
         fields=(Field("kind", "事项", "choice", choices=choices(EXCLUDED_KINDS), radio=True),
                 date_field("start", "开始日期"), date_field("end", "结束日期"),
                 date_field("told_on", "书面告知申请人的日期", required=False)),
         apply=_exclusion, documents=(("permit_exclusion_notice", "exclusion_notice"),),
         document_applies=_exclusion_told),
    Step("permit_hearing_right", "告知听证权利", PROCEDURES, states=("accepted",), roles=OPERATIONAL,
         fields=(date_field("told_on", "告知日期"),), apply=_hearing_right,
         documents=(("permit_hearing_right_notice", "hearing_right_notice"),)),
    Step("permit_hearing_answer", "登记听证申请或者放弃", PROCEDURES, states=("accepted",), roles=OPERATIONAL,
         fields=(Field("answer", "申请人、利害关系人的答复", "choice",
                       choices=(("request", "申请听证"), ("waive", "放弃听证")), radio=True, clear=True),
                 date_field("on", "答复日期", required=False)),
         apply=_hearing_answer),
    Step("permit_hearing_held", "登记听证", PROCEDURES, states=("accepted",), roles=OPERATIONAL,
         fields=(date_field("notice_on", "听证通知日期"), date_field("held_on", "举行听证日期")),
         apply=_hearing_held),
    Step("permit_review", "出具法制审核意见", PROCEDURES, states=("received", "accepted"), roles=REVIEWER,
         fields=(Field("opinion", "审核意见", "choice", choices=choices(REVIEW_OPINIONS), radio=True, clear=True),
                 Field("outcome", "所审核的拟作出决定", "choice", choices=choices(OUTCOMES), radio=True, clear=True)),
         apply=_review),
    Step("permit_extend", "延长审查期限", PROCEDURES, transition=True, supplies=("extension",), roles=HEAD,
         fields=(reason_field("reasons", "延长期限的理由"), date_field("told_on", "告知申请人的日期")),
         apply=_extend, documents=(("permit_extension_notice", "extension_notice"),)),
    Step("permit_grant", "作出准予行政许可决定", PROCEDURES, transition=True, roles=HEAD, fields=(*GRANT_FIELDS, LATE),
         supplies=("decision",),
         apply=_decision("grant"), documents=(("permit_grant_decision", "grant_decision"),), decides=True),
    Step("permit_grant_on_spot", "当场作出准予行政许可决定", PROCEDURES, transition=True, roles=OPERATIONAL,
         supplies=("decision",),
         fields=GRANT_FIELDS, apply=_decision("grant"), documents=(("permit_grant_decision", "grant_decision"),),
         decides=True),
    Step("permit_refuse", "作出不予行政许可决定", PROCEDURES, transition=True, supplies=("decision",), roles=HEAD,
         fields=(*_refusal_fields("不予行政许可"), LATE), apply=_decision("refuse"),
         documents=(("permit_refusal_decision", "refusal_decision"),), decides=True),
    Step("permit_deliver", "颁发、送达许可证件", PROCEDURES, transition=True, roles=OPERATIONAL,
         supplies=("delivered_on", "delivery_late_explanation"),
         fields=(date_field("delivered_on", "送达日期"), date_field("expires_on", "有效期截止日期", required=False),
                 Field("licence_number", "许可证件编号", required=False),
                 area_field("late_explanation", "逾期原因（超过法定期限的须填写）", required=False)),
         # Decides: the certificate's number and validity complete the grant's publication.
         apply=_deliver, decides=True),
    Step("permit_change", "变更许可", PROCEDURES, transition=True, supplies=("change",), roles=HEAD,
         fields=(area_field("content", "变更事项"),), apply=_change,
         documents=(("permit_change_decision", "change_decision"),), decides=True),
    Step("permit_renewal_apply", "登记延续申请", PROCEDURES, states=("in_force",), roles=OPERATIONAL,
         fields=(date_field("applied_on", "申请日期"),), apply=_renewal_apply),
    Step("permit_renew", "准予延续许可", PROCEDURES, transition=True, supplies=("renewal.decision",), roles=HEAD,
         fields=(date_field("renewed_until", "延续后的有效期截止日期"), LATE), apply=_renew,
         documents=(("permit_renewal_decision", "renewal_decision"),), decides=True),
    Step("permit_renew_deemed", "逾期未决定，视为准予延续", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(date_field("renewed_until", "延续后的有效期截止日期"),), apply=_renew_deemed, decides=True),
    Step("permit_refuse_renewal", "不予延续许可", PROCEDURES, transition=True, roles=HEAD,
         supplies=("renewal_refusal",),
         fields=_refusal_fields("不予延续"), apply=_refuse_renewal,
         documents=(("permit_renewal_refusal_decision", "renewal_refusal_decision"),), decides=True),
    Step("permit_withdraw", "撤回许可", PROCEDURES, transition=True, supplies=("ending",), roles=HEAD,
         fields=_ending_fields("withdraw", remedies=True), apply=_ending("withdraw"),
         documents=(("permit_withdrawal_decision", "withdrawal_decision"),), decides=True),
    Step("permit_revoke", "撤销许可", PROCEDURES, transition=True, supplies=("ending",), roles=HEAD,
         fields=_ending_fields("revoke", remedies=True), apply=_ending("revoke"),
         documents=(("permit_revocation_decision", "revocation_decision"),), decides=True),
    Step("permit_cancel", "注销许可", PROCEDURES, transition=True, supplies=("ending",), roles=HEAD,
         fields=_ending_fields("cancel", remedies=False), apply=_ending("cancel"),
         documents=(("permit_cancellation_decision", "cancellation_decision"),), decides=True),
)


def permit_step(action: str) -> Step:
    return next(step for step in STEPS if step.action == action)


__all__ = ["KEY", "STEPS", "permit_step"]
