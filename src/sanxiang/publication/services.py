"""Writes of 事后公开: a decision becomes a draft publication, a person approves it, and it is
withdrawn or taken down when the law says so. Each write appends its ledger entry in the same
transaction; redactions are recorded by kind, position and digest, never by the hidden value.

The rules (what may be published, what is hidden, by when) are in `sanxiang.procedure.publication`;
this module gathers the case's texts and the values to protect, applies those rules and stores the
results in the internal draft and the public read model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case, CaseProcedure
from sanxiang.cases.paperwork import decided_penalty, penalty_detail
from sanxiang.cases.selectors import case_publication_texts
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.citations import (
    PERSONAL_INFORMATION_NOT_PUBLISHED,
    PUBLICATION_WITHDRAWAL,
    THIRD_PARTIES_NOT_NAMED,
)
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS, PenaltyCaseSnapshot
from sanxiang.procedure.penalty.texts import PenaltyTexts
from sanxiang.procedure.publication import (
    PublicationFacts,
    Redaction,
    display_period,
    leaks,
    names_masked_in,
    public_text_clean,
    publication_due,
    publication_refusals,
    text_redact,
    withdrawal_due,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.publication.models import (
    DraftStatus,
    PublicAgency,
    Publication,
    PublicationDraft,
    PublicationStatus,
)
from sanxiang.publication.permissions import user_can_publish
from sanxiang.registry.models import PartyKind

# The texts a publication prints, in the order the approval screen shows them. Structured
# identifying fields (party name, credit code, legal representative) are kept as the law allows;
# every free text goes through the redaction.
TEXT_FIELDS: dict[str, str] = {
    "title": "案件名称",
    "violation_type": "违法行为类型",
    "facts": "违法事实",
    "basis": "处罚依据",
    "content": "处罚内容",
    "licence": "暂扣或者吊销证照名称及编号",
}
KEPT_FIELDS: dict[str, str] = {
    "party_name": "当事人",
    "party_kind": "当事人类别",
    "party_credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "number": "决定书文号",
}
CHANGE_KINDS: dict[str, str] = {
    "changed": "变更",
    "revoked": "撤销",
    "unlawful": "确认违法",
    "void": "确认无效",
}
FIELD_LIMITS = {"title": 200, "violation_type": 200, "licence": 200, "facts": 20000, "content": 5000, "basis": 5000}
DATA = "数据校验"


# --- gathering -------------------------------------------------------------------------------------


def _party_kind_label(case: Case) -> str:
    party = case.party
    if party is None or party.kind == PartyKind.NATURAL_PERSON:
        return "自然人"
    if party.kind == PartyKind.INDIVIDUAL_BUSINESS:
        return "个体工商户"
    return "法人及非法人组织"


def _natural_person(case: Case) -> bool:
    party = case.party
    return party is None or party.kind in (PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS)


def third_parties(texts: PenaltyTexts) -> list[str]:
    """Every natural person the case names besides the punished party: interviewees, people present
    at an inspection, hearing attendees, whoever signed for a document, and those listed as third
    parties. Their names are never published (citations.THIRD_PARTIES_NOT_NAMED)."""
    names: list[str] = list(texts.third_parties)
    names += [inquiry.interviewee for inquiry in texts.inquiries]
    names += [inspection.present_person for inspection in texts.inspections]
    names += texts.hearing.attendees
    names.append(texts.service.signed_by)
    found = []
    for raw in names:
        # "王小五（委托代理人）", "调查人员：…": the name without its role; names of any length (蒙古族、
        # 维吾尔族 names are long, and may be written with "·" or a space).
        name = re.split(r"[（(：:，,；;]", raw.strip(), maxsplit=1)[0].strip()
        if 2 <= len(name) <= 20 and not name.startswith(("当事人", "委托", "调查人员", "执法人员")):
            found.append(name)
            if "·" in name or " " in name:
                found += [part for part in re.split(r"[· ]", name) if len(part) >= 2]
    return found


def _originals(case: Case, snapshot: PenaltyCaseSnapshot) -> dict[str, str]:
    texts = case_publication_texts(case)
    decision = snapshot.decision
    findings = texts.findings
    on_spot = texts.on_spot
    terms = decision.penalty if decision is not None else None
    kinds = sorted(terms.kinds, key=list(PENALTY_KINDS).index) if terms is not None else []
    # The 处罚内容 is what the 决定书 imposes, item by item, rendered from the same data (the decided
    # terms and the 具体内容 printed for them), never from a free text that the 决定书 leaves out.
    summary = case.procedure == CaseProcedure.SUMMARY
    penalty = decided_penalty(terms=terms, texts=texts, summary=summary)
    detail = penalty_detail(texts, summary=summary)
    bases = texts.decision_or_empty.bases or findings.bases or on_spot.bases
    party = case.party
    violation = case.matter.name if case.matter_id else case.title.removeprefix("涉嫌").removesuffix("案")
    licence = detail if set(kinds) & {"suspend_permit", "revoke_permit"} else ""
    return {
        "title": case.title,
        "violation_type": violation,
        "facts": findings.facts or on_spot.facts or texts.opening.summary,
        "basis": "；".join(bases),
        "content": penalty.describe() if penalty is not None else "",
        "licence": licence,
        "party_name": party.name if party is not None else "",
        "party_kind": _party_kind_label(case),
        # A 个体工商户's credit code identifies the business, not the person: it is published.
        "party_credit_code": party.credit_code if party is not None and party.kind != PartyKind.NATURAL_PERSON else "",
        "legal_representative": party.legal_representative if party is not None and not _natural_person(case) else "",
        "number": texts.decision_number or (decision.number if decision is not None else ""),
    }


def _protected_values(case: Case) -> dict[str, list[str]]:
    """What must not appear in the public text (checked before approval), and what stays."""
    party = case.party
    named = third_parties(case_publication_texts(case))
    sensitive: list[str] = list(named)
    addresses: list[str] = []
    keep: list[str] = [case.agency.name, case.agency.credit_code, case.agency.address, case.agency.contact_phone]
    if party is not None:
        sensitive += [party.id_number, party.phone]
        if _natural_person(case):
            addresses.append(party.address)
            keep += [party.name, party.credit_code]
        else:
            keep += [party.name, party.credit_code, party.address, party.legal_representative]
    return {
        "sensitive": [v for v in sensitive + addresses if v],
        "addresses": [a for a in addresses if a],
        "keep": [k for k in keep if k],
        "third_parties": named,
    }


def _facts(case: Case, snapshot: PenaltyCaseSnapshot, *, decided_on: dt.date) -> PublicationFacts:
    texts = case_publication_texts(case)
    decision = snapshot.decision
    terms = decision.penalty if decision is not None and decision.outcome == "penalty" else None
    return PublicationFacts(
        decided_on=decided_on,
        act_date=snapshot.act_date,
        kinds=terms.kinds if terms is not None else frozenset(),
        fine_fen=terms.fine_fen if terms is not None else 0,
        procedure=case.procedure,
        sector=case.enforcement_field,
        region=case.agency.region_code,
        party_kind=snapshot.party.kind,
        party_birth_date=_birth_date(snapshot),
        # A hearing held in private because of secrets or privacy marks the case.
        secrets_or_privacy=texts.secrets_or_privacy or not texts.hearing.public,
    )


def _birth_date(snapshot: PenaltyCaseSnapshot) -> dt.date | None:
    from sanxiang.procedure.penalty.rules import party_birth_date

    return party_birth_date(snapshot.party)


def _snapshot(case: Case) -> PenaltyCaseSnapshot:
    from sanxiang.cases.selectors import case_snapshot_build

    return case_snapshot_build(case)


def _redact(originals: dict[str, str], protected: dict[str, list[str]]) -> tuple[dict[str, str], list[Redaction]]:
    # Fields published as they are (the party's name, the number) lose invisible characters too.
    public = {name: public_text_clean(v) if isinstance(v, str) else v for name, v in originals.items()}
    redactions: list[Redaction] = []
    for name in TEXT_FIELDS:
        result = text_redact(
            originals[name],
            field=name,
            keep=protected["keep"],
            third_parties=protected["third_parties"],
            addresses=protected["addresses"],
        )
        public[name] = result.text
        redactions += result.redactions
    return public, redactions


# --- drafts ---------------------------------------------------------------------------------------


def publication_draft_create(*, case: Case, snapshot: PenaltyCaseSnapshot, on: dt.date, actor: User | None) -> PublicationDraft:
    """The draft publication of a decision just made, in the decision's transaction: redacted by
    default, with its due date, or marked as not to be published with every reason."""
    facts = _facts(case, snapshot, decided_on=on)
    originals = _originals(case, snapshot)
    protected = _protected_values(case)
    public, redactions = _redact(originals, protected)
    refusals = publication_refusals(facts)
    due = publication_due(facts, calendar=working_day_calendar_current())
    draft, _ = PublicationDraft.objects.update_or_create(
        case=case,
        decision="",
        defaults={
            "agency": case.agency,
            "status": DraftStatus.NOT_PUBLISHED if refusals else DraftStatus.DRAFT,
            "decided_on": on,
            "due_on": due.date,
            "due_estimated": due.estimated,
            "original": originals,
            "public": public,
            "redactions": [asdict(r) for r in redactions],
            "refusals": [asdict(v) for v in refusals],
            "facts": {
                "kinds": sorted(facts.kinds),
                "fine_fen": facts.fine_fen,
                "confiscation_fen": snapshot.decision.penalty.confiscation_fen
                if snapshot.decision is not None and snapshot.decision.penalty is not None
                else 0,
                "procedure": facts.procedure,
                "sector": facts.sector,
                "region": facts.region,
                "party_kind": facts.party_kind,
                "act_date": facts.act_date.isoformat(),
                "birth_date": facts.party_birth_date.isoformat() if facts.party_birth_date else None,
                "secrets_or_privacy": facts.secrets_or_privacy,
            },
        },
    )
    entry_append(
        event=LedgerEvent(
            EventKind.PUBLICATION_NOT_PUBLISHED if refusals else EventKind.PUBLICATION_DRAFTED,
            {
                "draft": draft.pk,
                "due_on": due.date.isoformat(),
                "redactions": redaction_summary(redactions),
                "refusals": [{"code": v.code, "legal_basis": v.legal_basis} for v in refusals],
                "basis": due.basis,
            },
            agency_id=case.agency_id,
            case_id=case.pk,
            subject=f"publication_draft:{draft.pk}",
        ),
        actor=actor,
    )
    return draft


def redaction_summary(redactions: list[Redaction] | list[dict]) -> list[dict]:
    rows = [r if isinstance(r, dict) else asdict(r) for r in redactions]
    return [{"field": r["field"], "kind": r["kind"], "digest": r["digest"]} for r in rows]


def _facts_of(draft: PublicationDraft) -> PublicationFacts:
    stored = draft.facts
    return PublicationFacts(
        decided_on=draft.decided_on,
        act_date=dt.date.fromisoformat(stored["act_date"]),
        kinds=frozenset(stored["kinds"]),
        fine_fen=stored["fine_fen"],
        procedure=stored["procedure"],
        sector=stored["sector"],
        region=stored["region"],
        party_kind=stored["party_kind"],
        party_birth_date=dt.date.fromisoformat(stored["birth_date"]) if stored.get("birth_date") else None,
        secrets_or_privacy=bool(stored.get("secrets_or_privacy")),
    )


def public_agency_get(*, agency_id: int) -> PublicAgency:
    """The agency's public row; made by a refresh of that agency if it was never published."""
    agency = PublicAgency.objects.filter(source_id=agency_id).first()
    if agency is None:
        from sanxiang.publication.registry_sync import public_registry_refresh

        public_registry_refresh(agency_id=agency_id)
        agency = PublicAgency.objects.get(source_id=agency_id)
    return agency


