"""事后公开 of licence decisions (行政许可): 准予、变更、延续、撤回、撤销、注销. The rules (what is
published, by when, for how long, the XK_* row) are `sanxiang.procedure.publication_permit`; this
module gathers what they read from the case, keeps the internal draft (with its due day: the
publication alerts of the desk, the homes and `publication_tick` read every draft's `due_on`), and
publishes it to the public read model when a person approves it, with a ledger entry each time.

How a decision travels:
- `cases` emits `CompulsoryDecided` in the transaction of every deciding step (the event of every
  procedure's decisions but the penalty's); `apps.py` hands it to `permit_decision_record` for a
  licence case, in that transaction (atomic: the draft exists with the decision or neither does);
- one draft per decision document of the case (`PublicationDraft.decision` a key of
  `PERMIT_DECISIONS`, `document_number` its 文号: a second change or renewal is a draft of its own);
  while it is not yet published, a later step brings it up to date (the delivery adds the
  certificate's number and the validity to the grant's draft);
- the desk approves it (`publication.services.publication_approve` hands it here): the public row
  is written and the XK_* row computed by the pure function is kept with the draft (`facts["xk_row"]`),
  so that the 双公示 export of a native decision and of an imported one are the same function of
  the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.events import CompulsoryDecided
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import case_documents, case_snapshot_build
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append, ledger_batch
from sanxiang.procedure.publication import leaks
from sanxiang.procedure.publication_permit import (
    ACTION_DECISIONS,
    ENDING_DECISIONS,
    ENDING_VERBS,
    PUBLICITY_BASIS,
    TAKEN_DOWN_BY,
    DecisionParty,
    PermitDecision,
    permit_display_period,
    permit_dual_publicity_row,
    permit_ending_content,
    permit_publication_content,
    permit_publication_due,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.publication.drafting import decision_party_build, draft_entry_append
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft, PublicationStatus
from sanxiang.publication.permissions import user_can_publish
from sanxiang.publication.services import public_agency_get, publication_names_mask, publication_record

PROCEDURE = "permit"
# The document each decision is issued as (documents.registry.PERMIT_KINDS).
DECISION_DOCUMENTS: dict[str, str] = {
    "permit_grant": "permit_grant_decision",
    "permit_change": "permit_change_decision",
    "permit_renewal": "permit_renewal_decision",
    "permit_withdraw": "permit_withdrawal_decision",
    "permit_revoke": "permit_revocation_decision",
    "permit_cancel": "permit_cancellation_decision",
}
# The step after which the grant's draft is brought up to date (the certificate and its validity).
DELIVERY = "permit_deliver"
# The decisions that stand while the licence does, and the change an ending is to them (the
# desk's CHANGE_KINDS: a withdrawal or revocation is 撤销 of the grant, a cancellation 变更 of its state).
STANDING_DECISIONS = ("permit_grant", "permit_change", "permit_renewal")
CHANGE_OF_ENDING = {"permit_withdraw": "revoked", "permit_revoke": "revoked", "permit_cancel": "changed"}
DATA = "数据校验"
# The desk's side-by-side view: every public column is shown; none is edited by hand (the public
# text is the rules' own, rebuilt from the decision: `permit_publication_approve`).
KEPT_FIELDS: dict[str, str] = {
    "party_name": "被许可人",
    "party_kind": "被许可人类别",
    "party_credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "number": "决定书文号",
    "title": "决定书名称",
    "violation_type": "许可事项",
    "facts": "决定事由",
    "basis": "依据",
    "kinds_label": "许可类别",
    "content": "许可内容",
    "licence": "许可证件名称及编号",
}
TEXT_FIELDS: dict[str, str] = {}


def _matter(case: Case) -> str:
    title = case.title.strip()
    return title[: -len("申请")] if title.endswith("申请") else title


def permit_decision_build(*, case: Case, decision: str, snapshot=None) -> PermitDecision | None:
    """The decision `decision` of the licence case as publication reads it, from the case's snapshot
    and the decision's issued document (its 文号 and day); None while no such document exists."""
    document = case_documents(case=case).filter(kind=DECISION_DOCUMENTS[decision]).order_by("-pk").first()
    if document is None:
        return None
    snapshot = snapshot if snapshot is not None else case_snapshot_build(case)
    return _decision_of(case=case, decision=decision, document=document, snapshot=snapshot)


