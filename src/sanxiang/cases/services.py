"""Writes of cases: registering a case, performing its steps, issuing its documents and
allocating their numbers.

Every change of a case goes through `case_action_perform`, which locks the case row, applies the
step's form to the engine's snapshot, lets the engine decide (raising `Refused` with every
violation), issues the step's documents, persists the state and facts, and appends the ledger
entries, all in one transaction. A refusal therefore leaves nothing behind: no state, no
document, no number, no entry.
"""

import copy
import datetime as dt
import io
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require, user_can_manage_parties
from sanxiang.cases import events, selectors
from sanxiang.cases.facts import facts_dump
from sanxiang.cases.models import Case, CaseProcedure, DocumentCounter, IssuedDocument
from sanxiang.cases.paperwork import CaseInfoIn, Issue, document_context, document_context_builder
from sanxiang.cases.projection import case_projection_refresh_related
from sanxiang.documents import (
    ALL_DOCUMENT_KINDS,
    DocumentContext,
    document_elements_present,
    document_names,
    document_problems,
    document_render,
)
from sanxiang.evidence.services import record_evidence_claim, record_evidence_link
from sanxiang.inputs import PLATFORM_RULE, date_problem, text_problem
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import entry_append, ledger_batch
from sanxiang.procedure.back_entry import (
    PAPER_NUMBER_RULE,
    BackEntry,
    back_entry_case_problems,
    back_entry_document_note,
    back_entry_problems,
    back_entry_worded,
    paper_numbers_problems,
)
from sanxiang.procedure.catalog import (
    ACT_KINDS,
    UnknownProcedure,
    procedure_spec,
    procedures_all,
    step_evaluate,
)
from sanxiang.procedure.citations import MATTER_COMPETENCE, OFFICERS_ACT
from sanxiang.procedure.discretion import EarlierOffence
from sanxiang.procedure.document_timing import document_served_to_party, documents_complete_before_step
from sanxiang.procedure.penalty.review import major_assessment
from sanxiang.procedure.penalty.snapshot import SUMMARY_DECISION_ELEMENTS
from sanxiang.procedure.penalty.steps import BEFORE_DECISION, OUTCOME_DOCUMENTS
from sanxiang.procedure.registry_rules import AgencySnapshot, agency_may_open_cases, case_officers_problems
from sanxiang.procedure.steps import CORRECTION_RULE, Draft, Step
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.discretion_selectors import discretion_benchmark_in_force
from sanxiang.registry.models import Agency, AgencyStatus, Matter, Officer, Party
from sanxiang.registry.services import party_create

DATA = "数据校验"
PENALTY_LAW = "《中华人民共和国行政处罚法》"


# --- numbers ---------------------------------------------------------------------------------------

# What each numbered kind adds to the agency's abbreviation: 乌市监罚决〔2026〕12号.
NUMBER_WORDS = {"case": "立"} | {key: kind.number_word for key, kind in ALL_DOCUMENT_KINDS.items() if kind.number_word}
SECTOR_ABBREVIATIONS = (
    ("市场监督管理", "市监"),
    ("生态环境", "环"),
    ("自然资源", "自然资源"),
    ("综合行政执法", "综执"),
    ("交通运输", "交"),
    ("农牧", "农牧"),
    ("农业农村", "农"),
    ("文化和旅游", "文旅"),
    ("文化旅游", "文旅"),
    ("应急管理", "应急"),
    ("卫生健康", "卫健"),
    ("林业和草原", "林草"),
    ("水利", "水"),
    ("住房和城乡建设", "住建"),
    ("公安", "公"),
    ("税务", "税"),
)


# A 综合行政执法 body of one sector is named by that sector before the words (乌审旗交通运输综合行政执法大队
# → 乌交综执), so that the county's several combined bodies do not share one prefix.
COMBINED = "综合行政执法"
COMBINED_SECTOR_ABBREVIATIONS = (("农牧业", "农牧"), ("文化市场", "文"), ("城市管理", "城管"), *SECTOR_ABBREVIATIONS)


def agency_abbreviation(agency: Agency) -> str:
    """How the agency's documents are numbered: the first character of its banner or county
    and its sector, as 乌审旗市场监督管理局 → 乌市监, 乌审旗交通运输综合行政执法大队 → 乌交综执."""
    region = agency.parent_government.removesuffix("人民政府")
    rest = agency.name.removeprefix(region) if region else agency.name
    sector, combined, _ = rest.partition(COMBINED)
    if combined and sector:
        short = next((s for words, s in COMBINED_SECTOR_ABBREVIATIONS if words in sector), sector[:2])
        return region[:1] + short + "综执"
    for words, short in SECTOR_ABBREVIATIONS:
        if words in rest:
            return region[:1] + short
    return region[:1] + rest[:2]


def document_number_allocate(*, agency: Agency, kind: str, year: int) -> int:
    """The next number of `kind` for the agency and year, inside the caller's transaction.

    The counter row is locked until that transaction ends, so two officers issuing at the same
    moment queue and get consecutive numbers; if the issuing transaction rolls back, so does the
    increment, and the number is given to the next issue: no duplicate and no gap."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("allocate a number inside the transaction that issues it")
    # Create the row if needed without an error when another transaction creates it first.
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(agency=agency, year=year, kind=kind, last=0)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(agency=agency, year=year, kind=kind)
    counter.last += 1
    if kind in ALL_DOCUMENT_KINDS:
        # A number the agency's documents already carry (a paper number back-entered, or one of a
        # series several kinds share) is skipped, not issued twice: one query per run looked ahead.
        while True:
            ahead = [document_number_format(agency=agency, kind=kind, year=year, sequence=counter.last + i)
                     for i in range(NUMBERS_LOOKED_AHEAD)]
            taken = set(IssuedDocument.objects.filter(agency=agency, number__in=ahead).values_list("number", flat=True))
            free = next((i for i, number in enumerate(ahead) if number not in taken), None)
            if free is not None:
                counter.last += free
                break
            counter.last += NUMBERS_LOOKED_AHEAD
    counter.save(update_fields=["last"])
    return counter.last


NUMBERS_LOOKED_AHEAD = 20


def document_number_series(*, agency: Agency) -> dict[str, str]:
    """Each numbered kind's series of the agency: kind → what its numbers print before 〔year〕."""
    abbreviation = agency_abbreviation(agency)
    return {kind: f"{abbreviation}{NUMBER_WORDS.get(kind, '')}" for kind, k in ALL_DOCUMENT_KINDS.items() if k.numbered}


