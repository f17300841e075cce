"""The publication (事后公开) of compulsory decisions as code: 查封、扣押、冻结决定 (行政强制措施) and
强制执行决定、代履行决定 (行政强制执行). What is published, what is hidden, what is never published,
and the days by which a decision is published, withdrawn and taken down.

Basis (legal_rules §1.1): 国办发〔2018〕118号 publishes every enforcement decision within 20 working
days, with at least the agency (执法机关), the party (执法对象), the category (执法类别) and the
conclusion (执法结论), and takes it down when it is revoked, held unlawful or to be remade. The
redaction is the penalty's (`publication.text_redact`, legal_rules §4.2): natural persons' ID
numbers, addresses, phones and bank accounts, and every third party's name are hidden; an
organisation's name, credit code and legal representative stay; a minor's case and a case whose
main facts are secrets or privacy are not published (`publication.publication_refusals`). A
冻结's account number is never published, whoever the party is.

Pure Python. The Django side builds one `CompulsoryDecision` per decision, from the snapshot it
already has (`measure_publication_decision`, `enforcement_publication_decision`) and the texts and
party data of the case, then calls one function per concern:

- `compulsory_publication_refusals`: every reason not to publish ([] = publish);
- `compulsory_publication_content`: the redacted public text, with what was hidden;
- `compulsory_publication_due`: the last day to publish;
- `compulsory_withdrawal_due` and `compulsory_content_withdrawn`: the withdrawal;
- `compulsory_display_period`: the last day on display;
- `compulsory_sensitive_values`: what must never appear in the public text (for `leaks`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sanxiang.procedure.calendar import BASIS_PENALTY_WORKING_DAYS
from sanxiang.procedure.coercion.basis import coercion_article
from sanxiang.procedure.coercion.deadlines import EXTENDED_STATES, kind_prefix, measure_period_end, parameter
from sanxiang.procedure.coercion.snapshot import MEASURE_KINDS, MeasureSnapshot
from sanxiang.procedure.enforcement.basis import platform_rule
from sanxiang.procedure.enforcement.snapshot import (
    EXECUTION_METHODS,
    OBLIGATION_KINDS,
    EnforcementCaseSnapshot,
)
from sanxiang.procedure.engine import GuardContext, LegalCalendar, PeriodEnd
from sanxiang.procedure.identifiers import id_number_birth_date
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.rules import add_months
from sanxiang.procedure.penalty.snapshot import yuan
from sanxiang.procedure.publication import (
    PUBLICITY_BASIS,
    DisplayPeriod,
    Due,
    PublicationFacts,
    Redaction,
    _due,
    _due_unknown,
    name_masked,
    public_text_clean,
    publication_refusals,
    text_redact,
)
from sanxiang.procedure.violations import Violation

# What a compulsory decision is, and the category (执法类别) it is published under.
COMPULSORY_KINDS: dict[str, str] = {
    **MEASURE_KINDS,  # seal_up 查封, seizure 扣押, freeze 冻结
    "execution": "强制执行",
    "substitute": "代履行",
}
MEASURE = "行政强制措施"
EXECUTION = "行政强制执行"
COMPULSORY_CATEGORIES: dict[str, str] = {
    "seal_up": MEASURE,
    "seizure": MEASURE,
    "freeze": MEASURE,
    "execution": EXECUTION,
    "substitute": EXECUTION,
}
# 行政强制法第九条 (the measures), 第十二条 (the ways of execution, 代履行 among them).
CATEGORY_BASIS = coercion_article(9, 12)
WORKING_DAYS_BASIS = "期限以工作日计算，不含法定节假日（国办发〔2018〕118号）"

# How the party is printed (the labels of the penalty publication); an individual business is a
# natural person for redaction (its operator's address and phone are hidden) but its credit code
# identifies the business and is published.
PARTY_KINDS: dict[str, str] = {
    "natural_person": "自然人",
    "individual_business": "个体工商户",
    "organization": "法人及非法人组织",
}
NATURAL_PARTY_KINDS = ("natural_person", "individual_business")

# Where a decision stands, as far as publication is concerned.
STAGES: dict[str, str] = {
    "made": "已作出",
    "not_made": "尚未作出",
    "awaiting_approval": "紧急实施，待补办批准",
    "disapproved": "未获批准，已解除",
}

# 118号: a published decision revoked, held unlawful or to be remade is taken down; 变更 and 确认无效
# as for penalties (市场监管行政处罚信息公示规定第十一条).
WITHDRAWAL_GROUNDS: dict[str, str] = {
    "changed": "变更",
    "revoked": "撤销",
    "unlawful": "确认违法",
    "void": "确认无效",
    "remade": "责令重新作出",
}

# How a measure ended; shown after the period so that the public text stays current (118号: 发布、
# 撤销和更新机制).
OUTCOMES: dict[str, str] = {
    "released": "已解除",
    "confiscated": "已依法没收",
    "destroyed": "已依法销毁",
    "handled": "已作出处理决定",
}


@dataclass(frozen=True)
class DecidingAgency:
    """The agency that made the decision; its name, credit code, address and phone are public."""

    name: str
    credit_code: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CompulsoryParty:
    """The party (当事人) as the case knows it, with everything that must stay hidden."""

    kind: str  # a key of PARTY_KINDS
    name: str
    credit_code: str = ""  # organisations and individual businesses
    legal_representative: str = ""  # organisations
    id_number: str = ""  # 公民身份号码 (or another certificate's number)
    address: str = ""
    phone: str = ""
    bank_accounts: tuple[str, ...] = ()  # every account the case names (the frozen one included)
    birth_date: dt.date | None = None  # when no 公民身份号码 gives it

    def __post_init__(self) -> None:
        if self.kind not in PARTY_KINDS:
            raise ValueError(f"unknown party kind: {self.kind!r}")
        object.__setattr__(self, "bank_accounts", tuple(self.bank_accounts))

    @property
    def natural(self) -> bool:
        return self.kind in NATURAL_PARTY_KINDS

    @property
    def born_on(self) -> dt.date | None:
        if not self.natural:
            return None
        return self.birth_date or (id_number_birth_date(self.id_number) if self.id_number else None)


@dataclass(frozen=True)
class CompulsoryDecision:
    """One compulsory decision, as the publication rules read it.

    `items`: for 查封、扣押 the 场所、设施或者财物 (名称、数量); for 强制执行、代履行 the duty executed
    (e.g. "拆除违法搭建的彩钢房"); never the frozen account (it is hidden if written). Money in fen."""

    kind: str  # a key of COMPULSORY_KINDS
    stage: str  # a key of STAGES
    decided_on: dt.date | None
    agency: DecidingAgency
    party: CompulsoryParty
    number: str = ""  # 决定书文号
    reason: str = ""  # 理由 (e.g. 涉嫌销售过期食品)
    basis: str = ""  # 依据
    items: str = ""
    # The measure's period: its first day, its days, the extension granted, the last day.
    period_days: int = 0
    extension_days: int = 0
    period_end: dt.date | None = None
    period_end_estimated: bool = False
    freeze_amount_fen: int = 0
    # Execution: its way (a key of EXECUTION_METHODS), whether immediate, what is owed, of which decision.
    method: str = ""
    immediate: bool = False
    obligation: str = ""  # a key of OBLIGATION_KINDS
    amount_fen: int = 0
    basis_decision_number: str = ""
    outcome: str = ""  # a key of OUTCOMES, "" while the measure stands
    ended_on: dt.date | None = None
    third_parties: tuple[str, ...] = ()  # every other natural person the case names
    act_date: dt.date | None = None  # the act the measure concerns, when known (the minor rule)
    secrets_or_privacy: bool = False  # the main facts involve state or trade secrets or privacy
    region: str = ""
    sector: str = ""

    def __post_init__(self) -> None:
        if self.kind not in COMPULSORY_KINDS:
            raise ValueError(f"unknown compulsory decision kind: {self.kind!r}")
        if self.stage not in STAGES:
            raise ValueError(f"unknown stage: {self.stage!r}")
        if self.stage == "made" and self.decided_on is None:
            raise ValueError("a decision that was made has a date")
        object.__setattr__(self, "third_parties", tuple(self.third_parties))

    @property
    def category(self) -> str:
        return COMPULSORY_CATEGORIES[self.kind]

    @property
    def kind_label(self) -> str:
        return COMPULSORY_KINDS[self.kind]


@dataclass(frozen=True)
class CompulsoryPublicationContent:
    """What the public sees. Every text went through `text_redact`; `redactions` say what was
    hidden where (kind and digest, never the value)."""

    category: str  # 行政强制措施 | 行政强制执行 (执法类别)
    kind_label: str  # 查封 | 扣押 | 冻结 | 强制执行 | 代履行
    agency_name: str
    agency_credit_code: str
    number: str
    party_name: str
    party_kind: str  # 自然人 | 个体工商户 | 法人及非法人组织
    party_credit_code: str
    legal_representative: str
    reason: str
    basis: str
    conclusion: str  # 执法结论
    decided_on: dt.date
    redactions: tuple[Redaction, ...] = ()
    withdrawal_notice: str = ""  # set once withdrawn

    # The texts a person may edit before approval (each goes through `text_redact` again).
    TEXT_FIELDS = ("number", "reason", "basis", "conclusion")

    def texts(self) -> dict[str, str]:
        """Every public text field by name (for storage and for the leak check)."""
        return {
            "category": self.category,
            "kind_label": self.kind_label,
            "agency_name": self.agency_name,
            "agency_credit_code": self.agency_credit_code,
            "number": self.number,
            "party_name": self.party_name,
            "party_kind": self.party_kind,
            "party_credit_code": self.party_credit_code,
            "legal_representative": self.legal_representative,
            "reason": self.reason,
            "basis": self.basis,
            "conclusion": self.conclusion,
            "withdrawal_notice": self.withdrawal_notice,
        }


# --- from the snapshots ---------------------------------------------------------------------------


def _measure_stage(snapshot: MeasureSnapshot) -> str:
    if snapshot.taken_at is None or snapshot.state in ("proposed", "approved", "not_taken"):
        return "not_made"
    if snapshot.approval is not None and not snapshot.approval.approved:
        return "disapproved"
    if snapshot.state == "emergency_taken":
        return "awaiting_approval"
    if snapshot.emergency_reason and snapshot.approval is None:
        # Released before the head approved it: never confirmed.
        return "disapproved"
    return "made"


def measure_publication_decision(
    snapshot: MeasureSnapshot,
    *,
    calendar: LegalCalendar,
    parameters: ParameterSet | None = None,
    agency: DecidingAgency,
    party: CompulsoryParty,
    number: str = "",
    reason: str = "",
    basis: str = "",
    items: str = "",
    freeze_amount_fen: int = 0,
    third_parties: tuple[str, ...] = (),
    act_date: dt.date | None = None,
    secrets_or_privacy: bool = False,
) -> CompulsoryDecision:
    """The decision of a 查封、扣押 or 冻结, from the measure's snapshot and the case's texts. The
    decision's date is the day the measure was taken (the 决定书 is handed over on the spot,
    行政强制法第二十四条); its period is the measure's (`coercion.measure_period_end`, testing days
    and the granted extension included)."""
    stage = _measure_stage(snapshot)
    taken = snapshot.taken_on
    period_days = extension_days = 0
    end = None
    if taken is not None:
        context = GuardContext(today=taken, calendar=calendar, parameters=parameters or parameters_default())
        try:
            period_days = int(parameter(context, snapshot, f"{kind_prefix(snapshot)}.period_days", on=taken).value)
            end = measure_period_end(snapshot, context)
        except ParameterMissing:
            period_days, end = 0, None  # a measure before 行政强制法 took effect: no period printed
        if snapshot.extension is not None and snapshot.state in EXTENDED_STATES:
            extension_days = snapshot.extension.days
    return CompulsoryDecision(
        kind=snapshot.kind,
        stage=stage,
        decided_on=taken if stage != "not_made" else None,
        agency=agency,
        party=party,
        number=number,
        reason=reason,
        basis=basis,
        items=items,
        period_days=period_days,
        extension_days=extension_days,
        period_end=end.date if end is not None else None,
        period_end_estimated=end.estimated if end is not None else False,
        freeze_amount_fen=freeze_amount_fen,
        outcome=snapshot.state if snapshot.state in OUTCOMES and stage == "made" else "",
        ended_on=snapshot.ended_on,
        third_parties=tuple(third_parties),
        act_date=act_date,
        secrets_or_privacy=secrets_or_privacy,
        region=snapshot.region,
        sector=snapshot.sector,
    )


def enforcement_publication_decision(
    snapshot: EnforcementCaseSnapshot,
    *,
    kind: str,
    agency: DecidingAgency,
    party: CompulsoryParty,
    number: str = "",
    reason: str = "",
    basis: str = "",
    duty: str = "",
    third_parties: tuple[str, ...] = (),
    act_date: dt.date | None = None,
    secrets_or_privacy: bool = False,
) -> CompulsoryDecision:
    """The 强制执行决定 (`kind="execution"`, 行政强制法第三十七条) or the 代履行决定
    (`kind="substitute"`, 第五十一条) of an enforcement case. An application to the court is no
    decision of the agency and is not published here (the court rules)."""
    if kind not in ("execution", "substitute"):
        raise ValueError(f"an enforcement case publishes an execution or a substitute decision, not {kind!r}")
    decided_on: dt.date | None = None
    method, immediate = "", False
    if kind == "execution" and snapshot.execution_decision is not None:
        decided_on = snapshot.execution_decision.decided_on
        method = snapshot.execution_decision.method
        immediate = snapshot.execution_decision.immediate
    if kind == "substitute" and snapshot.substitute is not None:
        decided_on = snapshot.substitute.decided_on
    owed = snapshot.decision
    return CompulsoryDecision(
        kind=kind,
        stage="made" if decided_on is not None else "not_made",
        decided_on=decided_on,
        agency=agency,
        party=party,
        number=number,
        reason=reason,
        basis=basis,
        items=duty,
        method=method,
        immediate=immediate,
        obligation=owed.obligation,
        amount_fen=max(0, owed.principal_fen - owed.paid_fen) if owed.obligation == "payment" else 0,
        basis_decision_number=owed.number,
        third_parties=tuple(third_parties),
        act_date=act_date,
        secrets_or_privacy=secrets_or_privacy,
        region=snapshot.region,
        sector=snapshot.sector,
    )


# --- what may be published ----------------------------------------------------------------------


def _parameter(parameters: ParameterSet, name: str, decision: CompulsoryDecision, on: dt.date):
    return parameters[name].period_on(on, region=decision.region, sector=decision.sector)


def _facts(decision: CompulsoryDecision) -> PublicationFacts:
    """The penalty publication's facts, for the rules both share (minors, secrets)."""
    assert decision.decided_on is not None
    return PublicationFacts(
        decided_on=decision.decided_on,
        act_date=decision.act_date or decision.decided_on,
        kinds=frozenset(),
        region=decision.region,
        sector=decision.sector,
        party_kind="natural_person" if decision.party.natural else "organization",
        party_birth_date=decision.party.born_on,
        secrets_or_privacy=decision.secrets_or_privacy,
        decision_kind="coercion",
    )


