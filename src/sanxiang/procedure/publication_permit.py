"""The publication (事后公开) of licence decisions (行政许可) as code, and their “双公示” rows (XK_*).

What is published: the decisions that grant or change what a licence allows — 准予行政许可,
变更, 准予延续 — and those that end it — 撤回, 撤销, 注销 (行政许可法第四十条: 准予行政许可的决定
应当予以公开; 国办发〔2018〕118号: 行政许可的执法决定信息 7 个工作日内公开; 国办发〔2015〕51号:
双公示). A refusal (不予受理, 不予许可, 不予延续) is not published: it grants nothing the public
relies on, and it names an applicant who holds nothing (a platform rule, `REFUSALS_NOT_PUBLISHED`).

The period is the one parameter the penalty publication reads (`publication.penalty_permit_working_days`,
118号: 7 working days), so a county that overrides it overrides it for both. How long a licence
decision stays on display is not in the law the platform holds: `publication.permit.display_months`,
a platform rule, unverified, and never shorter than the licence is valid.

One decision is a `PermitDecision`, built by the Django side from the case, or by an import from
another system's record: every public text and the XK_* row are pure functions of it
(`permit_publication_content`, `permit_dual_publicity_row`), so a decision imported and the same
decision made here give identical rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.calendar import BASIS_PENALTY_WORKING_DAYS
from sanxiang.procedure.dual_publicity import (
    PARTY_LABELS,
    PERMIT_CATEGORIES,
    DecisionParty,
    dual_publicity_codes,
)
from sanxiang.procedure.engine import LegalCalendar
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.rules import add_months
from sanxiang.procedure.permit.rules import LICENSING_LAW
from sanxiang.procedure.publication import (
    DisplayPeriod,
    Due,
    Redaction,
    _due,
    _due_unknown,
    public_text_clean,
    text_redact,
)
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation

# The published decisions, by key (the publication draft's `decision`), with their document's name
# (XK_XKWS) and the step that makes each.
PERMIT_DECISIONS: dict[str, str] = {
    "permit_grant": "准予行政许可决定书",
    "permit_change": "变更行政许可决定书",
    "permit_renewal": "准予延续行政许可决定书",
    "permit_withdraw": "撤回行政许可决定书",
    "permit_revoke": "撤销行政许可决定书",
    "permit_cancel": "注销行政许可决定书",
}
ACTION_DECISIONS: dict[str, str] = {
    "permit_grant": "permit_grant",
    "permit_grant_on_spot": "permit_grant",
    "permit_change": "permit_change",
    "permit_renew": "permit_renewal",
    "permit_withdraw": "permit_withdraw",
    "permit_revoke": "permit_revoke",
    "permit_cancel": "permit_cancel",
}
# The article each decision rests on (its public 依据).
DECISION_ARTICLES: dict[str, str] = {
    "permit_grant": "第三十八条第一款",
    "permit_change": "第四十九条",
    "permit_renewal": "第五十条",
    "permit_withdraw": "第八条第二款",
    "permit_revoke": "第六十九条",
    "permit_cancel": "第七十条",
}
# The decisions after which the licence no longer stands (XK_ZT not 有效).
ENDING_DECISIONS = frozenset({"permit_withdraw", "permit_revoke", "permit_cancel"})
ENDING_VERBS = {"permit_withdraw": "撤回", "permit_revoke": "撤销", "permit_cancel": "注销"}

PUBLICITY_BASIS = f"{LICENSING_LAW}第四十条；国办发〔2018〕118号；国办发〔2015〕51号 第十八条（双公示）"
REFUSALS_NOT_PUBLISHED = (
    f"{PLATFORM_PREFIX}：不予受理、不予行政许可、不予延续的决定不对外公开（{LICENSING_LAW}第四十条只要求公开准予行政许可的决定）"
)
WORKING_DAYS_BASIS = "期限以工作日计算，不含法定节假日（国办发〔2018〕118号）"
DUE_PARAMETER = "publication.penalty_permit_working_days"
DISPLAY_PARAMETER = "publication.permit.display_months"

# XK_ZT: "1" 有效 is the value seen in the exchanged data (legal_rules §5.2); the other codes are
# not in the platform's reference: a licence that no longer stands is sent with the value the
# parameter names (platform rule, unverified).
STATE_VALID = "1"
STATE_PARAMETER = "publication.permit.ended_state_code"

@dataclass(frozen=True)
class PermitDecision:
    """One licence decision as publication and the 双公示 read it. `content` is what the decision
    grants or changes, or (ending) what ended and why; `licence_name` / `licence_number` the
    certificate; `valid_from` / `valid_until` the licence's validity after this decision."""

    decision: str  # a key of PERMIT_DECISIONS
    decided_on: dt.date
    number: str  # 决定书文号
    agency_name: str
    party: DecisionParty
    matter: str  # 许可事项
    content: str
    reason: str = ""  # why: 撤回、撤销、注销的法定情形 (the others: the applicant met the conditions)
    agency_credit_code: str = ""
    category: str = ""  # a name of PERMIT_CATEGORIES ("" → 其他)
    licence_name: str = ""
    licence_number: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    region: str = ""
    sector: str = ""

    def __post_init__(self) -> None:
        if self.decision not in PERMIT_DECISIONS:
            raise ValueError(f"unknown licence decision: {self.decision!r}")

    @property
    def title(self) -> str:
        return PERMIT_DECISIONS[self.decision]

    @property
    def ended(self) -> bool:
        return self.decision in ENDING_DECISIONS


