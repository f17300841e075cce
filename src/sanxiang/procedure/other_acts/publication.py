"""The publication (事后公开) of the decisions of 行政征收征用 and of the other acts (行政给付、确认、
奖励、裁决 …) in the public read model, as code: what is published, by when, for how long, why not.

The law and the platform's rules:
- 国办发〔2018〕118号: 执法决定 other than penalties and licences are published within 20 working
  days of the decision; 《中华人民共和国政府信息公开条例》第二十六条 (20 working days) [V-law]: the
  period is the one the case's own deadline reads (`decision_rules.publication_deadline`, parameter
  `publication.other_decision_working_days`), so the desk's alert and the case's deadline agree;
- 政府信息公开条例 第十四条、第十五条: a decision the agency lawfully withholds (the other act's
  `other_act_withhold` step, its ground and facts) is not published; the draft says why;
- a natural person's name is published masked (张某), their identity number, phone and address
  never: 个人隐私 (第十五条) — a 行政给付 or a 工伤认定 names who received or suffered what; an
  organisation keeps its name and credit code (a platform rule, as the penalty's redaction);
- how long a decision stays on display is not in the law the platform holds:
  `other_act.publication.display_months`, a platform rule, unverified.

One decision is an `ActPublicationDecision`, built by the Django side from the case; its public
columns are a pure function of it (`act_publication_content`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.calendar import BASIS_PENALTY_WORKING_DAYS
from sanxiang.procedure.dual_publicity import (
    PARTY_LABELS,
    DecisionParty,
)
from sanxiang.procedure.engine import LegalCalendar
from sanxiang.procedure.other_acts.decision_rules import (
    PUBLICATION_BASIS,
    PUBLICATION_PERIOD,
    WITHHOLDING_BASIS,
    WITHHOLDING_GROUNDS,
    Withholding,
)
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.rules import add_months
from sanxiang.procedure.publication import (
    DisplayPeriod,
    Due,
    Redaction,
    _due,
    _due_unknown,
    name_masked,
    public_text_clean,
    text_redact,
)
from sanxiang.procedure.violations import Violation

# The procedures whose decisions are published here, by the draft's key (`PublicationDraft.decision`,
# and `Publication.decision_kind`), and the steps that make or withhold each.
ACT_PROCEDURES: dict[str, str] = {"expropriation": "expropriation", "other_act": "other_act"}
DECIDING_STEPS = frozenset({"expropriation_decide", "other_act_decide"})
WITHHOLDING_STEPS = frozenset({"other_act_withhold"})
DECISION_LABELS: dict[str, str] = {"expropriation": "征收征用决定", "other_act": "行政决定"}
DISPLAY_PARAMETER = "other_act.publication.display_months"
WITHDRAWAL_PARAMETER = "other_act.publication.withdrawal_working_days"
WORKING_DAYS_BASIS = "期限以工作日计算，不含法定节假日（国办发〔2018〕118号）"
PRIVACY_BASIS = f"{WITHHOLDING_BASIS}（个人隐私不予公开：自然人姓名隐去名字，身份证件号码、电话、住址不公开）"

@dataclass(frozen=True)
class ActPublicationDecision:
    """One decision of 征收征用 or of another act as publication reads it. `procedure` a key of
    ACT_PROCEDURES; `kind_label` what kind of act (征收, 行政确认 …); `title` the document's name;
    `matter` the case's title; `bases` the provisions; `content` what was decided; `withholding` the