def document_number_reserve(*, agency: Agency, kind: str, number: str) -> None:
    """A number given for a back-entered paper document (procedure.back_entry): when it is of the
    agency's own form for this kind, the counter of its year moves past it, so that no number the
    platform allocates later repeats it (a number of another form cannot repeat one). In the
    caller's transaction, as `document_number_allocate`."""
    prefix = f"{agency_abbreviation(agency)}{NUMBER_WORDS.get(kind, '')}〔"
    matched = re.fullmatch(rf"{re.escape(prefix)}(\d{{4}})〕(\d{{1,9}})号", number)
    if matched is None:
        return
    year, sequence = int(matched.group(1)), int(matched.group(2))
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(agency=agency, year=year, kind=kind, last=0)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(agency=agency, year=year, kind=kind)
    if sequence > counter.last:
        counter.last = sequence
        counter.save(update_fields=["last"])


def document_number_format(*, agency: Agency, kind: str, year: int, sequence: int) -> str:
    return f"{agency_abbreviation(agency)}{NUMBER_WORDS.get(kind, '')}〔{year}〕{sequence}号"


def document_number_next(*, agency: Agency, kind: str, on: dt.date) -> str:
    sequence = document_number_allocate(agency=agency, kind=kind, year=on.year)
    return document_number_format(agency=agency, kind=kind, year=on.year, sequence=sequence)