def _decision_of(*, case: Case, decision: str, document: IssuedDocument, snapshot) -> PermitDecision:
    """`permit_decision_build` once its document and the case's snapshot are known."""
    granted = snapshot.decision if snapshot.decision is not None and snapshot.decision.outcome == "grant" else None
    matter = _matter(case)
    reason = ""
    if decision == "permit_grant":
        content = granted.content if granted is not None else ""
    elif decision == "permit_change":
        content = snapshot.change.content if snapshot.change is not None else ""
    elif decision == "permit_renewal":
        until = snapshot.expires_on
        content = f"准予延续{matter}的行政许可" + (f"，有效期延续至{until.isoformat()}" if until else "")
    else:
        ending = snapshot.ending
        reason = ending.reason if ending is not None else ""
        content = permit_ending_content(decision=decision, ground=reason, facts=ending.facts if ending else "",
                                        matter=matter)
    agency = case.agency
    return PermitDecision(
        decision=decision,
        decided_on=document.issued_on,
        number=document.number,
        agency_name=agency.name,
        agency_credit_code=agency.credit_code,
        party=decision_party_build(case=case, unregistered="（未登记申请人）"),
        matter=matter,
        content=content,
        reason=reason,
        category=granted.category if granted is not None else "",
        licence_name=granted.licence_name if granted is not None else "",
        licence_number=snapshot.licence_number,
        valid_from=granted.on if granted is not None and decision not in ENDING_DECISIONS else None,
        valid_until=snapshot.expires_on if decision not in ENDING_DECISIONS else None,
        region=agency.region_code,
        sector=case.enforcement_field,
    )


def _decision_facts(decision: PermitDecision) -> dict[str, Any]:
    """The decision as stored with the draft (JSON), from which its public row is rebuilt."""
    values = asdict(decision)
    for name in ("decided_on", "valid_from", "valid_until"):
        values[name] = values[name].isoformat() if values[name] else None
    return values


def permit_decision_stored(values: dict[str, Any]) -> PermitDecision:
    """The decision back from a draft's facts (or from an import's record in the same shape)."""
    values = dict(values)
    party = DecisionParty(**values.pop("party"))
    for name in ("decided_on", "valid_from", "valid_until"):
        values[name] = dt.date.fromisoformat(values[name]) if values.get(name) else None
    return PermitDecision(party=party, **values)


def _draft_fill(draft: PublicationDraft, case: Case, decision: PermitDecision, *, calendar=None,
                save: bool = True) -> None:
    due = permit_publication_due(decision, calendar=calendar or working_day_calendar_current())
    content = permit_publication_content(decision)
    draft.agency = case.agency
    draft.status = DraftStatus.DRAFT
    draft.decided_on = decision.decided_on
    draft.due_on = due.date
    draft.due_estimated = due.estimated
    party = decision.party
    draft.original = {
        **content.public,
        "party_credit_code": party.credit_code, "legal_representative": party.legal_representative,
        "violation_type": decision.matter, "content": decision.content,
    }
    draft.public = content.public
    draft.redactions = [asdict(r) for r in content.redactions]
    draft.refusals = []
    draft.facts = {"procedure": PROCEDURE, "decision": _decision_facts(decision), "due_basis": due.basis,
                   "xk_row": permit_dual_publicity_row(decision)}
    if save:
        draft.save()


def _drafted_entry(draft: PublicationDraft, *, action: str, refreshed: bool, actor: User | None) -> None:
    draft_entry_append(draft, action=action, refreshed=refreshed, actor=actor)


def permit_decision_record(
    *, case: Case, procedure: str, action: str, snapshot, on: dt.date, actor: User | None
) -> PublicationDraft | None:
    """A licence decision was made (the `CompulsoryDecided` event of a licence case, in its
    transaction): its draft is created, due 7 working days after the decision; a delivery brings
    the grant's unpublished draft up to date. Returns the draft (None for a step publishing nothing:
    a refusal is not published, `procedure.publication_permit.REFUSALS_NOT_PUBLISHED`)."""
    if procedure != PROCEDURE:
        return None
    key = "permit_grant" if action == DELIVERY else ACTION_DECISIONS.get(action)
    if key is None:
        return None
    # The decision this step issued (the latest document of its kind): one draft per document, so
    # that a second change or renewal of the licence is published too, not folded into the first.
    decision = permit_decision_build(case=case, decision=key, snapshot=snapshot)
    if decision is None:
        return None
    draft = (PublicationDraft.objects.select_for_update(of=("self",))
             .filter(case=case, decision=key, document_number=decision.number).first())
    if action == DELIVERY and (draft is None or draft.status != DraftStatus.DRAFT):
        return draft  # nothing drafted, or already published as it stood on the day
    if draft is None:
        draft = PublicationDraft(case=case, decision=key, document_number=decision.number)
        _draft_fill(draft, case, decision)
        _drafted_entry(draft, action=action, refreshed=False, actor=actor)
    elif draft.status == DraftStatus.DRAFT:
        _draft_fill(draft, case, decision)
        _drafted_entry(draft, action=action, refreshed=True, actor=actor)
    # Published (the delivery after the grant was approved) is left as published.
    if key in TAKEN_DOWN_BY:
        _earlier_taken_down(case=case, decision=decision, on=on, actor=actor)
    return draft


