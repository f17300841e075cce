"""年度行政执法数据: counting an agency's year from its cases, publishing the figures to the public
table (`AnnualReport`) with a ledger entry, and the alert for reports not published by 31 January.
The categories, the due date and the 0-or-no-power rule are `procedure.annual`.

What the platform counts, and what it cannot count yet (the generated report says so):

- 行政处罚: penalty decisions (outcome "penalty": 不予行政处罚 and transfers to the judicial organs
  are not penalties) of both the ordinary and the summary procedure, by their `decided_on`.
- 行政检查: the on-site inspections recorded in cases (investigative acts of kind "inspection") on
  days of the year, plus the inspections of the inspection register (routine, random, special,
  complaint-driven … inspections of a target) counted in the year of their result when they have a
  specific object and a complete record (procedure.annual_counting.inspection_counted_year). The
  inspection app answers through `public_events.inspection_annual_provided` (the apps are
  siblings). An inspection that opened a penalty case is one inspection: the case's inspection of
  that day is not counted again (INSPECTION_SAME_VISIT_RULE). The report says how many register
  inspections were left out and why, and how many enterprises were inspected once, twice, three
  times or more (the most inspected named, each opening the 检查频次 page).
- 行政强制: its rows (procedure.annual.COERCION_ROWS) from the cases of the compulsory procedures:
  a 查封、扣押 or 冻结 on the day it was taken (an emergency one the head then refused was still
  taken), a 强制执行决定 or 代履行决定 on the day it was made, an application to the court on the day
  it was filed. The category's figure is the sum of the rows. 先行登记保存
  (citations.EVIDENCE_PRESERVATION) preserves evidence; it is not one of the 行政强制措施, so it is
  not counted.
- The 行政强制 powers (`annual_coercion_powers_read`): the registry has no flag for the freeze or
  execution power, so the platform reads them, as a platform rule the report states, from the
  agency's 行政强制 matters (a matter named 查封, 扣押 or 冻结 gives that measure; one named for
  强制执行, 强制拆除, 划拨 or 拍卖 the execution power, which brings 代履行 with it; one named 代履行
  that way of execution alone; none naming a measure: 查封、扣押, the default of
  `annual_coercion_powers`) and from the execution power the agency declared when it registered an
  enforcement case (the registration's choice follows the agency's law).
- 行政许可: its rows (procedure.permit.annual.PERMIT_ROWS: 申请, 受理, 不予受理, 准予许可, 不予许可, 变更,
  延续, 撤回, 撤销, 注销) from the licence cases, each act on its day; the category's figure is the
  sum of the rows the parameter `permit.annual_total_rows` names (a platform rule). The rows are
  shown to the person publishing (`permit_lines`) and published with the category's figure
  (`AnnualReport.permit_rows`), as are the other acts' rows (`AnnualReport.other_act_rows`).
- 行政征收、行政征用: not recorded on the platform yet.

A category the platform does not record is published as 0 where the agency has the power, as the
template requires, and the report tells the person publishing to check it.

How it is counted: every save of a case of a counted procedure stores the acts it counts (one
`AnnualAct` row per act: kind, day, agency; `annual_case_refresh`, in the save's transaction), read
from its facts as its procedure types them (`annual_acts_of`; a compulsory case loaded into its
procedure's snapshot as stored). A year's figures are then one GROUP BY over indexed columns
(`annual_figures`), whatever the number of cases. The computation from every case's facts is kept
(`annual_figures_recomputed`, `annual_report_generate(recompute=True)`) as the check of the stored
rows: `sanxiang projection check` names each case whose rows differ, `rebuild` recomputes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.cases.facts import facts_field_load
from sanxiang.cases.models import Case
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.annual import (
    ANNUAL_CATEGORIES,
    ANNUAL_REPORT_BASIS,
    COERCION_ROWS,
    COERCION_ROWS_BASIS,
    annual_catalogue_gaps,
    annual_categories_of,
    annual_coercion_powers,
    annual_coercion_row_gaps,
    annual_coercion_rows,
    annual_coercion_total,
    annual_counts,
    annual_report_due,
    annual_report_overdue,
    coercion_actions_of_enforcement,
    coercion_actions_of_measure,
)
from sanxiang.procedure.annual_counting import (
    AMOUNT_SOURCE,
    INSPECTION_FREQUENCY_BANDS,
    INSPECTION_LEFT_OUT,
    INSPECTION_REGISTER_SOURCE,
    NARRATIVE_SECTIONS,
    NARRATIVE_SOURCE,
    PENALTY_COLUMNS,
    PENALTY_SEVERITY_SOURCE,
    PenaltyTable,
    inspection_counts,
    inspection_frequency_band,
    inspection_same_visit,
    inspection_total,
    narrative_problems,
    penalty_amount_fen,
    penalty_column,
    penalty_table_from_counts,
    penalty_tables_sum,
)
from sanxiang.procedure.catalog import procedure_spec, procedures_all
from sanxiang.procedure.citations import EVIDENCE_PRESERVATION
from sanxiang.procedure.enforcement.snapshot import EnforcementCaseSnapshot
from sanxiang.procedure.expropriation.rules import expropriation_annual_acts
from sanxiang.procedure.other_acts.rules import ANNUAL_KINDS as OTHER_ACT_ANNUAL_KINDS
from sanxiang.procedure.other_acts.rules import COUNTING_BASIS as OTHER_ACT_COUNTING_BASIS
from sanxiang.procedure.other_acts.rules import KINDS as OTHER_ACT_KINDS
from sanxiang.procedure.other_acts.rules import other_act_annual_acts
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.permit.annual import (
    PERMIT_ROWS,
    TOTAL_PARAMETER,
    annual_permit_rows,
    annual_permit_total,
    permit_actions,
)
from sanxiang.procedure.permit.rules import PermitSnapshot
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.public_events import InspectedTimes, inspection_annual_provided
from sanxiang.publication.models import AnnualAct, AnnualNarrative, AnnualReport, PublicAgency
from sanxiang.publication.permissions import user_can_publish
from sanxiang.registry.models import Agency, AgencyStatus, Matter

# The categories this platform counts from its records; the others are 0 until it records them.
RECORDED_CATEGORIES = ("permit", "penalty", "coercion", "levy", "requisition", "inspection")
NOT_RECORDED_NOTES: dict[str, str] = {
}
RECORDED_NOTES = {
    "permit": "行政许可：按本平台办理的行政许可案件计数，申请、受理、不予受理、准予许可、不予许可、变更、延续（含逾期未决定视为准予延续的，"
    "按原有效期届满之日计）、不予延续、撤回、撤销、注销各按其日期在本年度内的计数；行政许可数据为{total}之和（平台规则，待核实）。未在本平台办理的许可未计入，请核对本机关许可办理系统的数据。",
    "penalty": "行政处罚：按决定日期在本年度内的普通程序和简易程序行政处罚决定计数，一份决定给予多种处罚的按最重的种类计一次；"
    "不予行政处罚、移送司法机关的不计入。罚没金额按决定书载明的罚款数额和能够确定金额的没收数额合计，以万元为单位。",
    "coercion": "行政强制：查封、扣押、冻结按实施之日，强制执行决定、代履行决定按作出之日，申请人民法院强制执行按申请之日，"
    "在本年度内的计数，各分项之和为行政强制数据；"
    f"先行登记保存是证据保全措施（{EVIDENCE_PRESERVATION}），不属于行政强制措施，未计入。",
    "levy": "行政征收：按决定日期在本年度内的征收决定计数（本平台登记的行政征收征用案件）；"
    "未在本平台办理的行政征收（如行政事业性收费、政府性基金的征收）未计入，请核对。",
    "requisition": "行政征用：按决定日期在本年度内的征用决定计数（本平台登记的行政征收征用案件）；"
    "未在本平台办理的行政征用未计入，请核对。",
    "inspection": "行政检查：按本年度内案件调查中实施的、有具体检查对象（案件当事人）并制作了现场检查笔录的现场检查，"
    "加上行政检查模块登记的、有具体检查对象（检查对象名录库中的企业）并有完整检查记录（现场检查笔录及检查表或者非现场检查记录，"
    "并已告知检查结果）的检查，按告知结果之日所在年度计数；检查中发现违法而立案的，案件中同日的现场检查与该次检查只计1次。"
    "未在本平台记录的检查未计入，请核对。",
}
COERCION_POWERS_NOTE = (
    "行政强制分项的职权按本机关权责清单中行政强制事项的名称认定（名称含查封、扣押、冻结的，具有相应措施的职权；"
    "名称均未写明措施的，按查封、扣押认定），本机关强制执行和代履行的职权按相关事项名称或者登记强制执行案件时"
    "选择的强制执行权认定；没有该项职权的以“—”表示。请核对。"
)

# The compulsory procedures (procedure.catalog keys) and the words of a 行政强制 matter's name that
# give a power (a platform reading of the 权责清单: the registry keeps no finer kind).
MEASURE_PROCEDURES = ("seal_seizure", "freeze")
ENFORCEMENT_PROCEDURE = "enforcement"
MEASURE_WORDS = {"seal_up": "查封", "seizure": "扣押", "freeze": "冻结"}
EXECUTION_WORDS = ("强制执行", "强制拆除", "划拨", "拍卖")
SUBSTITUTE_WORD = "代履行"
PERMISSION_MESSAGE = "只有本机关负责人、单位管理员或者系统管理员可以发布本机关的年度行政执法数据"
NARRATIVE_PERMISSION_MESSAGE = "只有本机关负责人、单位管理员或者系统管理员可以提交本机关的年度行政执法情况说明"




def _in_year(day: dt.date | None, year: int) -> bool:
    return day is not None and day.year == year


# --- the acts counted, per case (the projection "publication.annual") -------------------------------

# The marker row of an enforcement case in which the agency declared it may execute by itself.
EXECUTION_POWER_DECLARED = "execution_power"
PENALTY_PROCEDURES = tuple(key for key, spec in procedures_all().items() if spec.act_kind == "penalty")
COERCION_PROCEDURES = (*MEASURE_PROCEDURES, ENFORCEMENT_PROCEDURE)
PERMIT_PROCEDURE = "permit"
# The kind of an AnnualAct of a licence case: "permit_" and the row (permit_granted …).
PERMIT_KIND_PREFIX = "permit_"
# 行政征收征用 (levy, requisition) and the other acts (行政给付、确认、奖励、裁决 …, a row each, outside
# the six categories): counted by their decisions (procedure.expropriation / other_acts rules).
DECISION_COUNTED = {"expropriation": expropriation_annual_acts, "other_act": other_act_annual_acts}
COUNTED_PROCEDURES = (*PENALTY_PROCEDURES, *COERCION_PROCEDURES, *DECISION_COUNTED, PERMIT_PROCEDURE)
OTHER_ACT_ROWS = {row: OTHER_ACT_KINDS[kind] for kind, row in OTHER_ACT_ANNUAL_KINDS.items()}
OTHER_ACT_NOTE = (
    "其他行政行为（行政给付、确认、奖励、裁决等）不属于上述六类，按决定日期在本年度内办结的件数分别统计"
    f"（{OTHER_ACT_COUNTING_BASIS}）。"
)
PENALTY_NAMES = ("decided_on", "decision", "investigative_acts")


def _names_of(procedure: str) -> tuple[str, ...]:
    if procedure in PENALTY_PROCEDURES:
        return PENALTY_NAMES
    return tuple(procedure_spec(procedure).fact_fields)


class Counted(NamedTuple):
    """One act the annual data counts: its kind and day; for a penalty decision, the column of the
    行政处罚 table (its heaviest kind) and its 罚没金额 in 分."""

    kind: str
    on: dt.date | None
    penalty_column: str = ""
    amount_fen: int = 0


def annual_acts_of(*, procedure: str, state: str, facts: dict[str, Any], object_specified: bool = True) -> list[Counted]:
    """The acts of one case that the annual data counts, from its facts typed by its procedure
    (`facts`: at least the names `case_stored_values` is asked for). Every year's figures are
    counts of these rows (see AnnualAct); the marker EXECUTION_POWER_DECLARED has no day.

    An inspection counts only with a specific object and a complete record
    (procedure.annual_counting.inspection_counts): the object of a case's inspection is its party
    (`object_specified`: the case names one), its record the 现场检查笔录 made and signed."""
    if procedure in PENALTY_PROCEDURES:
        acts: list[Counted] = []
        decision = facts["decision"]
        if facts["decided_on"] is not None and decision is not None and decision.outcome == "penalty":
            terms = decision.penalty
            if terms is not None and terms.kinds:
                acts.append(Counted("penalty", facts["decided_on"], penalty_column(terms.kinds), penalty_amount_fen(terms)))
            else:
                acts.append(Counted("penalty", facts["decided_on"], "other", 0))
        acts += [
            Counted("inspection", act.on)
            for act in facts["investigative_acts"]
            if act.kind == "inspection" and act.on is not None
            and inspection_counts(object_specified=object_specified, record_complete=act.record_made)
        ]
        return acts
    if procedure in DECISION_COUNTED:
        snapshot = procedure_spec(procedure).snapshot_type(state=state, records=frozenset(), **facts)
        return [Counted(kind, on) for kind, on in DECISION_COUNTED[procedure](snapshot)]
    if procedure in COERCION_PROCEDURES:
        snapshot = procedure_spec(procedure).snapshot_type(state=state, **facts)
        if isinstance(snapshot, EnforcementCaseSnapshot):
            acts = [Counted(action.kind, action.on) for action in coercion_actions_of_enforcement(snapshot)]
            if snapshot.execution_power:
                acts.append(Counted(EXECUTION_POWER_DECLARED, None))
            return acts
        return [Counted(action.kind, action.on) for action in coercion_actions_of_measure(snapshot)]
    if procedure == PERMIT_PROCEDURE:
        snapshot = PermitSnapshot(state=state, records=frozenset(), **facts)
        return [Counted(PERMIT_KIND_PREFIX + action.kind, action.on) for action in permit_actions(snapshot)]
    return []


def annual_acts_of_stored(*, procedure: str, state: str, stored: dict[str, Any], object_specified: bool = True) -> list[Counted]:
    """`annual_acts_of` from a case's stored facts (the JSON of `Case.facts`)."""
    if procedure not in COUNTED_PROCEDURES:
        return []
    spec = procedure_spec(procedure)
    fact_fields = spec.fact_fields  # a property computed afresh each time it is read
    facts = {name: facts_field_load(spec.snapshot_type, name, stored) for name in _names_of(procedure)
             if name in fact_fields}
    return annual_acts_of(procedure=procedure, state=state, facts=facts, object_specified=object_specified)


