"""The steps of a compulsory-execution case (行政强制执行) as the officer meets them: one `Step` for
every transition of `ENFORCEMENT` and the recording steps the law needs within a state (the
decision enforced, a payment, a 复议 or 诉讼, the 公告 before a demolition, the 代履行 decision's
service and the demand three working days before it). The framework is `sanxiang.procedure.steps`.

Each step's `apply` turns its form into the engine's facts (`EnforcementCase`) and the case's typed
texts (`texts.EnforcementTexts`); the engine's guards then decide, with every reason. What a step
checks itself is only what the engine cannot see: the form's own consistency (a date in the
future, an end before a start, a payment above what is owed).

The elements of a 催告书 (第三十五条) and of a 强制执行决定书 (第三十七条第二款) that the engine
checks are computed here from the texts the step writes: the ones the step's form supplies are
present when it gives them; those the case supplies (the party's name and address, the remedies,
the agency and its seal) are present because the document itself refuses to be issued without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sanxiang.procedure.enforcement import guards as g
from sanxiang.procedure.enforcement.basis import compulsion_article
from sanxiang.procedure.enforcement.from_penalty import penalty_followed
from sanxiang.procedure.enforcement.snapshot import (
    COURT_RULINGS,
    DECISION_SOURCES,
    EXECUTION_DECISION_ELEMENTS,
    EXECUTION_METHODS,
    OBLIGATION_KINDS,
    SERVICE_METHODS,
    Agreement,
    BasisDecision,
    Challenge,
    CourtApplication,
    Demand,
    DemolitionNotice,
    EnforcementCaseSnapshot,
    ExecutionDecision,
    ExecutionPlan,
    Statement,
    Substitute,
    Surcharge,
)
from sanxiang.procedure.enforcement.texts import (
    AgreementTexts,
    ClosingTexts,
    CourtTexts,
    DecisionTexts,
    DemandTexts,
    DemolitionNoticeTexts,
    EnforcementTexts,
    ExecutionTexts,
    OnSiteTexts,
    PaymentTexts,
    ServiceTexts,
    StatementTexts,
    SubstituteTexts,
)
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot, yuan
from sanxiang.procedure.roles import HEAD, OPERATIONAL
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
    reason_field,
    text_field,
)
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX

ART = compulsion_article
KEY = "enforcement"
# Who in the agency takes the operational steps (serving, recording, carrying out): its officers
# and its head; never the agency's administrator or its legal reviewer (本单位职责分工). The same
# set as coercion's; defined here until procedure.roles names it for both.
PROCEDURES = (KEY,)
_t, _area, _lines, _date, _bool, _reason = text_field, area_field, lines_field, date_field, bool_field, reason_field

# The states in which the decision is still to be performed (the engine's OPEN_STATES).
OPEN = ("pending", "demanded", "decided", "decision_served", "agreement", "substitute_decided", "court_applied")
CHALLENGE_KINDS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}
# Whether a law gives the agency the power to execute itself (第十三条、第五十三条): chosen at
# registration, since it is the agency's law, not the decision's.
EXECUTION_POWER = {
    "none": "没有行政强制执行权（催告后申请人民法院强制执行）",
    "own": "法律授予本机关行政强制执行权（本机关强制执行）",
    "own_or_court": "本机关有行政强制执行权，法律也允许申请人民法院强制执行",
}
PARENT_BASIS = f"{PLATFORM_PREFIX}：执行本平台行政处罚案件的决定，决定的内容和日期从该案件载入（{ART(34)}）"


@dataclass(frozen=True)
class EnforcementCase(EnforcementCaseSnapshot):
    """The case as its steps and documents see it: the facts the guards read, the penalty case it
    executes (if it is on the platform) and the documents issued so far. The last three are read
    afresh from the case (`ProcedureSpec.derived_fields`), never stored.

    A case that executes a penalty case follows it (`from_penalty.penalty_followed`): the decision's
    fine, payments and dates and the 复议 or 诉讼 are the penalty case's as they stand, whatever was
    copied at registration, so a fine paid there is never demanded here."""

    penalty_case_id: int | None = None
    documents_issued: tuple[tuple[str, str], ...] = ()  # (document kind, number), oldest first
    # The penalty case executed, as its stored facts say (its registry and evidence are not read).
    penalty_case: PenaltyCaseSnapshot | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.penalty_case is not None:
            decision, challenges, surcharge = penalty_followed(self.decision, self.challenges, self.surcharge,
                                                               self.penalty_case)
            object.__setattr__(self, "decision", decision)
            object.__setattr__(self, "challenges", challenges)
            object.__setattr__(self, "surcharge", surcharge)

    def document_number(self, kind: str) -> str:
        """The number of the latest document of `kind` issued in this case, or ""."""
        return next((number for issued, number in reversed(self.documents_issued) if issued == kind), "")


def decision_registered(snapshot: EnforcementCaseSnapshot) -> bool:
    """Whether the decision to be enforced is known: taken from the penalty case the case
    executes, or registered by the case's first step (a decision made outside the platform)."""
    return snapshot.decision.registered


def texts_of(d: Draft) -> EnforcementTexts:
    return d.texts if isinstance(d.texts, EnforcementTexts) else EnforcementTexts()


def set_texts(d: Draft, **changes: Any) -> None:
    d.texts = replace(texts_of(d), **changes)