# --- cases ----------------------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    actor: User | None,
    agency: Agency,
    title: str,
    number: str = "",
    matter: Matter | None = None,
    procedure: str = CaseProcedure.ORDINARY,
    party: Party | None = None,
    officers: list[Officer] | tuple[Officer, ...] = (),
    enforcement_field: str = "",
    act_date: dt.date | None = None,
    discovered_on: dt.date | None = None,
    on: dt.date | None = None,
    options: dict[str, str] | None = None,
    parent: Case | None = None,
    occurred_on: dt.date | None = None,
    back_entry_reason: str = "",
) -> Case:
    """Register a case (案源登记): a lead of the ordinary procedure, or an on-site case of the
    summary procedure. Without a number, the next case number of the agency is allocated.

    `occurred_on` with `back_entry_reason` registers a case handled on paper (补录,
    `procedure.back_entry`): the registration is judged and dated at that day, and its entry keeps
    the day and the reason beside the ledger's own time. `on` is the demo county's replay day."""
    if actor is not None:
        permission_require(user_can_manage_parties(actor, agency.pk), "只有本单位人员可以登记案件")
    if parent is not None:
        # A step of the parent's family (`_case_family_locked`) holds the parent's row from its start
        # and reads its children once: the new child waits for that step to commit.
        list(Case.objects.select_for_update().filter(pk=parent.pk).values_list("pk", flat=True))
    if on is not None and occurred_on is not None:
        raise TypeError("case_create takes a replay day (on) or a back-entry day (occurred_on), not both")
    back_entry_violations = back_entry_problems(occurred_on=occurred_on, reason=back_entry_reason,
                                                recorded_on=timezone.localdate(), previous_on=None)
    back_entry = BackEntry(occurred_on, back_entry_reason.strip()) if occurred_on is not None else None
    on = occurred_on or on or timezone.localdate()
    entruster = agency.entrusting_agency
    violations = agency_may_open_cases(
        AgencySnapshot(
            kind=agency.kind,
            entrusting_agency_kind=entruster.kind if entruster else None,
            entrusting_agency_active=entruster.status == AgencyStatus.ACTIVE if entruster else True,
        ),
        active=agency.status == AgencyStatus.ACTIVE,
    )
    number = number.strip()
    # The forms and the API refuse these first; the service is the last door before the row.
    for name, value, length in (("title", title.strip(), 200), ("number", number, 80), ("enforcement_field", enforcement_field, 60)):
        problem = text_problem(value, max_length=length)
        if problem:
            violations.append(Violation(f"case.{name}_invalid", problem, PLATFORM_RULE, name))
    for name, day in (("act_date", act_date), ("discovered_on", discovered_on)):
        problem = date_problem(day) if day is not None else None
        if problem:
            violations.append(Violation(f"case.{name}_range", problem, PLATFORM_RULE, name))
    if number and Case.objects.filter(number=number).exists():
        violations.append(Violation("case.number_taken", f"案号“{number}”已被使用", DATA, "number"))
    if not title.strip():
        violations.append(Violation("case.title_missing", "请填写案由", DATA, "title"))
    options = {k: v for k, v in (options or {}).items() if v}
    spec = procedures_all().get(procedure)
    if spec is None:
        labels = "、".join(known.label for known in procedures_all().values())
        violations.append(Violation("case.procedure", f"请选择程序（{labels}）", DATA, "procedure"))
    else:
        violations += spec.options_problems(options)
        if matter is not None and spec.matter_kinds and matter.kind not in spec.matter_kinds:
            violations.append(Violation("case.matter_kind", f"所选执法事项不是{spec.act_label}事项", DATA, "matter"))
    if matter is not None and matter.agency_id != agency.pk:
        violations.append(Violation("case.matter_agency", "执法事项不属于本执法主体", MATTER_COMPETENCE, "matter"))
    if parent is not None and party is None:
        # A measure or an execution concerns the party of the case it belongs to.
        party = parent.party
    if parent is not None and parent.agency_id != agency.pk:
        violations.append(Violation("case.parent_agency", "所属案件不是本执法主体的案件", DATA, "parent"))
    elif parent is not None and party is not None and parent.party_id is not None and party.pk != parent.party_id:
        violations.append(Violation("case.parent_party", "当事人须与所属案件的当事人相同", DATA, "party"))
    elif parent is not None and parent.state in _final_states(parent.procedure):
        violations.append(Violation(
            "case.parent_closed", f"所属案件已经{_state_label(parent)}，不能再登记属于它的案件", DATA, "parent"))
    elif parent is not None and spec is not None and spec.parent_act_kinds and (
        procedures_all().get(parent.procedure) is None
        or procedures_all()[parent.procedure].act_kind not in spec.parent_act_kinds
    ):
        kinds = "、".join(ACT_KINDS[k] for k in spec.parent_act_kinds)
        violations.append(Violation("case.parent_kind", f"{spec.label}只能属于{kinds}案件", DATA, "parent"))
    elif parent is not None and spec is not None and spec.siblings_problems is not None:
        open_cases = tuple(
            Case.objects.filter(parent=parent, procedure=spec.key).exclude(state__in=sorted(spec.final_states))
            .order_by("pk").values_list("number", flat=True)
        )
        violations += spec.siblings_problems(open_cases=open_cases)
    elif parent is None and spec is not None and spec.parent_required:
        violations.append(Violation("case.parent_missing", f"{spec.label}须选择所属案件", DATA, "parent"))
    if party is not None and party.agency_id != agency.pk:
        violations.append(Violation("case.party_agency", "当事人不是本单位登记的当事人", DATA, "party"))
    if any(o.agency_id != agency.pk for o in officers):
        violations.append(Violation("case.officer_agency", "承办人员须为本执法主体的执法人员", OFFICERS_ACT, "officers"))
    elif officers:
        # An officer who cannot act would leave the case stuck: refused now, with every reason.
        violations += case_officers_problems(
            [o.snapshot() for o in officers], on=on, enforcement_field=enforcement_field or (matter.enforcement_field if matter else ""),
            region=agency.region_code,
        )
    violations += back_entry_violations
    if act_date is not None and act_date > on:
        violations.append(Violation("case.act_date_future", "违法行为发生日期晚于今天", DATA, "act_date"))
    if discovered_on is not None and (discovered_on > on or (act_date is not None and discovered_on < act_date)):
        violations.append(
            Violation("case.discovered_on", "发现日期应不早于违法行为发生日期，且不晚于今天", DATA, "discovered_on")
        )
    if violations:
        raise Refused(violations)
    allocated = not number
    if allocated:
        number = _case_number_next(agency=agency, on=on)
    assert spec is not None
    details: dict[str, Any] = {}
    initial = spec.facts_initial(discovered_on=discovered_on, act_date=act_date, on=on, options=options,
                                 parent=selectors.case_snapshot_build(parent) if parent is not None else None)
    facts = {name: facts_dump(value) for name, value in initial.items()}
    if spec.records_initial:
        # The registration itself is the 案源登记 record, kept in the ledger entry below.
        details["records"] = list(spec.records_initial)
    try:
        with transaction.atomic():  # a number taken meanwhile by another registration: refused, not a 500
            case = Case.objects.create(
                agency=agency,
                number=number,
                title=title.strip(),
                matter=matter,
                parent=parent,
                procedure=procedure,
                state=spec.engine.initial,
                party=party,
                enforcement_field=enforcement_field or (matter.enforcement_field if matter else ""),
                act_date=act_date,
                facts=facts,
                details=details,
                created_by=actor,
            )
    except IntegrityError:
        if not Case.objects.filter(number=number).exists():
            raise
        raise Refused([Violation("case.number_taken", f"案号“{number}”已被使用，请重新提交", DATA,
                                 None if allocated else "number")]) from None
    if officers:
        case.officers.set(officers)
    entry_append(event=events.case_opened_event(case=case, back_entry=back_entry), actor=actor)
    # The new row is this transaction's (no other sees it, nor can it have children yet) and the
    # parent's is locked above: the family is known, locked, and the case in hand as saved.
    case_projection_refresh_related(case=case, family={case.pk: case, **({parent.pk: parent} if parent else {})})
    return case


def _case_number_next(*, agency: Agency, on: dt.date) -> str:
    """The agency's next case number. Case numbers are unique across agencies: a number another
    agency whose name gives the same prefix already holds is passed over (that agency's counter
    moves on), so a registration never fails on it."""
    for _ in range(1000):
        number = document_number_next(agency=agency, kind="case", on=on)
        if not Case.objects.filter(number=number).exists():
            return number
    raise Refused([Violation("case.number_exhausted", "本机关的案号与其他机关重复，请联系系统管理员设置编号", DATA)])


class _Rollback(Exception):
    pass


@transaction.atomic
def case_create_with_new_party(*, actor: User | None, agency: Agency, party_fields: dict[str, Any], **case: Any) -> Case:
    """Register a case together with a party not yet registered (新增当事人): the party through the
    registry's own service (its credit code or ID number checked as for any party), then the case,
    in one transaction with a ledger entry for each. Refused, it reports every reason of both (the
    party's with their field as "party.<field>") and leaves nothing written."""
    if "party" in case:
        raise TypeError("case_create_with_new_party creates the party: pass party_fields, not party")
    violations: list[Violation] = []
    party: Party | None = None
    try:
        with transaction.atomic():
            party = party_create(actor=actor, agency=agency, **party_fields)
    except Refused as refusal:
        violations += [replace(v, field=f"party.{v.field}" if v.field else "party") for v in refusal.violations]
    try:
        # The case's own reasons are gathered even when the party was refused; a case registered
        # without its party is then undone.
        with transaction.atomic():
            created = case_create(actor=actor, agency=agency, party=party, **case)
            if violations:
                raise _Rollback
    except Refused as refusal:
        violations += refusal.violations
    except _Rollback:
        pass
    if violations:
        raise Refused(violations)
    return created