def permit_decisions_record(*, decided: Sequence[CompulsoryDecided]) -> None:
    """`permit_decision_record` for many decisions at once (the `CompulsoryDecidedBatch` of an
    import, in its transaction), with the same drafts, due days, XK_* rows and ledger entries: a
    decision whose draft is new (the import's case) is drafted in one bulk insert, its documents read
    in one query; any other (a delivery, an ending, a draft already there, a case twice in the
    batch) goes through `permit_decision_record`, in order."""
    fresh: list[tuple[CompulsoryDecided, str]] = []
    one_by_one: list[CompulsoryDecided] = []
    seen: set[int] = set()
    for event in decided:
        if event.procedure != PROCEDURE:
            continue
        key = ACTION_DECISIONS.get(event.action)
        if event.action == DELIVERY or key in TAKEN_DOWN_BY or event.case.pk in seen:
            one_by_one.append(event)
        elif key is not None:
            fresh.append((event, key))
        seen.add(event.case.pk)
    case_ids = [event.case.pk for event, _ in fresh]
    documents: dict[tuple[int, str], IssuedDocument] = {}
    for document in (IssuedDocument.objects.filter(case_id__in=case_ids,
                                                   kind__in={DECISION_DOCUMENTS[key] for _, key in fresh})
                     .only("pk", "case_id", "kind", "number", "issued_on").order_by("pk")):
        documents[(document.case_id, document.kind)] = document  # the latest of its kind
    drafted = set(PublicationDraft.objects.select_for_update(of=("self",)).filter(case_id__in=case_ids)
                  .values_list("case_id", "decision", "document_number"))
    calendar = working_day_calendar_current()
    drafts: list[tuple[PublicationDraft, CompulsoryDecided]] = []
    for event, key in fresh:
        case = event.case
        document = documents.get((case.pk, DECISION_DOCUMENTS[key]))
        if document is None:
            continue  # no decision document: nothing to draft (as `permit_decision_record`)
        if (case.pk, key, document.number) in drafted:
            one_by_one.append(event)
            continue
        decision = _decision_of(case=case, decision=key, document=document, snapshot=event.snapshot)
        draft = PublicationDraft(case=case, decision=key, document_number=decision.number)
        _draft_fill(draft, case, decision, calendar=calendar, save=False)
        drafts.append((draft, event))
    made = PublicationDraft.objects.bulk_create([draft for draft, _ in drafts], batch_size=500)
    if made and made[0].pk is None:  # pragma: no cover - both engines return the ids of a bulk insert
        raise RuntimeError("bulk insert of drafts returned no ids")
    with ledger_batch():
        for draft, event in drafts:
            _drafted_entry(draft, action=event.action, refreshed=False, actor=event.actor)
    for event in one_by_one:
        permit_decision_record(case=event.case, procedure=event.procedure, action=event.action,
                               snapshot=event.snapshot, on=event.recorded_on or event.on, actor=event.actor)


def _earlier_taken_down(*, case: Case, decision: PermitDecision, on: dt.date, actor: User | None) -> None:
    """The licence was revoked: what was published of it (the grant, a change, a renewal) no longer
    stands and is taken down the same day, with the public statement
    of why (国办发〔2018〕118号: 撤销的 … 及时撤下原行政执法决定信息); a draft not yet published is
    not published any more. The ending decision itself is published (its own draft)."""
    verb = ENDING_VERBS[decision.decision]
    drafts = (PublicationDraft.objects.select_for_update(of=("self",))
              .filter(case=case, decision__in=STANDING_DECISIONS)
              .exclude(status__in=(DraftStatus.WITHDRAWN, DraftStatus.NOT_PUBLISHED, DraftStatus.EXPIRED)))
    for draft in drafts:
        published = draft.publication
        withdrawn = published is not None and published.status == PublicationStatus.PUBLISHED
        if withdrawn:
            published.status = PublicationStatus.WITHDRAWN
            published.withdrawn_on = on
            published.withdrawal_statement = (
                f"该行政许可已于{decision.decided_on:%Y年%m月%d日}被依法{verb}（{decision.number}）。"
            )
            if decision.party.kind == "natural_person":
                # As for every withdrawn decision: a natural person is no longer named by it.
                publication_names_mask(publication=published, names=[published.party_name, decision.party.name])
            published.search_text = ""
            published.save()
            draft.status = DraftStatus.WITHDRAWN
        else:
            draft.status = DraftStatus.NOT_PUBLISHED
            draft.refusals = [asdict(Violation("publication.permit.ended", f"该行政许可已被依法{verb}，原决定不再公开",
                                               PUBLICITY_BASIS))]
        draft.change_kind = CHANGE_OF_ENDING[decision.decision]
        draft.changed_on = decision.decided_on
        draft.withdrawal_due_on = on
        draft.save()
        entry_append(
            event=LedgerEvent(
                EventKind.WITHDRAWAL if withdrawn else EventKind.PUBLICATION_NOT_PUBLISHED,
                {
                    "draft": draft.pk,
                    "decision": draft.decision,
                    "publication": published.pk if withdrawn else None,
                    "change": draft.change_kind,
                    "changed_on": decision.decided_on.isoformat(),
                    "withdrawn_on": on.isoformat(),
                    "due_on": on.isoformat(),
                    "late": False,
                    "basis": PUBLICITY_BASIS,
                    "by": decision.number,
                },
                agency_id=draft.agency_id,
                case_id=draft.case_id,
                subject=f"publication_draft:{draft.pk}",
            ),
            actor=actor,
        )