def compulsory_publication_refusals(
    decision: CompulsoryDecision, *, parameters: ParameterSet | None = None
) -> list[Violation]:
    """Every reason this decision must not be published; [] when it must be.

    - No decision yet (the measure not taken, or declined): nothing to publish.
    - An emergency measure (行政强制法第十九条) waits for the head's approval; one the head did not
      approve, released at once, is published as no decision (platform rule).
    - A party under 18 (at the act, or at the decision when the act's date is unknown), and main
      facts that are secrets or privacy: never published (the penalty rules, shared)."""
    if decision.stage == "not_made":
        return [
            Violation(
                "publication.coercion.not_made",
                f"尚未作出{decision.kind_label}决定，没有可以公开的执法决定信息",
                PUBLICITY_BASIS,
                "stage",
            )
        ]
    reasons: list[Violation] = []
    if decision.stage == "awaiting_approval":
        reasons.append(
            Violation(
                "publication.coercion.awaiting_approval",
                f"情况紧急当场实施的{decision.kind_label}尚待补办批准手续，补办批准后再公开",
                platform_rule(f"紧急实施的行政强制措施经补办批准后方作为执法决定公开（{coercion_article(19)}）"),
                "stage",
            )
        )
    if decision.stage == "disapproved":
        reasons.append(
            Violation(
                "publication.coercion.disapproved",
                f"当场实施的{decision.kind_label}未获行政机关负责人批准，已经解除，不作为执法决定公开",
                platform_rule(f"负责人认为不应当采取而立即解除的，视为未作出决定（{coercion_article(19)}）"),
                "stage",
            )
        )
    if decision.decided_on is not None:
        for reason in publication_refusals(_facts(decision), parameters=parameters):
            if reason.code == "publication.minor" and decision.act_date is None:
                # The age was read on the decision's day: the message says so, not "at the act".
                reason = replace(reason, message=reason.message.replace("在违法行为发生时", "在作出决定时"))
            reasons.append(reason)
    return reasons