def permit_publication_refusals(*, action: str) -> list[Violation]:
    """Why the decision a step made is not published; [] when it is."""
    if action in ACTION_DECISIONS:
        return []
    return [Violation("publication.permit.refusal", "该决定不是准予、变更、延续、撤回、撤销或者注销许可的决定，不予公开",
                      REFUSALS_NOT_PUBLISHED)]


def permit_publication_due(
    decision: PermitDecision, *, calendar: LegalCalendar, parameters: ParameterSet | None = None
) -> Due:
    """7 working days after the decision (118号; the parameter the penalty's publication reads)."""
    parameters = parameters or parameters_default()
    try:
        days = parameters[DUE_PARAMETER].period_on(decision.decided_on, region=decision.region, sector=decision.sector)
    except ParameterMissing as missing:
        return _due_unknown(decision.decided_on, missing)
    due = _due(calendar.working_days_after(decision.decided_on, days.value), days.reference)
    return Due(due.date, due.estimated, due.basis.replace(BASIS_PENALTY_WORKING_DAYS, WORKING_DAYS_BASIS))


def permit_display_period(decision: PermitDecision, *, parameters: ParameterSet | None = None) -> DisplayPeriod:
    """From the decision's day for the parameter's months, and never less than the licence is valid."""
    parameters = parameters or parameters_default()
    period = parameters[DISPLAY_PARAMETER].period_on(decision.decided_on, region=decision.region,
                                                     sector=decision.sector)
    ends_on = add_months(decision.decided_on, int(period.value)) - dt.timedelta(days=1)
    if decision.valid_until is not None and not decision.ended:
        ends_on = max(ends_on, decision.valid_until)
    return DisplayPeriod(int(period.value), ends_on, period.reference)


def _kept(decision: PermitDecision) -> list[str]:
    party = decision.party
    kept = [decision.agency_name, decision.agency_credit_code, decision.number, decision.licence_number, party.name]
    if not party.kind == "natural_person":
        kept += [party.credit_code, party.legal_representative]
    return [k for k in kept if k]


def _known(decision: PermitDecision) -> dict[str, list[str]]:
    party = decision.party
    return {"id_number": [party.id_number] if party.id_number else [], "phone": [party.phone] if party.phone else []}


@dataclass(frozen=True)
class PermitPublicationContent:
    """The public text of a licence decision, in the columns of the public read model."""

    public: dict[str, str]
    redactions: tuple[Redaction, ...]


