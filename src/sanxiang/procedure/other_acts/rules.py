"""One generic administrative act (行政给付、确认、奖励、裁决 or another act, issue 18 item 3), pure
Python: the facts its guards read (`OtherActSnapshot`), the guards and the annual counting.

No workflow of its own beyond what every decision of the 三项制度 needs (118号): its legal basis,
its decision with the remedies, the legal review where the agency's catalogue lists its matter, and
its publication within 20 working days (or the ground, under 政府信息公开条例 第十四、十五条, for
not publishing it). The kind is data (`KINDS`): an agency records a 工伤认定 (确认), a 最低生活保障
(给付), a 见义勇为奖励 (奖励) or a 权属争议裁决 (裁决) the same way. Each is counted in the annual data
as completed in the year it is decided (supervision_and_procedures.md §4.1: 行政征收/裁决/确认/奖励/
给付/其他 count those completed in the year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.other_acts import decision_rules as d
from sanxiang.procedure.other_acts.decision_rules import Publicity, ReviewOpinion, Withholding
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.penalty.basis import GUIDELINE_118
from sanxiang.procedure.penalty.snapshot import ReviewCatalogue
from sanxiang.procedure.registry_rules import OfficerSnapshot
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation

KINDS: dict[str, str] = {
    "payment": "行政给付",
    "confirmation": "行政确认",
    "award": "行政奖励",
    "adjudication": "行政裁决",
    "other": "其他行政行为",
}
ACT_BASIS = f"{GUIDELINE_118}（行政执法公示制度、重大执法决定法制审核制度）"
DECISION_BASIS = f"{ACT_BASIS}；依法作出的决定应当载明其法律依据"
COUNTING_BASIS = "年度行政执法数据统计口径：行政征收、裁决、确认、奖励、给付及其他行为按本年度办结的件数统计"
TERMINATION_BASIS = f"{PLATFORM_PREFIX}：未作出决定而终止办理的，须写明理由"
CODE = "other_act"


@dataclass(frozen=True)
class ActDecision:
    """The decision: its day, what it decides, and the remedies stated in it; `amount_fen` for a
    payment or an award in money (0 otherwise)."""

    on: dt.date
    content: str
    remedies: str = ""
    amount_fen: int = 0


@dataclass(frozen=True)
class Termination:
    on: dt.date
    reason: str


@dataclass(frozen=True)
class OtherActSnapshot:
    state: str
    records: frozenset[str]
    kind: str = "other"  # KINDS
    opened_on: dt.date | None = None
    region: str = ""
    sector: str = ""
    matter: str = ""  # the 权责清单 matter's code
    catalogue: ReviewCatalogue | None = None  # the agency's 重大执法决定法制审核目录
    officers: tuple[OfficerSnapshot, ...] = ()
    major_marked: bool = False
    bases: tuple[str, ...] = ()  # the articles the decision rests on, one a line
    content: str = ""  # the draft decision
    amount_fen: int = 0
    review_opinions: tuple[ReviewOpinion, ...] = ()
    decision: ActDecision | None = None
    publicity: Publicity | None = None
    withholding: Withholding | None = None
    termination: Termination | None = None

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, KINDS["other"])

    @property
    def major(self) -> bool:
        return d.is_major(matter=self.matter, catalogue=self.catalogue, marked=self.major_marked)

    @property
    def draft(self) -> str:
        """The draft decision a legal review agrees with."""
        return d.draft_text(self.kind, *self.bases, self.content, self.amount_fen)

    @property
    def handler_ids(self) -> frozenset[int]:
        return frozenset(o.id for o in self.officers if o.id is not None)


Snapshot = OtherActSnapshot
Context = GuardContext


# --- guards -------------------------------------------------------------------------------------------


def decision_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The decision has its basis, its content and its remedies, and its day follows the opening."""
    what = f"{snapshot.kind_label}决定"
    violations = d.bases_problems(snapshot.bases, code=CODE, what=what, basis=DECISION_BASIS)
    decision = snapshot.decision
    if decision is None or not decision.content.strip():
        violations.append(Violation(f"{CODE}.decision.content", f"尚未拟定{what}的内容", d.ORDER_BASIS, "content"))
    if decision is not None:
        violations += d.remedies_problems(decision.remedies, code=f"{CODE}.decision", what=what)
        violations += d.date_order_problems(decision.on, after=snapshot.opened_on, today=context.today,
                                            code=f"{CODE}.decision", what=what)
    return violations