def _final_states(procedure: str) -> frozenset[str]:
    spec = procedures_all().get(procedure)
    return spec.final_states if spec is not None else frozenset()


def _state_label(case: Case) -> str:
    spec = procedures_all().get(case.procedure)
    return spec.state_label(case.state) if spec is not None else case.state


def _officers_reviewed_before(officer_ids: list[int]) -> set[int]:
    """Which of these officers have given a legal-review opinion through the platform (as the
    user linked to them). One with no such record is taken as reviewing for the first time, who
    needs the 法律职业资格 (procedure.penalty.review): the platform cannot know a history it never saw, so it
    errs on the side of the law."""
    users = dict(User.objects.filter(officer_id__in=officer_ids).values_list("pk", "officer_id"))
    actors = set(
        Entry.objects.filter(kind=EventKind.STEP_DONE, actor_id__in=list(users), subject__endswith=":record_review")
        .values_list("actor_id", flat=True)
        .distinct()
    )
    return {users[a] for a in actors}


def _agency_officers(case: Case) -> tuple:
    """The officers of the case's agency, to choose the case's officers from."""
    officers = Officer.objects.filter(agency_id=case.agency_id).prefetch_related("certificates").order_by("pk")
    return tuple(o.snapshot() for o in officers)


def _discretion_inputs(case: Case, *, on: dt.date) -> tuple[Any, tuple[EarlierOffence, ...]]:
    """The 裁量基准 in force for the case's matter on the day of drafting, and the party's earlier
    cases of the same matter that reached a decision (the look-back of 首违不罚 and of a repeated
    offence counts them from their act dates)."""
    if case.matter_id is None:
        return None, ()
    row = discretion_benchmark_in_force(matter=case.matter, on=on)
    if row is None:
        return None, ()
    earlier: list[EarlierOffence] = []
    if case.party_id is not None:
        others = (
            Case.objects.filter(party_id=case.party_id, matter_id=case.matter_id)
            .exclude(pk=case.pk)
            .exclude(act_date=None)
            .only("number", "act_date", "facts")
        )
        for other in others:
            decision = other.facts.get("decision") or {}
            decided_on = other.facts.get("decided_on")
            if decided_on and decision.get("outcome") in ("penalty", "no_penalty"):
                earlier.append(
                    EarlierOffence(other.number, other.act_date, dt.date.fromisoformat(decided_on), decision["outcome"])
                )
    return row.as_benchmark(), tuple(earlier)


def _reviewer_pool(case: Case) -> tuple[tuple, frozenset[int], dict[int, int]]:
    """The agency's active designated legal reviewers as the engine sees them, those who would
    review for the first time, and each one's pending requests (for an even assignment)."""
    reviewers = list(
        Officer.objects.filter(agency_id=case.agency_id, is_legal_reviewer=True, status="active")
        .prefetch_related("certificates")
        .order_by("pk")
    )
    ids = [r.pk for r in reviewers]
    first_time = frozenset(set(ids) - _officers_reviewed_before(ids))
    loads: dict[int, int] = {}
    open_cases = Case.objects.filter(agency_id=case.agency_id, state__in=BEFORE_DECISION).exclude(pk=case.pk)
    # The stored facts are read directly: one query, no snapshot per case.
    for other in open_cases.only("facts"):
        requests = other.facts.get("review_requests") or []
        opinions = {o.get("round") for o in other.facts.get("review_opinions") or []}
        if requests and requests[-1].get("round") not in opinions and requests[-1].get("reviewer_id") is not None:
            loads[requests[-1]["reviewer_id"]] = loads.get(requests[-1]["reviewer_id"], 0) + 1
    return tuple(r.snapshot() for r in reviewers), first_time, loads


def _case_family_locked(case: Case) -> tuple[Case, dict[int, Case]]:
    """Lock the case's family (the case, the case it belongs to, the cases that belong to it: their
    snapshots read one another and the projection refresh rewrites them all) in pk order, the
    order every refresh locks in, so that two changes in one family queue and never deadlock; the
    case as it now stands, and the family's rows by pk (the case's among them). In the caller's
    transaction.

    One statement: the rows of the case, its parent (`parent` never changes after registration) and
    its children, locked in pk order (PostgreSQL locks the rows as the sort returns them), with
    their agency, party and matter (`selectors.CASE_RELATIONS`: read by the snapshot and the
    documents) joined but not locked (a nullable join cannot be locked on PostgreSQL: `of`).
    A child registered meanwhile waits: `case_create` locks the parent's row first."""
    family = Q(pk=case.pk) | Q(parent_id=case.pk)
    if case.parent_id is not None:
        family |= Q(pk=case.parent_id)
    rows = {
        row.pk: row
        for row in Case.objects.select_for_update(of=("self",)).select_related(*selectors.CASE_RELATIONS)
        .filter(family).order_by("pk")
    }
    if case.pk not in rows:
        raise Case.DoesNotExist(f"case {case.pk}")
    locked = rows[case.pk]
    selectors.case_children_cache(locked, [row for row in rows.values() if row.parent_id == locked.pk])
    return locked, rows


def _case_family_lock(case: Case) -> Case:
    """`_case_family_locked`, the case alone."""
    return _case_family_locked(case)[0]