def _acts_key(acts) -> list[tuple[str, str, str, int]]:
    return sorted((a.kind, a.on.isoformat() if a.on else "", a.penalty_column, a.amount_fen) for a in acts)


def annual_case_refresh(*, case: Case) -> bool:
    """Store the acts of `case` as its facts now say (in the caller's transaction); True when
    they changed. One query when nothing changed, none for a procedure that counts nothing."""
    return annual_cases_refresh(cases=[case]) == 1


def annual_cases_refresh(*, cases: list[Case]) -> int:
    """`annual_case_refresh` for many cases in a few queries (the stored acts of all read at once,
    those that changed deleted at once, the new ones written in bulk): for rows written in bulk,
    which no save signal follows. Returns the number of cases whose acts changed."""
    counted = [c for c in cases if c.procedure in COUNTED_PROCEDURES]
    if not counted:
        return 0
    stored: dict[int, list] = {}
    for row in AnnualAct.objects.filter(case_id__in=[c.pk for c in counted]).values_list(
        "case_id", "kind", "on", "penalty_column", "amount_fen", "agency_id"
    ):
        stored.setdefault(row[0], []).append(row[1:])
    changed: list[Case] = []
    rows: list[AnnualAct] = []
    for case in counted:
        acts = annual_acts_of_stored(procedure=case.procedure, state=case.state, stored=case.facts,
                                     object_specified=case.party_id is not None)
        before = stored.get(case.pk, [])
        if _acts_key(acts) == _acts_key(Counted(*row[:4]) for row in before) and all(
            row[4] == case.agency_id for row in before
        ):
            continue
        changed.append(case)
        rows += [AnnualAct(case_id=case.pk, agency_id=case.agency_id, procedure=case.procedure, kind=a.kind, on=a.on,
                           penalty_column=a.penalty_column, amount_fen=a.amount_fen) for a in acts]
    if changed:
        AnnualAct.objects.filter(case_id__in=[c.pk for c in changed if c.pk in stored]).delete()
        AnnualAct.objects.bulk_create(rows, batch_size=2000)
    return len(changed)