# --- the public text ------------------------------------------------------------------------------


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _kept(decision: CompulsoryDecision) -> list[str]:
    agency, party = decision.agency, decision.party
    kept = [agency.name, agency.credit_code, agency.address, agency.phone, party.name, party.credit_code]
    if not party.natural:
        kept += [party.address, party.legal_representative]
    return [k for k in kept if k]


def _known(decision: CompulsoryDecision) -> dict[str, list[str]]:
    party = decision.party
    return {
        "id_number": [party.id_number] if party.id_number else [],
        "phone": [party.phone] if party.phone else [],
        "bank_account": [a for a in party.bank_accounts if a],
    }


def _addresses(decision: CompulsoryDecision) -> list[str]:
    return [decision.party.address] if decision.party.natural and decision.party.address else []


def compulsory_sensitive_values(decision: CompulsoryDecision) -> list[str]:
    """Every value of the case that must never appear in the public text: the party's ID number,
    phone and bank accounts, a natural person's address, the third parties' names. For `leaks`
    on the approval screen (a person's edit goes through `text_redact` first)."""
    values = [v for values in _known(decision).values() for v in values]
    values += _addresses(decision)
    kept = set(_kept(decision))
    values += [n for n in decision.third_parties if n and n.strip() not in kept]
    return [public_text_clean(v) for v in values if public_text_clean(v).strip()]