@transaction.atomic
def case_action_perform(
    *, actor: User, case: Case, action: str, data: dict[str, Any], on: dt.date | None = None,
    device_time: dt.datetime | None = None, evidence_draft: str = "",
    occurred_on: dt.date | None = None, back_entry_reason: str = "", document_numbers: dict[str, str] | None = None,
) -> Case:
    """Perform one step of the case with its (already parsed) form data, or raise `Refused` with
    every reason it may not be taken: the engine's, the step's own, and anything the step's
    documents would lack.

    `on` is the day of the step; it defaults to today. Only the demo county (which replays a
    case's history) passes another day: views and the API never do. They pass `occurred_on`
    with `back_entry_reason` for a step entered after the day it happened (补录,
    `procedure.back_entry`): the engine judges the step at that day, its dates and documents are
    that day's, and its entry keeps the day and the reason beside the ledger's own time; refused,
    with the engine's reasons, when that day is in the future, before the case's previous step, or
    given without a reason. A back-entered step's documents may keep the numbers their paper
    copies carry (`document_numbers`, kind → number; the others are numbered as usual). `device_time` (when the
    officer's phone says the record was written, perhaps offline) is kept in the step's entry
    beside the ledger's own time; `evidence_draft` names the files captured inside a record
    step (photos, video, signatures), which the entry then lists and which are tied to it."""
    case, family = _case_family_locked(case)
    permission_require(user_can_manage_parties(actor, case.agency_id), "只有本单位执法人员可以办理案件")
    try:
        spec = procedure_spec(case.procedure)
    except UnknownProcedure:
        spec = None
    step = spec.step(action) if spec is not None else None
    if spec is None or step is None:
        raise Refused([Violation("case.action_unknown", f"本案的程序没有“{action}”这一步骤", DATA, "action")])
    if on is not None and occurred_on is not None:
        raise TypeError("case_action_perform takes a replay day (on) or a back-entry day (occurred_on), not both")
    back_entry_violations: list[Violation] = []
    if occurred_on is not None or back_entry_reason.strip():
        back_entry_violations = back_entry_problems(
            occurred_on=occurred_on, reason=back_entry_reason, recorded_on=timezone.localdate(),
            previous_on=selectors.case_last_step_on(case=case))
        if occurred_on is not None:
            back_entry_violations += back_entry_case_problems(
                paper_case=selectors.case_registered_on_paper(case=case))
    back_entry = BackEntry(occurred_on, back_entry_reason.strip()) if occurred_on is not None else None
    context = selectors.guard_context(on=occurred_on or on)
    on = context.today

    snapshot = selectors.case_snapshot_build(case)
    # The actor's certificates as the snapshot read them when the actor is one of the case's officers.
    acting = selectors.case_officer_loaded(case, actor.officer_id) or (actor.officer if actor.officer_id else None)
    officer = acting.snapshot() if acting is not None else None
    reviewers, reviewers_first_time, loads = _reviewer_pool(case) if "reviewers" in step.needs else ((), frozenset(), {})
    draft = Draft(
        snapshot=snapshot,
        details=copy.deepcopy(case.details),
        context=context,
        actor_name=actor.display_name or (acting.name if acting is not None else actor.get_username()),
        actor_officer=officer,
        actor_role=actor.role,
        reviewer_first_time="reviewer_first_time" in step.needs
        and (actor.officer_id is None or not _officers_reviewed_before([actor.officer_id])),
        reviewers=reviewers,
        reviewers_first_time=reviewers_first_time,
        reviewer_loads=loads,
        agency_officers=_agency_officers(case) if "agency_officers" in step.needs else (),
        texts=selectors.case_texts(case),
    )
    if "discretion" in step.needs:
        draft.discretion_benchmark, draft.earlier_offences = _discretion_inputs(case, on=on)
    penalty = spec.act_kind == "penalty"
    major_before = major_assessment(snapshot, context).codes if penalty else ()
    if step.apply is not None:
        step.apply(draft, data)

    # Numbers are allocated before the checks so that the documents are checked as issued; a
    # refusal below rolls them back with everything else.
    documents = step.documents_for(draft)
    # What the documents print; a decision needs it even without a document of its own, to know
    # which of its elements are there.
    needs_info = documents or (penalty and step.decides)
    info = selectors.case_info_build(case, on=on, snapshot=draft.snapshot) if needs_info else None
    given_numbers = {kind: number.strip() for kind, number in (document_numbers or {}).items() if number and number.strip()}
    number_violations = paper_numbers_problems(
        given=given_numbers,
        numbered={kind: ALL_DOCUMENT_KINDS[kind].title for kind, _ in documents if ALL_DOCUMENT_KINDS[kind].numbered},
        back_entered=back_entry is not None,
        taken=frozenset(IssuedDocument.objects.filter(agency_id=case.agency_id, number__in=sorted(given_numbers.values()))
                        .values_list("number", flat=True)) if given_numbers else frozenset(),
        series=document_number_series(agency=case.agency) if given_numbers else None,
        year=on.year,
    )
    issues: list[tuple[Issue, str]] = []
    served: tuple[tuple[str, str], ...] = ()
    for kind, record_kind in documents:
        if kind in given_numbers and not number_violations:
            # The paper document's own number (补录); the counter moves past it.
            number = given_numbers[kind]
            document_number_reserve(agency=case.agency, kind=kind, number=number)
        else:
            number = document_number_next(agency=case.agency, kind=kind, on=on) if ALL_DOCUMENT_KINDS[kind].numbered else ""
        if number and draft.texts is not None and hasattr(draft.texts, "numbered"):
            # The case's texts keep the numbers its later documents cite (the decision's …).
            draft.texts = draft.texts.numbered(kind, number)
        if penalty and kind in DECISION_KINDS and draft.snapshot.decision is not None:
            draft.update(decision=replace(draft.snapshot.decision, number=number))
        issue = Issue(kind=kind, number=number, on=on, served=served)
        issues.append((issue, record_kind))
        if kind != "service_receipt":
            served = ((ALL_DOCUMENT_KINDS[kind].title, number),)
    if penalty and step.name == "serve":
        # The 送达回证 of the decision names the decision and its number.
        issues = [(replace(i, served=_served_decision(draft)) if i.kind == "service_receipt" else i, r) for i, r in issues]
    if info is not None and penalty:
        _decision_elements(step, draft, info, on)

    problems: list[Violation] = []
    contexts = []
    for issue, record_kind in issues:
        # Looked up only for a step that issues documents: a kind of act may have none yet.
        build = document_context_builder(spec.act_kind)
        document = build(case=info, snapshot=draft.snapshot, texts=draft.texts, issue=issue, context=context)
        if back_entry is not None:
            # 补录件: the document says on its face when it was entered and when it happened.
            document = replace(document, back_entry_note=back_entry_document_note(
                recorded_on=timezone.localdate(), occurred_on=back_entry.occurred_on))
        # A step its own rules refused has not filled its document: what the document lacks then
        # is not a further reason, only an echo of those rules.
        if not draft.violations:
            problems += document_problems(kind=issue.kind, context=document)
        contexts.append((issue, record_kind, document))
    provided = {record_kind for _, record_kind in issues}
    violations = step_evaluate(spec, step, draft, state=case.state, role=actor.role, provided_records=provided,
                               document_problems=problems)
    violations += selectors.step_casefile_violations(case=case, step_name=step.name, snapshot=snapshot, on=on)
    if back_entry is not None:
        violations = back_entry_worded(violations, occurred_on=back_entry.occurred_on)
    violations = back_entry_violations + number_violations + violations
    if violations:
        raise Refused(list(dict.fromkeys(violations)))

    # Every document is rendered and stored, and the case saved, before the ledger is touched: the
    # batch appends the step's entries (each file's, each document's, the step's) together at its
    # end, so the ledger head's lock is held from there to the commit, not while rendering.
    with ledger_batch():
        serves = any(document_served_to_party(i.kind, numbered=ALL_DOCUMENT_KINDS[i.kind].numbered) for i, _ in issues)
        if documents_complete_before_step(serves=serves, decides=step.decides):
            # Nothing is served or decided on a document whose PDF is still to follow.
            from sanxiang.cases.document_copies import case_document_files_complete

            case_document_files_complete(case=case)
        issued = [
            document_issue(actor=actor, case=case, kind=issue.kind, record_kind=record_kind, number=issue.number,
                           action=step.name, on=issue.on, context=document)
            for issue, record_kind, document in contexts
        ]
        ready = replace(draft.snapshot, records=frozenset(draft.snapshot.records) | draft.records | provided)
        after = spec.advance(ready, step.name, context) if step.transition else ready
        state_from = case.state
        draft.details["records"] = sorted(set(draft.details.get("records", [])) | draft.records)
        case.state = after.state
        case.facts = selectors.snapshot_facts_dump(after, spec)
        if spec.texts_type is not None:
            # Typed, and checked on the way: a value of the wrong type is refused here, not stored.
            draft.details["texts"] = facts_dump(draft.texts)
        if step.correctable:
            # What the record says, kept so that a mistake in it can be corrected by an entry of
            # its own (case_record_correct), the original staying in the ledger.
            stored = draft.details.setdefault("step_values", [])
            stored.append({"id": len(stored) + 1, "action": step.name, "label": step.label, "on": on.isoformat(),
                           "values": {f.name: events.form_value_stored(data.get(f.name)) for f in step.fields},
                           "documents": [d.pk for d in issued], "corrections": [],
                           # Made before the decision: what the decision rests on.
                           "before_decision": not selectors.case_decided(case=case, snapshot=snapshot),
                           # 补录: `on` is the day it happened (a correction checks it at that day).
                           **({"back_entry": True} if back_entry is not None else {})})
        case.details = draft.details
        case.save(update_fields=["state", "facts", "details", "updated_at"])
        if "agency_officers" in step.needs:
            # The officers the step assigned (the step checked each of them, and their number).
            case.officers.set([o.id for o in draft.snapshot.officers])
        captured = record_evidence_claim(case_id=case.pk, step=step.name, draft_key=evidence_draft, actor=actor)
        entry_append(
            event=events.step_done_event(
                case=case,
                action=step.name,
                label=step.label,
                data=events.step_data_recorded(step.fields, data),
                state_from=state_from,
                state_to=case.state,
                on=on,
                documents=issued,
                major_criteria=_major_change(major_before, after, context) if penalty else None,
                device_time=device_time,
                evidence=captured,
                back_entry=back_entry,
            ),
            actor=actor,
            then=lambda entry: record_evidence_link(records=captured, seq=entry.seq),
        )
        if step.decides and penalty:
            # Its subscribers react in this transaction (事后公开: publication drafts the decision's
            # publication, due in 7 working days); if one fails, the decision is not recorded either.
            # Inside the batch: their entries are appended with the step's (they keep no seq).
            events.CASE_EVENTS.emit(events.CaseDecided(case=case, snapshot=after, on=on, actor=actor))
        elif step.decides:
            events.CASE_EVENTS.emit(events.CompulsoryDecided(
                case=case, procedure=spec.key, action=step.name, snapshot=after, on=on, actor=actor,
                recorded_on=timezone.localdate() if back_entry is not None else on))
        # The projection (deadlines, who acts next) is part of the change; refreshed before the
        # batch appends, so the ledger head's lock is not held while it is computed.
        # The step's own snapshot is the saved case's; built afresh only when files captured in the
        # record (filed under their own record kinds) were claimed by this step.
        case_projection_refresh_related(case=case, snapshot=None if captured else _as_saved(after, issued),
                                        calendar=context.calendar, family=family)
    return case