def _cases_counted():
    return (
        Case.objects.filter(procedure__in=COUNTED_PROCEDURES)
        .order_by("pk")
        .values_list("pk", "agency_id", "procedure", "state", "facts", "party_id")
    )


def annual_projection_check() -> list[str]:
    """The differences between the stored acts and a recomputation from every counted case's
    facts, one line per case that differs (and per row of a case that no longer counts)."""
    stored: dict[int, list] = {}
    for case_id, agency_id, procedure, kind, on, column, fen in AnnualAct.objects.order_by("pk").values_list(
        "case_id", "agency_id", "procedure", "kind", "on", "penalty_column", "amount_fen"
    ).iterator(chunk_size=5000):
        stored.setdefault(case_id, []).append((agency_id, procedure, kind, on.isoformat() if on else "", column, fen))
    found = []
    for case_id, agency_id, procedure, state, facts, party_id in _cases_counted().iterator(chunk_size=2000):
        acts = annual_acts_of_stored(procedure=procedure, state=state, stored=facts, object_specified=party_id is not None)
        expected = sorted(
            (agency_id, procedure, a.kind, a.on.isoformat() if a.on else "", a.penalty_column, a.amount_fen) for a in acts
        )
        actual = sorted(stored.pop(case_id, []))
        if expected != actual:
            found.append(f"案件{case_id}：年度数据计数项 存储 {actual}，重算 {expected}")
    for case_id, rows in sorted(stored.items()):
        found.append(f"案件{case_id}：年度数据计数项 存储 {len(rows)} 行，但该案件不计入年度数据")
    return found


