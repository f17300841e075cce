"""Writes of part B: issuing supervision instruments, the agency's replies and the supervisors'
answers, person-level proposals, referrals to the 监察机关 and 通报.
Each service checks everything first (every reason at once), then changes its rows
and appends its ledger entry in one transaction.

Until part A's `matter_supervisors` is merged, the pair acting is passed explicitly
(`supervisors=[user, user]`) and checked with `supervisors_check`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.accounts.permissions import permission_require
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.services import agency_abbreviation, document_number_allocate
from sanxiang.documents.supervision import InstrumentContext, instrument_render
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.evidence.services import EvidenceMetadata, evidence_ingest, evidence_metadata_check
from sanxiang.inputs import PLATFORM_RULE, date_problem, text_problem
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.supervision.basis import regulation_article
from sanxiang.procedure.supervision.instruments import (
    AGENCY_ACTIONS,
    CERTIFICATE_EFFECT,
    DEFAULT_ACTIONS,
    INSTRUMENT_BASIS,
    INSTRUMENT_KIND_LABELS,
    INSTRUMENT_NUMBER_WORDS,
    NOTICE_BASIS,
    PERSONAL_MEASURE_BASIS,
    PERSONAL_MEASURE_LABELS,
    InstrumentAction,
    InstrumentKind,
    InstrumentSnapshot,
    InstrumentState,
    PersonalMeasure,
    action_violations,
    notice_approval_violations,
    objection_period,
    reply_period,
    review_period,
    transition_next,
)
from sanxiang.procedure.supervision.matters import MatterState
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.public_events import SupervisionNoticePublished, supervision_notice_published_emit
from sanxiang.registry.models import Agency, Certificate, Officer
from sanxiang.registry.services import certificate_update
from sanxiang.supervision import instrument_events as events
from sanxiang.supervision.instrument_selectors import notice_personal_data
from sanxiang.supervision.models import Instrument, InstrumentStep, Matter, Notice, PersonalProposal, Referral
from sanxiang.supervision.selectors import matter_recused_ids, matter_supervisors
from sanxiang.supervision.services import supervisors_check

DATA = "数据校验"
DESK_RULE = "系统规则：监督人员只办理本局的监督事项"


class Upload(Protocol):
    name: str

    def read(self, size: int = -1) -> bytes: ...


def _today() -> dt.date:
    return timezone.localdate()


def _text(violations: list[Violation], value: str, *, field: str, label: str, required: bool = True,
          max_length: int = 20000) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            violations.append(Violation(f"supervision.{field}_required", f"请填写{label}", DATA, field))
        return value
    problem = text_problem(value, max_length=max_length, multiline=True)
    if problem:
        violations.append(Violation(f"supervision.{field}_invalid", f"{label}{problem}", PLATFORM_RULE, field))
    return value


def _pair_violations(*, actor: User, bureau: Agency, supervisors: Sequence[User], on: dt.date,
                     recused_user_ids: frozenset[int], matter: Matter | None = None,
                     open_matter: bool = False) -> list[Violation]:
    """The pair rule and certificates (supervisors_check), the actor among them, every one a
    supervisor of the matter's bureau; and, for a matter: nobody who withdrew from it (回避), every one
    of its assigned pair when it has one, and (`open_matter`) the matter under way (accepted)."""
    if matter is not None:
        recused_user_ids = frozenset(recused_user_ids) | matter_recused_ids(matter)
    violations = list(supervisors_check(users=supervisors, on=on, recused_user_ids=recused_user_ids))
    if matter is not None:
        assigned = {u.pk for u in matter_supervisors(matter)}
        outsiders = [s for s in supervisors if assigned and s.pk not in assigned and s.pk not in recused_user_ids]
        for outsider in outsiders:
            violations.append(Violation("supervisors.not_assigned", f"{outsider}不是本事项的承办监督人员",
                                        DESK_RULE, "supervisors"))
        if open_matter and matter.state != MatterState.ACCEPTED:
            violations.append(Violation("matter.not_open", "监督事项未受理或者已经结束，不能办理", DESK_RULE, "matter"))
    if actor.pk not in {s.pk for s in supervisors}:
        violations.append(Violation("supervisors.actor", "办理人须是参与本事项的监督人员之一", DESK_RULE, "supervisors"))
    strangers = [s for s in supervisors if s.role != Role.SUPERVISOR or s.agency_id != bureau.pk]
    for stranger in strangers:
        violations.append(Violation("supervisors.bureau", f"{stranger}不是本局的监督人员", DESK_RULE, "supervisors"))
    return violations


def _desk_require(actor: User, bureau_id: int) -> None:
    permission_require(actor.is_authenticated and actor.role == Role.SUPERVISOR and actor.agency_id == bureau_id,
                       "只有本局的监督人员可以办理")


def _store_document(*, actor: User, bureau: Agency, name: str, content: bytes, step: str) -> EvidenceRecord:
    """A generated document of the bureau, stored in the evidence store with its digests. The
    supervisor is checked by the service (evidence_metadata_check is for agency staff)."""
    meta = EvidenceMetadata(agency=bureau, kind="document", original_name=name, step=step)
    return evidence_ingest(actor=actor, source=io.BytesIO(content), meta=meta)


def _number(*, bureau: Agency, kind: InstrumentKind, year: int) -> tuple[int, str]:
    sequence = document_number_allocate(agency=bureau, kind=f"supervision.{kind}", year=year)
    return sequence, f"{agency_abbreviation(bureau)}{INSTRUMENT_NUMBER_WORDS[kind]}〔{year}〕{sequence}号"


def _render(instrument: Instrument, *, supervisors: Sequence[User], period_label: str) -> tuple[bytes, bytes, str]:
    kind = InstrumentKind(instrument.kind)
    objection = ""
    if kind != InstrumentKind.DECISION_PROPOSAL and instrument.objection_deadline:
        objection = (f"你单位如对本文书有异议，可以于{instrument.objection_deadline.year}年{instrument.objection_deadline.month}月"
                     f"{instrument.objection_deadline.day}日前通过平台提出异议并说明理由（{regulation_article(30)}）。")
    matter = instrument.matter
    context = InstrumentContext(
        kind=kind, title=INSTRUMENT_KIND_LABELS[kind], bureau=instrument.bureau.name, agency=instrument.agency.name,
        number=instrument.number, matter=f"{matter.number}（{matter.subject}）",
        government=instrument.agency.parent_government or "本级人民政府", findings=instrument.findings,
        required_actions=instrument.required_actions, due_on=instrument.due_on, period_label=period_label,
        basis=INSTRUMENT_BASIS[kind], objection_note=objection, supervisors=tuple(str(s) for s in supervisors),
        issued_on=instrument.issued_on,
    )
    rendered = instrument_render(context)
    return rendered.pdf, rendered.docx, rendered.filename_stem


@transaction.atomic
def instrument_issue(
    *,
    actor: User,
    matter: Matter,
    kind: str,
    findings: str,
    supervisors: Sequence[User],
    required_actions: str = "",
    on: dt.date | None = None,
    recused_user_ids: frozenset[int] = frozenset(),
    source: Instrument | None = None,
) -> Instrument:
    """Issue an instrument on the matter's agency and serve it inside the platform: numbered
    without gaps per bureau, kind and year, rendered as PDF and DOCX into the evidence store, with
    its reply date, in the ledger. A 决定书 is only proposed (state 已提请): the government
    issues it, and `instrument_act(action="decision_record")` records it.

    Refused with every reason: fewer than two supervisors, a certificate expired (or missing,
    suspended, revoked), a recused supervisor, no agency on the matter, no findings."""
    _desk_require(actor, matter.bureau_id)
    on = on or _today()
    violations: list[Violation] = []
    try:
        instrument_kind = InstrumentKind(kind)
    except ValueError:
        instrument_kind = None
        violations.append(Violation("instrument.kind", "请选择文书种类：督办函、意见书、建议书或者提请决定书", DATA, "kind"))
    if matter.agency_id is None:
        violations.append(Violation("instrument.agency", "监督事项尚未确定被监督机关，不能制发监督文书",
                                    regulation_article(26), "matter"))
    out_of_range = date_problem(on)
    if out_of_range:
        violations.append(Violation("instrument.date", f"签发日期{out_of_range}", PLATFORM_RULE, "issued_on"))
    findings = _text(violations, findings, field="findings", label="发现的问题")
    required_actions = _text(violations, required_actions, field="required_actions", label="要求", required=False)
    violations += _pair_violations(actor=actor, bureau=matter.bureau, supervisors=supervisors, on=on,
                                   recused_user_ids=recused_user_ids, matter=matter, open_matter=True)
    if violations:
        raise Refused(violations)
    assert instrument_kind is not None
    calendar = working_day_calendar_current()
    proposal = instrument_kind == InstrumentKind.DECISION_PROPOSAL
    reply = None if proposal else reply_period(kind=instrument_kind, start=on, calendar=calendar)
    sequence, number = _number(bureau=matter.bureau, kind=instrument_kind, year=on.year)
    instrument = Instrument.objects.create(
        matter=matter, bureau=matter.bureau, agency=matter.agency, kind=instrument_kind,
        state=InstrumentState.PROPOSED if proposal else InstrumentState.ISSUED, number=number, year=on.year,
        sequence=sequence, findings=findings, required_actions=required_actions or DEFAULT_ACTIONS[instrument_kind],
        issued_on=on, served_on=None if proposal else on, due_on=reply.due_on if reply else None,
        due_basis=reply.basis if reply else "", issued_by=actor, source=source,
        objection_deadline=None if proposal else objection_period(start=on, calendar=calendar).due_on,
    )
    instrument.supervisors.set(supervisors)
    pdf, docx, stem = _render(instrument, supervisors=supervisors, period_label=reply.label if reply else "")
    step = f"document:supervision_{instrument_kind}"
    instrument.pdf = _store_document(actor=actor, bureau=matter.bureau, name=f"{stem}.pdf", content=pdf, step=step)
    instrument.docx = _store_document(actor=actor, bureau=matter.bureau, name=f"{stem}.docx", content=docx, step=step)
    instrument.save(update_fields=["pdf", "docx"])

    def seq_store(entry) -> None:
        Instrument.objects.filter(pk=instrument.pk).update(ledger_seq=entry.seq)

    entry_append(
        event=events.instrument_issued_event(instrument=instrument, supervisor_ids=[s.pk for s in supervisors],
                                             files=[instrument.pdf.stored_file, instrument.docx.stored_file]),
        actor=actor, then=seq_store,
    )
    return instrument


def _agency_actor_require(actor: User, instrument: Instrument) -> None:
    permission_require(actor.is_authenticated and actor.role in AGENCY_ROLES and actor.agency_id == instrument.agency_id,
                       "只有被监督机关的工作人员可以答复")


@transaction.atomic
def instrument_act(
    *,
    actor: User,
    instrument: Instrument,
    action: str,
    text: str = "",
    files: Sequence[Upload] = (),
    supervisors: Sequence[User] = (),
    recused_user_ids: frozenset[int] = frozenset(),
    on: dt.date | None = None,
    decision_number: str = "",
    decision_on: dt.date | None = None,
) -> Instrument:
    """One move on an instrument: the agency reports (整改报告, with files) or objects (异议);
    the supervisors (a pair, as for issuing) accept, return with reasons, escalate to a 决定书
    proposal, answer an objection (复查: uphold or withdraw), or record the 决定书 the
    government issued (number, date, content). Refused with every reason at once; a refused move
    leaves nothing, not even the uploaded files."""
    instrument = Instrument.objects.select_for_update().select_related("matter", "bureau", "agency").get(pk=instrument.pk)
    on = on or _today()
    try:
        move = InstrumentAction(action)
    except ValueError:
        raise Refused([Violation("instrument.action_unknown", "未知的操作", PLATFORM_RULE, "action")]) from None
    if move in AGENCY_ACTIONS:
        _agency_actor_require(actor, instrument)
    else:
        _desk_require(actor, instrument.bureau_id)
    snapshot = InstrumentSnapshot(kind=InstrumentKind(instrument.kind), state=InstrumentState(instrument.state),
                                  served_on=instrument.served_on, due_on=instrument.due_on)
    text = (text or "").strip()
    violations = action_violations(instrument=snapshot, action=move, on=on, text=text,
                                   objection_deadline=instrument.objection_deadline)
    if move == InstrumentAction.DECISION_RECORD:
        text = text.strip()
        if not decision_number.strip():
            violations.append(Violation("instrument.decision_number", "请填写政府作出的决定书文号", regulation_article(29), "decision_number"))
        if decision_on is None:
            violations.append(Violation("instrument.decision_on", "请填写决定书作出日期", regulation_article(29), "decision_on"))
        elif date_problem(decision_on) or decision_on < instrument.issued_on or decision_on > on:
            violations.append(Violation("instrument.decision_on", "决定书作出日期应当在提请之后、不晚于今日",
                                        DATA, "decision_on"))
        if not text:
            violations.append(Violation("instrument.decision_content", "请填写决定内容", regulation_article(29), "text"))
    if text:
        problem = text_problem(text, max_length=20000, multiline=True)
        if problem:
            violations.append(Violation("instrument.text_invalid", f"内容{problem}", PLATFORM_RULE, "text"))
    if move not in AGENCY_ACTIONS:
        violations += _pair_violations(actor=actor, bureau=instrument.bureau, supervisors=supervisors, on=on,
                                       recused_user_ids=recused_user_ids, matter=instrument.matter)
    if files and move != InstrumentAction.REPORT:
        violations.append(Violation("instrument.files", "只有整改报告可以附上证明材料", PLATFORM_RULE, "files"))
    metas = []
    for upload in files:
        try:
            metas.append((upload, evidence_metadata_check(actor=actor, kind="document", original_name=upload.name,
                                                          step="supervision_reply")))
        except Refused as refusal:
            violations += refusal.violations
    if violations:
        raise Refused(list(dict.fromkeys(violations)))
    before = instrument.state
    after = transition_next(before, move)
    assert after is not None
    calendar = working_day_calendar_current()
    kind = InstrumentKind(instrument.kind)
    changed = ["state"]
    if move == InstrumentAction.OBJECT:
        period = review_period(start=on, calendar=calendar)
        instrument.due_on, instrument.due_basis = period.due_on, period.basis
    elif move in (InstrumentAction.RETURN, InstrumentAction.UPHOLD):
        period = reply_period(kind=kind, start=on, calendar=calendar)
        instrument.due_on, instrument.due_basis = period.due_on, period.basis
    elif move == InstrumentAction.DECISION_RECORD:
        assert decision_on is not None
        period = reply_period(kind=kind, start=decision_on, calendar=calendar)
        instrument.due_on, instrument.due_basis = period.due_on, period.basis
        instrument.served_on = decision_on
        instrument.decision_number, instrument.decision_on, instrument.decision_content = (
            decision_number.strip(), decision_on, text)
        changed += ["served_on", "decision_number", "decision_on", "decision_content"]
    else:
        instrument.due_on, instrument.due_basis = None, ""
    changed += ["due_on", "due_basis", "updated_at"]
    instrument.state = after
    instrument.save(update_fields=changed)
    step = InstrumentStep.objects.create(instrument=instrument, action=move, state_before=before, state_after=after,
                                         text=text, on=on, actor=actor)
    stored = []
    for upload, meta in metas:
        record = evidence_ingest(actor=actor, source=upload, meta=meta)  # type: ignore[arg-type]
        stored.append(record)
    if stored:
        step.files.set(stored)

    def seq_store(entry) -> None:
        InstrumentStep.objects.filter(pk=step.pk).update(ledger_seq=entry.seq)

    entry_append(event=events.instrument_step_event(step=step, instrument=instrument,
                                                    files=[r.stored_file for r in stored]),
                 actor=actor, then=seq_store)
    if move == InstrumentAction.ESCALATE:
        instrument_issue(
            actor=actor, matter=instrument.matter, kind=InstrumentKind.DECISION_PROPOSAL, supervisors=supervisors,
            findings=f"{instrument.findings}\n本机关于{instrument.issued_on.isoformat()}制发{instrument.get_kind_display()}"
                     f"（{instrument.number}），被监督机关未按要求纠正。",
            on=on, recused_user_ids=recused_user_ids, source=instrument,
        )
    return instrument


# --- person-level proposals ------------------------------------------------------------


@transaction.atomic
def personal_propose(
    *, actor: User, matter: Matter, officer: Officer, measure: str, reasons: str, competent_body: str,
    supervisors: Sequence[User], on: dt.date | None = None, recused_user_ids: frozenset[int] = frozenset(),
) -> PersonalProposal:
    """Propose that the competent body deal with an officer (批评教育、离岗教育、调离执法岗位、取消执法资格)."""
    _desk_require(actor, matter.bureau_id)
    on = on or _today()
    violations: list[Violation] = []
    if measure not in {m.value for m in PersonalMeasure}:
        violations.append(Violation("proposal.measure", "请选择建议措施", PERSONAL_MEASURE_BASIS, "measure"))
    if matter.agency_id is not None and officer.agency_id != matter.agency_id:
        violations.append(Violation("proposal.officer", "该执法人员不属于本事项的被监督机关", DATA, "officer"))
    reasons = _text(violations, reasons, field="reasons", label="理由")
    competent_body = _text(violations, competent_body, field="competent_body", label="有权机关", max_length=100)
    violations += _pair_violations(actor=actor, bureau=matter.bureau, supervisors=supervisors, on=on,
                                   recused_user_ids=recused_user_ids, matter=matter, open_matter=True)
    if violations:
        raise Refused(violations)
    proposal = PersonalProposal.objects.create(matter=matter, officer=officer, measure=measure, reasons=reasons,
                                               competent_body=competent_body, proposed_on=on, proposed_by=actor)
    entry_append(event=events.personal_proposed_event(proposal=proposal, bureau_id=matter.bureau_id), actor=actor)
    return proposal


@transaction.atomic
def personal_decision_record(
    *, actor: User, proposal: PersonalProposal, adopted: bool, decision: str, decided_on: dt.date,
    supervisors: Sequence[User], recused_user_ids: frozenset[int] = frozenset(),
) -> PersonalProposal:
    """Record the competent body's decision on a proposal. When it adopts the measure, the officer's
    enforcement certificate changes state through the registry (取消执法资格 → 注销; 离岗教育、调离执法岗位
    → 暂扣), with its own registry ledger entry, and the public certificate page shows it.

    Recorded by a pair, as every act of the desk (the pair rule, each certificate valid today, the
    matter's own pair, nobody recused): one supervisor alone does not change an officer's certificate."""
    proposal = PersonalProposal.objects.select_for_update().select_related("matter", "officer").get(pk=proposal.pk)
    _desk_require(actor, proposal.matter.bureau_id)
    violations: list[Violation] = []
    violations += _pair_violations(actor=actor, bureau=proposal.matter.bureau, supervisors=supervisors, on=_today(),
                                   recused_user_ids=recused_user_ids, matter=proposal.matter)
    if proposal.decided_on is not None:
        violations.append(Violation("proposal.decided", "该建议的处理决定已经登记", PLATFORM_RULE, None))
    decision = _text(violations, decision, field="decision", label="决定情况")
    if date_problem(decided_on) or decided_on < proposal.proposed_on or decided_on > _today():
        violations.append(Violation("proposal.decided_on", "决定日期应当在提出建议之后、不晚于今日", DATA, "decided_on"))
    if violations:
        raise Refused(violations)
    effect = CERTIFICATE_EFFECT[PersonalMeasure(proposal.measure)] if adopted else None
    certificate = None
    if effect:
        # Every certificate of the officer that still lets them act (a renewed one too); a revoked
        # one stays revoked.
        affected = (Certificate.objects.filter(officer=proposal.officer, status__in=["valid", "suspended"])
                    .exclude(status=effect).order_by("-valid_to", "-id"))
        for row in affected:
            certificate_update(
                actor=None, certificate=row, status=effect,
                reason=f"{proposal.competent_body}决定{PERSONAL_MEASURE_LABELS[PersonalMeasure(proposal.measure)]}"
                       f"（{regulation_article(32)}）：{decision}"[:500],
            )
            certificate = certificate or row
    proposal.decision_adopted, proposal.decision, proposal.decided_on, proposal.certificate = (
        adopted, decision, decided_on, certificate)
    proposal.save()
    entry_append(event=events.personal_decided_event(proposal=proposal, bureau_id=proposal.matter.bureau_id,
                                                     certificate_status=effect if certificate else None,
                                                     supervisor_ids=[s.pk for s in supervisors]), actor=actor)
    return proposal


# --- referral to the 监察机关 ----------------------------------------------------------


@transaction.atomic
def referral_record(
    *, actor: User, matter: Matter, what: str, to_body: str, referred_on: dt.date, reference_number: str,
    supervisors: Sequence[User], recused_user_ids: frozenset[int] = frozenset(),
) -> Referral:
    """Log the transfer of a clue of corruption or dereliction to the 监察机关: what, to whom, when,
    under which reference number."""
    _desk_require(actor, matter.bureau_id)
    violations: list[Violation] = []
    what = _text(violations, what, field="what", label="移送的问题线索")
    to_body = _text(violations, to_body, field="to_body", label="接收的监察机关", max_length=100)
    reference_number = _text(violations, reference_number, field="reference_number", label="移送文号", max_length=80)
    if date_problem(referred_on) or referred_on > _today():
        violations.append(Violation("referral.date", "移送日期不能晚于今日", DATA, "referred_on"))
    violations += _pair_violations(actor=actor, bureau=matter.bureau, supervisors=supervisors, on=referred_on,
                                   recused_user_ids=recused_user_ids, matter=matter)
    if violations:
        raise Refused(violations)
    referral = Referral.objects.create(matter=matter, what=what, to_body=to_body, referred_on=referred_on,
                                       reference_number=reference_number, referred_by=actor)

    def seq_store(entry) -> None:
        Referral.objects.filter(pk=referral.pk).update(ledger_seq=entry.seq)

    entry_append(event=events.referral_event(referral=referral, bureau_id=matter.bureau_id), actor=actor, then=seq_store)
    return referral


# --- 通报 --------------------------------------------------------------------------------


@transaction.atomic
def notice_draft(
    *, actor: User, bureau: Agency, title: str, body: str, scope: str, agencies: Sequence[Agency],
    matters: Sequence[Matter] = (), indicators: str = "", on: dt.date | None = None,
) -> Notice:
    """Draft a 通报 from matters (and indicator figures given as text), naming the agencies it is
    about; internal (visible to them) or public (published when approved)."""
    _desk_require(actor, bureau.pk)
    violations: list[Violation] = []
    title = _text(violations, title, field="title", label="标题", max_length=200)
    body = _text(violations, body, field="body", label="正文")
    indicators = _text(violations, indicators, field="indicators", label="指标情况", required=False)
    if scope not in ("internal", "public"):
        violations.append(Violation("notice.scope", "请选择通报范围", NOTICE_BASIS, "scope"))
    if not agencies:
        violations.append(Violation("notice.agencies", "请选择通报的被监督机关", NOTICE_BASIS, "agencies"))
    for outside in [a for a in agencies if a.region_code != bureau.region_code or a.is_judicial_bureau]:
        violations.append(Violation("notice.agency_outside", f"{outside}不在本局的监督范围内", DESK_RULE, "agencies"))
    if any(m.bureau_id != bureau.pk for m in matters):
        violations.append(Violation("notice.matters", "只能依据本局的监督事项起草通报", DESK_RULE, "matters"))
    if violations:
        raise Refused(violations)
    notice = Notice.objects.create(bureau=bureau, title=title, body=body, indicators=indicators, scope=scope,
                                   drafted_by=actor, drafted_on=on or _today())
    notice.agencies.set(agencies)
    notice.matters.set(matters)
    entry_append(event=events.notice_event(notice=notice, approved=False), actor=actor)
    return notice


@transaction.atomic
def notice_approve(*, actor: User, notice: Notice, on: dt.date | None = None) -> Notice:
    """A second supervisor of the bureau approves the 通报; from then on the named agencies see it,
    and a public one is published, redacted, through the public read model in the same transaction."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    violations = notice_approval_violations(
        drafted_by_id=notice.drafted_by_id, approver_id=actor.pk,
        approver_may_approve=actor.role == Role.SUPERVISOR and actor.agency_id == notice.bureau_id,
    )
    if notice.approved_on is not None:
        violations.append(Violation("notice.approved", "该通报已经批准", PLATFORM_RULE, None))
    if violations:
        raise Refused(violations)
    notice.approved_by, notice.approved_on = actor, on or _today()
    notice.save(update_fields=["approved_by", "approved_on"])
    entry_append(event=events.notice_event(notice=notice, approved=True), actor=actor)
    if notice.scope == "public":
        agencies = list(notice.agencies.all())
        # The natural persons the platform knows around the 通报 (the parties of the cases it cites,
        # its complainants, the officers): the public read model hides them wherever they appear,
        # typed into the text or not.
        persons = notice_personal_data(notice=notice)
        supervision_notice_published_emit(SupervisionNoticePublished(
            notice_id=notice.pk, bureau_name=notice.bureau.name, title=notice.title, body=notice.body,
            indicators=notice.indicators, agencies=tuple(a.name for a in agencies), published_on=notice.approved_on,
            basis=NOTICE_BASIS, persons=persons.names, addresses=persons.addresses,
            known=(("id_number", persons.id_numbers), ("phone", persons.phones)),
        ))
    return notice