def _as_saved(after, issued: list[IssuedDocument]):
    """The step's resulting snapshot as a fresh `case_snapshot_build` of the saved case reads it: with
    the documents this step issued among those a procedure reads (`documents_issued`, oldest first).
    tests/cases/test_transition_reads.py checks the two are equal after every step of the demo county."""
    if issued and hasattr(after, "documents_issued"):
        after = replace(after, documents_issued=(*after.documents_issued, *((d.kind, d.number) for d in issued)))
    return after


def _major_change(before: tuple[str, ...], after, context) -> list[str] | None:
    """The criteria that make the case major, when the step changed them: the ledger then shows
    every time the engine's answer changed, and why."""
    now = major_assessment(after, context).codes
    return list(now) if now != before else None


# The penalty's decisions (their 文号 is the decision's number) and the 移送书.
DECISION_KINDS = ("decision_document", "summary_decision", "no_penalty_decision")


def _decision_number(draft: Draft) -> str:
    return draft.texts.decision_number if draft.texts is not None else ""


def _served_decision(draft: Draft) -> tuple[tuple[str, str], ...]:
    """The decision a 送达回证 covers: the 行政处罚决定书 or the 不予行政处罚决定书, with its 文号."""
    decision = draft.snapshot.decision
    kind = OUTCOME_DOCUMENTS.get(decision.outcome, "decision_document") if decision is not None else "decision_document"
    return ((ALL_DOCUMENT_KINDS[kind].title, _decision_number(draft)),)