@transaction.atomic
def annual_projection_rebuild() -> int:
    """Recompute every case's acts from its facts and store them; the number of rows written."""
    AnnualAct.objects.all().delete()
    batch: list[AnnualAct] = []
    written = 0
    for case_id, agency_id, procedure, state, facts, party_id in _cases_counted().iterator(chunk_size=2000):
        batch += [
            AnnualAct(case_id=case_id, agency_id=agency_id, procedure=procedure, kind=a.kind, on=a.on,
                      penalty_column=a.penalty_column, amount_fen=a.amount_fen)
            for a in annual_acts_of_stored(procedure=procedure, state=state, stored=facts,
                                           object_specified=party_id is not None)
        ]
        if len(batch) >= 2000:
            AnnualAct.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    AnnualAct.objects.bulk_create(batch)
    return written + len(batch)


def annual_projection_rebuild_if_empty() -> int | None:
    """After migrate: fill the projection of a database that has counted cases but no stored
    acts yet (a database made before the projection existed), or whose penalty rows have no
    column of the 行政处罚 table yet (stored before the table was counted). None when nothing was
    to do."""
    if AnnualAct.objects.filter(kind="penalty", penalty_column="").exists():
        return annual_projection_rebuild()
    if AnnualAct.objects.exists() or not Case.objects.filter(procedure__in=COUNTED_PROCEDURES).exclude(
        state="lead"
    ).exists():
        return None
    return annual_projection_rebuild()


# --- the figures of a year --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualFigures:
    """What an agency's year counts: acts per kind ("penalty", "inspection", the rows of
    COERCION_ROWS; a kind without acts is absent), whether it declared the execution power, and
    the 行政处罚 table (column → (decisions, 罚没金额 in 分); a column without decisions is absent)."""

    counted: dict[str, int]
    execution_declared: bool
    penalty: dict[str, tuple[int, int]]

    @property
    def penalty_table(self) -> PenaltyTable:
        return penalty_table_from_counts(self.penalty)


def _year_filter(year: int) -> Q:
    return Q(on__gte=dt.date(year, 1, 1), on__lte=dt.date(year, 12, 31))


def annual_figures(*, agency: Agency, year: int) -> AnnualFigures:
    """The year's figures from the stored acts: one GROUP BY over indexed columns, whatever the
    number of cases."""
    rows = (
        AnnualAct.objects.filter(agency_id=agency.pk)
        .filter(_year_filter(year) | Q(kind=EXECUTION_POWER_DECLARED))
        .values("kind", "penalty_column")
        .annotate(n=Count("id"), fen=Sum("amount_fen"))
        .order_by()
    )
    counted: dict[str, int] = {}
    penalty: dict[str, tuple[int, int]] = {}
    for row in rows:
        counted[row["kind"]] = counted.get(row["kind"], 0) + row["n"]
        if row["kind"] == "penalty":
            penalty[row["penalty_column"]] = (row["n"], row["fen"] or 0)
    declared = counted.pop(EXECUTION_POWER_DECLARED, 0) > 0
    return AnnualFigures(counted=counted, execution_declared=declared, penalty=penalty)


