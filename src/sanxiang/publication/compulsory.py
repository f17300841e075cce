"""事后公开 of compulsory decisions (行政强制): 查封、扣押、冻结决定 (a measure's case), 强制执行决定 and
代履行决定 (an enforcement case). The rules (what is published, hidden, never published; by when)
are `sanxiang.procedure.publication_coercion`; this module gathers what they read from the case,
stores the results in the internal draft and the public read model, and appends a ledger entry
with every change, as `publication.services` does for penalties.

How a decision travels:

- `cases` emits `CompulsoryDecided` in the transaction of every deciding step; `apps.py` hands it
  to `compulsory_decision_record` in that transaction (atomic: the draft exists with the decision
  or neither does).
- One draft per decision (`PublicationDraft.decision`): "measure" for a measure's case (its later
  steps — extension, release, confiscation … — change the same decision), "execution" and
  "substitute" for an enforcement case (two decisions of their own, each with its 文号 and date).
- Not yet published: each later step recomputes the draft (the conclusion says 延长、解除 …). An
  emergency measure waiting for the head's approval is held (`DraftStatus.HELD`); once the head
  approves, the next event or the daily `publication_tick` (`compulsory_drafts_refresh`) releases
  it to the desk. One the head did not approve is never published (the rules' refusals).
- Published: the conclusion follows the decision (a recorded correction, `PUBLICATION_CORRECTED`,
  marked automatic). If a person had edited the conclusion when approving it, that edit is not
  overwritten: the new conclusion waits on the desk (`facts["update_pending"]`) for the same
  correction path a person uses (`compulsory_publication_correct`).
- The desk approves, corrects and withdraws through the services of `publication.services`, which
  hand compulsory drafts to the functions here.

The public columns of `Publication` are the penalty's, read under the labels of
`publication.models.COMPULSORY_LABELS`: violation_type = 执法类别, kinds_label = 决定种类, facts = 理由,
basis = 依据, content = 执法结论.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import case_documents, case_publication_texts, case_snapshot_build, case_texts
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.citations import PERSONAL_INFORMATION_NOT_PUBLISHED, THIRD_PARTIES_NOT_NAMED
from sanxiang.procedure.coercion.texts import MeasureTexts
from sanxiang.procedure.enforcement.texts import EnforcementTexts
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.publication import PUBLICITY_BASIS, Redaction, leaks
from sanxiang.procedure.publication_coercion import (
    PARTY_KINDS,
    WITHDRAWAL_GROUNDS,
    CompulsoryDecision,
    CompulsoryParty,
    DecidingAgency,
    _conclusion,
    compulsory_content_withdrawn,
    compulsory_display_period,
    compulsory_publication_content,
    compulsory_publication_due,
    compulsory_publication_refusals,
    compulsory_sensitive_values,
    compulsory_withdrawal_due,
    enforcement_publication_decision,
    measure_publication_decision,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.publication.drafting import draft_entry_append
from sanxiang.publication.models import (
    COMPULSORY_DECISION_KINDS,
    DraftStatus,
    Publication,
    PublicationDraft,
    PublicationStatus,
)
from sanxiang.publication.permissions import user_can_publish
from sanxiang.publication.services import publication_names_mask, publication_record, redaction_summary
from sanxiang.registry.models import PartyKind

MEASURE_PROCEDURES = ("seal_seizure", "freeze")
ENFORCEMENT_PROCEDURE = "enforcement"
# The deciding steps of an enforcement case and the decision each makes; every deciding step of a
# measure's case changes its one decision.
ENFORCEMENT_DECISIONS = {"decide_execution": "execution", "decide_substitute": "substitute"}
DECISION_DOCUMENTS = {"execution": "execution_decision", "substitute": "substitute_decision"}

# The texts a person may edit before approval (each goes through the redaction again), and the
# structured fields shown beside them, by the public column that holds them.
TEXT_FIELDS: dict[str, str] = {
    "title": "案件名称",
    "facts": "理由",
    "basis": "依据",
    "content": "执法结论",
}
KEPT_FIELDS: dict[str, str] = {
    "party_name": "当事人",
    "party_kind": "当事人类别",
    "party_credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "number": "决定书文号",
    "violation_type": "执法类别",
    "kinds_label": "决定种类",
}
CHANGE_KINDS = WITHDRAWAL_GROUNDS
FIELD_LIMITS = {"title": 200, "facts": 20000, "basis": 5000, "content": 5000}
DATA = "数据校验"
AWAITING_APPROVAL = "publication.coercion.awaiting_approval"
# A title for a case that has none (the rules print the kind of decision).
UNTITLED = "{kind}决定"


def decision_of(procedure: str, action: str) -> str | None:
    """Which decision of the case the step made or changed; None for a step that decides none."""
    if procedure in MEASURE_PROCEDURES:
        return "measure"
    if procedure == ENFORCEMENT_PROCEDURE:
        return ENFORCEMENT_DECISIONS.get(action)
    return None


# --- gathering -------------------------------------------------------------------------------------


def _agency(case: Case) -> DecidingAgency:
    agency = case.agency
    return DecidingAgency(agency.name, agency.credit_code, agency.address, agency.contact_phone)


def _party(case: Case, accounts: tuple[str, ...] = ()) -> CompulsoryParty:
    party = case.party
    if party is None:
        return CompulsoryParty(kind="natural_person", name="（未登记当事人）", bank_accounts=accounts)
    kind = {
        PartyKind.NATURAL_PERSON: "natural_person",
        PartyKind.INDIVIDUAL_BUSINESS: "individual_business",
    }.get(party.kind, "organization")
    return CompulsoryParty(
        kind=kind,
        name=party.name,
        credit_code=party.credit_code,
        legal_representative=party.legal_representative,
        id_number=party.id_number,
        address=party.address,
        phone=party.phone,
        bank_accounts=accounts,
    )


def _others(case: Case, names) -> tuple[str, ...]:
    """The natural persons named besides the party (never published by name), without the role
    written after them ("张某（村委会主任）"): not the party, nor an organisation's legal
    representative, whose name is public."""
    party = case.party
    kept = {party.name, party.legal_representative} if party is not None else set()
    found = [re.split(r"[（(：:，,；;]", raw.strip(), maxsplit=1)[0].strip() for raw in names if raw and raw.strip()]
    return tuple(dict.fromkeys(n for n in found if n and n not in kept))


def _parent_facts(case: Case) -> tuple[dt.date | None, bool]:
    """The act's date and whether the main facts are secrets or privacy: the case's own, or those
    of the penalty case the measure or execution belongs to (a hearing held in private marks it)."""
    act_date = case.act_date
    secrets = False
    if case.parent_id is not None:
        parent = case.parent
        act_date = act_date or parent.act_date
        texts = case_publication_texts(parent)
        secrets = parent.procedure in ("ordinary", "summary") and (texts.secrets_or_privacy or not texts.hearing.public)
    return act_date, secrets


def _measure_decision(case: Case, snapshot) -> CompulsoryDecision:
    texts = case_texts(case)
    texts = texts if isinstance(texts, MeasureTexts) else MeasureTexts()
    content = texts.content
    accounts = content.accounts if content is not None else ()
    act_date, secrets = _parent_facts(case)
    return measure_publication_decision(
        snapshot,
        calendar=working_day_calendar_current(),
        agency=_agency(case),
        # Every account the case names is hidden wherever it is written (a freeze's account never
        # reaches the public, whoever the party is).
        party=_party(case, tuple(a.account_number for a in accounts)),
        number=texts.decision_number,
        reason=content.reason if content is not None else "",
        basis="；".join(content.bases) if content is not None else "",
        items=content.items_described() if content is not None and snapshot.kind != "freeze" else "",
        freeze_amount_fen=content.amount_fen if content is not None and snapshot.kind == "freeze" else 0,
        third_parties=_others(case, [*texts.people(), *(a.account_name for a in accounts)]),
        act_date=act_date,
        secrets_or_privacy=secrets,
    )


def _enforcement_decision(case: Case, snapshot, kind: str) -> CompulsoryDecision:
    texts = case_texts(case)
    texts = texts if isinstance(texts, EnforcementTexts) else EnforcementTexts()
    part = texts.execution if kind == "execution" else texts.substitute
    duty = texts.decision.duty if texts.decision is not None else ""
    if not duty and snapshot.decision.source.startswith("penalty"):
        duty = "缴纳罚款"  # the penalty case's fine: its amount and number follow in the conclusion
    number = (
        case_documents(case=case).filter(kind=DECISION_DOCUMENTS[kind]).order_by("-pk").values_list("number", flat=True)
        .first()
    ) or ""
    signed = [texts.demand.service.signed_by if texts.demand is not None else ""]
    if texts.execution is not None:
        signed.append(texts.execution.service.signed_by)
    if texts.substitute is not None:
        signed.append(texts.substitute.decision_service.signed_by)
    act_date, secrets = _parent_facts(case)
    return enforcement_publication_decision(
        snapshot,
        kind=kind,
        agency=_agency(case),
        party=_party(case),
        number=number,
        reason=part.reasons if part is not None else "",
        basis="；".join(part.bases) if part is not None else "",
        duty=duty,
        third_parties=_others(case, signed),
        act_date=act_date,
        secrets_or_privacy=secrets,
    )


def compulsory_decision_build(*, case: Case, decision: str, snapshot=None) -> CompulsoryDecision:
    """The decision as the publication rules read it, from the case (its snapshot, built once, or
    the one the event carries) and its typed texts."""
    snapshot = snapshot if snapshot is not None else case_snapshot_build(case)
    if decision == "measure":
        return _measure_decision(case, snapshot)
    return _enforcement_decision(case, snapshot, decision)


def _redacted(decision: CompulsoryDecision, text: str, *, field: str) -> tuple[str, list[Redaction]]:
    """`text` redacted exactly as the decision's reason is (the same party, accounts, addresses
    and third parties): for the texts the rules do not compose themselves (the case's title, a
    person's edit)."""
    content = compulsory_publication_content(replace(decision, reason=text))
    return content.reason, [replace(r, field=field) for r in content.redactions if r.field == "reason"]


def _texts(case: Case, decision: CompulsoryDecision) -> tuple[dict[str, str], dict[str, str], list[Redaction]]:
    """The original texts (internal), the public ones and what was hidden, by public column."""
    content = compulsory_publication_content(decision)
    party = decision.party
    title = case.title or UNTITLED.format(kind=decision.kind_label)
    public_title, title_redactions = _redacted(decision, title, field="title")
    original = {
        "number": decision.number,
        "title": title,
        "party_name": party.name,
        "party_kind": PARTY_KINDS[party.kind],
        "party_credit_code": party.credit_code if party.kind != "natural_person" else "",
        "legal_representative": party.legal_representative if not party.natural else "",
        "violation_type": decision.category,
        "kinds_label": decision.kind_label,
        "facts": decision.reason,
        "basis": decision.basis,
        "content": _conclusion(decision, parameters_default())[0],
    }
    public = {
        "number": content.number,
        "title": public_title,
        "party_name": content.party_name,
        "party_kind": content.party_kind,
        "party_credit_code": content.party_credit_code,
        "legal_representative": content.legal_representative,
        "violation_type": content.category,
        "kinds_label": content.kind_label,
        "facts": content.reason,
        "basis": content.basis,
        "content": content.conclusion,
    }
    return original, public, [*content.redactions, *title_redactions]


def _status(refusals: list[Violation]) -> str:
    if not refusals:
        return DraftStatus.DRAFT
    if all(v.code == AWAITING_APPROVAL for v in refusals):
        return DraftStatus.HELD
    return DraftStatus.NOT_PUBLISHED


def _draft_fill(draft: PublicationDraft, case: Case, decision: CompulsoryDecision) -> list[Violation]:
    """Write the decision's current state into a draft not yet published; the reasons not to
    publish it are returned (and stored)."""
    refusals = compulsory_publication_refusals(decision)
    due = compulsory_publication_due(decision, calendar=working_day_calendar_current())
    original, public, redactions = _texts(case, decision)
    draft.agency = case.agency
    draft.status = _status(refusals)
    draft.decided_on = decision.decided_on
    draft.due_on = due.date
    draft.due_estimated = due.estimated
    draft.original = original
    draft.public = public
    draft.redactions = [asdict(r) for r in redactions]
    draft.refusals = [asdict(v) for v in refusals]
    draft.facts = {
        "procedure": case.procedure,
        "kind": decision.kind,
        "stage": decision.stage,
        "party_kind": decision.party.kind,
        "due_basis": due.basis,
        # The conclusion as the rules wrote it: a later step compares it with the public one to
        # tell a person's edit from the rules' text.
        "generated_content": public["content"],
        "update_pending": "",
    }
    draft.save()
    return refusals


def _drafted_entry(draft: PublicationDraft, *, action: str, refusals: list[Violation], refreshed: bool,
                   actor: User | None) -> None:
    draft_entry_append(draft, action=action, refreshed=refreshed, actor=actor, refusals=refusals,
                       extra={"stage": draft.facts["stage"]})


def compulsory_decision_record(
    *, case: Case, procedure: str, action: str, snapshot, on: dt.date, actor: User | None
) -> PublicationDraft | None:
    """A compulsory decision was made or changed (the `CompulsoryDecided` event, in its
    transaction): its draft is created or brought up to date, or its publication's conclusion
    follows the change. Returns the draft (None when the step decides nothing to publish)."""
    key = decision_of(procedure, action)
    if key is None:
        return None
    decision = compulsory_decision_build(case=case, decision=key, snapshot=snapshot)
    draft = PublicationDraft.objects.select_for_update(of=("self",)).filter(case=case, decision=key).first()
    if decision.decided_on is None:
        return draft  # nothing decided yet: nothing to publish
    if draft is None:
        draft = PublicationDraft(case=case, decision=key)
        refusals = _draft_fill(draft, case, decision)
        _drafted_entry(draft, action=action, refusals=refusals, refreshed=False, actor=actor)
    elif draft.status in (DraftStatus.DRAFT, DraftStatus.NOT_PUBLISHED, DraftStatus.HELD):
        refusals = _draft_fill(draft, case, decision)
        _drafted_entry(draft, action=action, refusals=refusals, refreshed=True, actor=actor)
    elif draft.status == DraftStatus.PUBLISHED:
        _published_follow(draft, case, decision, action=action, on=on, actor=actor)
    # Withdrawn or taken down: what follows is no longer published.
    return draft


def _published_follow(draft: PublicationDraft, case: Case, decision: CompulsoryDecision, *, action: str,
                      on: dt.date, actor: User | None) -> None:
    """The decision changed after it was published (extended, released, confiscated …): the
    public conclusion follows, unless a person had edited it (then the desk is asked)."""
    _, public, redactions = _texts(case, decision)
    new = public["content"]
    generated = draft.facts.get("generated_content", "")
    if new == generated:
        return
    publication = Publication.objects.select_for_update().get(pk=draft.publication_id)
    found = leaks(new, compulsory_sensitive_values(decision))
    facts = dict(draft.facts)
    if draft.public.get("content") != generated or found:
        facts["update_pending"] = new
        draft.facts = facts
        draft.save(update_fields=["facts", "updated_at"])
        payload: dict[str, Any] = {"draft": draft.pk, "decision": draft.decision, "action": action,
                                   "update_pending": True, "content_sha256": _digest(new)}
        kind = EventKind.PUBLICATION_DRAFTED
        subject = f"publication_draft:{draft.pk}"
    else:
        from sanxiang.publication.search import publication_search_text

        publication.content = new
        publication.search_text = publication_search_text(publication)
        publication.save()
        conclusion = [asdict(r) for r in redactions if r.field == "conclusion"]
        draft.public = draft.public | {"content": new}
        draft.redactions = [r for r in draft.redactions if r["field"] != "conclusion"] + conclusion
        facts |= {"generated_content": new, "update_pending": ""}
        draft.facts = facts
        draft.save(update_fields=["public", "redactions", "facts", "updated_at"])
        payload = {"publication": publication.pk, "corrected_on": on.isoformat(), "fields": ["content"],
                   "automatic": True, "action": action, "redactions": redaction_summary(conclusion)}
        kind = EventKind.PUBLICATION_CORRECTED
        subject = f"publication:{publication.pk}"
    entry_append(
        event=LedgerEvent(kind, payload, agency_id=draft.agency_id, case_id=draft.case_id, subject=subject),
        actor=actor,
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def compulsory_drafts_refresh(*, on: dt.date | None = None, actor: User | None = None) -> int:
    """Bring held drafts up to date (an emergency measure the head has approved since, without a
    deciding step after it): for the daily `publication_tick`. Returns how many changed status."""
    on = on or timezone.localdate()
    changed = 0
    for draft in PublicationDraft.objects.select_for_update(of=("self",)).filter(status=DraftStatus.HELD).select_related(
        "case", "case__agency", "case__party"
    ):
        before = draft.status
        decision = compulsory_decision_build(case=draft.case, decision=draft.decision)
        if decision.decided_on is None or decision.stage == draft.facts.get("stage"):
            continue
        refusals = _draft_fill(draft, draft.case, decision)
        _drafted_entry(draft, action="refresh", refusals=refusals, refreshed=True, actor=actor)
        changed += draft.status != before
    return changed


# --- the desk ----------------------------------------------------------------------------------------


def _locked(draft: PublicationDraft) -> PublicationDraft:
    return (
        PublicationDraft.objects.select_for_update(of=("self",))
        .select_related("case", "case__party", "case__agency", "agency")
        .get(pk=draft.pk)
    )


def _edits(decision: CompulsoryDecision, public: dict, redactions: list, edits: dict[str, str] | None
           ) -> tuple[dict, list]:
    """A person's edits of the public text: each goes through the same redaction, so an edit can
    hide more, never reveal what the rules hid."""
    public, redactions = dict(public), list(redactions)
    for name, text in (edits or {}).items():
        if name not in TEXT_FIELDS or text is None or text == public.get(name):
            continue
        result, hidden = _redacted(decision, text, field=name)
        # The rules name the conclusion's redactions "conclusion" and the reason's "reason".
        field = {"content": "conclusion", "facts": "reason"}.get(name, name)
        public[name] = result
        redactions = [r for r in redactions if r["field"] != field] + [asdict(replace(r, field=field)) for r in hidden]
    return public, redactions


def _problems(decision: CompulsoryDecision, public: dict) -> list[Violation]:
    problems = [
        Violation("publication.too_long", f"{TEXT_FIELDS.get(name, name)}不得超过{limit}字", DATA, name)
        for name, limit in FIELD_LIMITS.items()
        if len(str(public.get(name, ""))) > limit
    ]
    found = leaks("\n".join(str(v) for v in public.values()), compulsory_sensitive_values(decision))
    if found:
        problems.append(
            Violation(
                "publication.leak",
                f"公开文本中仍有{len(found)}处应当隐去的个人信息（身份证件号码、电话、住址、账号或者第三人姓名），请修改后再发布",
                THIRD_PARTIES_NOT_NAMED,
                "public",
            )
        )
    return problems


@transaction.atomic
def compulsory_publication_approve(
    *, actor: User, draft: PublicationDraft, edits: dict[str, str] | None = None, on: dt.date | None = None
) -> Publication:
    """Publish a compulsory decision's draft after a person compared it with the original (and
    may have hidden more). The rules are applied again to the case as it is now."""
    from sanxiang.publication.services import public_agency_get

    draft = _locked(draft)
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以审核发布公示信息")
    on = on or timezone.localdate()
    violations: list[Violation] = []
    if draft.status != DraftStatus.DRAFT:
        violations.append(Violation("publication.not_a_draft", f"该公示信息{draft.get_status_display()}，不能再发布", DATA, "status"))
    decision = compulsory_decision_build(case=draft.case, decision=draft.decision)
    current = compulsory_publication_refusals(decision) if decision.decided_on is not None else []
    violations += list(dict.fromkeys([*(Violation(**v) for v in draft.refusals), *current]))
    public, redactions = _edits(decision, draft.public, draft.redactions, edits)
    violations += _problems(decision, public)
    if violations:
        raise Refused(violations)
    period = compulsory_display_period(decision)
    agency = public_agency_get(agency_id=draft.agency_id)
    publication = Publication(
        agency=agency,
        agency_name=agency.name,
        agency_credit_code=draft.agency.credit_code,
        decision_kind=draft.decision,
        number=public["number"],
        title=public["title"],
        party_name=public["party_name"],
        party_kind=public["party_kind"],
        party_credit_code=public["party_credit_code"],
        legal_representative=public["legal_representative"],
        violation_type=public["violation_type"],
        facts=public["facts"],
        basis=public["basis"],
        kinds=[decision.kind],
        kinds_label=public["kinds_label"],
        content=public["content"],
        decided_on=draft.decided_on,
        published_on=on,
        display_until=period.ends_on,
    )
    return publication_record(draft=draft, publication=publication, public=public, redactions=redactions,
                              actor=actor, on=on, period=period, entry={"decision": draft.decision})


@transaction.atomic
def compulsory_publication_correct(
    *, actor: User, draft: PublicationDraft, edits: dict[str, str], reason: str, on: dt.date | None = None
) -> Publication:
    """Correct a published compulsory decision (or take in the conclusion of a later step that
    waits on the desk); the correction and its reason are recorded."""
    from sanxiang.publication.search import publication_search_text

    draft = _locked(draft)
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以更正公示信息")
    on = on or timezone.localdate()
    violations: list[Violation] = []
    if draft.status != DraftStatus.PUBLISHED or draft.publication_id is None:
        violations.append(Violation("publication.not_published", "只能更正公示中的信息", DATA, "status"))
    if not reason.strip():
        violations.append(Violation("publication.reason_missing", "请填写更正的理由", DATA, "reason"))
    decision = compulsory_decision_build(case=draft.case, decision=draft.decision)
    public, redactions = _edits(decision, draft.public, draft.redactions, edits)
    violations += _problems(decision, public)
    if violations:
        raise Refused(violations)
    publication = Publication.objects.select_for_update().get(pk=draft.publication_id)
    for name in TEXT_FIELDS:
        setattr(publication, name, public[name])
    publication.search_text = publication_search_text(publication)
    publication.save()
    changed = sorted(name for name in TEXT_FIELDS if public[name] != draft.public.get(name))
    facts = dict(draft.facts)
    if facts.get("update_pending") and "content" in changed:
        # The person took in the later step's conclusion (as written, or hiding more).
        facts |= {"generated_content": facts["update_pending"], "update_pending": ""}
    draft.public, draft.redactions, draft.facts = public, redactions, facts
    draft.save(update_fields=["public", "redactions", "facts", "updated_at"])
    entry_append(
        event=LedgerEvent(
            EventKind.PUBLICATION_CORRECTED,
            {"publication": publication.pk, "corrected_on": on.isoformat(), "fields": changed,
             "reason_sha256": _digest(reason.strip()), "redactions": redaction_summary(redactions)},
            agency_id=draft.agency_id,
            case_id=draft.case_id,
            subject=f"publication:{publication.pk}",
        ),
        actor=actor,
    )
    return publication


@transaction.atomic
def compulsory_decision_change(
    *, actor: User, draft: PublicationDraft, kind: str, changed_on: dt.date, statement: str, on: dt.date | None = None
) -> PublicationDraft:
    """The compulsory decision was changed, revoked, held unlawful or void, or ordered to be
    remade: the publication is withdrawn with a public statement of why (the rules'
    `compulsory_content_withdrawn`); the ledger keeps whether that was within the period."""
    draft = _locked(draft)
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以撤回公示信息")
    on = on or timezone.localdate()
    violations: list[Violation] = []
    if kind not in CHANGE_KINDS:
        violations.append(
            Violation("publication.change_kind", "请选择决定被变更、撤销、确认违法、确认无效或者责令重新作出", DATA, "kind")
        )
    if not statement.strip():
        violations.append(
            Violation("publication.statement_missing", "请填写公开说明撤回的理由", PUBLICITY_BASIS, "statement")
        )
    if changed_on > on:
        violations.append(Violation("publication.change_in_future", "变更或者撤销的日期不能晚于今天", DATA, "changed_on"))
    if changed_on < draft.decided_on:
        violations.append(Violation("publication.change_before_decision", "变更或者撤销的日期不能早于决定日期", DATA, "changed_on"))
    if draft.status == DraftStatus.WITHDRAWN:
        violations.append(Violation("publication.already_withdrawn", "该公示信息已经撤回", DATA, "status"))
    decision = compulsory_decision_build(case=draft.case, decision=draft.decision)
    withdrawn = None
    if kind in CHANGE_KINDS and decision.decided_on is not None:
        withdrawn = compulsory_content_withdrawn(
            decision, compulsory_publication_content(decision), ground=kind, changed_on=changed_on, statement=statement
        )
        if leaks(withdrawn.withdrawal_notice, compulsory_sensitive_values(decision)):
            violations.append(
                Violation("publication.leak", "撤回说明中有应当隐去的个人信息，请修改", PERSONAL_INFORMATION_NOT_PUBLISHED,
                          "statement")
            )
    if violations:
        raise Refused(violations)
    assert withdrawn is not None
    due = compulsory_withdrawal_due(decision, changed_on=changed_on, calendar=working_day_calendar_current())
    draft.change_kind = kind
    draft.changed_on = changed_on
    draft.withdrawal_due_on = due.date
    published = Publication.objects.select_for_update().filter(pk=draft.publication_id).first()
    if published is not None and published.status == PublicationStatus.PUBLISHED:
        published.status = PublicationStatus.WITHDRAWN
        published.withdrawn_on = on
        published.withdrawal_statement = withdrawn.withdrawal_notice
        names = [published.party_name, decision.party.name]
        published.party_name = withdrawn.party_name
        published.facts = published.basis = published.content = ""
        if decision.party.kind == "natural_person":
            # The title is the case's ("王大明涉嫌…案"), and the notice may name him as well.
            publication_names_mask(publication=published, names=names)
        published.search_text = ""
        published.save()
    draft.status = DraftStatus.WITHDRAWN
    draft.save()
    entry_append(
        event=LedgerEvent(
            EventKind.WITHDRAWAL,
            {
                "draft": draft.pk,
                "decision": draft.decision,
                "publication": published.pk if published is not None else None,
                "change": kind,
                "changed_on": changed_on.isoformat(),
                "withdrawn_on": on.isoformat(),
                "due_on": due.date.isoformat(),
                "late": on > due.date,
                "basis": due.basis,
                "statement_sha256": _digest(withdrawn.withdrawal_notice),
            },
            agency_id=draft.agency_id,
            case_id=draft.case_id,
            subject=f"publication_draft:{draft.pk}",
        ),
        actor=actor,
    )
    return draft


__all__ = [
    "CHANGE_KINDS",
    "COMPULSORY_DECISION_KINDS",
    "KEPT_FIELDS",
    "TEXT_FIELDS",
    "compulsory_decision_build",
    "compulsory_decision_change",
    "compulsory_decision_record",
    "compulsory_drafts_refresh",
    "compulsory_publication_approve",
    "compulsory_publication_correct",
    "decision_of",
]