def text(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


def not_after_today(d: Draft, day: dt.date | None, what: str, field_name: str) -> None:
    if day is not None and day > d.on:
        d.refuse("enforcement.form.future", f"{what}（{day.isoformat()}）晚于今天", FORM_BASIS, field_name)


def service_texts(data: dict[str, Any]) -> ServiceTexts:
    return ServiceTexts(method=data.get("service_method") or "", place=text(data, "place"),
                        signed_by=text(data, "signed_by"), note=text(data, "note"))


def document_not_public_notice(kind: str, d: Draft) -> bool:
    """A 送达回证 is issued for a service to the party, not for a 公告送达 (its record is the notice)."""
    if kind != "service_receipt":
        return True
    snapshot = d.snapshot
    method = ""
    if snapshot.state == "pending" and snapshot.demand is not None:
        method = snapshot.demand.service_method
    elif snapshot.state == "decided" and snapshot.execution_decision is not None:
        method = snapshot.execution_decision.service_method
    elif snapshot.state == "substitute_decided" and texts_of(d).substitute is not None:
        method = texts_of(d).substitute.decision_service.method
    return method != "public_notice"


SERVICE_FIELDS = (
    Field("service_method", "送达方式", "choice", choices=choices(SERVICE_METHODS)),
    _bool("direct_service_impossible", "当事人拒绝接收或者无法直接送达（采用其他方式的，须在备注中说明原因）"),
    _t("place", "送达地点"),
    _t("signed_by", "签收人", required=False),
    _t("note", "备注", required=False, help="未直接送达的原因、邮寄单号等"),
)


# --- 据以执行的行政决定 ------------------------------------------------------------------------------


def registration_relied_on(d: Draft) -> str:
    """What already rests on the registered decision (a payment, a 复议 or 诉讼), or "": a
    decision registered by mistake may be registered anew only while nothing does."""
    snapshot, texts = d.snapshot, texts_of(d)
    if not snapshot.decision.registered:
        return ""
    if texts.payments:
        return "当事人的缴纳或者履行"
    if snapshot.challenges:
        return "行政复议或者行政诉讼"
    return ""


# The form's names of what the surcharge rules check.
SURCHARGE_FIELDS = {"surcharge.from_day": "surcharge_from", "surcharge.daily_permille": "surcharge_daily_permille",
                    "surcharge.basis": "surcharge_basis"}
MONEY_KINDS = {"fine": "罚款", "other": "其他金钱给付义务（税款、费用等）"}


def apply_register_decision(d: Draft, data: dict[str, Any]) -> None:
    """A decision the agency made outside the platform: what it asks, when the party received it
    and the last day it gave (第三十四条), the amount for money and the surcharge it told, on the
    terms of 第四十五条 (`guards.surcharge_terms`). Registered once: a registration may be corrected
    only while no payment, 复议 or 诉讼 rests on it (every registration stays in the ledger)."""
    snapshot = d.snapshot
    if snapshot.penalty_case_id is not None:
        d.refuse(
            "enforcement.decision.from_penalty_case",
            "本案执行所属行政处罚案件的决定，决定的内容和日期已从该案件载入，不能另行登记",
            PARENT_BASIS,
            "number",
        )
        return
    relied_on = registration_relied_on(d)
    if relied_on:
        d.refuse(
            "enforcement.decision.already_registered",
            f"据以执行的行政决定已经登记，且已据此登记了{relied_on}，不能重新登记",
            f"{PLATFORM_PREFIX}：据以执行的行政决定登记后，以之为据的缴纳、复议诉讼记录不能被改写（{ART(34)}）",
            "number",
        )
        return
    obligation = data["obligation"]
    decided_on, received_on, due = data["decided_on"], data["received_on"], data["performance_due"]
    principal, paid = fen(data.get("principal_yuan")), fen(data.get("paid_yuan"))
    money_kind = data.get("money_kind") or ""
    not_after_today(d, received_on, "当事人收到决定书的日期", "received_on")
    if received_on < decided_on:
        d.refuse("enforcement.form.received_before_decided", "当事人收到决定书的日期早于决定日期", FORM_BASIS, "received_on")
    if due < received_on:
        d.refuse("enforcement.form.due_before_received", "决定确定的履行期限早于当事人收到决定书的日期", FORM_BASIS,
                 "performance_due")
    if obligation == "payment" and principal <= 0:
        d.refuse("enforcement.form.principal_missing", "金钱给付义务须填写决定确定的金额", ART(35, detail="第三项"),
                 "principal_yuan")
    if obligation == "payment" and not data["source"].startswith("penalty.") and money_kind not in MONEY_KINDS:
        d.refuse("enforcement.form.money_kind_missing", "金钱给付义务须选择其种类（罚款或者其他），加处的标准因此不同",
                 FORM_BASIS, "money_kind")
    if obligation != "payment" and (principal or paid):
        d.refuse("enforcement.form.principal_not_money", "不是金钱给付义务的，不填写金额", FORM_BASIS, "principal_yuan")
    if paid > principal:
        d.refuse("enforcement.form.paid_above_principal", "已缴纳的数额多于决定确定的金额", FORM_BASIS, "paid_yuan")
    decision = BasisDecision(
        source=data["source"],
        obligation=obligation,
        decided_on=decided_on,
        received_on=received_on,
        performance_due=due,
        principal_fen=principal,
        paid_fen=paid,
        number=text(data, "number"),
        fine=obligation == "payment" and money_kind == "fine",
    )
    surcharge = None
    if data.get("surcharge_notified"):
        from_day = data.get("surcharge_from") or due + dt.timedelta(days=1)
        permille = data.get("surcharge_daily_permille")
        if permille is None and decision.is_fine:
            permille = fine_surcharge_permille(d, decision)
        if permille is None:
            d.refuse("enforcement.form.surcharge_rate_missing", "请填写每日加处比例及其依据", FORM_BASIS,
                     "surcharge_daily_permille")
        else:
            surcharge = Surcharge(notified=True, from_day=from_day, daily_permille=permille,
                                  basis=text(data, "surcharge_basis"))
        if obligation != "payment":
            d.refuse("enforcement.form.surcharge_not_money", "加处罚款或者滞纳金只适用于金钱给付义务", ART(45),
                     "surcharge_notified")
    d.update(decision=decision, surcharge=surcharge)
    if surcharge is not None and obligation == "payment":
        try:
            problems = g.surcharge_terms(d.snapshot, d.context)
        except ParameterMissing as missing:
            problems = [missing.violation]
        for problem in problems:
            d.violations.append(replace(problem, field=SURCHARGE_FIELDS.get(problem.field or "", problem.field)))
    set_texts(d, decision=DecisionTexts(title=text(data, "title"), duty=text(data, "duty"),
                                        default=text(data, "default"), facts=text(data, "facts")))


def fine_surcharge_permille(d: Draft, decision: BasisDecision) -> int | None:
    """The daily surcharge on a fine (行政处罚法第七十二条), per mille, in force when the party received it."""
    try:
        value = d.context.parameters["penalty.surcharge.daily_percent"].value_on(
            decision.received_on, region=d.snapshot.region, sector=d.snapshot.sector)
    except ParameterMissing as missing:
        d.violations.append(missing.violation)
        return None
    return int(Decimal(str(value)) * 10)


# --- 催告 (第三十五条、第三十八条) ---------------------------------------------------------------


def outstanding_fen(snapshot: EnforcementCaseSnapshot) -> int:
    decision = snapshot.decision
    return max(0, decision.principal_fen - decision.paid_fen) if decision.obligation == "payment" else 0


def claimed_surcharge(d: Draft, data: dict[str, Any], name: str = "surcharge_yuan") -> None:
    """The surcharge the document claims (加处罚款或者滞纳金): only one the decision told the party of."""
    if data.get(name) in (None, ""):
        return
    claimed = fen(data.get(name))
    surcharge = d.snapshot.surcharge
    if surcharge is None:
        if claimed:
            d.refuse(
                "enforcement.surcharge.none_notified",
                "本案没有依法告知当事人的加处罚款或者滞纳金标准，不能主张加处罚款或者滞纳金",
                ART(45, detail="第一款"),
                name,
            )
        return
    d.update(surcharge=replace(surcharge, claimed_fen=claimed))


def apply_serve_demand(d: Draft, data: dict[str, Any]) -> None:
    """催告书 in writing with the deadline, the way, the amount and the right to state and defend
    (第三十五条), served directly or, when that fails, by another way with the reason (第三十八条)."""
    claimed_surcharge(d, data)
    method, payment_method = text(data, "method"), text(data, "payment_method")
    money = d.snapshot.decision.obligation == "payment"
    amount = outstanding_fen(d.snapshot) + (d.snapshot.surcharge.claimed_fen if d.snapshot.surcharge else 0)
    elements = {"statement_right"}  # the document always states it
    if data.get("deadline") is not None:
        elements.add("deadline")
    if method:
        elements.add("method")
    if not money or (amount > 0 and payment_method):
        elements.add("amount")
    d.update(
        demand=Demand(
            written_on=d.on,
            deadline=data.get("deadline"),
            elements=frozenset(elements),
            served_on=data["served_on"],
            service_method=data["service_method"],
            direct_service_impossible=bool(data.get("direct_service_impossible")),
        )
    )
    set_texts(d, demand=DemandTexts(method=method, payment_method=payment_method,
                                    statement_days=int(data.get("statement_days") or 0), service=service_texts(data)))


# --- 陈述、申辩 (第三十六条) -----------------------------------------------------------------------


def apply_record_statement(d: Draft, data: dict[str, Any]) -> None:
    """The party's statement recorded and its facts, reasons and evidence re-examined (第三十六条)."""
    submitted = data["submitted_on"]
    not_after_today(d, submitted, "提出陈述、申辩的日期", "submitted_on")
    demand = d.snapshot.demand
    if demand is not None and demand.served_on is not None and submitted < demand.served_on:
        d.refuse("enforcement.form.statement_before_demand", "陈述、申辩的日期早于催告书送达的日期", FORM_BASIS, "submitted_on")
    d.update(statements=(*d.snapshot.statements, Statement(submitted_on=submitted, recorded=True, reexamined_on=d.on)))
    d.records.update({"statement_record", "reexamination_record"})
    statement = StatementTexts(submitted_on=submitted, summary=text(data, "summary"),
                               reexamination=text(data, "reexamination"), adopted=bool(data.get("adopted")))
    set_texts(d, statements=(*texts_of(d).statements, statement))


# --- 强制执行决定 (第三十七条) ----------------------------------------------------------------------


def apply_decide_execution(d: Draft, data: dict[str, Any]) -> None:
    """强制执行决定书 (第三十七条第二款); during the demand period only on evidence that the party
    moves or hides property (第三款)."""
    method, detail = data["method"], text(data, "method_detail")
    starts_at: dt.datetime | None = data.get("starts_at")
    reasons, bases = text(data, "reasons"), tuple(line.strip() for line in data.get("bases") or () if line.strip())
    immediate, evidence = bool(data.get("immediate")), text(data, "immediate_reason")
    if starts_at is not None and starts_at.date() < d.on:
        d.refuse("enforcement.form.execution_before_decision", "强制执行的时间早于决定日期", FORM_BASIS, "starts_at")
    power_basis = text(data, "power_basis")
    if power_basis:
        # The head claims the agency's own power: the provision is kept in the facts (and, a
        # citation naming nobody, in clear in the ledger entry of this step).
        d.update(execution_power_basis=power_basis)
    claimed_surcharge(d, data)
    elements = {"party", "remedies", "agency_seal"}  # the case supplies them; the document refuses without them
    if reasons and bases and (not immediate or evidence):
        elements.add("facts")
    if method in EXECUTION_METHODS and detail and starts_at is not None:
        elements.add("method_time")
    d.update(
        execution_decision=ExecutionDecision(
            decided_on=d.on, method=method, elements=frozenset(elements & set(EXECUTION_DECISION_ELEMENTS)),
            immediate=immediate,
        ),
        assets_being_hidden=immediate and bool(evidence),
    )
    set_texts(d, execution=ExecutionTexts(reasons=reasons, bases=bases, method_detail=detail, starts_at=starts_at,
                                          immediate_reason=evidence))


def apply_serve_execution_decision(d: Draft, data: dict[str, Any]) -> None:
    """强制执行决定书 served directly, or by another way with the reason (第三十八条)."""
    decision = d.snapshot.execution_decision
    not_after_today(d, data["served_on"], "送达日期", "served_on")
    if decision is None:
        return  # the engine says the decision is missing
    if data["served_on"] < decision.decided_on:
        d.refuse("enforcement.form.served_before_decided", "送达日期早于决定日期", FORM_BASIS, "served_on")
    d.update(
        execution_decision=replace(
            decision,
            served_on=data["served_on"],
            service_method=data["service_method"],
            direct_service_impossible=bool(data.get("direct_service_impossible")),
        )
    )
    texts = texts_of(d)
    if texts.execution is not None:
        set_texts(d, execution=replace(texts.execution, service=service_texts(data)))


# --- 实施 (第四十三条、第四十四条) ---------------------------------------------------------------


def plan_from(data: dict[str, Any]) -> ExecutionPlan:
    return ExecutionPlan(
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        emergency=bool(data.get("emergency")),
        emergency_reason=text(data, "emergency_reason"),
        cuts_utilities=bool(data.get("cuts_utilities")),
    )


def on_site(data: dict[str, Any], *, cost_fen: int = 0) -> OnSiteTexts:
    return OnSiteTexts(place=text(data, "place"), record=text(data, "record"), result=text(data, "result"),
                       emergency_reason=text(data, "emergency_reason"), cost_fen=cost_fen)


def apply_execute(d: Draft, data: dict[str, Any]) -> None:
    """The execution carried out on site: when (never at night or on a statutory holiday, except in
    an emergency, and never by cutting residents' utilities, 第四十三条), and what was done."""
    plan = plan_from(data)
    if plan.ends_at.date() > d.on:
        d.refuse("enforcement.form.ended_in_future", "实施强制执行的结束时间晚于今天（实施完毕后登记）", FORM_BASIS, "ends_at")
    d.update(plan=plan)
    if text(data, "record"):
        d.records.add("execution_record")
    set_texts(d, execution_on_site=on_site(data))


# --- 执行协议 (第四十二条) -----------------------------------------------------------------------


def apply_sign_agreement(d: Draft, data: dict[str, Any]) -> None:
    """执行协议: the surcharge reduced or waived only when the party takes remedial measures (第四十二条)."""
    not_after_today(d, data["signed_on"], "签订日期", "signed_on")
    d.update(
        agreement=Agreement(
            signed_on=data["signed_on"],
            surcharge_waived_fen=fen(data.get("surcharge_waived_yuan")),
            remedial_measures_taken=bool(data.get("remedial_measures_taken")),
        )
    )
    d.records.add("agreement")
    set_texts(d, agreement=AgreementTexts(content=text(data, "content"), remedial_measures=text(data, "remedial_measures")))


def apply_resume_execution(d: Draft, data: dict[str, Any]) -> None:
    """The party did not perform the agreement: execution resumes (第四十二条第二款)."""
    not_after_today(d, data["broken_on"], "当事人不履行执行协议的日期", "broken_on")
    agreement = d.snapshot.agreement
    if agreement is None:
        return  # the engine says there is none
    if data["broken_on"] < agreement.signed_on:
        d.refuse("enforcement.form.broken_before_signed", "不履行执行协议的日期早于协议签订日期", FORM_BASIS, "broken_on")
    d.update(agreement=replace(agreement, broken_on=data["broken_on"]))
    texts = texts_of(d)
    set_texts(d, agreement=replace(texts.agreement or AgreementTexts(), broken_note=text(data, "note")))


# --- 强制拆除的公告 (第四十四条) -----------------------------------------------------------------


def apply_publish_demolition_notice(d: Draft, data: dict[str, Any]) -> None:
    """The 公告 that gives the party a deadline to demolish it itself (第四十四条)."""
    published, deadline = data["published_on"], data["deadline"]
    snapshot = d.snapshot
    demolishing = snapshot.decision.obligation == "demolition" or (
        snapshot.execution_decision is not None and snapshot.execution_decision.method == "demolition"
    )
    if not demolishing:
        d.refuse("enforcement.demolition.not_demolition",
                 "本案据以执行的决定不是拆除违法的建筑物、构筑物、设施，也未决定强制拆除，无需发布强制拆除公告", ART(44), "deadline")
    not_after_today(d, published, "公告日期", "published_on")
    if deadline <= published:
        d.refuse("enforcement.demolition.notice_deadline", "公告须给当事人自行拆除的期限（期限届满日应晚于公告日期）", ART(44), "deadline")
    d.update(demolition_notice=DemolitionNotice(published_on=published, deadline=deadline))
    d.records.add("demolition_notice")
    set_texts(d, demolition_notice=DemolitionNoticeTexts(content=text(data, "content"), place=text(data, "place")))


# --- 代履行 (第五十条、第五十一条) ---------------------------------------------------------------


def apply_decide_substitute(d: Draft, data: dict[str, Any]) -> None:
    """代履行决定书 (第五十一条第一款第一项): the reasons (the harm of 第五十条), the basis, the way,
    the time, the object, the cost estimate and the performer."""
    starts_at, ends_at = data["starts_at"], data["ends_at"]
    if starts_at.date() <= d.on:
        d.refuse("enforcement.form.substitute_not_after_decision", "代履行的时间须在作出决定之后（代履行三日前还须催告当事人）",
                 FORM_BASIS, "starts_at")
    cost = fen(data.get("cost_estimate_yuan"))
    performer = text(data, "performer")
    d.update(
        substitute=Substitute(decided_on=d.on, third_party=performer),
        harm_grounds=bool(data.get("harm_grounds")),
        plan=ExecutionPlan(starts_at=starts_at, ends_at=ends_at),
    )
    set_texts(d, substitute=SubstituteTexts(
        reasons=text(data, "reasons"), bases=tuple(line.strip() for line in data.get("bases") or () if line.strip()),
        method=text(data, "method"), starts_at=starts_at, target=text(data, "target"), cost_estimate_fen=cost,
        performer=performer,
    ))


def apply_serve_substitute_decision(d: Draft, data: dict[str, Any]) -> None:
    """代履行 begins with its decision served on the party (第五十一条第一款第一项、第三十八条)."""
    substitute = d.snapshot.substitute
    not_after_today(d, data["served_on"], "送达日期", "served_on")
    if substitute is None:
        d.refuse("enforcement.substitute.missing", "尚未制作代履行决定书", ART(51), "substitute")
        return
    if data["served_on"] < substitute.decided_on:
        d.refuse("enforcement.form.served_before_decided", "送达日期早于决定日期", FORM_BASIS, "served_on")
    if data["service_method"] != "direct" and not data.get("direct_service_impossible"):
        d.refuse(
            "enforcement.substitute.not_direct",
            f"代履行决定书应当直接送达当事人；{SERVICE_METHODS.get(data['service_method'], '')}只能在当事人拒绝接收或者无法直接送达时采用，须记录原因",
            ART(38),
            "service_method",
        )
    d.update(substitute=replace(substitute, decision_served_on=data["served_on"]))
    texts = texts_of(d)
    set_texts(d, substitute=replace(texts.substitute or SubstituteTexts(), decision_service=service_texts(data)))


def apply_serve_substitute_demand(d: Draft, data: dict[str, Any]) -> None:
    """The demand to perform, served three working days before the 代履行 (第五十一条第一款第二项)."""
    substitute = d.snapshot.substitute
    not_after_today(d, data["served_on"], "催告送达日期", "served_on")
    if substitute is None:
        d.refuse("enforcement.substitute.missing", "尚未制作代履行决定书", ART(51), "substitute")
        return
    d.update(substitute=replace(substitute, demand_served_on=data["served_on"]))
    d.records.add("substitute_demand")
    texts = texts_of(d)
    set_texts(d, substitute=replace(texts.substitute or SubstituteTexts(), demand_note=text(data, "note")))


def apply_perform_substitute(d: Draft, data: dict[str, Any]) -> None:
    """代履行 carried out: supervised on site by the agency, the record signed by everyone
    (第五十一条第一款第三项、第四项), never at night or on a holiday except in an emergency (第四十三条)."""
    plan = plan_from(data)
    if plan.ends_at.date() > d.on:
        d.refuse("enforcement.form.ended_in_future", "代履行的结束时间晚于今天（实施完毕后登记）", FORM_BASIS, "ends_at")
    substitute = d.snapshot.substitute
    d.update(plan=plan)
    if substitute is not None:
        d.update(substitute=replace(substitute, supervised_on_site=bool(data.get("supervised_on_site")),
                                    signed_by_all=bool(data.get("signed_by_all"))))
    if text(data, "record") and data.get("signed_by_all"):
        d.records.add("substitute_record")
    set_texts(d, substitute_on_site=on_site(data, cost_fen=fen(data.get("cost_yuan"))))


# --- 申请人民法院强制执行 (第五十三条至第五十八条) ---------------------------------------------------


def apply_apply_to_court(d: Draft, data: dict[str, Any]) -> None:
    """强制执行申请书 (第五十五条), signed by the agency's head who takes this step."""
    claimed_surcharge(d, data)
    d.update(court=CourtApplication(applied_on=d.on, court=text(data, "court")))
    set_texts(d, court=CourtTexts(
        court=text(data, "court"), target=text(data, "target"), party_opinion=text(data, "party_opinion"),
        attachments=tuple(line.strip() for line in data.get("attachments") or () if line.strip()), head=d.actor_name,
    ))


def apply_record_court_ruling(d: Draft, data: dict[str, Any]) -> None:
    """The court's ruling to enforce or not (第五十七条、第五十八条)."""
    court = d.snapshot.court
    ruled_on = data["ruled_on"]
    not_after_today(d, ruled_on, "裁定日期", "ruled_on")
    if court is None:
        return  # the engine says no application was recorded
    if ruled_on < court.applied_on:
        d.refuse("enforcement.form.ruled_before_applied", "裁定日期早于申请日期", FORM_BASIS, "ruled_on")
    d.update(court=replace(court, ruling=data["ruling"], ruled_on=ruled_on))
    d.records.add("court_ruling")
    texts = texts_of(d)
    set_texts(d, court=replace(texts.court or CourtTexts(), ruling_number=text(data, "ruling_number"),
                               ruling_note=text(data, "note")))


# --- 履行、复议诉讼、结案 ------------------------------------------------------------------------


def payment_add(d: Draft, *, on: dt.date, amount: int, proof: str, field_name: str) -> None:
    decision = d.snapshot.decision
    if d.snapshot.penalty_case_id is not None:
        # One record of what was paid on a fine: the penalty case's, which this case follows.
        d.refuse(
            "enforcement.payment.in_penalty_case",
            "本案执行所属行政处罚案件的罚款，当事人的缴纳请在该行政处罚案件中登记（本案随之更新）",
            PARENT_BASIS,
            field_name,
        )
        return
    if decision.obligation != "payment":
        d.refuse("enforcement.payment.not_money", "本案的义务不是金钱给付，请登记履行的日期和情况", FORM_BASIS, field_name)
        return
    if decision.paid_fen + amount > decision.principal_fen:
        d.refuse(
            "enforcement.payment.above_principal",
            f"累计缴纳{yuan(decision.paid_fen + amount)}，多于决定确定的金额{yuan(decision.principal_fen)}"
            "（加处罚款或者滞纳金另行登记在履行情况中）",
            FORM_BASIS,
            field_name,
        )
        return
    d.update(decision=replace(decision, paid_fen=decision.paid_fen + amount))
    set_texts(d, payments=(*texts_of(d).payments, PaymentTexts(on=on, amount_fen=amount, proof=proof)))


def apply_record_payment(d: Draft, data: dict[str, Any]) -> None:
    """A part of the money paid (the rest stays to be enforced)."""
    amount = fen(data.get("amount_yuan"))
    not_after_today(d, data["paid_on"], "缴纳日期", "paid_on")
    if amount <= 0:
        d.refuse("enforcement.payment.amount", "缴纳数额应大于零", FORM_BASIS, "amount_yuan")
        return
    payment_add(d, on=data["paid_on"], amount=amount, proof=text(data, "proof"), field_name="amount_yuan")


def apply_record_performance(d: Draft, data: dict[str, Any]) -> None:
    """The party performed the duty: the money paid in full, or the act done (第三十四条)."""
    performed_on = data["performed_on"]
    not_after_today(d, performed_on, "履行日期", "performed_on")
    amount = fen(data.get("paid_yuan"))
    if amount:
        payment_add(d, on=performed_on, amount=amount, proof=text(data, "proof"), field_name="paid_yuan")
    decision = d.snapshot.decision
    if decision.obligation != "payment" or decision.paid_fen >= decision.principal_fen > 0:
        d.update(decision=replace(decision, performed_on=performed_on))
    if not amount:
        set_texts(d, payments=(*texts_of(d).payments, PaymentTexts(on=performed_on, proof=text(data, "proof"))))
    d.records.add("performance_proof")


def apply_record_challenge(d: Draft, data: dict[str, Any]) -> None:
    """A 复议 or 诉讼 against the decision enforced: while it runs, no surcharge accrues on a fine
    (行政处罚法第七十三条第三款) and no demolition or court application is made (第四十四条、第五十三条)."""
    kind, started, ended = data["kind"], data["started_on"], data.get("ended_on")
    not_after_today(d, started, "申请或者起诉日期", "started_on")
    not_after_today(d, ended, "终结日期", "ended_on")
    if ended is not None and ended < started:
        d.refuse("enforcement.form.challenge_ended_before_started", "终结日期早于申请或者起诉日期", FORM_BASIS, "ended_on")
    challenge = Challenge(kind=kind, started_on=started, ended_on=ended)
    others = tuple(c for c in d.snapshot.challenges if (c.kind, c.started_on) != (kind, started))
    d.update(challenges=tuple(sorted((*others, challenge), key=lambda c: (c.started_on, c.kind))))
    body = text(data, "body")
    if body:
        set_texts(d, challenges=(*texts_of(d).challenges, body))


def apply_close(d: Draft, data: dict[str, Any]) -> None:
    set_texts(d, closing=ClosingTexts(summary=text(data, "summary"), head_opinion=text(data, "head_opinion")))


# --- the steps -------------------------------------------------------------------------------------

PLAN_FIELDS = (
    Field("starts_at", "开始时间", "datetime"),
    Field("ends_at", "结束时间", "datetime"),
    _t("place", "地点"),
    _bool("emergency", "情况紧急（须在夜间或者法定节假日实施）"),
    # The emergency may name the people endangered: the ledger keeps its digest, the case its text.
    _area("emergency_reason", "紧急情况", required=False),
    _bool("cuts_utilities", "对居民生活采取了停止供水、供电、供热、供燃气等方式"),
)

STEPS: tuple[Step, ...] = (
    Step("register_decision", "登记据以执行的行政决定", PROCEDURES, states=("pending",), roles=OPERATIONAL,
         fields=(
             Field("source", "决定的来源", "choice", choices=choices(DECISION_SOURCES)),
             Field("obligation", "决定确定的义务", "choice", choices=choices(OBLIGATION_KINDS)),
             _t("title", "决定书名称", help="如：责令限期拆除决定书"),
             _t("number", "决定书文号"),
             _date("decided_on", "决定日期"),
             _date("received_on", "当事人收到决定书的日期"),
             _date("performance_due", "决定确定的履行期限（最后一日）"),
             Field("principal_yuan", "金钱给付的数额（元）", "yuan", required=False),
             Field("money_kind", "金钱给付义务的种类", "choice", required=False, choices=choices(MONEY_KINDS),
                   help="罚款的加处标准为法定的每日百分之三；其他金钱给付义务须载明其加处标准的依据"),
             Field("paid_yuan", "已缴纳的数额（元）", "yuan", required=False),
             _area("duty", "决定要求当事人履行的义务", help="如：于2026年5月10日前自行拆除违法建设的彩钢房"),
             _t("default", "当事人不履行的情况", help="如：逾期未拆除"),
             _area("facts", "作出决定的事实、理由和依据（摘要）", required=False),
             _bool("surcharge_notified", "决定已告知加处罚款或者滞纳金的标准"),
             _date("surcharge_from", "加处罚款或者滞纳金的起算日", required=False),
             Field("surcharge_daily_permille", "每日加处比例（千分之）", "int", required=False,
                   help="行政处罚的加处罚款为每日百分之三，即千分之三十（罚款不填则按此计算）"),
             _reason("surcharge_basis", "加处标准的依据", required=False,
                     help="罚款按每日百分之三加处的不填；其他标准须写明规定该标准的法律、法规条款"),
         ),
         apply=apply_register_decision,
         help="在平台外作出的行政决定须先登记；执行本平台行政处罚案件的决定时，决定的内容已自动载入"),
    Step("serve_demand", "送达催告书", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(
             _date("served_on", "送达日期"),
             _date("deadline", "履行期限（当事人应于此日前履行）"),
             _t("method", "履行方式"),
             _t("payment_method", "给付方式（金钱给付）", required=False, help="如：一次性缴纳"),
             Field("surcharge_yuan", "催告的加处罚款或者滞纳金（元）", "yuan", required=False),
             Field("statement_days", "陈述、申辩期限（工作日）", "int", required=False, help="不填则为履行期限届满前"),
             *SERVICE_FIELDS,
         ),
         apply=apply_serve_demand,
         documents=(("demand", "demand"), ("service_receipt", "demand_service_receipt")),
         document_applies=document_not_public_notice, supplies=("demand", "surcharge.claimed_fen")),
    Step("record_statement", "记录并复核陈述、申辩", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(_date("submitted_on", "提出日期"), _area("summary", "陈述、申辩的事实、理由和证据"),
                 _area("reexamination", "复核意见"), _bool("adopted", "事实、理由或者证据成立，予以采纳")),
         apply=apply_record_statement, supplies=("statements",)),
    Step("decide_execution", "作出强制执行决定", PROCEDURES, transition=True, roles=HEAD,
         fields=(
             Field("method", "强制执行的方式", "choice", choices=choices(EXECUTION_METHODS)),
             _t("method_detail", "具体内容", help="如：划拨当事人在某银行账户的存款人民币…元"),
             Field("starts_at", "强制执行的时间", "datetime"),
             _area("reasons", "强制执行的理由"),
             _lines("bases", "强制执行的依据", help="每行一条法律条款，如：《中华人民共和国税收征收管理法》第四十条第一款"),
             Field("surcharge_yuan", "加处罚款或者滞纳金（元）", "yuan", required=False),
             _bool("immediate", "在催告期间立即强制执行"),
             _area("immediate_reason", "当事人转移或者隐匿财物的证据", required=False),
             _reason("power_basis", "授予本机关行政强制执行权的法律条款", required=False,
                     help="本机关自行强制执行的须填写（已登记的可不填），如：《中华人民共和国税收征收管理法》第四十条"),
         ),
         apply=apply_decide_execution, documents=(("execution_decision", "execution_decision"),),
         supplies=("execution_decision", "surcharge.claimed_fen", "assets_being_hidden", "execution_power_basis"),
         decides=True),
    Step("serve_execution_decision", "送达强制执行决定书", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(_date("served_on", "送达日期"), *SERVICE_FIELDS),
         apply=apply_serve_execution_decision,
         documents=(("service_receipt", "execution_service_receipt"),),
         document_applies=document_not_public_notice, supplies=("enforcement.decision.",)),
    Step("publish_demolition_notice", "发布强制拆除公告", PROCEDURES, states=("demanded", "decided", "decision_served"),
         roles=OPERATIONAL,
         fields=(_date("published_on", "公告日期"), _date("deadline", "限期自行拆除的期限"), _t("place", "公告张贴地点"),
                 _area("content", "公告内容")),
         apply=apply_publish_demolition_notice,
         help="强制拆除违法的建筑物、构筑物、设施，须先公告，限期当事人自行拆除"),
    Step("execute", "实施强制执行", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(*PLAN_FIELDS, _area("record", "强制执行现场笔录（执行经过）"), _t("result", "执行结果", required=False)),
         apply=apply_execute, supplies=("plan", "records"),
         help="不得在夜间或者法定节假日实施，情况紧急的除外；强制拆除须全程音像记录"),
    Step("sign_agreement", "签订执行协议", PROCEDURES, transition=True, roles=HEAD,
         fields=(_date("signed_on", "签订日期"), _area("content", "协议内容", help="分阶段履行的期限和数额等"),
                 Field("surcharge_waived_yuan", "减免的加处罚款或者滞纳金（元）", "yuan", required=False),
                 _bool("remedial_measures_taken", "当事人已采取补救措施"),
                 _t("remedial_measures", "补救措施", required=False)),
         apply=apply_sign_agreement, supplies=("agreement", "records")),
    Step("resume_execution", "恢复强制执行", PROCEDURES, transition=True, roles=HEAD,
         fields=(_date("broken_on", "当事人不履行执行协议的日期"), _t("note", "不履行的情况")),
         apply=apply_resume_execution, supplies=("agreement.broken_on",)),
    Step("decide_substitute", "作出代履行决定", PROCEDURES, transition=True, roles=HEAD,
         fields=(
             _bool("harm_grounds", "不履行的后果已经或者将危害交通安全、造成环境污染或者破坏自然资源"),
             _area("reasons", "代履行的理由"),
             _lines("bases", "代履行的依据", help="每行一条，如：《中华人民共和国行政强制法》第五十条"),
             _t("method", "代履行的方式"),
             Field("starts_at", "代履行的时间", "datetime"),
             Field("ends_at", "预计结束时间", "datetime"),
             _t("target", "代履行的标的"),
             Field("cost_estimate_yuan", "费用预算（元）", "yuan"),
             _t("performer", "代履行人", help="本机关或者没有利害关系的第三人"),
         ),
         apply=apply_decide_substitute, documents=(("substitute_decision", "substitute_decision"),),
         supplies=("substitute", "harm_grounds"), decides=True),
    Step("serve_substitute_decision", "送达代履行决定书", PROCEDURES, states=("substitute_decided",), roles=OPERATIONAL,
         fields=(_date("served_on", "送达日期"), *SERVICE_FIELDS),
         apply=apply_serve_substitute_decision,
         documents=(("service_receipt", "substitute_service_receipt"),)),
    Step("serve_substitute_demand", "代履行前催告当事人履行", PROCEDURES, states=("substitute_decided",), roles=OPERATIONAL,
         fields=(_date("served_on", "催告送达日期"), _t("note", "催告情况", required=False)),
         apply=apply_serve_substitute_demand,
         help="代履行三个工作日前催告当事人履行，当事人履行的，停止代履行"),
    Step("perform_substitute", "实施代履行", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(*PLAN_FIELDS, _bool("supervised_on_site", "本机关已派员到场监督"),
                 _bool("signed_by_all", "到场监督的工作人员、代履行人和当事人或者见证人已在执行文书上签名或者盖章"),
                 _area("record", "代履行执行文书（执行经过）"), Field("cost_yuan", "实际费用（元）", "yuan", required=False)),
         apply=apply_perform_substitute,
         supplies=("plan", "records", "substitute.supervised_on_site", "substitute.signed_by_all")),
    Step("apply_to_court", "申请人民法院强制执行", PROCEDURES, transition=True, roles=HEAD,
         fields=(_t("court", "受理申请的人民法院", help="所在地有管辖权的人民法院"),
                 _area("target", "申请强制执行标的情况"),
                 _t("party_opinion", "当事人的意见", help="如：被申请人收到催告书后未提出陈述和申辩"),
                 _lines("attachments", "所附材料", help="每行一项：行政决定书及送达回证、催告书及送达回证、财产状况说明等"),
                 Field("surcharge_yuan", "申请执行的加处罚款或者滞纳金（元）", "yuan", required=False)),
         apply=apply_apply_to_court, documents=(("court_application", "court_application"),),
         supplies=("court", "surcharge.claimed_fen"),
         help="催告书送达十个工作日后当事人仍未履行的，可以自复议、诉讼期限届满之日起三个月内申请"),
    Step("record_court_ruling", "登记人民法院裁定", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(Field("ruling", "裁定结果", "choice", choices=choices(COURT_RULINGS)), _date("ruled_on", "裁定日期"),
                 _t("ruling_number", "裁定书文号", required=False), _t("note", "说明", required=False)),
         apply=apply_record_court_ruling, supplies=("court.ruling", "records")),
    Step("record_payment", "登记当事人部分缴纳", PROCEDURES, states=OPEN, roles=OPERATIONAL,
         fields=(_date("paid_on", "缴纳日期"), Field("amount_yuan", "缴纳数额（元）", "yuan"), _t("proof", "缴款凭证号")),
         apply=apply_record_payment),
    Step("record_challenge", "登记行政复议或者行政诉讼", PROCEDURES, states=OPEN, roles=OPERATIONAL,
         fields=(Field("kind", "类别", "choice", choices=choices(CHALLENGE_KINDS)), _date("started_on", "申请或者起诉日期"),
                 _date("ended_on", "终结日期", required=False), _t("body", "复议机关或者人民法院及案号", required=False)),
         apply=apply_record_challenge,
         help="登记同一类别、同一日期的复议或者诉讼时，更新其终结日期"),
    Step("record_performance", "登记当事人履行", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=(_date("performed_on", "履行日期"), Field("paid_yuan", "本次缴纳数额（元）", "yuan", required=False),
                 _t("proof", "履行凭证", help="缴款凭证号，或者履行情况（如：已自行拆除）")),
         apply=apply_record_performance, supplies=("decision.performed_on", "records")),
    Step("close", "结案", PROCEDURES, transition=True, roles=HEAD,
         fields=(_area("summary", "执行情况"), _t("head_opinion", "负责人审批意见")),
         apply=apply_close),
)


def steps_of() -> tuple[Step, ...]:
    return STEPS


__all__ = [
    "CHALLENGE_KINDS",
    "EXECUTION_POWER",
    "KEY",
    "STEPS",
    "EnforcementCase",
    "decision_registered",
    "outstanding_fen",
    "steps_of",
]
