"""事后公开 of the decisions of 行政征收征用 and of the other acts (行政给付、确认、奖励、裁决 …). The rules
(what is published, hidden, withheld; by when; for how long) are `sanxiang.procedure.other_acts.
publication`; this module gathers what they read from the case, keeps the internal draft (its due
day: the desk's overdue alerts, the homes and `publication_tick` read every draft's `due_on`), and
publishes it to the public read model when a person approves it, with a ledger entry each time, the
way `publication.permit` does for licences.

How a decision travels:
- `cases` emits `CompulsoryDecided` in the transaction of the deciding step (`expropriation_decide`,
  `other_act_decide`); `apps.py` hands it here in that transaction: the draft exists with the
  decision or neither does; due 20 working days after the decision;
- the other act's `other_act_withhold` (依法不予公开 on the grounds of `procedure.other_acts.decision_rules.WITHHOLDING_GROUNDS`) emits it too: the
  draft not yet published is marked not to be published, with the ground;
- the head approves it on the desk (`publication.services.publication_approve` hands it here): the
  public row is written, the ledger entry says whether it was late (after the due day);
- its public text is the rules' own (an edit is refused); a decision later revoked or changed is
  withdrawn on the desk with the public statement of why (`act_decision_change`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import case_documents, case_snapshot_build
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.citations import PUBLICATION_WITHDRAWAL
from sanxiang.procedure.expropriation.rules import COMPENSATION_METHODS
from sanxiang.procedure.other_acts.publication import (
    ACT_PROCEDURES,
    DECIDING_STEPS,
    PUBLICATION_BASIS,
    WITHHOLDING_STEPS,
    ActPublicationDecision,
    act_display_period,
    act_public_name,
    act_publication_content,
    act_publication_due,
    act_publication_refusals,
    act_sensitive_values,
    act_withdrawal_due,
)
from sanxiang.procedure.other_acts.rules import KINDS as ACT_KINDS
from sanxiang.procedure.publication import leaks, text_redact
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.publication.drafting import decision_party_build, draft_entry_append
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft, PublicationStatus
from sanxiang.publication.permissions import user_can_publish
from sanxiang.publication.services import CHANGE_KINDS, public_agency_get, publication_record

# The document each procedure's decision is issued as (documents.registry).
DECISION_DOCUMENTS: dict[str, str] = {"expropriation": "expropriation_decision", "other_act": "act_decision"}
TITLES: dict[str, str] = {
    "payment": "行政给付决定书",
    "confirmation": "行政确认决定书",
    "award": "行政奖励决定书",
    "adjudication": "行政裁决书",
    "other": "决定书",
}
DATA = "数据校验"
# The desk's side-by-side view: every public column is shown; none is edited by hand.
KEPT_FIELDS: dict[str, str] = {
    "party_name": "当事人",
    "party_kind": "当事人类别",
    "party_credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "number": "决定书文号",
    "title": "案件名称",
    "violation_type": "行为类别",
    "kinds_label": "决定种类",
    "facts": "事由",
    "basis": "依据",
    "content": "决定内容",
}
TEXT_FIELDS: dict[str, str] = {}


def _expropriation_texts(snapshot) -> tuple[str, str, str, str]:
    """(kind label, title, grounds, content) of a 征收征用 decision."""
    label = snapshot.kind_label
    grounds = "；".join(p for p in (f"为了{snapshot.purpose.strip()}的公共利益需要" if snapshot.purpose.strip() else "",
                                    f"{label}{snapshot.scope.strip()}" if snapshot.scope.strip() else "") if p)
    plan = snapshot.plan
    content = f"决定{label}：{snapshot.scope.strip()}"
    if plan is not None:
        content += f"。补偿方式：{COMPENSATION_METHODS.get(plan.method, '')}"
        if plan.amount_fen:
            content += f"，补偿金额：{plan.amount_fen // 100}元" + (f"{plan.amount_fen % 100:02d}分" if plan.amount_fen % 100 else "")
    return label, f"{label}决定书", grounds, content


def act_decision_build(*, case: Case, snapshot=None) -> ActPublicationDecision | None:
    """The decision of the case as publication reads it, from its snapshot and its issued decision
    document (its 文号 and day); None while no such document exists."""
    procedure = case.procedure
    if procedure not in DECISION_DOCUMENTS:
        return None
    document = case_documents(case=case).filter(kind=DECISION_DOCUMENTS[procedure]).order_by("-pk").first()
    if document is None:
        return None
    snapshot = snapshot if snapshot is not None else case_snapshot_build(case)
    if procedure == "expropriation":
        label, title, grounds, content = _expropriation_texts(snapshot)
        withholding = None
    else:
        label, title = ACT_KINDS.get(snapshot.kind, ACT_KINDS["other"]), TITLES.get(snapshot.kind, TITLES["other"])
        decision = snapshot.decision
        grounds, content = "", decision.content if decision is not None else snapshot.content
        withholding = snapshot.withholding
    agency = case.agency
    return ActPublicationDecision(
        procedure=procedure, kind_label=label, title=title, decided_on=document.issued_on, number=document.number,
        agency_name=agency.name, agency_credit_code=agency.credit_code,
        party=decision_party_build(case=case, unregistered="（未登记当事人）"), matter=case.title,
        bases=tuple(snapshot.bases), content=content, grounds=grounds, withholding=withholding,
        scope=snapshot.scope if procedure == "expropriation" else "",
        region=agency.region_code, sector=case.enforcement_field,
    )


def _draft_fill(draft: PublicationDraft, case: Case, decision: ActPublicationDecision) -> list[Violation]:
    refusals = act_publication_refusals(decision)
    due = act_publication_due(decision, calendar=working_day_calendar_current())
    content = act_publication_content(decision)
    party = decision.party
    draft.agency = case.agency
    draft.status = DraftStatus.NOT_PUBLISHED if refusals else DraftStatus.DRAFT
    draft.decided_on = decision.decided_on
    draft.due_on = due.date
    draft.due_estimated = due.estimated
    draft.original = {
        **content.public, "title": decision.matter, "party_name": party.name,
        "facts": decision.grounds or decision.matter, "basis": "；".join(decision.bases), "content": decision.content,
    }
    draft.public = content.public
    draft.redactions = [asdict(r) for r in content.redactions]
    draft.refusals = [asdict(v) for v in refusals]
    draft.facts = {"procedure": decision.procedure, "due_basis": due.basis,
                   "decision": {"number": decision.number, "decided_on": decision.decided_on.isoformat(),
                                "region": decision.region, "sector": decision.sector},
                   "sensitive_sha256": [hashlib.sha256(v.encode("utf-8")).hexdigest()
                                        for v in act_sensitive_values(decision)]}
    draft.save()
    return refusals


def act_decision_record(
    *, case: Case, procedure: str, action: str, snapshot, on: dt.date, actor: User | None
) -> PublicationDraft | None:
    """A decision of 征收征用 or of another act was made, or withheld (the `CompulsoryDecided` event
    of its case, in its transaction): its draft is created (due 20 working days after the
    decision), or a draft not yet published is marked not to be published. Returns the draft (None
    for another procedure or a step that decides nothing to publish)."""
    if procedure not in ACT_PROCEDURES or action not in DECIDING_STEPS | WITHHOLDING_STEPS:
        return None
    decision = act_decision_build(case=case, snapshot=snapshot)
    if decision is None:
        return None
    key = ACT_PROCEDURES[procedure]
    draft = (PublicationDraft.objects.select_for_update(of=("self",))
             .filter(case=case, decision=key, document_number=decision.number).first())
    if draft is None:
        draft = PublicationDraft(case=case, decision=key, document_number=decision.number)
        refusals = _draft_fill(draft, case, decision)
        draft_entry_append(draft, action=action, refreshed=False, actor=actor, refusals=refusals)
    elif draft.status in (DraftStatus.DRAFT, DraftStatus.NOT_PUBLISHED):
        refusals = _draft_fill(draft, case, decision)
        draft_entry_append(draft, action=action, refreshed=True, actor=actor, refusals=refusals)
    # Published already (withheld after the head approved it): the desk withdraws it by hand.
    return draft


def _decision_of(draft: PublicationDraft) -> ActPublicationDecision:
    case = Case.objects.select_related("agency", "party").get(pk=draft.case_id)
    decision = act_decision_build(case=case)
    if decision is None:  # the document cannot vanish (the ledger keeps it); defensive
        raise Refused([Violation("publication.act.no_document", "未找到该决定的决定书", DATA, "status")])
    return decision


@transaction.atomic
def act_publication_approve(
    *, actor: User, draft: PublicationDraft, edits: dict[str, str] | None = None, on: dt.date | None = None
) -> Publication:
    """Publish the draft as it stands (the rules' own text: an edit is refused, the case is
    corrected instead). Refused when it is withheld or when a protected value would appear."""
    draft = PublicationDraft.objects.select_for_update(of=("self",)).select_related("agency").get(pk=draft.pk)
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以审核发布公示信息")
    on = on or timezone.localdate()
    violations: list[Violation] = []
    if draft.status != DraftStatus.DRAFT:
        violations.append(Violation("publication.not_a_draft", f"该公示信息{draft.get_status_display()}，不能再发布",
                                    DATA, "status"))
    changed = sorted(name for name, text in (edits or {}).items() if text is not None and text != draft.public.get(name))
    if changed:
        violations.append(Violation("publication.act.edit", "该决定的公开文本由决定生成，不能直接修改：请更正案件中的决定",
                                    PUBLICATION_BASIS, changed[0]))
    decision = _decision_of(draft)
    found = [name for name, text in draft.public.items() if leaks(str(text), act_sensitive_values(decision))]
    if found:
        violations.append(Violation("publication.leak", "公开文本中仍有应当隐去的个人信息", PUBLICATION_BASIS, found[0]))
    if violations:
        raise Refused(violations)
    period = act_display_period(decision)
    public = draft.public
    agency = public_agency_get(agency_id=draft.agency_id)
    publication = Publication(
        agency=agency, agency_name=agency.name, agency_credit_code=draft.agency.credit_code,
        decision_kind=draft.decision, number=public["number"], title=public["title"][:200],
        party_name=public["party_name"], party_kind=public["party_kind"], party_credit_code=public["party_credit_code"],
        legal_representative=public["legal_representative"], violation_type=public["violation_type"],
        facts=public["facts"], basis=public["basis"], kinds=[], kinds_label=public["kinds_label"],
        content=public["content"], licence="", decided_on=draft.decided_on, published_on=on,
        display_until=period.ends_on,
    )
    return publication_record(draft=draft, publication=publication, public=public, redactions=draft.redactions,
                              actor=actor, on=on, period=period, entry={"decision": draft.decision})


def act_publication_correct_refused(*, draft: PublicationDraft) -> Refused:
    return Refused([Violation(
        "publication.act.by_case", "该决定的公开信息由决定生成，不能直接更正：请更正案件中的决定；决定被撤销或者变更的，请撤回公示并说明理由",
        PUBLICATION_BASIS, "status",
    )])


@transaction.atomic
def act_decision_change(
    *, actor: User, draft: PublicationDraft, kind: str, changed_on: dt.date, statement: str, on: dt.date | None = None
) -> PublicationDraft:
    """The decision was changed, revoked, held unlawful or void (by 复议, 诉讼 or the agency
    itself): its publication is withdrawn with the public statement of why, the natural person's
    name masked, the content taken down; recorded with whether it was within the period."""
    draft = PublicationDraft.objects.select_for_update(of=("self",)).select_related("agency").get(pk=draft.pk)
    permission_require(user_can_publish(actor, draft.agency_id), "只有本机关负责人或者管理员可以撤回公示信息")
    on = on or timezone.localdate()
    violations = []
    if kind not in CHANGE_KINDS:
        violations.append(Violation("publication.change_kind", "请选择决定被变更、撤销、确认违法或者确认无效", DATA, "kind"))
    if not statement.strip():
        violations.append(Violation("publication.statement_missing", "请填写公开说明撤回的理由", PUBLICATION_WITHDRAWAL,
                                    "statement"))
    if changed_on > on:
        violations.append(Violation("publication.change_in_future", "变更或者撤销的日期不能晚于今天", DATA, "changed_on"))
    if changed_on < draft.decided_on:
        violations.append(Violation("publication.change_before_decision", "变更或者撤销的日期不能早于决定日期", DATA,
                                    "changed_on"))
    if draft.status == DraftStatus.WITHDRAWN:
        violations.append(Violation("publication.already_withdrawn", "该公示信息已经撤回", DATA, "status"))
    decision = _decision_of(draft)
    sensitive = act_sensitive_values(decision)
    statement = text_redact(statement.strip(), field="withdrawal_statement",
                            keep=[decision.agency_name, decision.number],
                            third_parties=[decision.party.name] if decision.party.kind == "natural_person" else []).text
    if leaks(statement, sensitive):
        violations.append(Violation("publication.leak", "撤回说明中有应当隐去的个人信息，请修改", PUBLICATION_BASIS, "statement"))
    if violations:
        raise Refused(violations)
    due = act_withdrawal_due(decision, changed_on=changed_on, calendar=working_day_calendar_current())
    draft.change_kind, draft.changed_on, draft.withdrawal_due_on = kind, changed_on, due.date
    published = draft.publication
    if published is not None and published.status == PublicationStatus.PUBLISHED:
        published.status = PublicationStatus.WITHDRAWN
        published.withdrawn_on = on
        published.withdrawal_statement = f"本决定已于{changed_on:%Y年%m月%d日}被依法{CHANGE_KINDS.get(kind, kind)}。{statement}"
        published.party_name = act_public_name(decision.party)
        published.facts = published.basis = published.content = ""
        published.search_text = ""
        published.save()
    draft.status = DraftStatus.WITHDRAWN
    draft.save()
    payload: dict[str, Any] = {
        "draft": draft.pk, "decision": draft.decision, "publication": published.pk if published is not None else None,
        "change": kind, "changed_on": changed_on.isoformat(), "withdrawn_on": on.isoformat(),
        "due_on": due.date.isoformat(), "late": on > due.date, "basis": due.basis,
        "statement_sha256": hashlib.sha256(statement.encode("utf-8")).hexdigest(),
    }
    entry_append(event=LedgerEvent(EventKind.WITHDRAWAL, payload, agency_id=draft.agency_id, case_id=draft.case_id,
                                   subject=f"publication_draft:{draft.pk}"), actor=actor)
    return draft


__all__ = [
    "KEPT_FIELDS",
    "TEXT_FIELDS",
    "act_decision_build",
    "act_decision_change",
    "act_decision_record",
    "act_publication_approve",
    "act_publication_correct_refused",
]