def permit_publication_change_refused(*, draft: PublicationDraft) -> Refused:
    """A licence decision's publication is not corrected or withdrawn by hand: it follows the case
    (a change, withdrawal, revocation or cancellation of the licence is a step of the case, which
    takes the earlier publications down and publishes the new decision)."""
    return Refused([Violation(
        "publication.permit.by_case",
        "行政许可决定的公开信息随案件中的决定更新：变更、撤回、撤销或者注销许可，请在案件中办理相应步骤，原公开信息将自动撤下",
        PUBLICITY_BASIS, "status",
    )])


@transaction.atomic
def permit_publication_approve(
    *, actor: User, draft: PublicationDraft, edits: dict[str, str] | None = None, on: dt.date | None = None
) -> Publication:
    """Publish a licence decision's draft as it stands. The public text of a licence decision is the
    rules' own (a person's edit is refused: it is rebuilt from the decision, so that the 双公示 row
    and the portal say the same)."""
    draft = PublicationDraft.objects.select_for_update(of=("self",)).select_related("agency").get(pk=draft.pk)
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以审核发布公示信息")
    on = on or timezone.localdate()
    violations: list[Violation] = []
    if draft.status != DraftStatus.DRAFT:
        violations.append(Violation("publication.not_a_draft", f"该公示信息{draft.get_status_display()}，不能再发布",
                                    DATA, "status"))
    changed = sorted(name for name, text in (edits or {}).items() if text is not None and text != draft.public.get(name))
    if changed:
        violations.append(Violation("publication.permit.edit", "行政许可决定的公开文本由决定生成，不能直接修改：请更正案件中的决定",
                                    PUBLICITY_BASIS, changed[0]))
    decision = permit_decision_stored(draft.facts["decision"])
    party = decision.party
    hidden = [v for v in (party.id_number, party.phone, party.address if party.natural else "") if v]
    found = [name for name, text in draft.public.items() if leaks(str(text), hidden)]
    if found:
        violations.append(Violation("publication.leak", "公开文本中仍有应当隐去的个人信息", PUBLICITY_BASIS, found[0]))
    if violations:
        raise Refused(violations)
    period = permit_display_period(decision)
    public = draft.public
    agency = public_agency_get(agency_id=draft.agency_id)
    publication = Publication(
        agency=agency,
        agency_name=agency.name,
        agency_credit_code=draft.agency.credit_code,
        decision_kind=PROCEDURE,
        number=public["number"],
        title=public["title"],
        party_name=public["party_name"],
        party_kind=public["party_kind"],
        party_credit_code=public["party_credit_code"],
        legal_representative=public["legal_representative"],
        violation_type=public["violation_type"],
        facts=public["facts"],
        basis=public["basis"],
        kinds=[],
        kinds_label=public["kinds_label"],
        content=public["content"],
        licence=public["licence"][:200],
        decided_on=draft.decided_on,
        published_on=on,
        display_until=period.ends_on,
    )
    return publication_record(draft=draft, publication=publication, public=public, redactions=draft.redactions,
                              actor=actor, on=on, period=period, entry={"decision": draft.decision})


def permit_rows_published(publications) -> dict[int, dict[str, str]]:
    """The XK_* rows kept with the drafts of these publications, by publication id (one query)."""
    drafts = PublicationDraft.objects.filter(publication__in=publications.values("pk"), decision__startswith="permit_")
    return {pk: facts["xk_row"] for pk, facts in drafts.values_list("publication_id", "facts") if facts.get("xk_row")}


__all__ = [
    "DECISION_DOCUMENTS",
    "KEPT_FIELDS",
    "TEXT_FIELDS",
    "permit_decision_build",
    "permit_decision_record",
    "permit_decision_stored",
    "permit_decisions_record",
    "permit_publication_approve",
    "permit_publication_change_refused",
    "permit_rows_published",
]