def draft_display_period(*, draft: PublicationDraft):
    """The display period of a draft's publication, from the decision's date (legal_rules §4.3)."""
    return display_period(_facts_of(draft), starts_on=draft.decided_on)


def penalty_publication(*, draft: PublicationDraft, public: dict, on: dt.date, period) -> Publication:
    """The public row of a penalty decision's approved draft (not yet stored)."""
    agency = public_agency_get(agency_id=draft.agency_id)
    return Publication(
        agency=agency,
        agency_name=agency.name,
        agency_credit_code=draft.agency.credit_code,
        decision_kind="penalty",
        number=public["number"],
        title=public["title"],
        party_name=public["party_name"],
        party_kind=public["party_kind"],
        party_credit_code=public["party_credit_code"],
        legal_representative=public["legal_representative"],
        violation_type=public["violation_type"],
        facts=public["facts"],
        basis=public["basis"],
        kinds=draft.facts["kinds"],
        kinds_label="、".join(PENALTY_KINDS.get(k, k) for k in draft.facts["kinds"]),
        content=public["content"],
        fine_fen=draft.facts["fine_fen"],
        confiscation_fen=draft.facts.get("confiscation_fen", 0),
        licence=public["licence"],
        decided_on=draft.decided_on,
        published_on=on,
        display_until=period.ends_on,
    )