def _decision_elements(step: Step, draft: Draft, info: CaseInfoIn, on: dt.date) -> None:
    """The elements of the decision about to be issued, as its document will carry them, so that
    the engine's guard on the decision's elements and the document agree: the 行政处罚决定书's, or
    the 不予行政处罚决定书's for a decision not to penalise (a transfer has none)."""
    decision = draft.snapshot.decision
    if decision is None:
        return
    action = step.name
    if action == "decide":
        kind = OUTCOME_DOCUMENTS.get(decision.outcome)
        if kind not in ("decision_document", "no_penalty_decision"):
            return
        issue = Issue(kind=kind, number=_decision_number(draft), on=on)
        document = document_context(case=info, snapshot=draft.snapshot, texts=draft.texts, issue=issue,
                                    context=draft.context)
        draft.update(decision=replace(decision, elements=document_elements_present(kind=kind, context=document)))
    elif action == "decide_on_spot":
        issue = Issue(kind="summary_decision", number=decision.number, on=on)
        document = document_context(case=info, snapshot=draft.snapshot, texts=draft.texts, issue=issue,
                                    context=draft.context)
        complete = not document_problems(kind="summary_decision", context=document)
        draft.update(decision=replace(decision, elements=frozenset(SUMMARY_DECISION_ELEMENTS) if complete else frozenset()))


def _issued_document_create(**fields: Any) -> IssuedDocument:
    """The document's row; a number another transaction took meanwhile (two back-entries of the
    same paper number at once) is refused with its reason, not a server error: the unique
    (agency, number) index decides, in a savepoint so the caller's transaction rolls back whole."""
    try:
        with transaction.atomic():
            return IssuedDocument.objects.create(**fields)
    except IntegrityError:
        if not fields.get("number"):
            raise
        number = fields["number"]
        raise Refused([Violation("case.back_entry.number_taken", f"文号“{number}”本机关已经用于其他文书",
                                 PAPER_NUMBER_RULE, f"document_numbers.{fields['kind']}")]) from None


def document_issue(
    *,
    actor: User,
    case: Case,
    kind: str,
    record_kind: str,
    number: str,
    action: str,
    on: dt.date,
    context: DocumentContext,
) -> IssuedDocument:
    """Render a document, store its PDF (and DOCX) in the evidence store and record their digests in
    the ledger, in the caller's transaction. Inside a `ledger_batch` the entries (the files', then
    the document's) are queued, and `ledger_seq` is stored when the batch appends them.

    The Word copy may follow the step (procedure.document_timing): unless the deployment keeps it in
    the step, only the PDF is rendered here and a job, enqueued in this transaction with the same
    context, renders the DOCX after the commit (`cases.document_copies`).

    The files are stored as the agency's documents (kind document) but not as evidence of the
    case: the case file holds them once, under documents/, backed by the DOCUMENT_ISSUED entry,
    while the case's evidence list stays what the officers collected."""
    from sanxiang.cases.document_copies import (
        context_digest,
        document_copies_follow,
        document_copy_enqueue,
        document_files_follow,
    )
    from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check

    follows = document_copies_follow()
    if follows and document_files_follow(kind):
        # An internal document (procedure.document_timing): its content is fixed here (the entry
        # records the context's digest); its PDF and Word copy are rendered by the job.
        title, stem = document_names(kind=kind, context=context)
        document = _issued_document_create(
            case=case, agency=case.agency, kind=kind, title=title, record_kind=record_kind, number=number,
            action=action, issued_on=on, pdf=None, docx=None, filename_stem=stem, issued_by=actor,
        )
        payload = document_copy_enqueue(document=document, context=context, actor=actor).payload

        def seq_stored(entry) -> None:
            document.ledger_seq = entry.seq
            IssuedDocument.objects.filter(pk=document.pk).update(ledger_seq=entry.seq)

        entry_append(
            event=events.document_issued_event(document=document, pdf=None, docx=None,
                                               context_sha256=context_digest(payload["context"])),
            actor=actor,
            then=seq_stored,
        )
        return document
    rendered = document_render(kind=kind, context=context, docx=not follows)
    stored = []
    for suffix, content in (("pdf", rendered.pdf), ("docx", rendered.docx)):
        if content is None:
            continue
        meta = evidence_metadata_check(
            actor=actor, kind="document", original_name=f"{rendered.filename_stem}.{suffix}", step=f"document:{kind}"
        )
        stored.append(evidence_ingest(actor=actor, source=io.BytesIO(content), meta=meta))
    pdf, docx = stored[0], (stored[1] if len(stored) > 1 else None)
    document = _issued_document_create(
        case=case,
        agency=case.agency,
        kind=kind,
        title=rendered.title,
        record_kind=record_kind,
        number=number,
        action=action,
        issued_on=on,
        pdf=pdf,
        docx=docx,
        filename_stem=rendered.filename_stem,
        issued_by=actor,
    )

    def seq_store(entry) -> None:
        document.ledger_seq = entry.seq
        IssuedDocument.objects.filter(pk=document.pk).update(ledger_seq=entry.seq)

    entry_append(
        event=events.document_issued_event(document=document, pdf=pdf.stored_file,
                                           docx=docx.stored_file if docx is not None else None),
        actor=actor,
        then=seq_store,
    )
    if docx is None:
        document_copy_enqueue(document=document, context=context, actor=actor)
    return document