def review_gate(snapshot: Snapshot, context: Context) -> list[Violation]:
    return d.review_problems(snapshot.review_opinions, major=snapshot.major, handler_ids=snapshot.handler_ids,
                             code=CODE, what=f"{snapshot.kind_label}决定", draft=snapshot.draft)


def published(snapshot: Snapshot, context: Context) -> list[Violation]:
    decision = snapshot.decision
    return d.publicity_problems(snapshot.publicity, decided_on=decision.on if decision else None, context=context,
                                region=snapshot.region, code=CODE)


def withheld(snapshot: Snapshot, context: Context) -> list[Violation]:
    return d.withholding_problems(snapshot.withholding, code=CODE)


def terminated(snapshot: Snapshot, context: Context) -> list[Violation]:
    if snapshot.termination is None or not snapshot.termination.reason.strip():
        return [Violation(f"{CODE}.termination.reason", "终止办理须写明理由", TERMINATION_BASIS, "reason")]
    return []


# --- remedies -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemedyPeriods:
    """The periods a decision of this kind prints: 申请行政复议 within `reconsideration_days` and
    提起行政诉讼 within `litigation_months`, with their basis."""

    reconsideration_days: int
    litigation_months: int
    basis: str


def remedy_periods(kind: str, *, on: dt.date, region: str = "", sector: str = "",
                   parameters: ParameterSet | None = None) -> RemedyPeriods:
    """The remedy periods of a decision of `kind` made on `on`: the general ones (行政复议法、行政诉讼法)
    unless the county set a kind's own (a 行政裁决 with a special period, 待核实). Raises
    `ParameterMissing` when none is in force."""
    parameters = parameters or parameters_default()
    kind = kind if kind in KINDS else "other"
    days = parameters[f"other_act.remedies.{kind}.reconsideration_days"].period_on(on, region=region, sector=sector)
    months = parameters[f"other_act.remedies.{kind}.litigation_months"].period_on(on, region=region, sector=sector)
    return RemedyPeriods(int(days.value), int(months.value), f"{days.reference}；{months.reference}")


# --- counting -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountedAct:
    """A case as the annual count reads it: its kind and the day of its decision (None: undecided)."""

    kind: str
    decided_on: dt.date | None


# The annual data's row of each kind (publication.AnnualAct.kind).
ANNUAL_KINDS: dict[str, str] = {kind: f"other_act.{kind}" for kind in KINDS}


def other_act_annual_acts(snapshot: OtherActSnapshot) -> list[tuple[str, dt.date]]:
    """The acts of one case the annual data counts: its decision (completed once decided), under its
    kind's row, on its day."""
    decision = snapshot.decision
    if decision is None or snapshot.state in ("handling", "terminated"):
        return []
    return [(ANNUAL_KINDS.get(snapshot.kind, ANNUAL_KINDS["other"]), decision.on)]


def other_acts_annual_counts(acts: Iterable[CountedAct], *, year: int) -> dict[str, int]:
    """The acts completed (decided) in `year`, by kind, every kind present (0 when none)."""
    counts = dict.fromkeys(KINDS, 0)
    for act in acts:
        if act.decided_on is not None and act.decided_on.year == year:
            counts[act.kind if act.kind in KINDS else "other"] += 1
    return counts


__all__ = [
    "ACT_BASIS",
    "ANNUAL_KINDS",
    "COUNTING_BASIS",
    "KINDS",
    "ActDecision",
    "CountedAct",
    "OtherActSnapshot",
    "RemedyPeriods",
    "Termination",
    "decision_complete",
    "other_act_annual_acts",
    "other_acts_annual_counts",
    "published",
    "remedy_periods",
    "review_gate",
    "terminated",
    "withheld",
]