def _freeze_amount(decision: CompulsoryDecision, parameters: ParameterSet) -> str:
    if decision.freeze_amount_fen <= 0:
        return ""
    if decision.party.natural:
        assert decision.decided_on is not None
        published = _parameter(
            parameters, "publication.coercion.freeze_amount_published_for_natural_persons", decision, decision.decided_on
        )
        if not published.value:
            return ""
    return yuan(decision.freeze_amount_fen)


def _conclusion(decision: CompulsoryDecision, parameters: ParameterSet) -> tuple[str, list[str]]:
    """The 执法结论 and the amounts it prints (kept: a long amount is no account number)."""
    amounts: list[str] = []
    parts: list[str] = []
    items = decision.items.strip()
    if decision.kind in ("seal_up", "seizure", "freeze"):
        if decision.kind == "freeze":
            amount = _freeze_amount(decision, parameters)
            amounts += [amount] if amount else []
            parts.append(f"冻结存款、汇款{amount}" if amount else "冻结存款、汇款")
        else:
            parts.append(f"{decision.kind_label}{items}" if items else decision.kind_label)
        if decision.period_days and decision.decided_on is not None:
            period = f"期限{decision.period_days}日，自{_day(decision.decided_on)}起"
            if decision.extension_days:
                period += f"，经批准延长{decision.extension_days}日"
            if decision.period_end is not None:
                period += f"，至{_day(decision.period_end)}止"
            parts.append(period)
        if decision.outcome:
            ended = f"于{_day(decision.ended_on)}" if decision.ended_on is not None else ""
            label = OUTCOMES[decision.outcome]
            parts.append(f"{label[0]}{ended}{label[1:]}")
    else:
        if decision.kind == "execution":
            way = EXECUTION_METHODS.get(decision.method, "")
            parts.append(f"强制执行方式：{way}" if way else "强制执行")
            if decision.immediate:
                parts.append("立即强制执行")
        else:
            parts.append("代履行")
        duty = items or OBLIGATION_KINDS.get(decision.obligation, "")
        if duty:
            parts.append(f"履行义务：{duty}")
        if decision.amount_fen > 0:
            amount = yuan(decision.amount_fen)
            amounts.append(amount)
            parts.append(f"金额{amount}")
        if decision.basis_decision_number:
            parts.append(f"所执行的决定：{decision.basis_decision_number}")
    return "；".join(parts), amounts


