"""Reads of cases: scoped lists and pages, the engine's snapshot of a case, what can be done next
and what blocks the rest, deadlines, the timeline from the ledger and the officer's worklist."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models import Case as SqlCase
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import (
    case_ids_granted,
    case_read_require,
    user_can_manage_parties,
    user_reads_all_agencies,
    user_reads_cases_by_grant,
)
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.facts import facts_dump, facts_field_load, facts_load
from sanxiang.cases.models import Case, CaseDeadline, CaseProcedure, IssuedDocument
from sanxiang.cases.paperwork import AgencyInfo, CaseInfoIn, EvidenceFileInfo, OfficerInfo, PartyInfo
from sanxiang.cases.search import cases_search
from sanxiang.documents.registry import ALL_DOCUMENT_KINDS
from sanxiang.evidence.models import EvidenceKind, EvidenceRecord
from sanxiang.hooks import Slot
from sanxiang.procedure.back_entry import back_entry_case_problems, back_entry_day_problems
from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.catalog import (
    ProcedureSpec,
    evidence_step_label,
    procedure_spec,
    procedures_all,
)
from sanxiang.procedure.engine import GuardContext, Procedure, actions_available, evaluate
from sanxiang.procedure.evaluation.indicators import AvStep
from sanxiang.procedure.penalty import Deadline, Party, PenaltyCaseSnapshot
from sanxiang.procedure.penalty.snapshot import ReviewCatalogue
from sanxiang.procedure.penalty.texts import Discussion, PenaltyTexts, Review, ReviewRound
from sanxiang.procedure.registry_rules import agency_acts_in_entrusters_name, certificate_is_valid_on
from sanxiang.procedure.steps import CORRECTION_ACTOR_RULE, Draft, Field, Step
from sanxiang.procedure.steps import record_correction_problems as procedure_record_correction_problems
from sanxiang.procedure.steps import record_corrector_problems as procedure_record_corrector_problems
from sanxiang.procedure.steps import step_role_violation as _step_role_violation
from sanxiang.procedure.violations import FORM_BASIS, Violation
from sanxiang.registry.models import Officer, PartyKind

# The agency's published catalogue of major decisions (重大执法决定法制审核目录) in force, or None
# when it never published one (the engine then applies the parameters' default catalogue). The
# review app, above cases, keeps the catalogues and installs its selector here at ready().
review_catalogue_provided: Slot[Callable[..., ReviewCatalogue | None]] = Slot("cases: the agency's review catalogue")
# The 案卷评查 of the evaluation app (above cases), installed at its ready(): the veto items of the
# file's standard that fail, each a Violation, added to the closing (结案) step's reasons
# (`casefile_closing_violations(case=, snapshot=, on=)`); and the live score the case page shows
# (`casefile_score_summary(case=, snapshot=, on=)`, None when no standard scores the case).
casefile_closing_violations: Slot[Callable[..., list[Violation]]] = Slot("cases: the case file's failed veto items")


def step_casefile_violations(*, case: Case, step_name: str, snapshot, on: dt.date) -> list[Violation]:
    """What the 案卷评查 adds to a step's own rules: closing (结案) is refused while a veto item
    (单项否决) fails; the evaluation app judges it. One place for the case page (shown before the head
    tries) and the service (refused)."""
    if step_name != "close":
        return []
    return casefile_closing_violations(case=case, snapshot=snapshot, on=on)
casefile_score_summary: Slot[Callable[..., Any]] = Slot("cases: the case file's live score")
READ_ONLY = "司法局监督人员和系统管理员可以查看案件，不能办理"
PERMISSION_BASIS = "本平台权限设置"  # a platform rule (procedure.violations.PLATFORM_BASES)


def spec_of(case: Case) -> ProcedureSpec:
    """The case's procedure as the catalogue declares it (`procedure.catalog`)."""
    return procedure_spec(case.procedure)


def procedure_of(case: Case) -> Procedure:
    return spec_of(case).engine


def state_label(case: Case) -> str:
    return procedure_of(case).state_label(case.state)


def finished_cases() -> Q:
    """The cases in a final state of their own procedure (a penalty case that is 结案 is still to
    be archived; an execution case that is 结案 is finished)."""
    finished = Q(pk__in=[])
    for key, spec in procedures_all().items():
        finished |= Q(procedure=key, state__in=sorted(spec.final_states))
    return finished


def open_cases() -> Q:
    """The cases not finished, as the states each procedure does not end in (`finished_cases` is
    the same in the negative): an index range per procedure on (agency, procedure, state), so that
    a list of what is open reads the open cases, not every case ever registered (a `NOT IN` of the
    finished ones scans them all: ~100 ms at 100k cases on PostgreSQL). A case of a procedure the
    catalogue no longer knows is not among them (it has no steps, deadlines nor queue)."""
    exact = Q(pk__in=[])
    states: set[str] = set()
    for key, spec in procedures_all().items():
        open_states = sorted(s.name for s in spec.engine.states if not s.final)
        exact |= Q(procedure=key, state__in=open_states)
        states.update(open_states)
    # The two lists first: both engines look them up in the index (SQLite does not for an OR of
    # them); the exact condition per procedure then drops a state final in the case's own.
    return Q(procedure__in=sorted(procedures_all()), state__in=sorted(states)) & exact


# --- cases ------------------------------------------------------------------------------------------


def case_get(*, viewer: User, case_id: int) -> Case:
    try:
        case = Case.objects.select_related("agency", "matter", "party").get(pk=case_id)
    except Case.DoesNotExist as missing:
        raise Http404 from missing
    case_read_require(viewer, agency_id=case.agency_id, case_id=case.pk)
    return case


def case_get_by_number(*, number: str) -> Case | None:
    return Case.objects.select_related("agency").filter(number=number).first()


def case_list(*, viewer: User, search: str = "", state: str = "") -> QuerySet[Case]:
    """The cases the viewer may read, newest first; `search` (stripped) narrows to those whose
    number, title or party's name contains it. A list shows neither the facts nor the documents'
    texts: those JSON columns are left unread (a third of a page's time at 10k cases)."""
    cases = Case.objects.select_related("agency", "party").defer("facts", "details").order_by("-created_at", "-id")
    if user_reads_cases_by_grant(viewer):
        cases = cases.filter(pk__in=case_ids_granted(viewer))  # only what a read grant calls up
    elif not user_reads_all_agencies(viewer):
        cases = cases.filter(agency_id=viewer.agency_id) if viewer.agency_id else cases.none()
    if search:
        # The number, title or party's name contains it: through the grams' index (`cases.search`).
        cases = cases_search(cases, search)
    if state:
        cases = cases.filter(state=state)
    return cases


# The predicate of the partial index `cases_case_reviewed` (`Case.Meta.indexes`) as SQLite stores it.
_REVIEWED_SQLITE = """JSON_TYPE("cases_case"."facts", '$."review_opinions"[0]') IS NOT NULL"""