def permit_publication_content(decision: PermitDecision) -> PermitPublicationContent:
    """The decision's public columns, every free text redacted (a natural person's address, phone
    and identity number never shown; the party's own name, the licence and agency kept)."""
    party = decision.party
    redactions: list[Redaction] = []

    def redacted(text: str, field: str) -> str:
        result = text_redact(text.strip(), field=field, keep=_kept(decision),
                             addresses=[party.address] if party.natural and party.address else [],
                             known=_known(decision))
        redactions.extend(result.redactions)
        return result.text

    licence = "".join(p for p in (decision.licence_name, f"（{decision.licence_number}）" if decision.licence_number
                                  else "") if p)
    public = {
        "number": public_text_clean(decision.number),
        "title": decision.title,
        "party_name": public_text_clean(party.name),
        "party_kind": PARTY_LABELS[party.kind],
        "party_credit_code": public_text_clean(party.credit_code) if party.kind != "natural_person" else "",
        "legal_representative": public_text_clean(party.legal_representative) if not party.natural else "",
        "violation_type": redacted(decision.matter, "violation_type"),  # the 许可事项
        "facts": redacted(_grounds(decision), "facts"),
        "basis": f"{LICENSING_LAW}{DECISION_ARTICLES[decision.decision]}",
        "kinds_label": decision.category or PERMIT_CATEGORIES["06"],
        "content": redacted(decision.content, "content"),
        "licence": public_text_clean(licence),
    }
    return PermitPublicationContent(public=public, redactions=tuple(redactions))


def _grounds(decision: PermitDecision) -> str:
    """The public 决定事由: the legal ground of an ending, else what the examination found."""
    if decision.ended:
        return decision.reason
    return {
        "permit_grant": "申请符合法定条件、标准，准予行政许可",
        "permit_change": "被许可人申请变更，符合法定条件、标准，准予变更",
        "permit_renewal": "被许可人在有效期届满前申请延续，准予延续",
    }[decision.decision]


def permit_dual_publicity_row(decision: PermitDecision, *, parameters: ParameterSet | None = None) -> dict[str, str]:
    """The XK_* row of the decision, every field of the layout in the standard's order, as text
    ("" when empty): 证件号码 never (they are not displayed, legal_rules §5)."""
    content = permit_publication_content(decision).public
    party = decision.party
    natural = party.kind == "natural_person"
    state = STATE_VALID
    if decision.ended:
        parameters = parameters or parameters_default()
        state = str(parameters[STATE_PARAMETER].period_on(decision.decided_on, region=decision.region).value)
    values = {
        "XK_XDR_MC": content["party_name"],
        "XK_XDR_LB": content["party_kind"],
        "XK_XDR_SHXYM": "" if natural else content["party_credit_code"],
        "XK_FRDB": "" if party.natural else content["legal_representative"],
        "XK_XKWS": decision.title,
        "XK_WSH": content["number"],
        "XK_XKLB": content["kinds_label"],
        "XK_XKZS": public_text_clean(decision.licence_name),
        "XK_XKBH": public_text_clean(decision.licence_number),
        "XK_NR": content["content"],
        "XK_JDRQ": decision.decided_on.isoformat(),
        "XK_YXQZ": decision.valid_from.isoformat() if decision.valid_from else "",
        "XK_YXQZI": decision.valid_until.isoformat() if decision.valid_until else "",
        "XK_XKJG": public_text_clean(decision.agency_name),
        "XK_XKJGDM": public_text_clean(decision.agency_credit_code),
        "XK_ZT": state,
        "XK_LYDW": public_text_clean(decision.agency_name),
        "XK_LYDWDM": public_text_clean(decision.agency_credit_code),
    }
    return {code: values.get(code, "") for code in dual_publicity_codes("XK")}


def permit_ending_content(*, decision: str, ground: str, facts: str, matter: str) -> str:
    """What an ending decision publishes as its content: what ended and on which ground."""
    verb = ENDING_VERBS[decision]
    return f"{verb}{matter}的行政许可。{verb}的法定情形：{ground}。" + (f"事实：{facts}" if facts.strip() else "")


# Only a revocation (撤销, 行政许可法第六十九条: the grant was unlawful) takes down what was published
# of the licence (国办发〔2018〕118号: 撤销的 … 撤下); a withdrawal (撤回, 第八条) or a cancellation (注销,
# 第七十条) ends a licence lawfully granted, so its grant stays public beside the ending decision, whose
# own publication (XK_ZT) says that the licence no longer stands.
TAKEN_DOWN_BY = ("permit_revoke",)


__all__ = [
    "ACTION_DECISIONS",
    "ENDING_DECISIONS",
    "ENDING_VERBS",
    "PERMIT_DECISIONS",
    "TAKEN_DOWN_BY",
    "DecisionParty",
    "PermitDecision",
    "PermitPublicationContent",
    "permit_display_period",
    "permit_dual_publicity_row",
    "permit_ending_content",
    "permit_publication_content",
    "permit_publication_due",
    "permit_publication_refusals",
]