def annual_figures_recomputed(*, agency: Agency, year: int) -> AnnualFigures:
    """The same figures recomputed from every case's facts (the computation before the projection,
    kept to check it): the agency's counted cases read in one query, in Python."""
    counted: dict[str, int] = {}
    penalty: dict[str, tuple[int, int]] = {}
    declared = False
    cases = Case.objects.filter(agency_id=agency.pk, procedure__in=COUNTED_PROCEDURES).order_by("pk")
    for procedure, state, stored, party_id in cases.values_list("procedure", "state", "facts", "party_id").iterator():
        for act in annual_acts_of_stored(procedure=procedure, state=state, stored=stored,
                                         object_specified=party_id is not None):
            if act.kind == EXECUTION_POWER_DECLARED:
                declared = True
            elif _in_year(act.on, year):
                counted[act.kind] = counted.get(act.kind, 0) + 1
                if act.kind == "penalty":
                    n, fen = penalty.get(act.penalty_column, (0, 0))
                    penalty[act.penalty_column] = (n + 1, fen + act.amount_fen)
    return AnnualFigures(counted=counted, execution_declared=declared, penalty=penalty)


@dataclass(frozen=True)
class CountedRecord:
    """A record behind a figure: the case and the act counted."""

    case_id: int
    case_number: str
    case_title: str
    kind: str
    on: dt.date
    penalty_column: str
    amount_fen: int
    # The act counted (the last key of COUNTED_RECORDS_ORDER, for a cursor after this record).
    id: int = 0
    # The case's title left out: a supervisor reads it only under a read grant (annual_selectors).
    title_withheld: bool = False


# The order in which the records behind a figure are listed (the last key unique, for a cursor).
COUNTED_RECORDS_ORDER = ("kind", "penalty_column", "on", "case_id", "id")


def annual_counted_acts(*, agency: Agency, year: int, kinds: tuple[str, ...]) -> QuerySet[AnnualAct]:
    """The stored acts behind the year's figures of `kinds`, unordered (the caller orders or counts)."""
    return AnnualAct.objects.filter(agency_id=agency.pk, kind__in=kinds).filter(_year_filter(year))


def counted_record_of(act: AnnualAct) -> CountedRecord:
    """An act read with its case (select_related("case")) as the record behind its figure."""
    return CountedRecord(act.case_id, act.case.number, act.case.title, act.kind, act.on, act.penalty_column,
                         act.amount_fen, act.pk)


def annual_counted_records(*, agency: Agency, year: int, kinds: tuple[str, ...] = ("penalty", "inspection"),
                           offset: int = 0, limit: int | None = None) -> list[CountedRecord]:
    """The acts behind the year's 行政处罚 and 行政检查 figures (or `kinds`), with their cases, in
    COUNTED_RECORDS_ORDER: one query; `offset` and `limit` take a slice of them."""
    rows = (
        annual_counted_acts(agency=agency, year=year, kinds=kinds)
        .order_by(*COUNTED_RECORDS_ORDER)
        .values_list("case_id", "case__number", "case__title", "kind", "on", "penalty_column", "amount_fen", "id")
    )
    rows = rows[offset:] if limit is None else rows[offset:offset + limit]
    return [CountedRecord(*row) for row in rows]


@dataclass(frozen=True)
class CountyPenaltyRow:
    agency_id: int
    agency_name: str
    table: PenaltyTable


def annual_county_penalty_table(*, agencies, year: int) -> tuple[list[CountyPenaltyRow], PenaltyTable]:
    """The 行政处罚 table of several agencies for `year`: one row per agency (in the order given)
    and the county's row, the sum of theirs. One GROUP BY over indexed columns."""
    agencies = list(agencies)
    rows = (
        AnnualAct.objects.filter(agency_id__in=[a.pk for a in agencies], kind="penalty")
        .filter(_year_filter(year))
        .values("agency_id", "penalty_column")
        .annotate(n=Count("id"), fen=Sum("amount_fen"))
        .order_by()
    )
    counted: dict[int, dict[str, tuple[int, int]]] = {}
    for row in rows:
        counted.setdefault(row["agency_id"], {})[row["penalty_column"]] = (row["n"], row["fen"] or 0)
    lines = [CountyPenaltyRow(a.pk, a.name, penalty_table_from_counts(counted.get(a.pk, {}))) for a in agencies]
    return lines, penalty_tables_sum(line.table for line in lines)


@dataclass(frozen=True)
class InspectionLine:
    """An agency's 行政检查 of the year: recorded in cases, counted in the register, the visits in
    both (counted once), the figure, the register's inspections left out by reason, the
    enterprises per frequency band and the most inspected ones."""

    agency_id: int
    agency_name: str
    in_cases: int
    in_register: int
    same_visit: int
    left_out: dict[str, int]
    bands: dict[int, int]
    top: tuple[InspectedTimes, ...]

    @property
    def total(self) -> int:
        return inspection_total(in_cases=self.in_cases, in_register=self.in_register, same_visit=self.same_visit)

    @property
    def enterprises(self) -> int:
        return sum(self.bands.values())

    @property
    def left_out_total(self) -> int:
        return sum(self.left_out.values())