def compulsory_publication_content(
    decision: CompulsoryDecision, *, parameters: ParameterSet | None = None
) -> CompulsoryPublicationContent:
    """The public text of the decision, redacted: the agency, the party (a natural person's name
    stays, every identifier, address, phone and account of the party goes, and every third party's
    name is masked), the category, the reason and basis, and the conclusion (查封、扣押: what and
    the period; 冻结: the amount, never the account; 强制执行: the way; 代履行: the duty).
    Built for a decision that was made; the refusals say whether it may be published."""
    if decision.decided_on is None:
        raise ValueError("no decision was made: there is no public text")
    parameters = parameters or parameters_default()
    conclusion, amounts = _conclusion(decision, parameters)
    keep = [*_kept(decision), *amounts]
    redactions: list[Redaction] = []

    def redacted(text: str, field: str) -> str:
        result = text_redact(
            text.strip(),
            field=field,
            keep=keep,
            third_parties=decision.third_parties,
            addresses=_addresses(decision),
            known=_known(decision),
        )
        redactions.extend(result.redactions)
        return result.text

    party = decision.party
    return CompulsoryPublicationContent(
        category=decision.category,
        kind_label=decision.kind_label,
        agency_name=public_text_clean(decision.agency.name),
        agency_credit_code=public_text_clean(decision.agency.credit_code),
        number=redacted(decision.number, "number"),
        party_name=public_text_clean(party.name),
        party_kind=PARTY_KINDS[party.kind],
        # A 个体工商户's credit code identifies the business, not the person: it is published.
        party_credit_code=public_text_clean(party.credit_code) if party.kind != "natural_person" else "",
        legal_representative=public_text_clean(party.legal_representative) if not party.natural else "",
        reason=redacted(decision.reason, "reason"),
        basis=redacted(decision.basis, "basis"),
        conclusion=redacted(conclusion, "conclusion"),
        decided_on=decision.decided_on,
        redactions=tuple(redactions),
    )