@transaction.atomic
def publication_approve(
    *, actor: User, draft: PublicationDraft, edits: dict[str, str] | None = None, on: dt.date | None = None
) -> Publication:
    """Publish the draft, after the person approving it has compared it with the original (and may
    have hidden more). Refused while the law forbids publication or any protected value would still
    appear in the public text. A compulsory decision's draft: `publication.compulsory`."""
    if draft.is_compulsory:
        from sanxiang.publication.compulsory import compulsory_publication_approve

        return compulsory_publication_approve(actor=actor, draft=draft, edits=edits, on=on)
    if draft.is_permit:
        from sanxiang.publication.permit import permit_publication_approve

        return permit_publication_approve(actor=actor, draft=draft, edits=edits, on=on)
    if draft.is_act:
        from sanxiang.publication.acts import act_publication_approve

        return act_publication_approve(actor=actor, draft=draft, edits=edits, on=on)
    # Lock the draft row alone (PostgreSQL cannot lock the nullable side of an outer join).
    draft = (
        PublicationDraft.objects.select_for_update(of=("self",))
        .select_related("case", "case__party", "case__agency")
        .get(pk=draft.pk)
    )
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以审核发布公示信息")
    on = on or timezone.localdate()
    violations: list[Violation] = []
    if draft.status != DraftStatus.DRAFT:
        violations.append(Violation("publication.not_a_draft", f"该公示信息{draft.get_status_display()}，不能再发布", DATA, "status"))
    # The rules are applied again now: the party's data may have been corrected since the draft.
    current = publication_refusals(_facts(draft.case, _snapshot(draft.case), decided_on=draft.decided_on))
    violations += list(dict.fromkeys([*(Violation(**v) for v in draft.refusals), *current]))
    protected = _protected_values(draft.case)
    public, redactions = _public_edits(draft, draft.public, draft.redactions, edits, protected)
    violations += _public_problems(public, protected)
    if violations:
        raise Refused(violations)
    facts = _facts_of(draft)
    # The display period runs from the decision's date (legal_rules §4.3), however late it is published.
    period = display_period(facts, starts_on=draft.decided_on)

    publication = penalty_publication(draft=draft, public=public, on=on, period=period)
    return publication_record(draft=draft, publication=publication, public=public, redactions=redactions,
                              actor=actor, on=on, period=period)