def annual_inspection_lines(*, agencies, year: int, in_cases: dict[int, int] | None = None, top: bool = False
                            ) -> list[InspectionLine]:
    """The 行政检查 of several agencies for `year`, one line per agency in the order given, in a
    bounded number of queries whatever the number of inspections: the cases' inspections grouped
    per agency (one query, skipped when `in_cases` is given), the register's figures (the
    inspection app, four queries at most), and the case inspections that are a register inspection
    recorded again (one query)."""
    agencies = list(agencies)
    ids = [a.pk for a in agencies]
    if not ids:
        return []
    if in_cases is None:
        in_cases = {row["agency_id"]: row["n"] for row in (
            AnnualAct.objects.filter(agency_id__in=ids, kind="inspection").filter(_year_filter(year))
            .values("agency_id").annotate(n=Count("id")).order_by())}
    register = inspection_annual_provided(agency_ids=ids, year=year, top=top)
    visits = {(figures.agency_id, case_id, on) for figures in register.values() for case_id, on in figures.case_visits}
    same: dict[int, int] = {}
    if visits:
        recorded: dict[tuple[int, int], set[dt.date]] = {}
        for agency_id, case_id, day in (
            AnnualAct.objects.filter(agency_id__in=ids, kind="inspection", case_id__in={v[1] for v in visits})
            .filter(_year_filter(year)).values_list("agency_id", "case_id", "on")
        ):
            recorded.setdefault((agency_id, case_id), set()).add(day)
        for agency_id, case_id, on in visits:
            if any(inspection_same_visit(inspection_on=on, case_act_on=day)
                   for day in recorded.get((agency_id, case_id), ())):
                same[agency_id] = same.get(agency_id, 0) + 1
    return [
        InspectionLine(
            agency_id=a.pk, agency_name=a.name, in_cases=in_cases.get(a.pk, 0), in_register=register[a.pk].counted,
            same_visit=same.get(a.pk, 0), left_out=dict(register[a.pk].left_out or {}),
            bands=dict(register[a.pk].bands or dict.fromkeys(INSPECTION_FREQUENCY_BANDS, 0)), top=register[a.pk].top,
        )
        for a in agencies
    ]


def annual_coercion_powers_read(*, agency: Agency, matter_kinds, execution_declared: bool = False) -> frozenset[str]:
    """The 行政强制 rows the agency has power in, read from its catalogue (a platform rule: see the
    module's docstring and COERCION_POWERS_NOTE)."""
    names = list(Matter.objects.filter(agency=agency, is_active=True, kind="coercion").values_list("name", flat=True))
    measures = [key for key, word in MEASURE_WORDS.items() if any(word in name for name in names)]
    named_execution = any(word in name for name in names for word in EXECUTION_WORDS)
    return annual_coercion_powers(
        matter_kinds=matter_kinds,
        measures=measures or ("seal_up", "seizure"),
        execution_power=execution_declared or named_execution,
        substitute_power=True if any(SUBSTITUTE_WORD in name for name in names) else None,
    )


def annual_powers(*, agency: Agency) -> list[str]:
    """The kinds of the agency's enforcement matters in force (its 权责清单)."""
    return sorted(set(Matter.objects.filter(agency=agency, is_active=True).values_list("kind", flat=True)))


def annual_report_generate(*, agency: Agency, year: int, recompute: bool = False) -> dict[str, Any]:
    """The agency's figures for `year`, with what they mean: for the person who checks them
    before publishing. Nothing is written. The figures are counted from the stored acts
    (`annual_figures`); `recompute` counts them from the cases' facts instead (to check them).

    Returns {"agency_id", "agency_name", "year", "counts" (category → int or None), "rows" (one
    per category: key, label, value, has_power, recorded), "coercion_rows" (row → int or None, the
    rows of 行政强制), "coercion_lines" (one per row: key, label, value, has_power), "notes",
    "due_on", "basis", "coercion_basis"}."""
    powers = annual_powers(agency=agency)
    figures = (annual_figures_recomputed if recompute else annual_figures)(agency=agency, year=year)
    declared = figures.execution_declared
    counted = {key: figures.counted.get(key, 0) for key in ("penalty", "inspection", "levy", "requisition")}
    inspection = annual_inspection_lines(agencies=[agency], year=year, in_cases={agency.pk: counted["inspection"]},
                                         top=True)[0]
    counted["inspection"] = inspection.total
    coercion_counted = {key: figures.counted.get(key, 0) for key in COERCION_ROWS}
    coercion_powers = annual_coercion_powers_read(agency=agency, matter_kinds=powers, execution_declared=declared)
    coercion = annual_coercion_rows(powers=coercion_powers, counted=coercion_counted)
    counted["coercion"] = annual_coercion_total(coercion) or 0
    held = annual_categories_of(powers)
    permit_total_rows = parameters_default().value(TOTAL_PARAMETER, on=dt.date(year, 12, 31), region=agency.region_code)
    permit = annual_permit_rows(
        has_power="permit" in held,
        counted={key: figures.counted.get(PERMIT_KIND_PREFIX + key, 0) for key in PERMIT_ROWS},
    )
    counted["permit"] = annual_permit_total(permit, total_rows=permit_total_rows) or 0
    counts = annual_counts(powers=powers, counted=counted)
    table = figures.penalty_table if counts["penalty"] is not None else None
    total_labels = "、".join(PERMIT_ROWS[key] for key in permit_total_rows)
    notes = [RECORDED_NOTES[key].format(total=total_labels) for key in RECORDED_CATEGORIES if counts[key] is not None]
    if counts["coercion"] is not None:
        notes.append(COERCION_POWERS_NOTE)
    notes += [note for key, note in NOT_RECORDED_NOTES.items() if key in held]
    for key in annual_coercion_row_gaps(powers=coercion_powers, counted=coercion_counted):
        notes.append(
            f"按本机关权责清单认定本机关没有{COERCION_ROWS[key]}的职权，但本年度有{coercion[key]}件，已如实填列；请核对权责清单。"
        )
    for key in annual_catalogue_gaps(powers=powers, counted=counted):
        notes.append(
            f"本机关权责清单中没有{ANNUAL_CATEGORIES[key]}事项，但本年度有{counted[key]}件{ANNUAL_CATEGORIES[key]}，"
            "已如实填列；请核对权责清单。"
        )
    for key, label in INSPECTION_LEFT_OUT.items():
        if inspection.left_out.get(key):
            notes.append(f"行政检查模块登记的检查中有{inspection.left_out[key]}次未计入：{label}。")
    if not held:
        notes.append("本机关尚未登记执法事项（权责清单），无法判断具有哪些执法职权；请先登记执法事项。")
    return {
        "agency_id": agency.pk,
        "agency_name": agency.name,
        "year": year,
        "counts": counts,
        "rows": [
            {
                "key": key,
                "label": label,
                "value": counts[key],
                "has_power": key in held,
                "recorded": key in RECORDED_CATEGORIES,
            }
            for key, label in ANNUAL_CATEGORIES.items()
        ],
        "coercion_rows": coercion,
        "permit_rows": permit,
        "permit_lines": [{"key": key, "label": label, "value": permit[key], "in_total": key in permit_total_rows}
                         for key, label in PERMIT_ROWS.items()],
        "coercion_lines": [
            {"key": key, "label": label, "value": coercion[key], "has_power": key in coercion_powers}
            for key, label in COERCION_ROWS.items()
        ],
        # The other acts, outside the six categories: what the platform recorded (no power to judge).
        "other_act_lines": [
            {"key": row, "label": label, "value": figures.counted.get(row, 0)} for row, label in OTHER_ACT_ROWS.items()
        ],
        "other_act_basis": OTHER_ACT_NOTE,
        "penalty_table": table,
        "penalty_lines": [
            {"key": key, "label": label, "value": table.columns[key]} for key, label in PENALTY_COLUMNS.items()
        ] if table is not None else [],
        "notes": notes,
        "due_on": annual_report_due(year),
        "basis": ANNUAL_REPORT_BASIS,
        "coercion_basis": COERCION_ROWS_BASIS,
        "penalty_basis": f"{PENALTY_SEVERITY_SOURCE}。{AMOUNT_SOURCE}。",
        "inspection_basis": INSPECTION_REGISTER_SOURCE,
        "inspection": inspection,
        "inspection_left_out": [{"key": key, "label": label, "value": inspection.left_out.get(key, 0)}
                                for key, label in INSPECTION_LEFT_OUT.items()],
        "inspection_top": [{"name": t.name, "times": t.times, "band": inspection_frequency_band(t.times)}
                           for t in inspection.top],
        "inspection_bands": [{"band": band, "label": label, "value": inspection.bands.get(band, 0)}
                             for band, label in INSPECTION_FREQUENCY_BANDS.items()],
    }