def cases_reviewed(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases with a legal review opinion, written so that the engine reads them through the
    partial index `cases_case_reviewed` (a few among every case of the agency). SQLite uses a
    partial index only for a WHERE term written as its predicate is, and Django passes a JSON
    path as a bound parameter (`JSON_TYPE(facts, ?)`), which SQLite cannot match: it would read
    every case of the agency (118 ms at 45,000 cases against 0.2 ms). There the predicate is
    written out (a constant of this module, no input in it); PostgreSQL receives the values
    inlined and matches the index as Django writes it."""
    if connections[cases.db].vendor == "sqlite":
        return cases.filter(RawSQL(_REVIEWED_SQLITE, (), output_field=BooleanField()))
    return cases.filter(facts__review_opinions__0__isnull=False)


def user_can_act_on_case(user: User, case: Case) -> bool:
    """Agency roles of the case's agency carry cases forward; supervisors only read them."""
    return user_can_manage_parties(user, case.agency_id)


# --- the snapshot -----------------------------------------------------------------------------------


def snapshot_facts_dump(snapshot, spec: ProcedureSpec | None = None) -> dict:
    """The stored facts of a snapshot (`Case.facts`): what its procedure does not read afresh."""
    spec = spec or procedure_spec(CaseProcedure.ORDINARY)
    return {name: facts_dump(value) for name, value in spec.facts_of(snapshot).items()}


def _party_birth_date(case: Case, details: dict | None = None) -> dt.date | None:
    """The party's birth date as the case's texts record it (read from a passport: no identifier
    of the registry gives it), for a procedure whose texts say so."""
    texts_type = spec_of(case).texts_type
    if texts_type is None or not issubclass(texts_type, PenaltyTexts):
        return None
    # The one field, not the whole texts (the transition that builds this snapshot loads them anyway).
    details = case.details if details is None else details
    return facts_field_load(texts_type, "party", details.get("texts", {})).birth_date


def _party_snapshot(case: Case, details: dict | None = None) -> Party:
    party = case.party
    birth = _party_birth_date(case, details)
    if party is None:
        # A case registered before parties were linked: the identifier guard says what is missing.
        return Party(kind="natural_person", name="（未登记当事人）", birth_date=birth)
    if party.kind in (PartyKind.LEGAL_PERSON, PartyKind.OTHER_ORGANIZATION) or (
        party.kind == PartyKind.INDIVIDUAL_BUSINESS and not party.id_number
    ):
        # A 个体工商户 known only by its credit code is identified like an organisation.
        return Party(kind="organization", name=party.name, credit_code=party.credit_code, birth_date=birth)
    exemption = ""
    if party.id_type and party.id_type != "resident_id_card":
        # legal_rules §8.1 item 16: other identity documents are not checked by algorithm.
        exemption = f"证件类型：{party.get_id_type_display()}"
    return Party(
        kind="natural_person", name=party.name, id_number=party.id_number, identifier_exemption=exemption,
        birth_date=birth,
    )


def case_records_present(case: Case) -> frozenset[str]:
    """The records of whole-process recording the case has: evidence filed under a record kind
    (or an audio-video recording of a step), the documents issued, and the records that steps
    made themselves (a statement received, a receipt entered)."""
    from sanxiang.evidence.selectors import case_record_steps

    spec = spec_of(case)
    kinds = frozenset(k.name for k in spec.engine.record_kinds)
    records: set[str] = set(case.details.get("records", []))
    loaded = _snapshot_reads(case)
    steps = loaded.record_steps if loaded is not None else case_record_steps(case_id=case.pk)
    for step, is_audio_video in steps:
        if step in kinds:
            records.add(step)
        if step in spec.audio_video_steps and is_audio_video:
            records.add(f"audio_video_{step}")
    if loaded is not None:
        records.update(record_kind for _kind, _number, record_kind in loaded.documents)
    else:
        # A set: unordered (the model's ordering would join the case's row for nothing).
        records.update(IssuedDocument.objects.filter(case=case).order_by().values_list("record_kind", flat=True))
    return frozenset(records)


@dataclass(frozen=True)
class _SnapshotReads:
    """What a case's snapshot reads afresh besides its row, read for many cases at once
    (`cases_snapshot_reads_load`)."""

    record_steps: list[tuple[str, bool]]
    documents: tuple[tuple[str, str, str], ...]  # (kind, number, record kind), oldest first
    parent: Case | None
    catalogues: dict[int, ReviewCatalogue | None] | None  # by agency; None: no catalogue provider


_SNAPSHOT_READS = "_sanxiang_snapshot_reads"


def _snapshot_reads(case: Case) -> _SnapshotReads | None:
    return getattr(case, _SNAPSHOT_READS, None)


def cases_snapshot_reads_load(cases: list[Case]) -> None:
    """Read, for many cases at once, what each one's snapshot reads afresh besides its row: the
    officers with their certificates, the evidence records' steps, the documents issued, the
    children, the parent penalty case and the agency's review catalogue, in seven queries for
    all of them instead of up to seven a case (the projections' refresh of many cases: `sanxiang
    grow`'s batches). Kept on these instances only, for a snapshot built at once: a case read
    again reads afresh."""
    from sanxiang.evidence.selectors import cases_record_steps

    if not cases:
        return
    ids = [case.pk for case in cases]
    cases_officers_load(cases)
    prefetch_related_objects(
        cases, Prefetch("children", queryset=Case.objects.order_by("pk").only("number", "procedure", "state", "parent_id"))
    )
    steps = cases_record_steps(case_ids=ids)
    documents: dict[int, list[tuple[str, str, str]]] = {pk: [] for pk in ids}
    rows = IssuedDocument.objects.filter(case_id__in=ids).order_by("pk").values_list("case_id", "kind", "number", "record_kind")
    for case_id, kind, number, record_kind in rows:
        documents[case_id].append((kind, number, record_kind))
    parent_ids = {case.parent_id for case in cases if case.parent_id is not None}
    parents = Case.objects.select_related("party").in_bulk(parent_ids) if parent_ids else {}
    catalogues = None
    if review_catalogue_provided.installed:
        catalogues = {agency_id: review_catalogue_provided(agency_id=agency_id) for agency_id in {c.agency_id for c in cases}}
    for case in cases:
        setattr(case, _SNAPSHOT_READS, _SnapshotReads(
            record_steps=steps[case.pk],
            documents=tuple(documents[case.pk]),
            parent=parents.get(case.parent_id) if case.parent_id is not None else None,
            catalogues=catalogues,
        ))


# What a snapshot reads afresh rather than from the case's stored facts, by field name: a
# procedure names its derived fields (`ProcedureSpec.derived_fields`) and finds them here.
SNAPSHOT_SOURCES: dict[str, Callable[[Case], object]] = {
    "state": lambda case: case.state,
    "party": lambda case: _party_snapshot(case),
    "act_date": lambda case: case.act_date or timezone.localtime(case.created_at).date(),
    "enforcement_field": lambda case: case.enforcement_field,
    "region": lambda case: case.agency.region_code,
    "officers": lambda case: tuple(o.snapshot() for o in _case_officers(case)),
    "records": lambda case: case_records_present(case),
    "matter": lambda case: case.matter.code if case.matter_id else "",
    "catalogue": lambda case: _catalogue(case),
    "agency_kind": lambda case: case.agency.kind,
    "penalty_case_id": lambda case: case.parent_id,
    # (document kind, number) of the case's documents, oldest first: a later document names an
    # earlier one (the 催告书 a 强制执行决定书 follows).
    "documents_issued": lambda case: tuple(
        (kind, number) for kind, number, _record_kind in loaded.documents
    ) if (loaded := _snapshot_reads(case)) is not None else tuple(
        (kind, number) for kind, number in IssuedDocument.objects.filter(case=case).order_by("pk").values_list("kind", "number")
    ),
    # The penalty case an enforcement case executes (`Case.parent`), read afresh from its row and
    # stored facts: the fine, its payments, any 复议 or 诉讼 (what the execution follows). Its
    # officers, records and evidence are not read (nothing of the execution depends on them): one query.
    "enforcement_cases_open": lambda case: tuple(
        child.number for child in case_children(case)
        if (spec := procedures_all().get(child.procedure)) is not None and spec.act_kind == "enforcement"
        and child.state not in spec.final_states
    ),
    "penalty_case": lambda case: None if case.parent_id is None else next(
        facts_load(PenaltyCaseSnapshot, parent.facts, state=parent.state, party=_party_snapshot(parent),
                   act_date=parent.act_date or timezone.localtime(parent.created_at).date(),
                   region=case.agency.region_code)
        for parent in [_parent(case)]
    ),
}


def _catalogue(case: Case) -> ReviewCatalogue | None:
    loaded = _snapshot_reads(case)
    if loaded is not None and loaded.catalogues is not None:
        return loaded.catalogues[case.agency_id]
    return review_catalogue_provided(agency_id=case.agency_id)


def _parent(case: Case) -> Case:
    loaded = _snapshot_reads(case)
    if loaded is not None and loaded.parent is not None:
        return loaded.parent
    return Case.objects.select_related("party").get(pk=case.parent_id)


def case_children(case: Case) -> list[Case]:
    """The cases that belong to `case`, by pk: from Django's prefetch cache of `case.children` when
    it holds them (`case_children_cache`: a step's family lock read them), else one query."""
    cached = getattr(case, "_prefetched_objects_cache", {}).get("children")
    if cached is not None:
        return sorted(cached, key=lambda child: child.pk)
    return list(case.children.order_by("pk").only("number", "procedure", "state"))


def case_children_cache(case: Case, children: list[Case]) -> None:
    """Keep `children` (every case that belongs to `case`, as read in this transaction under the
    family's lock) in Django's prefetch cache of `case.children`, as `prefetch_related` would."""
    queryset = case.children.all()
    queryset._result_cache = list(children)
    queryset._prefetch_done = True
    if not hasattr(case, "_prefetched_objects_cache"):
        case._prefetched_objects_cache = {}
    case._prefetched_objects_cache["children"] = queryset


def case_officer_loaded(case: Case, officer_id: int | None) -> Officer | None:
    """The officer with its certificates if it is among the case's officers already loaded
    (`_case_officers`: the snapshot read them), else None: nothing is read."""
    if officer_id is None or "officers" not in getattr(case, "_prefetched_objects_cache", {}):
        return None
    return next((o for o in case.officers.all() if o.pk == officer_id), None)


def cases_officers_load(cases: list[Case]) -> None:
    """Load the officers of many cases with their certificates in two queries (into each case's
    prefetch cache of `officers`, where `_case_officers` finds them), instead of two per case:
    for the projections' refresh of many cases at once."""
    prefetch_related_objects(
        cases, Prefetch("officers", queryset=Officer.objects.order_by("pk").prefetch_related("certificates"))
    )


def _case_officers(case: Case) -> list[Officer]:
    """The case's officers with their certificates, by pk. Loaded once per case instance, into
    Django's prefetch cache of `case.officers` (which `officers.set()` and friends clear), so that
    the snapshot and the documents' case info of one transition share one read."""
    cases_officers_load([case])
    return sorted(case.officers.all(), key=lambda o: o.pk)


# The case's relations a snapshot or the documents' case info read (agency: region, kind, the
# acting agency; party; matter).
CASE_RELATIONS = ("agency", "party", "matter")


def _case_relations_load(case: Case) -> None:
    """Read the case's agency, party and matter that are not loaded yet in one query, instead of
    one lazy query each (a case row locked with select_for_update comes without them)."""
    missing = [
        name for name in CASE_RELATIONS
        if getattr(case, f"{name}_id") is not None and not Case._meta.get_field(name).is_cached(case)
    ]
    if len(missing) < 2:
        return  # one query either way
    loaded = Case.objects.select_related(*missing).only("pk", *missing).get(pk=case.pk)
    for name in missing:
        setattr(case, name, getattr(loaded, name))


def case_snapshot_build(case: Case):
    """The engine's picture of the case: its stored facts, with what its procedure reads afresh
    (the party, the officers and their certificates, whose validity the guards judge on the day,
    the records, the region, the matter, the agency's published review catalogue)."""
    spec = spec_of(case)
    _case_relations_load(case)
    given = {name: SNAPSHOT_SOURCES[name](case) for name in spec.derived_fields}
    return facts_load(spec.snapshot_type, case.facts, **given)


def case_info_build(case: Case, *, on: dt.date, snapshot: PenaltyCaseSnapshot | None = None) -> CaseInfoIn:
    """What documents print about the agency, the party and the officers (those of the case, and
    anyone the snapshot names: officers of an act, the presiding officer of a hearing)."""
    agency = case.agency
    # citations.ENTRUSTMENT: an entrusted organisation's documents are issued in the entrusting organ's name.
    acting = (
        agency.entrusting_agency
        if agency_acts_in_entrusters_name(agency.kind) and agency.entrusting_agency is not None
        else agency
    )
    party = case.party
    # The case's own officers as the snapshot read them (the same transition's read), or afresh.
    own = _case_officers(case)
    assigned = tuple(o.pk for o in own)
    named = set(assigned)
    if snapshot is not None:
        # Whoever the snapshot names as acting (each procedure's facts say so in their own way).
        for act in getattr(snapshot, "investigative_acts", ()):
            named.update(act.officer_ids)
        hearing = getattr(snapshot, "hearing", None)
        if hearing is not None and hearing.presiding_officer_id is not None:
            named.add(hearing.presiding_officer_id)
        on_spot = getattr(snapshot, "on_spot", None)
        if on_spot is not None:
            named.update(on_spot.officer_ids)
    others = named - set(assigned)
    officers = sorted(
        [o for o in own if o.agency_id == case.agency_id]
        + (
            list(Officer.objects.filter(agency_id=case.agency_id, pk__in=others).prefetch_related("certificates"))
            if others else []
        ),
        key=lambda o: o.pk,
    )

    def certificate_number(officer: Officer) -> str:
        # The certificate valid on the day, else the latest: the document prints the number the
        # officer showed, and the engine (not the document) judges whether it was valid.
        certificates = sorted(officer.certificates.all(), key=lambda c: c.valid_to, reverse=True)
        if not certificates:
            return ""
        valid = [c for c in certificates if certificate_is_valid_on(c.snapshot(), on)]
        return (valid or certificates)[0].number

    return CaseInfoIn(
        number=case.number,
        title=case.title,
        agency=AgencyInfo(
            acting.name, acting.credit_code, acting.address, acting.contact_phone, acting.parent_government
        ),
        party=None
        if party is None
        else PartyInfo(
            kind="natural_person" if party.kind == PartyKind.NATURAL_PERSON else "organization",
            name=party.name,
            id_code=party.credit_code or party.id_number,
            address=party.address,
            legal_representative=party.legal_representative,
            phone=party.phone,
        ),
        officers=tuple(OfficerInfo(o.pk, o.name, certificate_number(o)) for o in officers),
        assigned_ids=assigned,
        evidence_files=case_evidence_files(case_id=case.pk),
    )


def case_evidence_files(*, case_id: int) -> tuple[EvidenceFileInfo, ...]:
    """The files uploaded to the case as evidence, oldest first: the PDF and DOCX of the documents
    the case issued are stored as evidence records too, and are left out; so are drawn signatures
    (they belong to their record, not to the list of evidence) and files captured in a record
    that was never submitted (one query)."""
    issued = IssuedDocument.objects.filter(case_id=case_id)
    records = (
        EvidenceRecord.objects.filter(case_id=case_id)
        # A file still to follow (a Word copy, an internal document's PDF) is NULL: SQL's
        # `NOT IN (…, NULL)` is never true, and would leave out every file of the case.
        .exclude(pk__in=issued.filter(pdf_id__isnull=False).values("pdf_id"))
        .exclude(pk__in=issued.filter(docx_id__isnull=False).values("docx_id"))
        .exclude(kind=EvidenceKind.SIGNATURE)
        .exclude(Q(record_seq__isnull=True) & ~Q(draft_key=""))
        .order_by("uploaded_at", "pk")
        .values_list("original_name", "kind", "captured_at")
    )
    files = []
    for name, kind, captured_at in records:
        title = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
        on = timezone.localtime(captured_at).date() if captured_at else None
        files.append(EvidenceFileInfo(title=title, kind=kind, on=on))
    return tuple(files)


# --- guard context ----------------------------------------------------------------------------------


def guard_context(*, on: dt.date | None = None, calendar: WorkingDayCalendar | None = None) -> GuardContext:
    return GuardContext(today=on or timezone.localdate(), calendar=calendar or working_day_calendar_current())


# --- actions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    action: str  # the name the service and the API take
    label: str
    kind: str  # transition | record
    allowed: bool
    violations: tuple[Violation, ...]
    fields: tuple[Field, ...]
    documents: tuple[str, ...]  # titles of the documents the step issues
    target: str = ""  # label of the state a transition leads to
    help: str = ""


def step_numbered_documents(step: Step | None) -> list[tuple[str, str]]:
    """The numbered documents (kind, title) a step may issue: those whose paper numbers a
    back-entry may keep (`procedure.back_entry.PAPER_NUMBER_RULE`)."""
    if step is None:
        return []
    return [(kind, ALL_DOCUMENT_KINDS[kind].title) for kind, _ in step.documents if ALL_DOCUMENT_KINDS[kind].numbered]


def step_role_violation(step: Step, user: User) -> Violation | None:
    return _step_role_violation(step, user.role)


def _supplied(violation: Violation, step: Step) -> bool:
    """Whether the step's form fills the field the violation is about: "notice" covers notice and
    notice.served_on; "hearing." covers hearing.scheduled_for but not hearing itself."""
    name = violation.field or ""
    for supplied in step.supplies:
        if supplied.endswith("."):
            if name.startswith(supplied):
                return True
        elif name == supplied or name.startswith(supplied + "."):
            return True
    return False


def case_actions(*, case: Case, viewer: User, on: dt.date | None = None,
                 snapshot: PenaltyCaseSnapshot | None = None, occurred_on: dt.date | None = None) -> list[ActionView]:
    """What can be done next on the case and what blocks each other step of its current state.

    A step's form fills some facts itself (the notice it serves, the service it records): until
    the form is sent those are not counted against it, and neither are the records its own
    documents will provide. The service checks everything again with the form.

    With `occurred_on` (补录): what could be back-entered at that day, judged at that day, with
    what is wrong with the day itself (in the future, before the previous step) before each step's
    own reasons."""
    if occurred_on is not None:
        problems = back_entry_day_problems(occurred_on=occurred_on, recorded_on=timezone.localdate(),
                                           previous_on=case_last_step_on(case=case))
        problems += back_entry_case_problems(paper_case=case_registered_on_paper(case=case))
        views = case_actions(case=case, viewer=viewer, on=occurred_on, snapshot=snapshot)
        return [replace(v, allowed=v.allowed and not problems, violations=tuple(dict.fromkeys((*problems, *v.violations))))
                for v in views]
    spec = spec_of(case)
    procedure = spec.engine
    snapshot = snapshot or case_snapshot_build(case)
    context = guard_context(on=on)
    can_act = user_can_act_on_case(viewer, case)
    views: list[ActionView] = []
    statuses = {s.action: s for s in actions_available(procedure, snapshot, context=context, from_current_state_only=True)}
    for step in spec.steps:
        name = step.name
        if step.transition:
            if name not in statuses:
                continue
            provided = {record for _, record in step.documents}
            violations = evaluate(
                procedure, replace(snapshot, records=snapshot.records | provided), name, context=context
            )
            violations = [v for v in violations if not _supplied(v, step)]
            violations += step_casefile_violations(case=case, step_name=name, snapshot=snapshot, on=context.today)
            target = procedure.state_label(statuses[name].target)
        else:
            if case.state not in step.states:
                continue
            violations, target = [], ""
        role = step_role_violation(step, viewer)
        if role is not None:
            violations.insert(0, role)
        if not can_act:
            violations.insert(0, Violation("case.read_only", READ_ONLY, PERMISSION_BASIS, None))
        views.append(
            ActionView(
                action=name,
                label=step.label,
                kind="transition" if step.transition else "record",
                allowed=not violations,
                violations=tuple(dict.fromkeys(violations)),
                fields=step.fields,
                documents=tuple(ALL_DOCUMENT_KINDS[kind].title for kind, _ in step.documents),
                target=target,
                help=step.help,
            )
        )
    return views


# --- legal review ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRoundView:
    round: int
    submitted_on: str
    submitted_by: str
    reviewer: str
    package: tuple[str, ...]
    response: str
    due: dt.date | None
    due_estimated: bool
    opinion: str  # label, or "" while pending
    opinion_code: str
    opinion_on: str
    reasons: str
    checklist: tuple[tuple[str, str, str], ...]  # (item, finding, note)


@dataclass(frozen=True)
class DiscussionView:
    """The collective discussion as the review panel mentions it."""

    on: str  # ISO date
    conclusion: str


@dataclass(frozen=True)
class CaseReviewView:
    """The case page's 法制审核 panel: why the case is major, where the review stands, every round."""

    criteria: tuple  # MajorCriterion
    overridden: tuple
    overrides: tuple  # MajorOverride
    status_code: str
    status_label: str
    discussion_reasons: tuple[str, ...]
    rounds: tuple[ReviewRoundView, ...]
    discussion: DiscussionView | None

    @property
    def shown(self) -> bool:
        return bool(self.criteria or self.overridden or self.rounds or self.discussion)


def case_review_view(*, case: Case, snapshot, on: dt.date | None = None) -> CaseReviewView:
    """The 法制审核 panel of a penalty case; other procedures have none (yet): an empty panel."""
    if spec_of(case).act_kind != "penalty":
        return CaseReviewView((), (), (), "", "", (), (), None)
    from sanxiang.procedure.penalty.review import (
        discussion_reasons,
        major_assessment,
        opinion_for,
        review_due,
        review_status,
    )
    from sanxiang.procedure.penalty.snapshot import (
        CHECKLIST_FINDINGS,
        REVIEW_CHECKLIST,
        REVIEW_OPINIONS,
        REVIEW_PACKAGE_ITEMS,
    )

    context = guard_context(on=on)
    assessment = major_assessment(snapshot, context)
    status = review_status(snapshot, context)
    texts = case_publication_texts(case)
    stored = {r.round: r for r in texts.review_rounds}
    reviews = {r.round: r for r in texts.reviews}
    rounds = []
    for request in snapshot.review_requests:
        row = stored.get(request.round, ReviewRound())
        opinion = opinion_for(snapshot, request)
        review = reviews.get(request.round, Review())
        due = review_due(request, snapshot, context)
        rounds.append(
            ReviewRoundView(
                round=request.round,
                submitted_on=request.submitted_on.isoformat(),
                submitted_by=row.by,
                reviewer=row.reviewer,
                package=tuple(label for key, label in REVIEW_PACKAGE_ITEMS.items() if key in request.package),
                response=row.response,
                due=due.date,
                due_estimated=due.estimated,
                opinion=REVIEW_OPINIONS.get(opinion.opinion, opinion.opinion) if opinion else "",
                opinion_code=opinion.opinion if opinion else "",
                opinion_on=opinion.given_on.isoformat() if opinion else "",
                reasons=review.reasons,
                checklist=tuple(
                    (REVIEW_CHECKLIST.get(c.item, c.item), CHECKLIST_FINDINGS.get(c.finding, ""), c.note)
                    for c in review.checklist
                ),
            )
        )
    return CaseReviewView(
        criteria=assessment.criteria,
        overridden=assessment.overridden,
        overrides=snapshot.major_overrides,
        status_code=status.code,
        status_label=status.label,
        discussion_reasons=tuple(discussion_reasons(snapshot, context)),
        rounds=tuple(reversed(rounds)),
        discussion=_discussion_view(texts.collective_discussion),
    )


def _discussion_view(discussion: Discussion | None) -> DiscussionView | None:
    if discussion is None:
        return None
    return DiscussionView(on=discussion.on.isoformat() if discussion.on else "", conclusion=discussion.conclusion)


# --- deadlines and the worklist -----------------------------------------------------------------------

DEADLINE_STATE_LABELS = {
    "running": "进行中", "due_soon": "即将到期", "overdue": "已逾期", "met": "已完成",
    # A stored marker (`CaseDeadline.uncomputable`): a deadline could not be computed, its label says why.
    "uncomputable": "期限无法计算",
}


def case_deadlines(*, case: Case, on: dt.date | None = None, snapshot: PenaltyCaseSnapshot | None = None,
                   calendar: WorkingDayCalendar | None = None) -> list[Deadline]:
    return case_deadlines_checked(case=case, on=on, snapshot=snapshot, calendar=calendar)[0]


def case_deadlines_checked(
    *, case: Case, on: dt.date | None = None, snapshot: PenaltyCaseSnapshot | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> tuple[list[Deadline], list[Violation]]:
    """The deadlines that can be computed and, for the others, why not (a date of the case for
    which the law has no value): the case page and the API show both instead of failing."""
    snapshot = snapshot or case_snapshot_build(case)
    return spec_of(case).deadlines_checked(snapshot, calendar=calendar or working_day_calendar_current(),
                                           today=on or timezone.localdate())


@dataclass(frozen=True)
class WorklistRow:
    case: Case
    state_label: str
    next_deadline: Deadline | None
    open_deadlines: int


def deadline_rows_shown(on: dt.date) -> Q:
    """The stored deadline rows (`CaseDeadline`) shown on `on`."""
    return (Q(shown_from__isnull=True) | Q(shown_from__lte=on)) & (Q(shown_until__isnull=True) | Q(shown_until__gte=on))


def deadline_rows_open(on: dt.date) -> Q:
    """The rows shown on `on` that are still open (running, due soon or overdue)."""
    return deadline_rows_shown(on) & Q(met=False, completed_on__isnull=True)


def deadline_state_sql(on: dt.date) -> SqlCase:
    """The day's state of a stored deadline row, in SQL from its stored dates alone (the same as
    `procedure.penalty.deadlines.deadline_on`); "uncomputable" for a marker row (no due date)."""
    return SqlCase(
        When(uncomputable=True, then=Value("uncomputable")),
        When(Q(met=True) | Q(completed_on__isnull=False), then=Value("met")),
        When(due__lt=on, then=Value("overdue")),
        When(soon_from__lte=on, then=Value("due_soon")),
        default=Value("running"),
        output_field=CharField(),
    )


def _deadline_rows(on: dt.date, condition: Q) -> QuerySet[CaseDeadline]:
    return (
        CaseDeadline.objects.filter(condition)
        .annotate(day_state=deadline_state_sql(on))
        .order_by("case_id", "position")
    )


def _deadline(row: CaseDeadline) -> Deadline:
    return Deadline(row.code, row.label, row.due, row.day_state, row.basis, row.estimated, row.completed_on, row.late)


def cases_deadlines_shown(*, case_ids: Iterable[int], on: dt.date | None = None, open_only: bool = False
                          ) -> dict[int, list[Deadline]]:
    """The deadlines of each case shown on `on` (today), with the day's state, in the order the case
    page lists them, from the case projection: one query whatever the number of cases. The same
    as `case_deadlines` gives through the engine, after a marker (state "uncomputable", no due
    date, label "期限无法计算：…") for each reason a deadline could not be computed. A case with
    none is absent."""
    on = on or timezone.localdate()
    found: dict[int, list[Deadline]] = {}
    ids = list(case_ids)
    if not ids:
        return found
    condition = deadline_rows_open(on) if open_only else deadline_rows_shown(on)
    for row in _deadline_rows(on, condition & Q(case_id__in=ids)):
        found.setdefault(row.case_id, []).append(_deadline(row))
    return found


def cases_next_deadlines(*, case_ids: Iterable[int], on: dt.date | None = None) -> dict[int, list[Deadline]]:
    """The open deadlines (running, due soon, overdue) of each case on `on` (today), the next one
    first, from the case projection: one query whatever the number of cases (for lists and the
    API). A case without an open deadline is absent."""
    return cases_deadlines_shown(case_ids=case_ids, on=on, open_only=True)


def officer_worklist(*, user: User, on: dt.date | None = None) -> list[WorklistRow]:
    """The officer's open cases, the one with the nearest open deadline first (cases without one
    last, newest first), from the case projection: two queries whatever the number of cases."""
    if user.officer_id is None:
        return []
    on = on or timezone.localdate()
    # The agency's open cases, looked up in the index on (agency, procedure, state) as a list of
    # their own: with the officer's condition beside them, SQLite reads every case of the agency
    # instead (78 ms against 1.3 ms at 45,000 cases).
    open_ids = Case.objects.filter(open_cases(), agency_id=user.agency_id).order_by().values("pk")
    cases = (
        # From the agency's open cases, each asked whether the officer handles it (an index probe),
        # not from every case the officer ever handled.
        Case.objects.filter(pk__in=open_ids)
        .filter(Exists(Case.officers.through.objects.filter(case_id=OuterRef("pk"), officer_id=user.officer_id)))
        .select_related("agency", "party")
        # A list does not read the facts (the projection has what it shows): not loaded.
        .defer("facts", "details")
        # Not ordered in SQL: an order by the newest would lead SQLite to walk every case of the
        # agency in that order instead of looking the open ones up; they are few and sorted here.
        .order_by()
    )
    listed = sorted(cases, key=lambda c: (c.created_at, c.pk), reverse=True)
    deadlines = cases_next_deadlines(case_ids=[c.pk for c in listed], on=on) if listed else {}
    rows = []
    for case in listed:
        open_ = deadlines.get(case.pk, [])
        rows.append(WorklistRow(case, state_label(case), open_[0] if open_ else None, len(open_)))
    never = dt.date.max

    def nearest(row: WorklistRow) -> dt.date:
        # A deadline that could not be computed comes first: it may be the nearest of all.
        if row.next_deadline is None:
            return never
        return row.next_deadline.due or dt.date.min

    return sorted(rows, key=nearest)


# --- what waits for someone (the inbox) -------------------------------------------------------------

# The stored deadline rows of a fine's payment (`procedure.penalty.deadlines`: one per instalment).
PAYMENT_DEADLINE_PREFIX = "penalty.deadline.payment."


def _waiting_deadline_rows(*, agency_id: int, officer_id: int | None, fines_of_agency: bool, on: dt.date
                           ) -> tuple[QuerySet[CaseDeadline], Q, Q]:
    """The rows, and the conditions of the two kinds, of `deadline_rows_waiting`."""
    mine = (
        Exists(Case.officers.through.objects.filter(case_id=OuterRef("case_id"), officer_id=officer_id))
        if officer_id is not None else Q(pk__isnull=True)  # never: a user without an officer handles no case
    )
    state = deadline_state_sql(on)
    payment = Q(code__startswith=PAYMENT_DEADLINE_PREFIX)
    rows = (
        # Driven from the agency's open cases (an index range), never from every deadline row.
        CaseDeadline.objects.filter(
            deadline_rows_open(on), case__in=Case.objects.filter(open_cases(), agency_id=agency_id).values("pk")
        )
        .annotate(day_state=state)
        .filter(day_state__in=("due_soon", "overdue", "uncomputable"))
    )
    # A period near or past on the officer's own cases (a fine's payment is the party's, below), or
    # one that could not be computed (a marker row: someone must look before it runs out unseen).
    deadlines = ~payment & Q(mine)
    # A fine not paid by its day: on the officer's own cases, or on every case of the agency (its head).
    fines = payment & Q(day_state="overdue") & (Q(pk__isnull=False) if fines_of_agency else Q(mine))
    return rows, deadlines, fines


def deadline_rows_waiting(*, agency_id: int, officer_id: int | None, fines_of_agency: bool = False,
                          on: dt.date | None = None) -> tuple[list[CaseDeadline], list[CaseDeadline]]:
    """(deadlines near or past, fines overdue) of an inbox, from the case projection: the open
    deadlines due soon or overdue of the cases the officer handles (unfinished cases of the agency),
    and the instalments of a fine not paid by their day, of those cases or of every case of the
    agency (`fines_of_agency`). Each row carries its case (number, title) and `day_state`, the
    nearest first. A deadline that could not be computed (`uncomputable`, no due date) waits too. One query whatever the number of cases."""
    on = on or timezone.localdate()
    rows, deadlines, fines = _waiting_deadline_rows(
        agency_id=agency_id, officer_id=officer_id, fines_of_agency=fines_of_agency, on=on
    )
    found = list(
        rows.filter(deadlines | fines)
        .annotate(is_fine=SqlCase(When(fines, then=Value(True)), default=Value(False), output_field=BooleanField()))
        .select_related("case")
        .only("case_id", "code", "label", "due", "soon_from", "estimated", "case__number", "case__title")
        .order_by("due", "case_id", "position")
    )
    return [r for r in found if not r.is_fine], [r for r in found if r.is_fine]


def deadline_rows_waiting_querysets(*, agency_id: int, officer_id: int | None, fines_of_agency: bool = False,
                                    on: dt.date | None = None) -> tuple[QuerySet[CaseDeadline], QuerySet[CaseDeadline]]:
    """The rows of `deadline_rows_waiting`, each kind its own queryset, unread, in the same order
    (the inbox reads a count and a slice of each)."""
    on = on or timezone.localdate()
    rows, deadlines, fines = _waiting_deadline_rows(
        agency_id=agency_id, officer_id=officer_id, fines_of_agency=fines_of_agency, on=on
    )
    rows = (rows.select_related("case")
            .only("case_id", "code", "label", "due", "soon_from", "estimated", "case__number", "case__title")
            .order_by("due", "case_id", "position"))
    return rows.filter(deadlines), rows.filter(fines)


def deadline_rows_waiting_count(*, agency_id: int, officer_id: int | None, fines_of_agency: bool = False,
                                on: dt.date | None = None) -> tuple[int, int]:
    """How many rows `deadline_rows_waiting` gives of each kind, in one query."""
    on = on or timezone.localdate()
    rows, deadlines, fines = _waiting_deadline_rows(
        agency_id=agency_id, officer_id=officer_id, fines_of_agency=fines_of_agency, on=on
    )
    counts = rows.aggregate(deadlines=Count("pk", filter=deadlines), fines=Count("pk", filter=fines))
    return counts["deadlines"], counts["fines"]


# What a list's snapshot (`penalty_snapshot_listed`) reads of a case's `details`: annotations that
# read those parts alone, so that the list defers the texts of its documents.
LISTED_DETAILS = {
    "listed_records": KeyTransform("records", "details"),
    "listed_texts_party": KeyTransform("party", KeyTransform("texts", "details")),
}


def listed_details(case: Case) -> dict:
    """The parts of the case's `details` that `LISTED_DETAILS` annotated, as `details` holds them."""
    details: dict = {"records": case.listed_records or []}
    if case.listed_texts_party is not None:
        details["texts"] = {"party": case.listed_texts_party}
    return details


def penalty_snapshot_listed(case: Case, *, records_filed: frozenset[str], catalogue: ReviewCatalogue | None,
                            details: dict | None = None) -> PenaltyCaseSnapshot:
    """An ordinary penalty case's snapshot built without a query, for lists that judge many cases
    at once: the case must come with its agency, party and matter loaded, and the caller gives the
    records it found filed (evidence, issued documents: `case_records_present` reads them per case)
    and the agency's catalogue, read for all the cases at once; the records the steps made
    themselves are added here (from `case.details`, or from `details`, the parts a list read alone:
    `LISTED_DETAILS`, `listed_details`). The officers and the open
    enforcement cases are left empty: it serves what the review and the collective discussion
    read of a case (the major assessment, the discussion's reasons and gate, the review's state),
    never a guard on the officers."""
    spec = spec_of(case)
    if spec.snapshot_type is not PenaltyCaseSnapshot:
        raise ValueError(f"{case.procedure}: not a penalty procedure")
    given = {
        "state": case.state,
        "party": _party_snapshot(case, details),
        "act_date": SNAPSHOT_SOURCES["act_date"](case),
        "enforcement_field": case.enforcement_field,
        "region": case.agency.region_code,
        "officers": (),
        "records": records_filed | frozenset((case.details if details is None else details).get("records", [])),
        "matter": case.matter.code if case.matter_id else "",
        "catalogue": catalogue,
        "enforcement_cases_open": (),
    }
    return facts_load(PenaltyCaseSnapshot, case.facts, **{k: v for k, v in given.items() if k in spec.derived_fields})


# --- timeline and documents ---------------------------------------------------------------------------


def case_registered_on_paper(*, case: Case) -> bool:
    """Whether the case was registered by back-entry (补录: its registration carried the day it
    happened, `procedure.back_entry`): a paper case. One query."""
    from sanxiang.ledger.events import EventKind
    from sanxiang.ledger.selectors import entries_of_case

    body = entries_of_case(case_id=case.pk, agency_id=case.agency_id).filter(kind=EventKind.CASE_OPENED).values_list("body", flat=True).first()
    return body is not None and bool(json.loads(bytes(body))["payload"].get("back_entry"))


def case_last_step_on(*, case: Case) -> dt.date | None:
    """The day of the case's latest step as the ledger records it (a back-entered step by the day
    it happened; a registration by the day given when back-entered, else the day it was recorded);
    None for a case with no entry. Corrections of a record are not steps: they do not count. A
    back-entry may not be dated before it (`procedure.back_entry`). One query over the case's
    registration and step entries."""
    from sanxiang.ledger.events import EventKind
    from sanxiang.ledger.selectors import entries_of_case

    latest: dt.date | None = None
    rows = (entries_of_case(case_id=case.pk, agency_id=case.agency_id)
            .filter(kind__in=[EventKind.CASE_OPENED, EventKind.STEP_DONE])
            .exclude(subject__endswith=":correct_record").values_list("kind", "body", "created_at"))
    for kind, body, created_at in rows:
        payload = json.loads(bytes(body))["payload"]
        if kind == EventKind.CASE_OPENED:
            given = (payload.get("back_entry") or {}).get("occurred_on")
            day = dt.date.fromisoformat(given) if given else timezone.localdate(created_at)
        elif payload.get("on"):
            day = dt.date.fromisoformat(payload["on"])
        else:
            continue
        latest = day if latest is None or day > latest else latest
    return latest



@dataclass(frozen=True)
class TimelineItem:
    seq: int
    at: dt.datetime
    actor: str
    kind: str
    title: str
    detail: str
    # 补录: the day the step (or registration) happened and why it was entered late; `at` is when
    # it was entered.
    occurred_on: str = ""
    back_entry_reason: str = ""


def case_timeline(*, case: Case) -> list[TimelineItem]:
    """The case's history as the ledger records it (page views and downloads are in the access
    log, not here)."""
    from sanxiang.ledger.canonical import parse_utc_iso
    from sanxiang.ledger.events import EventKind
    from sanxiang.ledger.selectors import entries_of_case

    kinds = [EventKind.CASE_OPENED, EventKind.STEP_DONE, EventKind.DOCUMENT_ISSUED, EventKind.FILE_RECEIVED]
    spec = spec_of(case)
    procedure = spec.engine
    rows = list(
        entries_of_case(case_id=case.pk, agency_id=case.agency_id).filter(kind__in=kinds).order_by("seq").values_list("seq", "body", "actor_id")
    )
    names = {u.pk: str(u) for u in User.objects.filter(pk__in={a for _, _, a in rows if a is not None})}
    items = []
    for seq, body, actor_id in rows:
        entry = json.loads(bytes(body))
        payload = entry["payload"]
        actor = names.get(actor_id) or (entry.get("actor") or {}).get("username", "系统")
        kind = entry["kind"]
        if kind == EventKind.CASE_OPENED:
            # Entries since issue 10 keep the title's digest only; older ones hold it in clear.
            title, detail = "案源登记", f"{payload.get('number', '')} {payload.get('title', case.title)}"
        elif kind == EventKind.STEP_DONE:
            title = payload.get("label") or payload.get("action", "")
            moved = payload.get("state_from") != payload.get("state_to")
            detail = (
                f"{procedure.state_label(payload['state_from'])} → {procedure.state_label(payload['state_to'])}"
                if moved else ""
            )
            if payload.get("on") and not payload.get("back_entry"):  # a back-entered step shows its day first
                detail = f"{payload['on']} {detail}".strip()
        elif kind == EventKind.DOCUMENT_ISSUED and payload.get("copy"):
            # The Word copy (an internal document's PDF too), rendered after its step (procedure.document_timing).
            rendered = {"pdf": "PDF文本", "pdf+docx": "PDF和Word文本"}.get(payload["copy"], "Word文本")
            title = f"生成文书{rendered}：{payload.get('title', '')}"
            detail = payload.get("number", "")
        elif kind == EventKind.DOCUMENT_ISSUED:
            title = f"制作文书：{payload.get('title', '')}"
            detail = payload.get("number", "")
        else:
            step = payload.get("step", "")  # an upload's step: its Chinese name, never the code
            title, detail = "上传证据", evidence_step_label(case.procedure, step) if step else ""
        back_entry = payload.get("back_entry") if kind in (EventKind.CASE_OPENED, EventKind.STEP_DONE) else None
        items.append(TimelineItem(seq, parse_utc_iso(entry["at"]), actor, kind, title, detail,
                                  occurred_on=(back_entry or {}).get("occurred_on", ""),
                                  back_entry_reason=(back_entry or {}).get("reason", "")))
    return items


def case_documents(*, case: Case) -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.filter(case=case).select_related("pdf__stored_file", "docx__stored_file")


@dataclass(frozen=True)
class DocumentRow:
    """A document as the case page lists it: its Word copy is there, still to come (生成中), or
    failed every attempt (the administrators are told; it is retried when they ask)."""

    document: IssuedDocument
    copy_failed: bool = False

    @property
    def copy_pending(self) -> bool:
        return self.document.docx_id is None and not self.copy_failed


def case_document_rows(*, case: Case) -> list[DocumentRow]:
    """The case's documents for its page; one more query only while a Word copy is missing."""
    from sanxiang.cases.document_copies import DOCUMENT_COPY_JOB
    from sanxiang.jobs.models import Job, JobState

    documents = list(case_documents(case=case))
    failed: set[int] = set()
    if any(d.docx_id is None for d in documents):
        failed = {
            int(pk) for pk in Job.objects.filter(case_id=case.pk, kind=DOCUMENT_COPY_JOB, state=JobState.FAILED)
            .values_list("payload__document", flat=True)
        }
    return [DocumentRow(d, copy_failed=d.pk in failed) for d in documents]


def document_get(*, viewer: User, document_id: int) -> IssuedDocument:
    document = (
        IssuedDocument.objects.select_related("case", "pdf__stored_file", "docx__stored_file")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise Http404
    case_read_require(viewer, agency_id=document.agency_id, case_id=document.case_id)
    return document


def case_stored_values(*, agency_id: int, procedures: Iterable[str], names: Iterable[str]
                       ) -> Iterator[tuple[str, str, dict[str, object]]]:
    """(procedure, state, {name: value}) of each case of the agency in those procedures: the named
    facts as its procedure's snapshot types them (a name the snapshot stores; absent: its default).
    One query, no snapshot built: what statistics count."""
    names = tuple(names)
    rows = Case.objects.filter(agency_id=agency_id, procedure__in=list(procedures)).order_by("pk")
    for procedure, state, facts in rows.values_list("procedure", "state", "facts").iterator():
        spec = procedure_spec(procedure)
        values = {name: facts_field_load(spec.snapshot_type, name, facts) for name in names if name in spec.fact_fields}
        yield procedure, state, values


def case_texts(case: Case):
    """The case's texts as its procedure types them (`ProcedureSpec.texts_type`), or None for a
    procedure that keeps them as a plain dict. A stored value of the wrong type raises: a bug,
    not data to guess at."""
    spec = spec_of(case)
    if spec.texts_type is None:
        return None
    return facts_load(spec.texts_type, case.details.get("texts", {}))


def case_publication_texts(case: Case) -> PenaltyTexts:
    """The texts of a penalty case, typed, for the apps above that publish or show its decision
    (publication, the review panel); a case of another procedure has none of them: empty texts."""
    texts = case_texts(case)
    return texts if isinstance(texts, PenaltyTexts) else PenaltyTexts()


def case_form_initial(case: Case) -> dict:
    """What the case's step forms start with (its procedure says: the penalty proposed so far)."""
    return spec_of(case).form_initial(case_texts(case))


def case_decided(*, case: Case, snapshot=None) -> bool:
    """Whether the case is decided (or finished): its records are then what the decision rests on."""
    snapshot = snapshot or case_snapshot_build(case)
    return getattr(snapshot, "decided_on", None) is not None or case.state in spec_of(case).final_states


@dataclass(frozen=True)
class WithdrawalView:
    """撤销立案 as the case page states it."""

    on: dt.date
    kind: str  # label
    reason: str


def case_withdrawal(snapshot) -> WithdrawalView | None:
    from sanxiang.procedure.penalty.guards import WITHDRAWAL_KINDS

    on = getattr(snapshot, "withdrawn_on", None)
    if on is None:
        return None
    return WithdrawalView(on, WITHDRAWAL_KINDS.get(snapshot.withdrawal_kind, ""), snapshot.withdrawal_reason)


def case_recorded(case: Case) -> list[dict]:
    """The values of the case's correctable records as stored (each with its corrections), oldest
    first: what the case page shows under 记录的内容."""
    return list((case.details or {}).get("step_values") or [])


def case_recorded_get(case: Case, record_id: int) -> dict | None:
    return next((r for r in case_recorded(case) if r.get("id") == record_id), None)


def record_correction_problems(*, case: Case, record: dict) -> list[Violation]:
    """Why the record may not be corrected with the case as it stands (the procedure decides: only
    in the state(s) of the step that made it); none when it may."""
    spec = spec_of(case)
    step = spec.step(record.get("action", ""))
    if step is None:
        return [Violation("case.record_unknown", "本案没有这一记录", FORM_BASIS, "record")]
    return procedure_record_correction_problems(step, state=case.state, state_label=spec.state_label)


def record_correctable(*, case: Case, record: dict) -> bool:
    """Whether the record may be corrected now (`record_correction_problems` has nothing)."""
    return not record_correction_problems(case=case, record=record)


def record_corrector_problems(*, user: User, case: Case, case_officer_ids: Iterable[int] | None = None) -> list[Violation]:
    """Why the user may not correct the case's records (an officer assigned to the case or the
    agency head of its agency may). A page that has the case's officers passes their ids."""
    if not user_can_act_on_case(user, case):
        return [Violation("case.correction_actor", READ_ONLY, CORRECTION_ACTOR_RULE, "role")]
    if case_officer_ids is None:
        case_officer_ids = case.officers.values_list("pk", flat=True)
    return procedure_record_corrector_problems(role=user.role, officer_id=user.officer_id,
                                               case_officer_ids=case_officer_ids)


def step_for(case: Case, action: str) -> Step | None:
    return spec_of(case).step(action)


__all__ = ["ActionView", "DiscussionView", "StepConsequences", "TimelineItem", "WorklistRow"]


# --- what a step will do (its confirmation) -------------------------------------------------------


@dataclass(frozen=True)
class StepConsequences:
    """What performing a step does that cannot be taken back: the documents it makes, those of
    them issued to the party (under a 文号 of their own), whether it decides the case, and the
    final state it moves the case to (撤销立案, 不予立案, 归档). A step with any of these asks for
    confirmation first."""

    label: str
    documents: tuple[str, ...]
    party_documents: tuple[str, ...]
    decides: bool
    # The label of the final state the step moves the case to (已撤销立案, 不予立案 …), or "".
    finishes: str = ""

    @property
    def irreversible(self) -> bool:
        return self.decides or bool(self.party_documents) or bool(self.finishes)

    @property
    def effects(self) -> tuple[str, ...]:
        """What cannot be undone, in words (the step's note before its button)."""
        effects = []
        if self.party_documents:
            effects.append(f"将向当事人制发{'、'.join(self.party_documents)}")
        elif self.documents:
            effects.append(f"将制作{'、'.join(self.documents)}")
        if self.decides:
            effects.append("本案即作出决定")
        if self.finishes:
            effects.append(f"案件状态将变为“{self.finishes}”，此后不能再办理")
        return tuple(effects)


def step_consequences(*, case: Case, step: Step, snapshot=None, context: GuardContext | None = None) -> StepConsequences:
    """The step's consequences for this case as it stands (a decision not to penalise makes a
    不予行政处罚决定书, not a 行政处罚决定书). A page passes its snapshot and context: no query then."""
    kinds = step.documents
    if step.document_applies is not None:
        snapshot = snapshot or case_snapshot_build(case)
        draft = Draft(snapshot=snapshot, details=case.details, context=context or guard_context(), actor_name="")
        kinds = tuple(d for d in step.documents if step.document_applies(d[0], draft))
    documents = tuple(dict.fromkeys(ALL_DOCUMENT_KINDS[kind].title for kind, _ in kinds))
    party = tuple(dict.fromkeys(ALL_DOCUMENT_KINDS[kind].title for kind, _ in kinds if ALL_DOCUMENT_KINDS[kind].numbered))
    spec = spec_of(case)
    final = spec.step_final_state(step)
    return StepConsequences(label=step.label, documents=documents, party_documents=party, decides=step.decides,
                            finishes=spec.state_label(final) if final else "")


def av_step_cases(*, agency_ids: Iterable[int], step: AvStep, start: dt.date | None, last: dt.date) -> QuerySet[Case]:
    """The cases of the agencies in which a recording step (`procedure.evaluation.indicators.AvStep`)
    took place between `start` (None: from the first) and `last`, both included: a case counts once
    a step, on the day of the step's earliest record (an issued document of the step's record kind,
    else an uploaded record of that step). Each case is annotated with `step_on` and `recorded`
    (an audio or video file of one of the step's recording steps is on the case). Read from stored
    records in one query, whatever the number of cases: the 音像记录覆盖率 indicator (evaluation)
    counts these, and the supervision desk's platform alert lists those not `recorded`."""
    tz = timezone.get_current_timezone()
    # The instant after the last day, for the evidence's upload time.
    until = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()), tz)
    documents_in = IssuedDocument.objects.filter(
        agency_id__in=agency_ids, record_kind=step.record_kind, issued_on__lte=last)
    evidence_in = EvidenceRecord.objects.filter(agency_id__in=agency_ids, step=step.record_kind, uploaded_at__lt=until)
    if start is not None:
        since = timezone.make_aware(dt.datetime.combine(start, dt.time()), tz)
        documents_in = documents_in.filter(issued_on__gte=start)
        evidence_in = evidence_in.filter(uploaded_at__gte=since)
    # A step falls in the period by its earliest record: then a record of it is in the period. Only
    # those cases are looked at (not every case of the agencies).
    documents_in = documents_in.order_by().values("case_id")
    evidence_in = evidence_in.order_by().values("case_id")
    document_on = IssuedDocument.objects.filter(case=OuterRef("pk"), record_kind=step.record_kind).values("case")
    document_on = document_on.annotate(first=Min("issued_on")).values("first")
    evidence_on = (
        EvidenceRecord.objects.filter(case=OuterRef("pk"), step=step.record_kind)
        .annotate(day=TruncDate("uploaded_at", tzinfo=tz))
        .values("case").annotate(first=Min("day")).values("first")
    )
    recorded = EvidenceRecord.objects.filter(
        case=OuterRef("pk"), step__in=step.recordings, kind__in=(EvidenceKind.AUDIO, EvidenceKind.VIDEO)
    ).filter(Q(stored_file__content_type__startswith="audio/") | Q(stored_file__content_type__startswith="video/"))
    in_period = Q(step_on__lte=last) if start is None else Q(step_on__gte=start, step_on__lte=last)
    return (
        Case.objects.filter(agency_id__in=agency_ids)
        # One set of ids (a semi-join), not two tests a case each: the planner then reads only
        # these cases (PostgreSQL's estimate stays small, below its JIT threshold).
        .filter(pk__in=documents_in.union(evidence_in))
        .annotate(
            step_on=Coalesce(Subquery(document_on, output_field=DateField()),
                             Subquery(evidence_on, output_field=DateField())),
            recorded=Exists(recorded),
        )
        .filter(in_period)
    )