def _publication_event(*, draft: PublicationDraft, publication: Publication, redactions: list, on: dt.date,
                       period, entry: dict | None) -> LedgerEvent:
    """The PUBLICATION ledger entry of one approved publication (the same for one and for many)."""
    return LedgerEvent(
        EventKind.PUBLICATION,
        {
            "draft": draft.pk,
            **(entry or {}),
            "publication": publication.pk,
            "published_on": on.isoformat(),
            "due_on": draft.due_on.isoformat(),
            "late": on > draft.due_on,
            "display_until": period.ends_on.isoformat(),
            "display_basis": period.basis,
            "redactions": redaction_summary(redactions),
        },
        agency_id=draft.agency_id,
        case_id=draft.case_id,
        subject=f"publication:{publication.pk}",
    )


def _draft_published(*, draft: PublicationDraft, publication: Publication, public: dict, redactions: list,
                     actor: User, at: dt.datetime | None = None) -> None:
    draft.public = public
    draft.redactions = redactions
    draft.status = DraftStatus.PUBLISHED
    draft.publication = publication
    draft.approved_by = actor
    draft.approved_at = at or timezone.now()


def publication_record(*, draft: PublicationDraft, publication: Publication, public: dict, redactions: list,
                       actor: User, on: dt.date, period, entry: dict | None = None) -> Publication:
    """Store an approved publication and mark its draft published, with the PUBLICATION ledger
    entry, in the caller's transaction: one way for every kind of decision. `entry` adds to the
    entry's payload (which decision of the case it is). Many at once: `publications_record`."""
    from sanxiang.publication.search import publication_search_text

    publication.search_text = publication_search_text(publication)
    publication.save()
    _draft_published(draft=draft, publication=publication, public=public, redactions=redactions, actor=actor)
    draft.save()
    entry_append(
        event=_publication_event(draft=draft, publication=publication, redactions=redactions, on=on, period=period,
                                 entry=entry),
        actor=actor,
    )
    return publication