# --- when ---------------------------------------------------------------------------------------


def compulsory_publication_due(
    decision: CompulsoryDecision, *, calendar: LegalCalendar, parameters: ParameterSet | None = None
) -> Due:
    """20 working days after the decision (118号, `publication.coercion.decision_working_days`)."""
    if decision.decided_on is None:
        raise ValueError("no decision was made: nothing is due")
    parameters = parameters or parameters_default()
    try:
        days = _parameter(parameters, "publication.coercion.decision_working_days", decision, decision.decided_on)
    except ParameterMissing as missing:
        return _due_unknown(decision.decided_on, missing)
    return _working_days_due(calendar.working_days_after(decision.decided_on, days.value), days.reference)


def _working_days_due(end: PeriodEnd, reference: str) -> Due:
    """The due day with its rule. The calendar names the penalty law's counting rule by default;
    these periods are working days by the rule (118号) that sets them, not by the penalty law."""
    due = _due(end, reference)
    return replace(due, basis=due.basis.replace(BASIS_PENALTY_WORKING_DAYS, WORKING_DAYS_BASIS))


def compulsory_withdrawal_due(
    decision: CompulsoryDecision,
    *,
    changed_on: dt.date,
    calendar: LegalCalendar,
    parameters: ParameterSet | None = None,
) -> Due:
    """The last day to take the publication down after the decision was changed, revoked, held
    unlawful or void, or ordered to be remade: 118号 says promptly; the platform counts the
    penalty's 3 working days (`publication.coercion.withdrawal_working_days`, a platform rule)."""
    parameters = parameters or parameters_default()
    try:
        days = _parameter(parameters, "publication.coercion.withdrawal_working_days", decision, changed_on)
    except ParameterMissing as missing:
        return _due_unknown(changed_on, missing)
    return _working_days_due(calendar.working_days_after(changed_on, days.value), days.reference)