lawful ground recorded for not publishing it (None: published)."""

    procedure: str
    kind_label: str
    title: str
    decided_on: dt.date
    number: str
    agency_name: str
    party: DecisionParty
    matter: str
    bases: tuple[str, ...]
    content: str
    grounds: str = ""  # why: an expropriation's public interest and scope; "" → the matter
    # What the decision takes, where (an expropriation's 征收范围): public as it is written, its
    # address included (the decision is announced with its scope: a platform rule, 待核实).
    scope: str = ""
    agency_credit_code: str = ""
    withholding: Withholding | None = None
    region: str = ""
    sector: str = ""

    def __post_init__(self) -> None:
        if self.procedure not in ACT_PROCEDURES:
            raise ValueError(f"unknown procedure: {self.procedure!r}")


def act_publication_refusals(decision: ActPublicationDecision) -> list[Violation]:
    """Why the decision is not published ([] when it is): the lawful withholding recorded in the case."""
    withholding = decision.withholding
    if withholding is None:
        return []
    ground = WITHHOLDING_GROUNDS.get(withholding.ground, "依法不予公开")
    return [Violation("publication.act.withheld", f"本机关已决定不予公开：{ground}。{withholding.facts.strip()}",
                      WITHHOLDING_BASIS)]


def act_publication_due(decision: ActPublicationDecision, *, calendar: LegalCalendar,
                        parameters: ParameterSet | None = None) -> Due:
    """20 working days after the decision (118号; 政府信息公开条例第二十六条)."""
    parameters = parameters or parameters_default()
    try:
        days = parameters[PUBLICATION_PERIOD].period_on(decision.decided_on, region=decision.region,
                                                        sector=decision.sector)
    except ParameterMissing as missing:
        return _due_unknown(decision.decided_on, missing)
    due = _due(calendar.working_days_after(decision.decided_on, int(days.value)), days.reference)
    return Due(due.date, due.estimated, due.basis.replace(BASIS_PENALTY_WORKING_DAYS, WORKING_DAYS_BASIS))


def act_withdrawal_due(decision: ActPublicationDecision, *, changed_on: dt.date, calendar: LegalCalendar,
                       parameters: ParameterSet | None = None) -> Due:
    """The last day to take the publication down after the decision was changed, revoked, held
    unlawful or void: 118号 says promptly; the platform counts 3 working days (its parameter)."""
    parameters = parameters or parameters_default()
    try:
        days = parameters[WITHDRAWAL_PARAMETER].period_on(changed_on, region=decision.region, sector=decision.sector)
    except ParameterMissing as missing:
        return _due_unknown(changed_on, missing)
    due = _due(calendar.working_days_after(changed_on, int(days.value)), days.reference)
    return Due(due.date, due.estimated, due.basis.replace(BASIS_PENALTY_WORKING_DAYS, WORKING_DAYS_BASIS))


def act_display_period(decision: ActPublicationDecision, *, parameters: ParameterSet | None = None) -> DisplayPeriod:
    """From the decision's day for the parameter's months (a platform rule, unverified)."""
    parameters = parameters or parameters_default()
    period = parameters[DISPLAY_PARAMETER].period_on(decision.decided_on, region=decision.region,
                                                     sector=decision.sector)
    months = int(period.value)
    return DisplayPeriod(months, add_months(decision.decided_on, months) - dt.timedelta(days=1), period.reference)


@dataclass(frozen=True)
class ActPublicationContent:
    """The public text in the columns of the public read model, and what was hidden."""

    public: dict[str, str]
    redactions: tuple[Redaction, ...]


def act_public_name(party: DecisionParty) -> str:
    """A natural person's name masked (张某); an organisation's or a business's name kept."""
    name = public_text_clean(party.name)
    return name_masked(name) if party.kind == "natural_person" else name


def act_sensitive_values(decision: ActPublicationDecision) -> list[str]:
    """What must never appear in the public text of this decision."""
    party = decision.party
    values = [party.id_number, party.phone]
    if party.natural and not (decision.scope and party.address in decision.scope):
        values.append(party.address)
    name = party.name.strip()
    if party.kind == "natural_person" and len(name) >= 2 and name_masked(name) != name:  # "刘某" is masked already
        values.append(name)
    return [v for v in values if v]


def act_publication_content(decision: ActPublicationDecision) -> ActPublicationContent:
    """The decision's public columns: every free text redacted (the party's identity number, phone
    and a natural person's address never shown; a natural person's name masked wherever it is
    written), the agency and an organisation's name and code kept."""
    party = decision.party
    natural = party.kind == "natural_person"
    scope = public_text_clean(decision.scope.strip())
    kept = [v for v in (decision.agency_name, decision.agency_credit_code, decision.number, scope,
                        "" if natural else party.name, "" if natural else party.credit_code) if v]
    hidden_address = party.natural and party.address and not (scope and party.address in scope)
    redactions: list[Redaction] = []

    def redacted(text: str, field: str) -> str:
        result = text_redact(text.strip(), field=field, keep=kept,
                             third_parties=[party.name] if natural else [],
                             addresses=[party.address] if hidden_address else [],
                             known={"id_number": [party.id_number] if party.id_number else [],
                                    "phone": [party.phone] if party.phone else []})
        redactions.extend(result.redactions)
        return result.text

    public = {
        "number": public_text_clean(decision.number),
        "title": redacted(decision.matter, "title"),
        "party_name": act_public_name(party),
        "party_kind": PARTY_LABELS[party.kind],
        "party_credit_code": public_text_clean(party.credit_code) if not natural else "",
        "legal_representative": public_text_clean(party.legal_representative) if not party.natural else "",
        "violation_type": decision.kind_label,  # 行为类别
        "facts": redacted(decision.grounds or decision.matter, "facts"),
        "basis": redacted("；".join(b.strip() for b in decision.bases if b.strip()), "basis"),
        "kinds_label": decision.title.removesuffix("书"),
        "content": redacted(decision.content, "content"),
        "licence": "",
    }
    return ActPublicationContent(public=public, redactions=tuple(redactions))


__all__ = [
    "ACT_PROCEDURES",
    "DECIDING_STEPS",
    "DECISION_LABELS",
    "PRIVACY_BASIS",
    "PUBLICATION_BASIS",
    "WITHHOLDING_STEPS",
    "ActPublicationContent",
    "ActPublicationDecision",
    "DecisionParty",
    "act_display_period",
    "act_public_name",
    "act_publication_content",
    "act_publication_due",
    "act_publication_refusals",
    "act_sensitive_values",
    "act_withdrawal_due",
]
