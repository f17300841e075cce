"""The texts of a compulsory-execution case (行政强制执行): what its documents print beyond the
facts the guards read (the decision's wording, the way to perform, the reasons and bases of an
execution, the court, what was found on site). Typed and frozen, stored in the case's details
(`ProcedureSpec.texts_type`) and checked on every write; the steps replace them.

Money stays integer fen and moments naive Asia/Shanghai datetimes, as in the snapshot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DecisionTexts:
    """The administrative decision to be enforced, as the documents name it. A decision of a
    penalty case on the platform is named from that case's facts; these texts are for a decision
    the agency made outside the platform."""

    title: str = ""  # 责令限期拆除决定书, 行政处罚决定书 …
    duty: str = ""  # what it asks, completing "要求当事人…"
    default: str = ""  # how the party failed: 逾期未拆除
    facts: str = ""  # the facts, reasons and basis of the decision (the court application states them)


@dataclass(frozen=True)
class ServiceTexts:
    """How a document reached the party (the 送达回证)."""

    method: str = ""  # a key of snapshot.SERVICE_METHODS
    place: str = ""
    signed_by: str = ""
    note: str = ""  # why not directly (拒收、无法直接送达), the post tracking number …


@dataclass(frozen=True)
class DemandTexts:
    """催告书: how to perform and, for money, how to pay."""

    method: str = ""
    payment_method: str = ""
    statement_days: int = 0  # working days granted for a statement (0: until the deadline)
    service: ServiceTexts = ServiceTexts()


@dataclass(frozen=True)
class StatementTexts:
    """A statement or defence after the 催告, and its re-examination."""

    submitted_on: dt.date | None = None
    summary: str = ""
    reexamination: str = ""
    adopted: bool = False  # the facts, reasons or evidence were found to hold


@dataclass(frozen=True)
class ExecutionTexts:
    """强制执行决定书: the reasons, the provisions giving the power, what exactly is done."""

    reasons: str = ""
    bases: tuple[str, ...] = ()  # one provision a line, as 《…法》第…条
    method_detail: str = ""
    starts_at: dt.datetime | None = None
    immediate_reason: str = ""  # the evidence of assets moved or hidden
    service: ServiceTexts = ServiceTexts()


@dataclass(frozen=True)
class OnSiteTexts:
    """What happened on site (强制执行 or 代履行): the record the officers make."""

    place: str = ""
    record: str = ""
    result: str = ""
    emergency_reason: str = ""
    cost_fen: int = 0  # 代履行: the cost as performed


@dataclass(frozen=True)
class AgreementTexts:
    """执行协议."""

    content: str = ""
    remedial_measures: str = ""
    broken_note: str = ""


@dataclass(frozen=True)
class DemolitionNoticeTexts:
    """强制拆除公告."""

    content: str = ""
    place: str = ""  # where it was posted


@dataclass(frozen=True)
class SubstituteTexts:
    """代履行决定书 and the demand three working days before."""

    reasons: str = ""
    bases: tuple[str, ...] = ()
    method: str = ""
    starts_at: dt.datetime | None = None
    target: str = ""
    cost_estimate_fen: int = 0
    performer: str = ""
    decision_service: ServiceTexts = ServiceTexts()
    demand_note: str = ""


@dataclass(frozen=True)
class CourtTexts:
    """强制执行申请书 and the court's ruling."""

    court: str = ""
    target: str = ""
    party_opinion: str = ""
    attachments: tuple[str, ...] = ()
    head: str = ""  # the agency's head who signs it
    ruling_number: str = ""
    ruling_note: str = ""


@dataclass(frozen=True)
class PaymentTexts:
    """A payment or performance the party made."""

    on: dt.date | None = None
    amount_fen: int = 0
    proof: str = ""


@dataclass(frozen=True)
class ClosingTexts:
    summary: str = ""
    head_opinion: str = ""


@dataclass(frozen=True)
class EnforcementTexts:
    decision: DecisionTexts | None = None
    demand: DemandTexts | None = None
    statements: tuple[StatementTexts, ...] = ()
    execution: ExecutionTexts | None = None
    execution_on_site: OnSiteTexts | None = None
    agreement: AgreementTexts | None = None
    demolition_notice: DemolitionNoticeTexts | None = None
    substitute: SubstituteTexts | None = None
    substitute_on_site: OnSiteTexts | None = None
    court: CourtTexts | None = None
    payments: tuple[PaymentTexts, ...] = ()
    challenges: tuple[str, ...] = ()  # the body or court and the case, one a challenge
    closing: ClosingTexts | None = None


__all__ = [
    "AgreementTexts",
    "ClosingTexts",
    "CourtTexts",
    "DecisionTexts",
    "DemandTexts",
    "DemolitionNoticeTexts",
    "EnforcementTexts",
    "ExecutionTexts",
    "OnSiteTexts",
    "PaymentTexts",
    "ServiceTexts",
    "StatementTexts",
    "SubstituteTexts",
]