def _refused(code: str, message: str, field: str | None = None) -> Refused:
    return Refused([Violation(f"annual_report.{code}", message, ANNUAL_REPORT_BASIS, field)])


@transaction.atomic
def annual_report_publish(*, actor: User | None, agency: Agency, year: int) -> AnnualReport:
    """Publish (or publish again) the agency's figures for a finished year.

    Publishing again replaces the figures in the public table (one report per agency and year)
    and appends a new ledger entry that records the figures it replaced, so every version that
    was ever public can be traced. `actor` is None only for work on the server's command line."""
    if actor is not None:
        permission_require(user_can_publish(actor, agency.pk), PERMISSION_MESSAGE)
    today = timezone.localdate()
    if year >= today.year:
        raise _refused("year_not_over", f"{year}年度尚未结束，不能发布该年度的行政执法数据", "year")
    # The public agency row is the lock: two publications of one year never race.
    public = PublicAgency.objects.select_for_update().filter(source_id=agency.pk).first()
    if public is None:
        raise _refused(
            "no_public_agency",
            f"“{agency.name}”尚未在公示平台公开执法主体信息，不能发布年度数据。"
            "请先由系统管理员更新公开的执法主体信息，再发布。",
            "agency",
        )
    generated = annual_report_generate(agency=agency, year=year)
    counts = generated["counts"]
    rows = generated["coercion_rows"]
    permit_rows = generated["permit_rows"]
    other_act_rows = {line["key"]: line["value"] for line in generated["other_act_lines"]}
    table = generated["penalty_table"]
    penalty_rows = table.as_public() if table is not None else {}
    narrative = annual_narrative_of(agency=agency, year=year)
    sections = dict(narrative.sections) if narrative is not None else {}
    now = timezone.now()
    report = AnnualReport.objects.select_for_update().filter(agency=public, year=year).first()
    replaced = replaced_rows = replaced_penalty = replaced_narrative = replaced_permit = replaced_other = None
    if report is None:
        report = AnnualReport.objects.create(agency=public, year=year, counts=counts, coercion_rows=rows,
                                             penalty_rows=penalty_rows, permit_rows=permit_rows,
                                             other_act_rows=other_act_rows, narrative=sections, published_at=now)
    else:
        replaced, replaced_rows = report.counts, report.coercion_rows
        replaced_penalty, replaced_narrative = report.penalty_rows, report.narrative
        replaced_permit, replaced_other = report.permit_rows, report.other_act_rows
        report.counts = counts
        report.coercion_rows = rows
        report.penalty_rows = penalty_rows
        report.permit_rows = permit_rows
        report.other_act_rows = other_act_rows
        report.narrative = sections
        report.published_at = now
        report.save(update_fields=["counts", "coercion_rows", "penalty_rows", "permit_rows", "other_act_rows",
                                   "narrative", "published_at"])
    entry_append(
        event=LedgerEvent(
            EventKind.ANNUAL_REPORT_PUBLISHED,
            {
                "year": year,
                "counts": counts,
                "replaced": replaced,
                "coercion_rows": rows,
                "replaced_coercion_rows": replaced_rows,
                "penalty_rows": penalty_rows,
                "replaced_penalty_rows": replaced_penalty,
                "permit_rows": permit_rows,
                "replaced_permit_rows": replaced_permit,
                "other_act_rows": other_act_rows,
                "replaced_other_act_rows": replaced_other,
                "narrative": sections,
                "replaced_narrative": replaced_narrative,
                "public_agency": public.pk,
                "due_on": generated["due_on"].isoformat(),
                "on_time": not annual_report_overdue(year, on=today),
            },
            agency_id=agency.pk,
            subject=f"annual-report:{agency.pk}:{year}",
        ),
        actor=actor,
    )
    return report


