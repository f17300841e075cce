"""Growing a loaded demo county to N cases, for the scale benchmarks (issue 12).

The demo's own cases (`sanxiang.demo.cases` and `sanxiang.demo.coercion`, every state of every
procedure, each played through the engine) are the templates. A grown case is a copy of one of
them, written in bulk:

- the same agency, party, officers, procedure and state; facts, document texts, documents,
  evidence rows, publication drafts and publications with every date moved back by the same
  number of days (whole weeks, so that weekdays stay weekdays), and every 文号 (the case number,
  the decisions' numbers) replaced by a new one from the agency's counters, for the year of the
  moved date. A case and the cases inside it (a seizure inside a penalty case, the execution of
  its decision) are copied together, as a family, with the same shift;
- a shift is chosen so that the official working-day calendar is the same over the moved period
  as over the original one (every working-day period the law counts stays what the engine
  checked), and so that every officer of the case holds a certificate valid for its field on the
  moved days; a family for which no such shift exists (its period crosses holidays that move
  every year) takes the shift with the fewest differing days, and is counted in the result;
- the rows of the documents and evidence point to the same stored files (the rendered PDF and
  DOCX show the template's numbers and dates: a benchmark reads rows, not files);
- every ledger entry of the template (steps, documents, their files, publications) is appended
  again for the copy, with its ids, dates and numbers moved the same way, through the ledger's
  bulk `entries_append`, in the copy's own order; the copy's 立案 entry names the template it
  was grown from (`grown_from`). A publication whose display period has ended on the moved dates
  is taken down with its entry, as `publications_expire` would.

Copies of the closed families are spread over `spread_days` before today; copies of the families
with a case still open (`open_cases` in all) over `open_spread_days`, so that their deadlines are
near today as a county's are. Batches of `batch_size` copies, one transaction each, which also
brings the projections of its copies up to date (`_projections_refresh`: deadlines, roles next,
search grams, review figures, annual acts), as a step does for its case; a projection registered
later and not refreshed there is rebuilt whole after the last batch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import models, transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case, DocumentCounter, IssuedDocument
from sanxiang.cases.services import document_number_format
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.jobs.services import jobs_run_due
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.ledger.models import HEAD_ID, Entry, Head, LedgerAgency
from sanxiang.ledger.services import entries_append
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.registry_rules import certificate_is_valid_on
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft, PublicationStatus
from sanxiang.publication.search import publication_search_text
from sanxiang.registry.models import Agency, Officer

WEEK = 7
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?=$|T)")
_SUBJECT = re.compile(r"(case|document|evidence|publication_draft|publication):(\d+)(.*)", re.S)
_ID_KEYS = {"document": "document", "record": "evidence", "draft": "publication_draft",
            "publication": "publication", "parent": "case"}


class GrowError(Exception):
    """The database cannot be grown (not a demo database, or no demo case to copy)."""


@dataclasses.dataclass(frozen=True)
class GrowResult:
    cases_before: int
    cases_after: int
    added: int
    open_added: int
    entries_added: int
    approximate: int  # copies whose moved period differs from the original's in some working day
    batches: int
    seconds: float

    @property
    def summary(self) -> str:
        return (f"案件 {self.cases_before} → {self.cases_after}（新增 {self.added}，其中未办结 {self.open_added}），"
                f"账本条目新增 {self.entries_added}，{self.batches} 批，用时 {self.seconds:.1f} 秒")


@dataclasses.dataclass
class _Entry:
    seq: int
    kind: str
    actor_id: int | None
    agency_id: int | None
    case_id: int | None
    subject: str
    payload: dict
    files: tuple[FileDigest, ...]


@dataclasses.dataclass
class _Family:
    """A template case with the cases inside it, parents first."""

    members: list[Case]
    officers: dict[int, list[int]]  # case pk -> officer pks
    evidence: list[EvidenceRecord]
    documents: list[IssuedDocument]
    publications: list[Publication]
    drafts: list[PublicationDraft]
    entries: list[_Entry]
    numbers: dict[str, tuple[str, dt.date]]  # template 文号 -> (counter kind, day it was given)
    open_count: int
    shifts: list[int] = dataclasses.field(default_factory=list)
    approximate: bool = False

    @property
    def size(self) -> int:
        return len(self.members)


# --- the templates ---------------------------------------------------------------------------------


def _templates() -> list[Case]:
    """The demo's own cases: those created before the first grown one (a grown case's 立案 entry
    names its template), so that growing twice copies the demo, not copies; not the imported ones."""
    first_grown = None
    opened = Entry.objects.filter(kind=EventKind.CASE_OPENED).order_by("seq").values_list("case_id", "body")
    for case_id, body in opened.iterator(chunk_size=200):
        if b'"grown_from"' in bytes(body):
            first_grown = case_id
            break
    # A licence decision imported from the 政务服务 system is not a template: its import is its source's,
    # and a copy under the same source id would be a second import of one decision.
    cases = Case.objects.filter(permit_import__isnull=True).order_by("pk")
    if first_grown is not None:
        cases = cases.filter(pk__lt=first_grown)
    return list(cases)


def _is_open(case: Case) -> bool:
    spec = procedures_all().get(case.procedure)
    return spec is not None and case.state not in spec.final_states


def _dates_in(value) -> Iterator[dt.date]:
    if isinstance(value, str):
        match = _ISO.match(value)
        if match:
            try:
                yield dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return
    elif isinstance(value, dict):
        for item in value.values():
            yield from _dates_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dates_in(item)


def _families(templates: list[Case]) -> list[_Family]:
    by_pk = {c.pk: c for c in templates}
    children: dict[int, list[Case]] = defaultdict(list)
    roots = []
    for case in templates:
        if case.parent_id in by_pk:
            children[case.parent_id].append(case)
        else:
            roots.append(case)
    pks = list(by_pk)
    through = Case.officers.through
    officers: dict[int, list[int]] = defaultdict(list)
    for case_id, officer_id in through.objects.filter(case_id__in=pks).order_by("pk").values_list(
        "case_id", "officer_id"
    ):
        officers[case_id].append(officer_id)
    documents = defaultdict(list)
    for document in IssuedDocument.objects.filter(case_id__in=pks).order_by("pk"):
        documents[document.case_id].append(document)
    document_files = {pk for docs in documents.values() for d in docs for pk in (d.pdf_id, d.docx_id)}
    evidence_by_pk = {
        r.pk: r
        for r in EvidenceRecord.objects.filter(models.Q(case_id__in=pks) | models.Q(pk__in=document_files))
    }
    drafts = defaultdict(list)
    for draft in PublicationDraft.objects.filter(case_id__in=pks).order_by("pk"):
        drafts[draft.case_id].append(draft)
    publications = Publication.objects.in_bulk(
        [d.publication_id for ds in drafts.values() for d in ds if d.publication_id]
    )
    numbers = _number_kinds(templates)
    subjects = {f"evidence:{pk}" for pk in evidence_by_pk}
    entries_by_case: dict[int, list[_Entry]] = defaultdict(list)
    entries_by_subject: dict[str, _Entry] = {}
    rows = Entry.objects.filter(models.Q(case_id__in=pks) | models.Q(subject__in=subjects)).order_by("seq")
    for seq, kind, actor_id, agency_id, case_id, subject, body in rows.values_list(
        "seq", "kind", "actor_id", "agency_id", "case_id", "subject", "body"
    ):
        parsed = json.loads(bytes(body))
        entry = _Entry(seq, kind, actor_id, agency_id, case_id, subject, parsed["payload"],
                       tuple(FileDigest(f["sha256"], f["size"], f.get("sm3")) for f in parsed["files"]))
        if case_id is not None:
            entries_by_case[case_id].append(entry)
        else:
            entries_by_subject[subject] = entry

    families = []
    for root in roots:
        members, queue = [], [root]
        while queue:
            case = queue.pop(0)
            members.append(case)
            queue.extend(children.get(case.pk, []))
        member_pks = [m.pk for m in members]
        family_docs = [d for pk in member_pks for d in documents[pk]]
        evidence_pks = {r.pk for r in evidence_by_pk.values() if r.case_id in member_pks}
        evidence_pks |= {pk for d in family_docs for pk in (d.pdf_id, d.docx_id)}
        family_drafts = [d for pk in member_pks for d in drafts[pk]]
        entries = [e for pk in member_pks for e in entries_by_case[pk]]
        entries += [entries_by_subject[f"evidence:{pk}"] for pk in evidence_pks if f"evidence:{pk}" in entries_by_subject]
        entries.sort(key=lambda e: e.seq)
        family_numbers = {m.number: numbers[m.number] for m in members if m.number in numbers}
        family_numbers |= {d.number: numbers[d.number] for d in family_docs if d.number in numbers}
        families.append(
            _Family(
                members=members,
                officers={pk: officers[pk] for pk in member_pks},
                evidence=[evidence_by_pk[pk] for pk in sorted(evidence_pks)],
                documents=family_docs,
                publications=[publications[d.publication_id] for d in family_drafts if d.publication_id],
                drafts=family_drafts,
                entries=entries,
                numbers=family_numbers,
                open_count=sum(_is_open(m) for m in members),
            )
        )
    return families


def _number_kinds(templates: list[Case]) -> dict[str, tuple[str, dt.date]]:
    """Every 文号 given out to the templates' agencies, with the counter it came from and the day
    it was given (a case's first day; a document's date)."""
    agencies = {c.agency_id: c.agency for c in templates}
    formatted: dict[str, str] = {}
    for counter in DocumentCounter.objects.filter(agency_id__in=list(agencies)):
        agency = agencies[counter.agency_id]
        for sequence in range(1, counter.last + 1):
            number = document_number_format(agency=agency, kind=counter.kind, year=counter.year, sequence=sequence)
            formatted[number] = counter.kind
    found: dict[str, tuple[str, dt.date]] = {}
    for case in templates:
        if case.number in formatted:
            found[case.number] = (formatted[case.number], _first_day(case))
    for number, issued_on in IssuedDocument.objects.filter(case__in=templates).exclude(number="").values_list(
        "number", "issued_on"
    ):
        if number in formatted:
            found[number] = (formatted[number], issued_on)
    return found


def _first_day(case: Case) -> dt.date:
    days = list(_dates_in(case.facts))
    return min(days) if days else timezone.localtime(case.created_at).date()


# --- choosing shifts -------------------------------------------------------------------------------


def _shifts(family: _Family, *, spread_days: int, today: dt.date, working: Callable[[dt.date], bool]) -> None:
    """The shifts (days back, whole weeks) this family may take: certificates valid on the moved
    days, and the same working days over the moved period; the closest ones if none is exact."""
    days = [d for m in family.members for d in (*_dates_in(m.facts), *_dates_in(m.details))]
    days += [timezone.localtime(m.created_at).date() for m in family.members]
    low = min(days)
    high = max(days)
    if family.open_count:
        high = max(high, today + dt.timedelta(days=120))  # the deadlines still to come
    officer_pks = {pk for pks in family.officers.values() for pk in pks}
    certificates = {
        o.pk: [c.snapshot() for c in o.certificates.all()]
        for o in Officer.objects.filter(pk__in=officer_pks).prefetch_related("certificates")
    }
    spans = {}
    for m in family.members:
        member_days = [d for d in (*_dates_in(m.facts), *_dates_in(m.details)) if d <= today] or [low]
        spans[m.pk] = (min(member_days), max(member_days), m.enforcement_field)

    def certified(shift: int) -> bool:
        back = dt.timedelta(days=shift)
        for m in family.members:
            first, last, field = spans[m.pk]
            for officer in family.officers[m.pk]:
                if not any(
                    certificate_is_valid_on(c, first - back, enforcement_field=field)
                    and certificate_is_valid_on(c, last - back, enforcement_field=field)
                    for c in certificates.get(officer, [])
                ):
                    return False
        return True

    span = [low + dt.timedelta(days=i) for i in range((high - low).days + 1)]
    original = [working(d) for d in span]
    scored = []
    for shift in range(0, spread_days + 1, WEEK):
        if shift and not certified(shift):
            continue
        back = dt.timedelta(days=shift)
        differing = sum(working(d - back) != w for d, w in zip(span, original, strict=True))
        scored.append((differing, shift))
    best = min(differing for differing, _ in scored)
    family.shifts = [shift for differing, shift in scored if differing == best]
    family.approximate = best > 0


# --- copying ---------------------------------------------------------------------------------------


@contextmanager
def _dates_as_given(*model_types) -> Iterator[None]:
    """Let bulk_create store the moved creation and update times instead of now."""
    saved = []
    for model in model_types:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _Copy:
    """One copy of a family: its shift, its new numbers and the ids of its new rows."""

    def __init__(self, shift: int, numbers: dict[str, str]):
        self.back = dt.timedelta(days=shift)
        self.numbers = numbers
        self.pattern = re.compile("|".join(map(re.escape, sorted(numbers, key=len, reverse=True)))) if numbers else None
        self.ids: dict[str, dict[int, int]] = defaultdict(dict)

    def text(self, value: str) -> str:
        match = _ISO.match(value)
        if match:
            try:
                day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return value
            return (day - self.back).isoformat() + value[10:]
        if self.pattern is not None and "〔" in value:
            return self.pattern.sub(lambda m: self.numbers[m[0]], value)
        return value

    def walk(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.walk(item) for item in value]
        return value

    def clone(self, obj: models.Model, **overrides):
        values = {}
        for field in obj._meta.concrete_fields:
            if field.primary_key:
                continue
            value = overrides[field.attname] if field.attname in overrides else getattr(obj, field.attname)
            if field.attname in overrides or value is None:
                pass
            elif isinstance(field, models.DateField):  # dates and date-times
                value = value - self.back
            elif isinstance(field, models.JSONField):
                value = self.walk(value)
            elif isinstance(field, models.CharField | models.TextField):
                value = self.text(value)
            values[field.attname] = value
        return type(obj)(**values)

    def subject(self, subject: str) -> str:
        match = _SUBJECT.fullmatch(subject)
        if not match:
            return subject
        table = self.ids[match[1]]
        return f"{match[1]}:{table.get(int(match[2]), int(match[2]))}{match[3]}"

    def payload(self, payload: dict, template_number: str | None) -> dict:
        moved = self.walk(payload)
        for key, table in _ID_KEYS.items():
            if isinstance(moved.get(key), int):
                moved[key] = self.ids[table].get(moved[key], moved[key])
        for document in moved.get("documents") or []:
            if isinstance(document, dict) and isinstance(document.get("id"), int):
                document["id"] = self.ids["document"].get(document["id"], document["id"])
        if template_number is not None:
            moved["grown_from"] = template_number
        return moved


def _numbers_take(agency: Agency, kind: str, year: int, count: int) -> int:
    """Reserve `count` numbers of a counter; returns the first."""
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(agency=agency, year=year, kind=kind, last=0)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(agency=agency, year=year, kind=kind)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def _copies_write(family: _Family, shifts: list[int], *, today: dt.date, users: dict[int, User]) -> tuple[list[int], int]:
    """Write len(shifts) copies of the family in the caller's transaction; returns the new case
    ids and the number of ledger entries appended."""
    head = Head.objects.select_for_update().filter(pk=HEAD_ID).first()
    start = head.size if head is not None else Entry.objects.count()
    agency = family.members[0].agency

    # New numbers, taken from each counter in one step per (kind, year).
    wanted: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    for j, shift in enumerate(shifts):
        for number, (kind, day) in family.numbers.items():
            wanted[(kind, (day - dt.timedelta(days=shift)).year)].append((j, number))
    numbers: list[dict[str, str]] = [{} for _ in shifts]
    for (kind, year), uses in sorted(wanted.items()):
        first = _numbers_take(agency, kind, year, len(uses))
        for offset, (j, number) in enumerate(uses):
            numbers[j][number] = document_number_format(agency=agency, kind=kind, year=year, sequence=first + offset)
    copies = [_Copy(shift, numbers[j]) for j, shift in enumerate(shifts)]

    # Where each entry will land: the family's k-th entry for copy j at start + k * M + j.
    count = len(copies)
    position = {entry.subject: k for k, entry in enumerate(family.entries)}

    def seq_of(subject: str, j: int) -> int | None:
        k = position.get(subject)
        return None if k is None else start + k * count + j

    new_cases: list[int] = []
    with _dates_as_given(Case, IssuedDocument, Publication, PublicationDraft):
        levels: dict[int, int] = {}
        for member in family.members:
            levels[member.pk] = levels.get(member.parent_id, -1) + 1 if member.parent_id in levels else 0
        for level in sorted(set(levels.values())):
            members = [m for m in family.members if levels[m.pk] == level]
            rows = [
                copy.clone(m, parent_id=copy.ids["case"].get(m.parent_id, m.parent_id))
                for copy in copies for m in members
            ]
            Case.objects.bulk_create(rows)
            for index, row in enumerate(rows):
                copy, member = copies[index // len(members)], members[index % len(members)]
                copy.ids["case"][member.pk] = row.pk
                new_cases.append(row.pk)
        through = Case.officers.through
        through.objects.bulk_create([
            through(case_id=copy.ids["case"][pk], officer_id=officer)
            for copy in copies for pk, officers in family.officers.items() for officer in officers
        ])
        _rows_copy(EvidenceRecord, family.evidence, copies, "evidence", lambda copy, j, r: {
            "case_id": copy.ids["case"].get(r.case_id) if r.case_id else None,
            "ledger_seq": seq_of(f"evidence:{r.pk}", j),
            # The file's name as its entry holds it (a digest, which the copy of the entry cannot
            # move): the copy is the same stored file, and verify compares the two.
            "original_name": r.original_name,
        })
        _rows_copy(IssuedDocument, family.documents, copies, "document", lambda copy, j, d: {
            "case_id": copy.ids["case"][d.case_id],
            "pdf_id": copy.ids["evidence"][d.pdf_id],
            "docx_id": copy.ids["evidence"][d.docx_id],
            "ledger_seq": seq_of(f"document:{d.pk}", j),
        })
        expired: list[Publication] = []

        def publication_fields(copy, j, p):
            display_until = p.display_until - copy.back
            status = p.status
            if status == PublicationStatus.PUBLISHED and display_until < today:
                status = PublicationStatus.EXPIRED
            return {"status": status}

        published = _rows_copy(Publication, family.publications, copies, "publication", publication_fields,
                               search=True)
        expired = [p for p in published if p.status == PublicationStatus.EXPIRED]
        expired_pks = {p.pk for p in expired}

        def draft_fields(copy, j, d):
            publication = copy.ids["publication"].get(d.publication_id) if d.publication_id else None
            status = DraftStatus.EXPIRED if publication in expired_pks else d.status
            return {"case_id": copy.ids["case"][d.case_id], "publication_id": publication, "status": status}

        _rows_copy(PublicationDraft, family.drafts, copies, "publication_draft", draft_fields)

    # The ledger: layer by layer (the k-th entry of every copy), one bulk append per run of layers
    # with the same actor, so that each copy's entries keep their order.
    appended = 0
    runs: list[tuple[int | None, list[tuple[int, _Entry]]]] = []
    for k, entry in enumerate(family.entries):
        if runs and runs[-1][0] == entry.actor_id:
            runs[-1][1].append((k, entry))
        else:
            runs.append((entry.actor_id, [(k, entry)]))
    numbers_of = {m.pk: m.number for m in family.members}
    for actor_id, layer in runs:
        events = (
            LedgerEvent(
                EventKind(entry.kind),
                copy.payload(
                    entry.payload,
                    numbers_of.get(entry.case_id) if entry.kind == EventKind.CASE_OPENED else None,
                ),
                entry.agency_id,
                copy.ids["case"].get(entry.case_id) if entry.case_id is not None else None,
                subject=copy.subject(entry.subject),
                files=entry.files,
            )
            for k, entry in layer
            for copy in copies
        )
        appended += entries_append(events=events, actor=users.get(actor_id) if actor_id else None)
    if expired:
        appended += entries_append(events=(
            LedgerEvent(
                EventKind.PUBLICATION_EXPIRED,
                {"publication": p.pk, "display_until": p.display_until.isoformat(), "taken_down_on": today.isoformat()},
                agency_id=_public_agency_source(p.agency_id),
                subject=f"publication:{p.pk}",
            )
            for p in expired
        ))
    expected = len(family.entries) * count + len(expired)
    if appended != expected or Head.objects.get(pk=HEAD_ID).size != start + expected:
        raise GrowError("the ledger moved while the copies were written; grow again")
    return new_cases, appended


_PUBLIC_AGENCY_SOURCE: dict[int, int] = {}


def _public_agency_source(public_agency_id: int) -> int:
    if public_agency_id not in _PUBLIC_AGENCY_SOURCE:
        from sanxiang.publication.models import PublicAgency

        _PUBLIC_AGENCY_SOURCE[public_agency_id] = PublicAgency.objects.get(pk=public_agency_id).source_id
    return _PUBLIC_AGENCY_SOURCE[public_agency_id]


def _rows_copy(model, templates, copies, table: str, fields, *, search: bool = False) -> list:
    rows, origins = [], []
    for j, copy in enumerate(copies):
        for template in templates:
            row = copy.clone(template, **fields(copy, j, template))
            if search:
                row.search_text = publication_search_text(row)
            rows.append(row)
            origins.append((copy, template.pk))
    model.objects.bulk_create(rows)
    for row, (copy, pk) in zip(rows, origins, strict=True):
        copy.ids[table][pk] = row.pk
    return rows


# --- the plan --------------------------------------------------------------------------------------


def _plan(families: list[_Family], *, add: int, open_wanted: int) -> list[tuple[_Family, int]]:
    """How many copies of each family: open families first until `open_wanted` open cases are
    added, then closed ones, the last ones small enough not to pass `add`."""
    counts: dict[int, int] = defaultdict(int)
    open_families = [f for f in families if f.open_count]
    closed_families = [f for f in families if not f.open_count]
    total = opened = 0
    index = 0
    while open_families and opened < open_wanted and total < add:
        fitting = [f for f in open_families if f.size <= add - total]
        if not fitting:
            break
        family = fitting[index % len(fitting)]
        counts[id(family)] += 1
        total += family.size
        opened += family.open_count
        index += 1
    index = 0
    while closed_families and total < add:
        fitting = [f for f in closed_families if f.size <= add - total]
        if not fitting:
            break
        family = fitting[index % len(fitting)]
        counts[id(family)] += 1
        total += family.size
        index += 1
    return [(f, counts[id(f)]) for f in families if counts[id(f)]]


# The projections the copies' batches keep up to date themselves (`_projections_refresh`); any
# other registered projection is rebuilt whole after the last batch.
_REFRESHED_PER_BATCH = frozenset(
    {"cases.deadlines", "cases.search", "review.tallies", "publication.annual", "publication.search"}
)


def _projections_refresh(case_ids: list[int]) -> None:
    """Bring every projection up to date for the copies just written, in their batch's transaction,
    as a step does for its case: the deadlines, the roles next and the search grams
    (`case_projection_refresh`), the review figures of the decided copies, the annual acts. A
    publication's search text is written with its row (`_rows_copy`) and, on SQLite, its grams'
    index follows by trigger. Rebuilding every projection whole after the last batch instead cost
    as much again as the copies themselves (all cases recomputed) and grew with the database."""
    from sanxiang.cases.projection import case_projection_refresh
    from sanxiang.cases.selectors import case_snapshot_build, cases_snapshot_reads_load
    from sanxiang.procedure.catalog import UnknownProcedure
    from sanxiang.publication.annual import annual_cases_refresh
    from sanxiang.review.tallies import review_tallies_refresh

    # Each copy's snapshot is built once, for both the deadlines and the review figures, with what
    # the snapshots read afresh (officers, records, documents, children, parent, catalogue) read
    # for the whole batch at once: seven queries a batch instead of up to seven a copy.
    cases = list(Case.objects.filter(pk__in=case_ids).select_related("agency", "matter", "party").order_by("pk"))
    cases_snapshot_reads_load(cases)
    snapshots = {}
    for case in cases:
        try:
            snapshots[case.pk] = case_snapshot_build(case)
        except (UnknownProcedure, ValueError, TypeError, KeyError):
            pass  # the refresh builds it again and marks the case as it would any step's
    case_projection_refresh(case_ids=case_ids, snapshots=snapshots)
    review_tallies_refresh(case_ids=case_ids, snapshots=snapshots)
    annual_cases_refresh(cases=cases)


def projections_rebuild(*, exclude: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """Rebuild every registered projection (sanxiang.projections) but those named in `exclude`;
    (name, rows) of each."""
    from sanxiang.projections import projections_all

    done = []
    for projection in projections_all():
        if projection.name in exclude:
            continue
        with transaction.atomic():
            done.append((projection.name, projection.rebuild()))
    return done


def demo_database_refusal(*, today: dt.date) -> str:
    """Why this database is not a demo database that may be grown ("" when it is). Growth writes
    thousands of made-up cases and ledger entries that can never be removed: only a database that
    holds the demo county (乌审旗, `sanxiang demo`) and nothing else is grown. The marker is the
    registry itself: the demo's judicial bureau is there, and every agency is one of the demo's
    (their credit codes come from the demo's fixed seed); and no agency is routed to a county
    ledger of its own (growth appends to the default ledger alone)."""
    from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
    from sanxiang.registry.models import Agency

    generator = CountyGenerator(seed=DEMO_SEED, today=today)
    demo_codes = {spec.credit_code for spec in generator.agencies()}
    if not Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).exists():
        return ("本库没有加载演示旗县，不是演示库：不能扩充。扩充只用于演示库，"
                "请在新的数据目录中运行 sanxiang demo --no-serve 加载演示旗县后再扩充")
    others = list(Agency.objects.exclude(credit_code__in=demo_codes).order_by("pk").values_list("name", flat=True)[:4])
    if others:
        names = "、".join(others[:3]) + ("等" if len(others) > 3 else "")
        return f"本库有演示旗县以外的执法主体（{names}），不是演示库：不能扩充"
    if LedgerAgency.objects.exists():
        # Growth appends copies to the default ledger alone, and for ever: never on a county that
        # routes its agencies to ledgers of their own (a real deployment, not the demo).
        return "本库的执法主体已分配到旗县账本，不是演示库：不能扩充"
    return ""


def demo_grow(
    *,
    cases: int,
    open_cases: int = 250,
    spread_days: int = 365,
    open_spread_days: int = 28,
    batch_size: int = 200,
    seed: int = 12,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> GrowResult:
    """Grow the loaded demo county to `cases` cases in all, `open_cases` of them open (counting
    the demo's own open cases). Does nothing if there are that many already."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    before = Case.objects.count()
    refusal = demo_database_refusal(today=today)
    if refusal:
        raise GrowError(refusal)
    # The templates' documents are copied with both their files: Word copies still to follow their
    # step (procedure.document_timing) are rendered first.
    jobs_run_due(limit=1_000_000)
    templates = _templates()
    if not templates:
        raise GrowError("没有可复制的演示案件：请先运行 sanxiang demo --no-serve 加载演示旗县")
    families = _families(templates)
    calendar = working_day_calendar_current()
    known: dict[dt.date, bool] = {}

    def working(day: dt.date) -> bool:
        if day not in known:
            known[day] = calendar.is_working_day(day).working
        return known[day]

    for family in families:
        _shifts(family, spread_days=open_spread_days if family.open_count else spread_days, today=today,
                working=working)
    open_now = sum(_is_open(c) for c in Case.objects.only("procedure", "state").iterator(chunk_size=2000))
    plan = _plan(families, add=max(cases - before, 0), open_wanted=max(open_cases - open_now, 0))
    users = User.objects.in_bulk({e.actor_id for f in families for e in f.entries if e.actor_id})
    rng = random.Random(f"sanxiang-grow/{seed}")
    batches = [
        (family, [rng.choice(family.shifts) for _ in range(min(batch_size, copies - done))])
        for family, copies in plan
        for done in range(0, copies, batch_size)
    ]
    rng.shuffle(batches)  # families interleaved, as a county's cases are
    added = open_added = entries = approximate = 0
    for family, shifts in batches:
        with transaction.atomic():
            ids, appended = _copies_write(family, shifts, today=today, users=users)
            _projections_refresh(ids)
        added += len(ids)
        open_added += family.open_count * len(shifts)
        entries += appended
        approximate += len(shifts) if family.approximate else 0
        if progress is not None:
            progress(added, sum(f.size * n for f, n in plan))
    if batches:
        projections_rebuild(exclude=_REFRESHED_PER_BATCH)
    return GrowResult(
        cases_before=before,
        cases_after=before + added,
        added=added,
        open_added=open_added,
        entries_added=entries,
        approximate=approximate,
        batches=len(batches),
        seconds=time.perf_counter() - started,
    )
