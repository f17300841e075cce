"""The steps of a 征收征用 as the staff meet them (framework: `sanxiang.procedure.steps`): each
writes the facts from the form's parsed values and names the records it makes; the engine
(`procedures.EXPROPRIATION`) then decides the transition with every violation."""

from __future__ import annotations

from typing import Any

from sanxiang.procedure.expropriation.procedures import EXPROPRIATION
from sanxiang.procedure.expropriation.rules import (
    COMPENSATION_METHODS,
    SERVICE_METHODS,
    SETTLEMENT_METHODS,
    Assessment,
    CompensationPlan,
    ExpropriationDecision,
    Service,
    Settlement,
    Termination,
    settlement_problems,
)
from sanxiang.procedure.other_acts import decision_rules as d
from sanxiang.procedure.other_acts.decision_steps import (
    PUBLISH_FIELDS,
    PUBLISH_HELP,
    REMEDIES_FIELDS,
    REVIEW_FIELDS,
    publish_apply,
    review_apply,
    text_of,
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
    fen,
    lines_field,
    text_field,
)
from sanxiang.procedure.violations import FORM_BASIS

KEY = EXPROPRIATION.name
PROCEDURES = (KEY,)
DRAFTING = ("drafting",)
# After the decision: the assessment (when it follows the decision) and the compensation settled on it.
DECIDED = ("decided", "served", "published")


def _project(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(purpose=text_of(data, "purpose"), scope=text_of(data, "scope"),
                 bases=d.lines_clean(data.get("bases") or ()), major_marked=bool(data.get("major_marked")))


def _assess(draft: Draft, data: dict[str, Any]) -> None:
    amount, on = fen(data.get("amount_yuan")), data.get("reported_on") or draft.on
    if amount <= 0:
        draft.refuse("expropriation.assessment.amount", "请填写评估金额（大于0）", FORM_BASIS, "amount_yuan")
    if on > draft.on:
        draft.refuse("expropriation.assessment.future", "评估报告日期不能晚于今天", FORM_BASIS, "reported_on")
    if not text_of(data, "assessor"):
        draft.refuse("expropriation.assessment.assessor", "请填写评估机构", FORM_BASIS, "assessor")
    draft.update(assessment=Assessment(text_of(data, "assessor"), text_of(data, "report_number"), amount, on))
    draft.records.add("assessment_report")


def _plan(draft: Draft, data: dict[str, Any]) -> None:
    method = str(data.get("method") or "")
    if method not in COMPENSATION_METHODS:
        draft.refuse("expropriation.plan.method", "请选择补偿方式", FORM_BASIS, "method")
    draft.update(plan=CompensationPlan(method, fen(data.get("amount_yuan")), d.lines_clean(data.get("items") or ()),
                                       draft.on))
    draft.records.add("compensation_plan")


def _compensate(draft: Draft, data: dict[str, Any]) -> None:
    settlement = Settlement(str(data.get("method") or ""), fen(data.get("amount_yuan")),
                            data.get("settled_on") or draft.on, text_of(data, "number"))
    draft.violations.extend(settlement_problems(draft.snapshot, settlement, draft.context))
    draft.update(settlements=(*draft.snapshot.settlements, settlement))
    draft.records.add("compensation_settlement")


def _decide(draft: Draft, data: dict[str, Any]) -> None:
    plan = draft.snapshot.plan
    draft.update(decision=ExpropriationDecision(draft.on, text_of(data, "remedies"), plan.amount_fen if plan else 0))


def _serve(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(service=Service(data.get("served_on") or draft.on, str(data.get("method") or "")))
    draft.records.add("service_receipt")


def _terminate(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(termination=Termination(draft.on, text_of(data, "reason")))


# The draft may be saved incomplete; the decision refuses it with every reason (`rules.purpose_and_basis`).
STEPS: tuple[Step, ...] = (
    Step("expropriation_project", "立项，拟定征收（征用）决定", PROCEDURES, states=DRAFTING, roles=OPERATIONAL,
         fields=(area_field("purpose", "所为的公共利益（征收、征用的目的）", required=False),
                 area_field("scope", "征收（征用）的对象和范围", required=False),
                 lines_field("bases", "法律依据（法律、法规的名称和条款，一行一项）", required=False),
                 bool_field("major_marked", "本机关认定为重大执法决定（目录未列明的）")),
         apply=_project),
    Step("expropriation_assess", "登记评估报告", PROCEDURES, states=DRAFTING + DECIDED, roles=OPERATIONAL,
         fields=(text_field("assessor", "评估机构"), text_field("report_number", "评估报告编号", required=False),
                 Field("amount_yuan", "评估金额（元）", "yuan"), date_field("reported_on", "评估报告日期")),
         apply=_assess),
    Step("expropriation_plan", "拟定补偿方案", PROCEDURES, states=DRAFTING, roles=OPERATIONAL,
         fields=(Field("method", "补偿方式", "choice", choices=choices(COMPENSATION_METHODS), radio=True, clear=True),
                 Field("amount_yuan", "补偿金额（元；征用在使用后结算的可不填）", "yuan", required=False),
                 lines_field("items", "补偿项目（一行一项）", required=False)),
         apply=_plan),
    Step("expropriation_review", "出具法制审核意见", PROCEDURES, states=DRAFTING, roles=REVIEWER,
         fields=REVIEW_FIELDS, apply=review_apply("expropriation")),
    Step("expropriation_decide", "作出征收（征用）决定", PROCEDURES, transition=True, roles=HEAD,
         fields=REMEDIES_FIELDS, apply=_decide,
         documents=(("expropriation_decision", "expropriation_decision"),), decides=True),
    Step("expropriation_serve", "送达决定书", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(date_field("served_on", "送达日期"),
                 Field("method", "送达方式", "choice", choices=choices(SERVICE_METHODS), radio=True, clear=True)),
         apply=_serve),
    Step("expropriation_publish", "公开决定", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=PUBLISH_FIELDS, apply=publish_apply, help=PUBLISH_HELP),
    Step("expropriation_compensate", "确定补偿（签订补偿协议或者作出补偿决定）", PROCEDURES, states=DECIDED, roles=HEAD,
         fields=(Field("method", "方式", "choice", choices=choices(SETTLEMENT_METHODS), radio=True, clear=True),
                 text_field("number", "协议编号或者补偿决定书文号", required=False),
                 Field("amount_yuan", "补偿金额（元）", "yuan", required=False),
                 date_field("settled_on", "签订或者决定日期（不填为今天）", required=False)),
         apply=_compensate),
    Step("expropriation_terminate", "终止办理", PROCEDURES, transition=True, roles=HEAD,
         fields=(area_field("reason", "终止办理的理由"),), apply=_terminate),
)

__all__ = ["KEY", "STEPS"]