def compulsory_content_withdrawn(
    decision: CompulsoryDecision,
    content: CompulsoryPublicationContent,
    *,
    ground: str,
    changed_on: dt.date,
    statement: str = "",
) -> CompulsoryPublicationContent:
    """What stays public once the decision is withdrawn: the fact of the withdrawal (agency,
    number, category, date and the notice with its reason); the reason, basis and conclusion go,
    and a natural person's name is masked, as for a withdrawn penalty. The statement is public
    and redacted like the rest."""
    if ground not in WITHDRAWAL_GROUNDS:
        raise ValueError(f"unknown withdrawal ground: {ground!r}")
    notice = f"本决定已于{_day(changed_on)}被依法{WITHDRAWAL_GROUNDS[ground]}，原公开信息撤回。"
    statement = text_redact(
        statement.strip(),
        field="withdrawal_notice",
        keep=_kept(decision),
        third_parties=decision.third_parties,
        addresses=_addresses(decision),
        known=_known(decision),
    )
    return replace(
        content,
        party_name=name_masked(content.party_name) if decision.party.kind == "natural_person" else content.party_name,
        reason="",
        basis="",
        conclusion="",
        withdrawal_notice=notice + statement.text,
        redactions=content.redactions + statement.redactions,
    )


def compulsory_display_period(
    decision: CompulsoryDecision, *, parameters: ParameterSet | None = None
) -> DisplayPeriod:
    """The display period (`publication.coercion.display_months`, by the party's kind), from the
    day of the decision, however late it was published (as for penalties, legal_rules §4.3)."""
    if decision.decided_on is None:
        raise ValueError("no decision was made: nothing is displayed")
    parameters = parameters or parameters_default()
    policy = _parameter(parameters, "publication.coercion.display_months", decision, decision.decided_on)
    by_kind = policy.value
    kind = decision.party.kind
    if kind not in by_kind and decision.party.natural:
        kind = "natural_person"  # a local table that does not name individual businesses
    months = int(by_kind[kind])
    ends_on = add_months(decision.decided_on, months) - dt.timedelta(days=1)
    return DisplayPeriod(months, ends_on, policy.reference)


__all__ = [
    "CATEGORY_BASIS",
    "COMPULSORY_CATEGORIES",
    "COMPULSORY_KINDS",
    "EXECUTION",
    "MEASURE",
    "OUTCOMES",
    "PARTY_KINDS",
    "STAGES",
    "WITHDRAWAL_GROUNDS",
    "CompulsoryDecision",
    "CompulsoryParty",
    "CompulsoryPublicationContent",
    "DecidingAgency",
    "compulsory_content_withdrawn",
    "compulsory_display_period",
    "compulsory_publication_content",
    "compulsory_publication_due",
    "compulsory_publication_refusals",
    "compulsory_sensitive_values",
    "compulsory_withdrawal_due",
    "enforcement_publication_decision",
    "measure_publication_decision",
]