@dataclass(frozen=True)
class PublicationToRecord:
    """One approved publication of a bulk load (`publications_record`): what `publication_record`
    takes for one."""

    draft: PublicationDraft
    publication: Publication
    public: dict
    redactions: list
    period: Any  # procedure.publication.DisplayPeriod
    entry: dict | None = None


# The draft's columns an approval writes (`_draft_published`), and `updated_at`.
_DRAFT_APPROVED = ("public", "redactions", "status", "publication", "approved_by", "approved_at", "updated_at")


def _drafts_published(cursor: Any, connection: Any, drafts: list[PublicationDraft], at: dt.datetime) -> None:
    """Write the approval of `drafts` (their instances already changed, approved `at`) in one
    statement per batch: PostgreSQL copies the new values into a temporary table and updates from
    it, SQLite runs one UPDATE by executemany. The JSON columns are written as orjson's text (the
    same values as Django's, without its spaces and escapes), the two times once for all."""
    import orjson

    fields = [PublicationDraft._meta.get_field(name) for name in _DRAFT_APPROVED]
    for draft in drafts:
        draft.updated_at = at
    stamp = fields[-1].get_db_prep_save(at, connection)
    columns = [connection.ops.quote_name(f.column) for f in fields]
    rows = [(orjson.dumps(d.public).decode(), orjson.dumps(d.redactions).decode(), d.status, d.publication_id,
             d.approved_by_id, stamp, stamp, d.pk) for d in drafts]
    table = PublicationDraft._meta.db_table
    if connection.vendor == "postgresql":
        names = ", ".join([*columns, "id"])
        # The columns' types without their constraints; dropped with the transaction.
        cursor.execute("DROP TABLE IF EXISTS sanxiang_draft_approved")
        cursor.execute(f"CREATE TEMPORARY TABLE sanxiang_draft_approved ON COMMIT DROP AS "
                       f"SELECT {names} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY sanxiang_draft_approved ({names}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row)
        sets = ", ".join(f"{c} = a.{c}" for c in columns)
        cursor.execute(f"UPDATE {table} AS d SET {sets} FROM sanxiang_draft_approved AS a WHERE d.id = a.id")
    else:
        sets = ", ".join(f"{c} = %s" for c in columns)
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


def publications_record(*, records: Sequence[PublicationToRecord], actor: User, on: dt.date,
                        batch_size: int | None = None, workers: int | None = None) -> list[Publication]:
    """`publication_record` for many approved publications at once (a county backfilling its past
    decisions, a province loading its counties): the same rows, the same search text, the same
    drafts' approval and the same PUBLICATION ledger entries, written a batch at a time in one
    transaction (the caller's, if open), so that a failure anywhere leaves nothing. Each batch: its
    rows in one statement with their grams (`search.search_bulk_insert`), its drafts in one, its
    ledger entries in one append; the search index is maintained by batches, and the grams of the
    next batches are computed by a second process meanwhile (`workers`: see
    `search.search_bulk_insert`). The caller has validated each approval, as for
    `publication_record`."""
    from django.db import connections

    from sanxiang.ledger.services import entries_append
    from sanxiang.publication.search import BULK_BATCH, search_bulk_insert

    connection = connections[Publication.objects.db]
    by_publication = {id(r.publication): r for r in records}

    def batch_written(batch: list[Publication]) -> None:
        written = [by_publication[id(p)] for p in batch]
        at = timezone.now()
        for r in written:
            _draft_published(draft=r.draft, publication=r.publication, public=r.public, redactions=r.redactions,
                             actor=actor, at=at)
        with connection.cursor() as cursor:
            _drafts_published(cursor, connection, [r.draft for r in written], at)
        entries_append(
            events=[_publication_event(draft=r.draft, publication=r.publication, redactions=r.redactions, on=on,
                                       period=r.period, entry=r.entry) for r in written],
            actor=actor, batch_size=len(written),
        )

    with transaction.atomic():
        search_bulk_insert(publications=[r.publication for r in records], batch_size=batch_size or BULK_BATCH,
                           then=batch_written, workers=workers)
    return [r.publication for r in records]


def _public_edits(draft: PublicationDraft, public: dict, redactions: list, edits: dict[str, str] | None,
                  protected: dict[str, list[str]]) -> tuple[dict, list]:
    """Apply a person's edits of the public text: each goes through the same redaction, so an edit
    can hide more, never reveal what the rules hid."""
    public, redactions = dict(public), list(redactions)
    for name, text in (edits or {}).items():
        if name not in TEXT_FIELDS or text is None or text == public[name]:
            continue
        result = text_redact(text, field=name, keep=protected["keep"], third_parties=protected["third_parties"],
                             addresses=protected["addresses"])
        public[name] = result.text
        redactions = [r for r in redactions if r["field"] != name] + [asdict(r) for r in result.redactions]
    return public, redactions


def _public_problems(public: dict, protected: dict[str, list[str]]) -> list[Violation]:
    """What keeps a public text from being shown: a value that must stay hidden, or a field too long."""
    problems = [
        Violation("publication.too_long", f"{TEXT_FIELDS.get(name, name)}不得超过{limit}字", DATA, name)
        for name, limit in FIELD_LIMITS.items()
        if len(str(public.get(name, ""))) > limit
    ]
    found = leaks("\n".join(str(public[f]) for f in (*TEXT_FIELDS, "party_name", "legal_representative")),
                  [v for v in protected["sensitive"] if v not in protected["keep"]])
    if found:
        problems.append(
            Violation(
                "publication.leak",
                f"公开文本中仍有{len(found)}处应当隐去的个人信息（身份证件号码、电话、住址或者第三人姓名），请修改后再发布",
                THIRD_PARTIES_NOT_NAMED,
                "public",
            )
        )
    return problems


@transaction.atomic
def publication_correct(
    *, actor: User, draft: PublicationDraft, edits: dict[str, str], reason: str, on: dt.date | None = None
) -> Publication:
    """Correct a published text found inaccurate, or hide what should not have been shown (更正:
    the sector's publicity rules; legal_rules §1.1). The decision stays published;
    the correction and its reason are recorded. A compulsory decision's draft: `publication.compulsory`."""
    if draft.is_compulsory:
        from sanxiang.publication.compulsory import compulsory_publication_correct

        return compulsory_publication_correct(actor=actor, draft=draft, edits=edits, reason=reason, on=on)
    if draft.is_permit:
        from sanxiang.publication.permit import permit_publication_change_refused

        raise permit_publication_change_refused(draft=draft)
    if draft.is_act:
        from sanxiang.publication.acts import act_publication_correct_refused

        raise act_publication_correct_refused(draft=draft)
    draft = (
        PublicationDraft.objects.select_for_update(of=("self",)).select_related("case", "case__party", "case__agency")
        .get(pk=draft.pk)
    )
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以更正公示信息")
    on = on or timezone.localdate()
    violations: list[Violation] = []
    if draft.status != DraftStatus.PUBLISHED or draft.publication is None:
        violations.append(Violation("publication.not_published", "只能更正公示中的信息", DATA, "status"))
    if not reason.strip():
        violations.append(Violation("publication.reason_missing", "请填写更正的理由", DATA, "reason"))
    protected = _protected_values(draft.case)
    public, redactions = _public_edits(draft, draft.public, draft.redactions, edits, protected)
    violations += _public_problems(public, protected)
    if violations:
        raise Refused(violations)
    from sanxiang.publication.search import publication_search_text

    publication = draft.publication
    for name in TEXT_FIELDS:
        setattr(publication, name, public[name])
    publication.search_text = publication_search_text(publication)
    publication.save()
    changed = sorted(name for name in TEXT_FIELDS if public[name] != draft.public.get(name))
    draft.public, draft.redactions = public, redactions
    draft.save(update_fields=["public", "redactions", "updated_at"])
    entry_append(
        event=LedgerEvent(
            EventKind.PUBLICATION_CORRECTED,
            {"publication": publication.pk, "corrected_on": on.isoformat(), "fields": changed,
             "reason_sha256": hashlib.sha256(reason.strip().encode("utf-8")).hexdigest(),
             "redactions": redaction_summary(redactions)},
            agency_id=draft.agency_id,
            case_id=draft.case_id,
            subject=f"publication:{publication.pk}",
        ),
        actor=actor,
    )
    return publication


# The columns of a publication that stay public once it is withdrawn, or may (`publication_names_mask`).
WITHDRAWN_TEXT_FIELDS = ("title", "party_name", "legal_representative", "violation_type", "kinds_label", "facts",
                         "basis", "content", "licence", "withdrawal_statement")


def publication_names_mask(*, publication: Publication, names: Iterable[str]) -> None:
    """A withdrawn decision of a natural person names him nowhere (citations.PUBLICATION_WITHDRAWAL:
    what stays public is the fact of the withdrawal): `names` (his name as recorded and as it was
    published) masked in every public text of `publication` (`procedure.publication.names_masked_in`),
    not only in its party column. The caller saves; the internal records keep the name."""
    names = [name for name in names if name]
    for field in WITHDRAWN_TEXT_FIELDS:
        setattr(publication, field, names_masked_in(getattr(publication, field), names))


@transaction.atomic
def publication_decision_change(
    *, actor: User, draft: PublicationDraft, kind: str, changed_on: dt.date, statement: str, on: dt.date | None = None
) -> PublicationDraft:
    """The decision was changed, revoked, held unlawful or void: the publication is withdrawn
    with a public statement of the reason (citations.PUBLICATION_WITHDRAWAL). Recorded the day it is entered;
    the ledger keeps whether that was within the 3 working days. A compulsory decision's draft:
    `publication.compulsory` (its grounds and period are 118号's)."""
    if draft.is_compulsory:
        from sanxiang.publication.compulsory import compulsory_decision_change

        return compulsory_decision_change(actor=actor, draft=draft, kind=kind, changed_on=changed_on,
                                          statement=statement, on=on)
    if draft.is_permit:
        from sanxiang.publication.permit import permit_publication_change_refused

        raise permit_publication_change_refused(draft=draft)
    if draft.is_act:
        from sanxiang.publication.acts import act_decision_change

        return act_decision_change(actor=actor, draft=draft, kind=kind, changed_on=changed_on, statement=statement,
                                   on=on)
    draft = (
        PublicationDraft.objects.select_for_update(of=("self",)).select_related("case", "case__party", "case__agency")
        .get(pk=draft.pk)
    )
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以撤回公示信息")
    on = on or timezone.localdate()
    violations = []
    if kind not in CHANGE_KINDS:
        violations.append(Violation("publication.change_kind", "请选择决定被变更、撤销、确认违法或者确认无效", DATA, "kind"))
    if not statement.strip():
        violations.append(
            Violation("publication.statement_missing", "请填写公开说明撤回的理由", PUBLICATION_WITHDRAWAL, "statement")
        )
    if changed_on > on:
        violations.append(Violation("publication.change_in_future", "变更或者撤销的日期不能晚于今天", DATA, "changed_on"))
    if changed_on < draft.decided_on:
        violations.append(Violation("publication.change_before_decision", "变更或者撤销的日期不能早于决定日期", DATA, "changed_on"))
    # The statement is public: it goes through the same redaction, and must leave nothing behind.
    protected = _protected_values(draft.case)
    statement = text_redact(statement.strip(), field="withdrawal_statement", keep=protected["keep"],
                            third_parties=protected["third_parties"], addresses=protected["addresses"]).text
    if leaks(statement, [v for v in protected["sensitive"] if v not in protected["keep"]]):
        violations.append(
            Violation("publication.leak", "撤回说明中有应当隐去的个人信息，请修改", PERSONAL_INFORMATION_NOT_PUBLISHED, "statement")
        )
    if draft.status == DraftStatus.WITHDRAWN:
        violations.append(Violation("publication.already_withdrawn", "该公示信息已经撤回", DATA, "status"))
    if violations:
        raise Refused(violations)
    due = withdrawal_due(changed_on, _facts_of(draft), calendar=working_day_calendar_current())
    draft.change_kind = kind
    draft.changed_on = changed_on
    draft.withdrawal_due_on = due.date
    published = draft.publication
    if published is not None and published.status == PublicationStatus.PUBLISHED:
        # citations.PUBLICATION_WITHDRAWAL: the information is withdrawn. What stays public is the fact of the withdrawal:
        # number, agency, date and the statement; a natural person's name is masked as well.
        published.status = PublicationStatus.WITHDRAWN
        published.withdrawn_on = on
        published.withdrawal_statement = f"本决定已于{changed_on:%Y年%m月%d日}被依法{CHANGE_KINDS.get(kind, kind)}。{statement}"
        published.facts = published.basis = published.content = published.licence = ""
        if published.party_kind == "自然人":
            # Wherever it is: a case's title is commonly "王大明涉嫌…案", and the statement may name him.
            party = draft.case.party
            publication_names_mask(publication=published,
                                   names=[published.party_name, party.name if party is not None else ""])
        published.search_text = ""
        published.save()
    draft.status = DraftStatus.WITHDRAWN
    draft.save()
    entry_append(
        event=LedgerEvent(
            EventKind.WITHDRAWAL,
            {
                "draft": draft.pk,
                "publication": published.pk if published is not None else None,
                "change": kind,
                "changed_on": changed_on.isoformat(),
                "withdrawn_on": on.isoformat(),
                "due_on": due.date.isoformat(),
                "late": on > due.date,
                "basis": due.basis,
                "statement_sha256": hashlib.sha256(statement.encode("utf-8")).hexdigest(),
            },
            agency_id=draft.agency_id,
            case_id=draft.case_id,
            subject=f"publication_draft:{draft.pk}",
        ),
        actor=actor,
    )
    return draft


@transaction.atomic
def publications_expire(*, on: dt.date | None = None, actor: User | None = None) -> int:
    """Take down every publication whose display period ended before `on` (公示截止期)."""
    on = on or timezone.localdate()
    count = 0
    for publication in Publication.objects.select_for_update().filter(
        status=PublicationStatus.PUBLISHED, display_until__lt=on
    ):
        publication.status = PublicationStatus.EXPIRED
        publication.save(update_fields=["status", "updated_at"])
        PublicationDraft.objects.filter(publication=publication).update(status=DraftStatus.EXPIRED)
        entry_append(
            event=LedgerEvent(
                EventKind.PUBLICATION_EXPIRED,
                {"publication": publication.pk, "display_until": publication.display_until.isoformat(),
                 "taken_down_on": on.isoformat()},
                agency_id=publication.agency.source_id,
                subject=f"publication:{publication.pk}",
            ),
            actor=actor,
        )
        count += 1
    return count