# --- 行政执法情况说明 (the narrative) -------------------------------------------------------------


def annual_narrative_of(*, agency: Agency, year: int) -> AnnualNarrative | None:
    return AnnualNarrative.objects.filter(agency_id=agency.pk, year=year).first()


def annual_reports_published_agencies(*, year: int) -> set[int]:
    """The agencies (registry ids) whose report for `year` is public."""
    return set(AnnualReport.objects.filter(year=year).values_list("agency__source_id", flat=True))


def annual_narratives_submitted(*, year: int) -> set[int]:
    """The agencies (ids) that have submitted their narrative for `year`."""
    return set(AnnualNarrative.objects.filter(year=year).values_list("agency_id", flat=True))


@transaction.atomic
def annual_narrative_submit(*, actor: User | None, agency: Agency, year: int, sections: dict[str, str]) -> AnnualNarrative:
    """Submit (or submit again) the agency's 行政执法情况说明 for `year`, every section written.
    The ledger entry keeps the text submitted and the text it replaced; the public sees it when
    the year's report is published (again). Refused with every reason: a section left empty or
    too long, a year not yet begun."""
    if actor is not None:
        permission_require(user_can_publish(actor, agency.pk), NARRATIVE_PERMISSION_MESSAGE)
    unknown = set(sections) - set(NARRATIVE_SECTIONS)
    if unknown:
        raise ValueError(f"unknown narrative sections: {sorted(unknown)}")
    sections = {key: (sections.get(key) or "").strip() for key in NARRATIVE_SECTIONS}
    violations = [
        Violation(f"annual_narrative.{key}", message, NARRATIVE_SOURCE, key)
        for key, message in narrative_problems(sections).items()
    ]
    if year > timezone.localdate().year:
        violations.append(Violation("annual_narrative.year", f"{year}年度尚未开始，不能提交该年度的情况说明",
                                    NARRATIVE_SOURCE, "year"))
    if violations:
        raise Refused(violations)
    narrative = AnnualNarrative.objects.select_for_update().filter(agency_id=agency.pk, year=year).first()
    replaced = None
    now = timezone.now()
    if narrative is None:
        narrative = AnnualNarrative.objects.create(agency=agency, year=year, sections=sections, submitted_at=now,
                                                   submitted_by=actor)
    else:
        replaced = narrative.sections
        narrative.sections, narrative.submitted_at, narrative.submitted_by = sections, now, actor
        narrative.save(update_fields=["sections", "submitted_at", "submitted_by"])
    entry_append(
        event=LedgerEvent(
            EventKind.ANNUAL_NARRATIVE_SUBMITTED,
            {"year": year, "sections": sections, "replaced": replaced},
            agency_id=agency.pk,
            subject=f"annual-narrative:{agency.pk}:{year}",
        ),
        actor=actor,
    )
    return narrative


def annual_report_published(*, agency: Agency, year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(agency__source_id=agency.pk, year=year).first()


@dataclass(frozen=True)
class AnnualReportMissing:
    """An agency whose previous year's report is not public although its due date has passed."""

    agency_id: int
    agency_name: str
    year: int
    due_on: dt.date
    days_overdue: int
    # Without a public agency row the agency cannot publish until the public registry is refreshed.
    has_public_agency: bool


def annual_reports_missing(*, on: dt.date, lookup: dict[str, str] | None = None) -> list[AnnualReportMissing]:
    """The alert: on day `on`, every agency in existence during the previous year (and not
    dissolved) that has not published that year's report although 31 January has passed. Empty
    up to and including 31 January. `lookup`: the filter of the agencies a reader may see
    (accounts.permissions.county_lookup); None: every agency (the server's commands)."""
    year = on.year - 1
    due = annual_report_due(year)
    if not annual_report_overdue(year, on=on):
        return []
    published = set(AnnualReport.objects.filter(year=year).values_list("agency__source_id", flat=True))
    public = set(PublicAgency.objects.values_list("source_id", flat=True))
    agencies = (
        Agency.objects.exclude(status=AgencyStatus.DISSOLVED)
        .filter(created_at__date__lte=dt.date(year, 12, 31), **(lookup or {}))
        .order_by("name")
    )
    return [
        AnnualReportMissing(
            agency_id=agency.pk,
            agency_name=agency.name,
            year=year,
            due_on=due,
            days_overdue=(on - due).days,
            has_public_agency=agency.pk in public,
        )
        for agency in agencies
        if agency.pk not in published
    ]