# --- corrections of recorded facts ---------------------------------------------------------------

CORRECTION_ACTION = "correct_record"
# The correction form's field for its reason: a refusal about the reason is shown beside it.
CORRECTION_REASON = "correction_reason"


def _stored_value_parsed(field, value: Any) -> Any:
    """A form value as the case row stored it, back to what the step's form would give."""
    if value is None:
        return None
    if field.kind == "date":
        return dt.date.fromisoformat(value)
    if field.kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if field.kind == "yuan":
        return Decimal(value)
    return value


@transaction.atomic
def case_record_correct(*, actor: User, case: Case, record_id: int, data: dict[str, Any], reason: str,
                        device_time: dt.datetime | None = None) -> Case:
    """Correct a record of the case (its form values, already parsed by the step's form) by a
    correction entry: the ledger keeps the original step entry and adds this one, which says who,
    when, why and which fields changed (old → new; personal text by its digest, as the step's own
    entry recorded it). The case row keeps the current values and the history of corrections.

    The step's own `correct` replaces the record in the facts and texts and checks it as the step
    checked the original. Refused, with every reason, when nothing changes, without a reason, when
    the corrected record breaks a rule, when the actor is neither an officer of the case nor the
    agency head, or when the case has left the step's own states (a 询问笔录 after 调查终结: the
    report, the review, the 告知书 and the decision rest on what was recorded then; the procedure
    decides, `procedure.steps.record_correction_problems`). Documents already issued are never
    rewritten: the page says the record was corrected after them. The case's family is locked as
    `case_action_perform` locks it. `device_time` (when the officer's device says the correction
    was written, perhaps offline) is kept in the entry beside the ledger's own time, as for a step."""
    case = _case_family_lock(case)
    permission_require(user_can_manage_parties(actor, case.agency_id), "只有本单位执法人员可以办理案件")
    record = selectors.case_recorded_get(case, record_id)
    spec = procedures_all().get(case.procedure)
    step = spec.step(record["action"]) if spec is not None and record is not None else None
    if record is None or step is None or not step.correctable:
        raise Refused([Violation("case.record_unknown", "本案没有这一记录", DATA, "record")])
    # Who (an officer of the case, or the head) and when (the procedure: in the step's own states).
    violations: list[Violation] = [*selectors.record_corrector_problems(user=actor, case=case),
                                   *selectors.record_correction_problems(case=case, record=record)]
    snapshot = selectors.case_snapshot_build(case)
    reason = (reason or "").strip()
    problem = text_problem(reason, max_length=500)
    if not reason:
        violations.append(Violation("case.correction_reason", "请写明更正的理由", CORRECTION_RULE, CORRECTION_REASON))
    elif problem:
        violations.append(Violation("case.correction_reason", problem, PLATFORM_RULE, CORRECTION_REASON))
    new_values = {f.name: events.form_value_stored(data.get(f.name)) for f in step.fields}
    changed = [f for f in step.fields if new_values[f.name] != record["values"].get(f.name)]
    if not changed:
        violations.append(Violation("case.correction_empty", "没有更改任何内容", CORRECTION_RULE, None))
    if violations:
        raise Refused(violations)
    # The corrected record replaces the original in the facts and texts, checked as the step
    # checked it (two officers, their certificates …): every reason at once.
    # A back-entered record is checked again at the day it happened, as it was checked then.
    context = selectors.guard_context(on=dt.date.fromisoformat(record["on"]) if record.get("back_entry") else None)
    on = timezone.localdate()
    draft = Draft(snapshot=snapshot, details=copy.deepcopy(case.details), context=context,
                  actor_name=actor.display_name or actor.get_username(), texts=selectors.case_texts(case))
    old_data = {f.name: _stored_value_parsed(f, record["values"].get(f.name)) for f in step.fields}
    assert step.correct is not None
    step.correct(draft, old_data, data)
    if draft.violations:
        if record.get("back_entry"):
            raise Refused(back_entry_worded(list(dict.fromkeys(draft.violations)), occurred_on=context.today))
        raise Refused(list(dict.fromkeys(draft.violations)))
    old_recorded = events.step_data_recorded(tuple(changed), {f.name: record["values"].get(f.name) for f in changed})
    new_recorded = events.step_data_recorded(tuple(changed), {f.name: new_values[f.name] for f in changed})
    details = copy.deepcopy(case.details)
    kept = next(r for r in details["step_values"] if r.get("id") == record_id)
    kept["corrections"].append({
        "at": timezone.now().isoformat(),
        "by": actor.display_name or (actor.officer.name if actor.officer_id else actor.get_username()),
        "reason": reason,
        "changes": {f.name: {"label": f.label, "old": record["values"].get(f.name), "new": new_values[f.name]}
                    for f in changed},
    })
    kept["values"] = new_values
    if spec.texts_type is not None:
        details["texts"] = facts_dump(draft.texts)
    # As a step: the entry is appended when the batch ends, after the projection refresh, so the
    # ledger head's lock is not held while it is computed.
    with ledger_batch():
        case.details = details
        case.facts = selectors.snapshot_facts_dump(draft.snapshot, spec)
        case.save(update_fields=["facts", "details", "updated_at"])
        entry_append(
            event=events.step_done_event(
                case=case,
                action=CORRECTION_ACTION,
                label=f"更正记录：{record['label']}",
                data={"record": record_id, "corrects": record["action"], "recorded_on": record["on"], "reason": reason,
                      "fields": [f.name for f in changed], "old": old_recorded, "new": new_recorded},
                state_from=case.state,
                state_to=case.state,
                on=on,
                documents=[],
                device_time=device_time,
            ),
            actor=actor,
        )
        # A corrected date moves the deadlines computed from it.
        case_projection_refresh_related(case=case)
    return case
