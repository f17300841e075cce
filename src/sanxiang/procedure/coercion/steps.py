"""The steps of a compulsory measure's case (行政强制措施: 查封、扣押 and 冻结) as the officer and the
head meet them: one `Step` per transition of `SEAL_SEIZURE` and `FREEZE`, and the recording steps
the law needs within a state (the proposal the head approves, the head's answer to an emergency
measure, the examination periods, the delivery of a 冻结决定书). The framework is
`sanxiang.procedure.steps`; the engine (`procedures.py`, `guards.py`) decides every transition.

Each step writes the engine's facts (`Draft.update`) and the case's typed texts
(`texts.MeasureTexts`, replaced in `Draft.texts`): the documents print the texts, the guards read
the facts. The elements of the decision (第二十四条第二款, 第三十一条第二款) are computed here from
the texts (`texts.decision_elements_from_texts`), pure, so that the engine's guard
`documents_handed_over` and the document's own check agree.

Records without a layout of their own are records the step makes (`Draft.records`), kept in the
step's ledger entry with its form: the 行政强制措施审批表 (the head's approval, `approval_form`), the
emergency report (`emergency_report`), the 协助冻结通知书 handed to the bank (`freeze_notice`), the
检测期间告知书 (`testing_notice`), the 延长期限审批 (`extension_approval`, the head extends), the
退还财物清单 signed by the party (`return_record`), the 没收 decision, the 销毁 record, the handling
of frozen deposits and the 冻结决定书's proof of delivery. A scanned copy of any of them may be
filed as evidence under the same record kind.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from sanxiang.procedure.coercion import basis as b
from sanxiang.procedure.coercion.deadlines import emergency_approval_due, measure_period_end, parameter
from sanxiang.procedure.coercion.procedures import FREEZE, SEAL_SEIZURE
from sanxiang.procedure.coercion.snapshot import (
    MEASURE_KINDS,
    Examination,
    Extension,
    HeadApproval,
    OnSpot,
    PropertyChecks,
    examination_days_excluded,
)
from sanxiang.procedure.coercion.texts import (
    DELIVERY_METHODS,
    EXAMINATION_KINDS,
    RELEASE_GROUNDS,
    Content,
    Emergency,
    Ending,
    ExaminationText,
    ExtensionText,
    FreezeDelivery,
    MeasureTexts,
    OnSiteRecord,
    Opinion,
    ReleaseText,
    account_line_problems,
    decision_elements_from_texts,
    items_parse,
)
from sanxiang.procedure.engine import Procedure
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.procedure.roles import HEAD, OPERATIONAL, Role
from sanxiang.procedure.steps import (
    Draft,
    Field,
    Step,
    area_field,
    bool_field,
    choices,
    date_field,
    lines_field,
    officer_ids,
    reason_field,
    text_field,
)
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX

ART = b.coercion_article
SEAL_SEIZURE_KEY = "seal_seizure"
FREEZE_KEY = "freeze"
_t, _area, _lines, _date, _bool, _reason = text_field, area_field, lines_field, date_field, bool_field, reason_field

BASES_EXAMPLE = "《中华人民共和国食品安全法》第一百一十条第四项"
ITEMS_BASIS = ART(24, detail="第二款")
ACCOUNTS_BASIS = ART(31, detail="第二款")
PERIOD_BASIS = ART(25, detail="第一款")
FREEZE_PERIOD_BASIS = ART(32, detail="第一款")
EXAMINATION_BASIS = ART(25, detail="第三款")
FREEZE_DELIVERY_BASIS = ART(31, detail="第一款")
RELEASE_BASIS = ART(28)
FREEZE_RELEASE_BASIS = ART(33)
ENDING_BASIS = ART(27)


def texts_of(d: Draft) -> MeasureTexts:
    return d.texts if d.texts is not None else MeasureTexts()


def texts_set(d: Draft, **changes: Any) -> None:
    d.texts = replace(texts_of(d), **changes)


def _label(d: Draft) -> str:
    return MEASURE_KINDS.get(d.snapshot.kind, "行政强制措施")


def _quoted(line: str, limit: int = 60) -> str:
    """A line of the form as a message names it (a very long line is cut)."""
    line = line.strip()
    return line if len(line) <= limit else line[:limit] + "…"


def _moment(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


def _not_future(d: Draft, moment: dt.date | dt.datetime, what: str, field_name: str) -> None:
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    if day > d.on:
        d.refuse("coercion.form.future", f"{what}晚于今天（{d.on.isoformat()}），请核对", FORM_BASIS, field_name)


# --- 拟采取的措施 (行政强制措施审批表) ---------------------------------------------------------------------


def content_from(d: Draft, data: dict[str, Any]) -> Content:
    """The measure as the form states it: reasons, bases, place, and the things (查封、扣押) or
    accounts (冻结), each line checked."""
    kind = d.snapshot.kind
    items, accounts = (), ()
    if kind == "freeze":
        accounts, bad = account_line_problems(data.get("accounts"))
        for problem, line in bad:
            if problem == "amount":
                d.refuse("coercion.accounts.amount",
                         f"“{_quoted(line)}”的冻结数额须为大于零的金额（元），最多十二位整数、两位小数，如30000或30000.50",
                         ACCOUNTS_BASIS, "accounts")
            else:
                d.refuse("coercion.accounts.line",
                         f"“{_quoted(line)}”须写明开户金融机构、户名、账号和冻结数额（元），用“，”分隔",
                         ACCOUNTS_BASIS, "accounts")
    else:
        items, bad = items_parse(data.get("items"))
        for line in bad:
            d.refuse("coercion.items.quantity_missing", f"“{_quoted(line)}”须写明名称和数量（名称，规格，数量和单位）",
                     ITEMS_BASIS, "items")
    return Content(
        reason=data.get("reason", "").strip(),
        bases=tuple(data.get("bases") or ()),
        place=data.get("place", "").strip(),
        items=items,
        accounts=accounts,
        storage_place=data.get("storage_place", "").strip(),
        storage_method=data.get("storage_method", "").strip(),
        written_by=d.actor_name,
        written_on=d.on,
    )


def apply_propose(d: Draft, data: dict) -> None:
    texts_set(d, content=content_from(d, data))


def _content_required(d: Draft) -> Content | None:
    content = texts_of(d).content
    if content is None:
        d.refuse("coercion.content.missing",
                 f"尚未填写拟采取{_label(d)}的理由、依据和对象（行政强制措施审批表），负责人无从审批",
                 b.APPROVAL_BASIS, "content")
    return content


# --- 负责人批准 / 不予实施 -----------------------------------------------------------------------------


def apply_approve(d: Draft, data: dict) -> None:
    content = _content_required(d)
    at: dt.datetime = data["approved_at"]
    _not_future(d, at, "批准时间", "approved_at")
    # 第十八条第一项: the officers report, then the head approves; the 审批表 cannot be approved
    # before it was written (nor can a measure be backdated behind such an approval).
    if content is not None and content.written_on is not None and at.date() < content.written_on:
        d.refuse("coercion.approval.before_proposal",
                 f"批准时间{_moment(at)}早于行政强制措施审批表的填写日期{content.written_on.isoformat()}："
                 "须先报告负责人，负责人才能批准，请核对批准时间",
                 b.APPROVAL_BASIS, "approved_at")
    d.update(approval=HeadApproval(head_name=d.actor_name, decided_at=at, approved=True, entered_on=d.on))
    texts_set(d, approval=Opinion(data["opinion"], d.actor_name, at))
    d.records.add("approval_form")


def apply_decline(d: Draft, data: dict) -> None:
    texts_set(d, decline=Opinion(data["reason"], d.actor_name, None))


# --- 实施 (现场笔录、决定书和清单) -------------------------------------------------------------------------


def _told(content: Content | None, label: str, *, reasons: bool, rights: bool) -> str:
    """What the party was told on the spot, as the 现场笔录 prints it, from what the officer
    confirms (the reasons and basis are the measure's own)."""
    parts = []
    if reasons and content is not None:
        parts.append(f"告知当事人采取{label}的理由：{content.reason.rstrip('。')}；依据：{'、'.join(content.bases)}")
    if rights:
        parts.append(f"告知当事人依法享有陈述权、申辩权，对{label}决定不服的，可以依法申请行政复议或者提起行政诉讼")
    return "。".join(parts) + ("。" if parts else "")


def _moments(d: Draft, data: dict) -> tuple[dt.datetime, dt.datetime]:
    taken_at: dt.datetime = data["taken_at"]
    ended_at: dt.datetime = data.get("ended_at") or taken_at
    _not_future(d, taken_at, "实施时间", "taken_at")
    if ended_at < taken_at:
        d.refuse("coercion.form.ended_before_start", "结束时间早于实施时间", FORM_BASIS, "ended_at")
    return taken_at, ended_at


def _on_site_text(data: dict, content: Content | None, label: str, taken_at: dt.datetime, ended_at: dt.datetime, *,
                  party_present: bool, told: str) -> OnSiteRecord:
    return OnSiteRecord(
        started_at=taken_at,
        ended_at=ended_at,
        place=data.get("place", "").strip() or (content.place if content is not None else ""),
        recorder=data["recorder"],
        findings=data["findings"],
        told=told,
        statement=data.get("statement", "").strip(),
        party_present=party_present,
        present_person=data.get("present_person", "").strip(),
        witness=data.get("witness", "").strip(),
        refusal_note=data.get("refusal_note", "").strip(),
        recording=data.get("recording", "").strip(),
    )


def _take_seal_seizure(d: Draft, data: dict, content: Content | None) -> None:
    label = _label(d)
    taken_at, ended_at = _moments(d, data)
    present = bool(data.get("party_present"))
    told_reasons, told_rights = bool(data.get("told_reasons_and_basis")), bool(data.get("told_rights_and_remedies"))
    refusal = data.get("refusal_note", "").strip()
    on_spot = OnSpot(
        on=taken_at.date(),
        officer_ids=officer_ids(data),
        certificates_shown=bool(data.get("certificates_shown")),
        party_notified=bool(data.get("party_notified")),
        party_present=present,
        told_reasons_and_basis=told_reasons,
        told_rights_and_remedies=told_rights,
        party_heard=bool(data.get("party_heard")),
        officers_signed=bool(data.get("officers_signed")),
        party_signed=bool(data.get("party_signed")),
        party_refusal_noted=bool(refusal),
        witness_name=data.get("witness", "").strip(),
    )
    d.update(
        taken_at=taken_at,
        on_spot=on_spot,
        property_checks=PropertyChecks(
            related_to_case=bool(data.get("related_to_case")),
            no_daily_necessities=bool(data.get("no_daily_necessities")),
            not_already_sealed=bool(data.get("not_already_sealed")),
        ),
        documents_handed_over=bool(data.get("handed_over")),
        decision_elements=decision_elements_from_texts(kind=d.snapshot.kind, content=content, period_known=True),
    )
    told = _told(content, label, reasons=told_reasons, rights=told_rights) if present else ""
    texts_set(d, on_site=_on_site_text(data, content, label, taken_at, ended_at, party_present=present, told=told))


def apply_take(d: Draft, data: dict) -> None:
    content = _content_required(d)
    _take_seal_seizure(d, data, content)


def apply_take_emergency(d: Draft, data: dict) -> None:
    content = content_from(d, data)
    reason = data["emergency_reason"].strip()
    texts_set(d, content=content, emergency=Emergency(reason=reason))
    d.update(emergency_reason=reason)
    _take_seal_seizure(d, data, content)


def apply_take_freeze(d: Draft, data: dict) -> None:
    content = _content_required(d)
    if content is not None:
        # An amount stored before amounts were parsed strictly: no decision can state it.
        for account in content.accounts:
            if not account.amount_in_range:
                d.refuse("coercion.accounts.amount",
                         f"审批表所列账号{_quoted(account.account_number, 40)}的冻结数额不是可以写入冻结决定书的金额，"
                         "不能据此实施冻结；请由负责人作出不予实施的决定后重新报批",
                         ACCOUNTS_BASIS, "accounts")
    taken_at, ended_at = _moments(d, data)
    d.update(
        taken_at=taken_at,
        on_spot=OnSpot(
            on=taken_at.date(),
            officer_ids=officer_ids(data),
            certificates_shown=bool(data.get("certificates_shown")),
            officers_signed=bool(data.get("officers_signed")),
        ),
        decision_elements=decision_elements_from_texts(kind="freeze", content=content, period_known=True),
    )
    bank = data["freeze_notice_bank"].strip()
    texts_set(d, on_site=_on_site_text(data, content, "冻结", taken_at, ended_at, party_present=False, told=""),
              freeze_notice_bank=bank)
    d.records.add("freeze_notice")


# --- 紧急情况 (第十九条) -----------------------------------------------------------------------------


LATE_ENTRY_BASIS = (
    f"{PLATFORM_PREFIX}：紧急实施后超过二十四小时才录入的补办批准，录入的时间不能证明按时批准，须说明补录原因并记入执法记录"
    f"（批准时限见{b.EMERGENCY_BASIS}）"
)


def _emergency_decision(d: Draft, data: dict, *, approved: bool, late_entry_reason: str = "") -> None:
    at: dt.datetime = data["decided_at"]
    reported: dt.datetime | None = data.get("reported_at")
    _not_future(d, at, "负责人决定的时间", "decided_at")
    if reported is not None:
        _not_future(d, reported, "向负责人报告的时间", "reported_at")
    taken = d.snapshot.taken_at
    if taken is not None and at < taken:
        d.refuse("coercion.form.decided_before_taking", "负责人决定的时间早于当场实施的时间，请核对", FORM_BASIS, "decided_at")
    if reported is not None and reported > at:
        d.refuse("coercion.form.reported_after_decision", "报告时间晚于负责人决定的时间，请核对", FORM_BASIS, "reported_at")
    if taken is not None and reported is not None and reported < taken:
        d.refuse("coercion.form.reported_before_taking", "报告时间早于当场实施的时间，请核对", FORM_BASIS, "reported_at")
    d.update(approval=HeadApproval(head_name=d.actor_name, decided_at=at, approved=approved, entered_on=d.on,
                                   late_entry_reason=late_entry_reason))
    emergency = texts_of(d).emergency or Emergency(reason=d.snapshot.emergency_reason)
    texts_set(d, approval=Opinion(data["opinion"], d.actor_name, at),
              emergency=replace(emergency, reported_at=reported, report=data.get("report", "").strip()))
    d.records.add("emergency_report")


def _late_entry(d: Draft, data: dict) -> str:
    """The reason an approval entered after its 24 hours had run was entered late; refused without
    one. The 24 hours are judged on the typed time (the engine's guard); the entry day and this
    reason keep a late entry visible."""
    reason = (data.get("late_entry_reason") or "").strip()
    try:
        due = emergency_approval_due(d.snapshot, d.context)
    except (ParameterMissing, OverflowError):
        return reason  # the engine reports why the period cannot be computed
    if due is None or d.on <= due.date() or reason:
        return reason
    d.refuse("coercion.emergency.late_entry",
             f"紧急{_label(d)}的批准手续应在{_moment(due)}前补办，今天（{d.on.isoformat()}）才录入："
             "录入的批准时间不能证明已按时批准，须写明补录的原因（记入执法记录）",
             LATE_ENTRY_BASIS, "late_entry_reason")
    return reason


def apply_confirm_emergency(d: Draft, data: dict) -> None:
    refused = d.snapshot.approval
    if refused is not None and not refused.approved:
        # The head's refusal stands (the engine says: release at once); no later approval replaces it.
        return
    _emergency_decision(d, data, approved=True, late_entry_reason=_late_entry(d, data))


def apply_disapprove_emergency(d: Draft, data: dict) -> None:
    if d.snapshot.approval is not None:
        d.refuse("coercion.emergency.already_decided", "负责人已对紧急实施作出决定", b.EMERGENCY_BASIS, "approval")
    _emergency_decision(d, data, approved=False)


# --- 冻结决定书的交付 (第三十一条第一款) -------------------------------------------------------------------


def apply_deliver_freeze_decision(d: Draft, data: dict) -> None:
    delivered_on: dt.date = data["delivered_on"]
    if d.snapshot.freeze_decision_delivered_on is not None:
        d.refuse("coercion.freeze.already_delivered",
                 f"冻结决定书已于{d.snapshot.freeze_decision_delivered_on.isoformat()}交付当事人",
                 FREEZE_DELIVERY_BASIS, "delivered_on")
    _not_future(d, delivered_on, "交付日期", "delivered_on")
    taken = d.snapshot.taken_on
    if taken is not None and delivered_on < taken:
        d.refuse("coercion.form.delivered_before_taking", "交付日期早于实施冻结的日期，请核对", FORM_BASIS, "delivered_on")
    d.update(freeze_decision_delivered_on=delivered_on)
    texts_set(d, freeze_delivery=FreezeDelivery(delivered_on, data["method"], data.get("signed_by", "").strip()))
    d.records.add("freeze_decision_receipt")


# --- 检测、检验、检疫、技术鉴定 (第二十五条第三款) --------------------------------------------------------------


def apply_examination(d: Draft, data: dict) -> None:
    start, end, notified = data["start"], data["end"], data["notified_on"]
    kind = data["kind"]
    if end < start:
        d.refuse("coercion.form.end_before_start", "结束日期早于开始日期", FORM_BASIS, "end")
    _not_future(d, notified, "书面告知当事人的日期", "notified_on")
    taken = d.snapshot.taken_on
    if taken is not None and start < taken:
        d.refuse("coercion.form.examination_before_taking", "检测期间早于实施查封、扣押的日期，请核对", FORM_BASIS, "start")
    if taken is not None and notified < taken:
        d.refuse("coercion.form.notified_before_taking", "书面告知当事人的日期早于实施查封、扣押的日期，请核对", FORM_BASIS,
                 "notified_on")
    recorded = texts_of(d).examinations
    if any((e.kind, e.start, e.end) == (kind, start, end) for e in recorded):
        d.refuse("coercion.examination.duplicate",
                 f"{EXAMINATION_KINDS.get(kind, kind)}期间{start.isoformat()}至{end.isoformat()}已经登记，不能重复登记",
                 FORM_BASIS, "start")
    head = d.actor_role == Role.AGENCY_HEAD
    examination = Examination(start=start, end=end, notified_on=notified, approved_by_head=head)
    if taken is not None and end >= start and not head:
        _long_examination(d, (*d.snapshot.examinations, examination), taken)
    try:
        period = measure_period_end(d.snapshot, d.context)
    except (ParameterMissing, OverflowError):
        period = None
    if period is not None and start > period.date:
        d.refuse("coercion.examination.after_period",
                 f"{_label(d)}期限已于{period.date.isoformat()}届满，届满后的检测期间不能延长期限，应当作出解除决定",
                 EXAMINATION_BASIS, "start")
    d.update(examinations=(*d.snapshot.examinations, examination))
    texts_set(d, examinations=(*recorded, ExaminationText(kind, data["institution"].strip(), start, end, notified,
                                                         d.actor_name if head else "")))
    d.records.add("testing_notice")


def _long_examination(d: Draft, examinations: tuple[Examination, ...], taken: dt.date) -> None:
    """A platform rule: the examination days kept out of the period (each day once, all the
    examinations together) beyond `coercion.seal_seizure.examination_days_without_head` are
    recorded by the head, who answers for them: an examination without end would otherwise outlast
    the one extension of at most thirty days (第二十五条第一款)."""
    try:
        limit = parameter(d.context, d.snapshot, "coercion.seal_seizure.examination_days_without_head", on=taken)
        days = examination_days_excluded(examinations, taken_on=taken)
    except ParameterMissing as missing:
        d.violations.append(missing.violation)
        return
    except OverflowError:
        d.refuse("coercion.form.out_of_range", "日期超出可计算的范围，请核对", FORM_BASIS, "end")
        return
    if days > int(limit.value):
        d.refuse("coercion.examination.head_approval_required",
                 f"不计入{_label(d)}期限的检测、检验、检疫、技术鉴定期间合计{days}日，超过{limit.value}日的，"
                 "须由行政机关负责人批准并登记",
                 limit.reference, "end")


# --- 延长期限 (第二十五条第一款; 冻结: 第三十二条第一款) ----------------------------------------------------------


EXTENSION_BASIS = {False: PERIOD_BASIS, True: FREEZE_PERIOD_BASIS}


def apply_extend(d: Draft, data: dict) -> None:
    days = int(data["days"])
    served: dt.date = data["notice_served_on"]
    head = d.actor_role == Role.AGENCY_HEAD
    _not_future(d, served, "延长期限通知书送达日期", "notice_served_on")
    if served < d.on:
        d.refuse("coercion.extension.notice_before_decision",
                 f"延长期限通知书的送达日期{served.isoformat()}早于延长决定的日期{d.on.isoformat()}：只能告知已经作出的延长决定",
                 EXTENSION_BASIS[d.snapshot.kind == "freeze"], "notice_served_on")
    taken = d.snapshot.taken_on
    if taken is not None and served < taken:
        d.refuse("coercion.form.notice_before_taking", f"延长期限通知书的送达日期早于实施{_label(d)}的日期，请核对",
                 FORM_BASIS, "notice_served_on")
    d.update(extension=Extension(decided_on=d.on, days=days, reason=data["reason"].strip(), approved_by_head=head,
                                 notice_served_on=served))
    texts_set(d, extension=ExtensionText(days, data["reason"].strip(), d.actor_name, d.on, served))
    if head:
        d.records.add("extension_approval")


# --- 解除, 没收, 销毁, 处理 (第二十七条、第二十八条; 冻结: 第三十二条、第三十三条) ----------------------------------------


def apply_release(d: Draft, data: dict) -> None:
    returned_items, bad = items_parse(data.get("returned_items"))
    for line in bad:
        d.refuse("coercion.items.quantity_missing", f"“{line}”须写明名称和数量（名称，规格，数量和单位）",
                 RELEASE_BASIS, "returned_items")
    returned = bool(data.get("returned"))
    d.update(ended_on=d.on)
    texts_set(d, release=ReleaseText(ground=data["ground"], detail=data.get("detail", "").strip(), items=returned_items,
                                     collection=data.get("collection", "").strip(), returned=returned))
    if returned:
        d.records.add("return_record")


def apply_release_freeze(d: Draft, data: dict) -> None:
    d.update(ended_on=d.on)
    texts_set(d, release=ReleaseText(ground=data["ground"], detail=data.get("detail", "").strip()))


def _ending(d: Draft, data: dict, kind: str, record: str) -> None:
    on: dt.date = data.get("on") or d.on
    _not_future(d, on, "决定日期", "on")
    d.update(ended_on=on)
    texts_set(d, ending=Ending(kind=kind, text=data.get("text", "").strip(), number=data.get("number", "").strip(), on=on))
    d.records.add(record)


# The 文号 words of the agency's documents (documents.registry: 行政处罚决定书 罚决, 查封（扣押）决定书
# 查扣决): the number of the decision that confiscates is the agency's own penalty decision's.
PENALTY_DECISION_WORD, MEASURE_DECISION_WORD = "罚决", "查扣决"
PENALTY_DECISION_NUMBER = re.compile(rf"^(?P<agency>.+?){PENALTY_DECISION_WORD}〔(?P<year>[0-9]{{4}})〕[0-9]+号$")
MEASURE_DECISION_NUMBER = re.compile(rf"^(?P<agency>.+?){MEASURE_DECISION_WORD}〔[0-9]{{4}}〕[0-9]+号$")


def _confiscation_number(d: Draft, number: str, on: dt.date) -> None:
    """依法没收 (第二十七条): by the agency's 行政处罚决定书 that confiscates the goods. Its 文号 is one
    of the agency's penalty decisions (the same 机关代字 as this measure's decision), of the year it
    was decided, and the decision comes after the goods were seized."""
    found = PENALTY_DECISION_NUMBER.match(number)
    own = MEASURE_DECISION_NUMBER.match(texts_of(d).decision_number)
    example = f"{own.group('agency') if own else ''}{PENALTY_DECISION_WORD}〔{on.year}〕1号"
    if found is None:
        d.refuse("coercion.confiscate.not_a_penalty_decision",
                 f"“{_quoted(number, 40)}”不是行政处罚决定书的文号：依法没收须依据本机关作出没收决定的行政处罚决定书（如{example}）",
                 ENDING_BASIS, "number")
        return
    if own is not None and found.group("agency") != own.group("agency"):
        d.refuse("coercion.confiscate.other_agency",
                 f"“{_quoted(number, 40)}”不是本机关的行政处罚决定书文号（本机关的文号如{example}）",
                 ENDING_BASIS, "number")
    if int(found.group("year")) != on.year:
        d.refuse("coercion.confiscate.number_year", f"决定书文号的年份与决定日期（{on.isoformat()}）不一致，请核对",
                 FORM_BASIS, "number")
    parent = d.snapshot.penalty_case
    if parent is not None:
        # Inside a penalty case, the confiscation is that case's decision, and it confiscates.
        decision = parent.decision
        if decision is None or not decision.number or decision.number != number:
            d.refuse("coercion.confiscate.not_the_case_decision",
                     f"“{_quoted(number, 40)}”不是本措施所属行政处罚案件作出的决定书文号"
                     + (f"（该案决定书文号为{decision.number}）" if decision is not None and decision.number else "（该案尚未作出决定）"),
                     ENDING_BASIS, "number")
        elif decision.penalty is None or "confiscate_property" not in decision.penalty.kinds:
            d.refuse("coercion.confiscate.decision_does_not_confiscate",
                     f"所属行政处罚案件的决定（{decision.number}）没有没收非法财物，不能据此没收{_label(d)}的财物",
                     ENDING_BASIS, "number")
    taken = d.snapshot.taken_on
    if taken is not None and on < taken:
        d.refuse("coercion.confiscate.before_taking",
                 f"没收决定的日期{on.isoformat()}早于实施{_label(d)}的日期{taken.isoformat()}，请核对", FORM_BASIS, "on")


def apply_confiscate(d: Draft, data: dict) -> None:
    _confiscation_number(d, data.get("number", "").strip(), data.get("on") or d.on)
    _ending(d, data, "confiscated", "confiscation_decision")


def apply_destroy(d: Draft, data: dict) -> None:
    _ending(d, data, "destroyed", "destruction_record")


def apply_handle(d: Draft, data: dict) -> None:
    _ending(d, data, "handled", "handling_decision")


# --- fields -----------------------------------------------------------------------------------------

REASON = _area("reason", "采取措施的理由", help="当事人涉嫌的违法行为，以及需要采取措施的原因")
BASES = _lines("bases", "采取措施的依据", help=f"每行一条法律、法规的条款，如：{BASES_EXAMPLE}")
SEAL_SEIZURE_CONTENT = (
    REASON,
    BASES,
    _t("place", "实施地点"),
    _lines("items", "查封、扣押的场所、设施或者财物",
           help="每行一项：名称，规格（可省略），数量和单位，用“，”分隔，如：纯牛奶，250毫升×24盒，12箱"),
    _t("storage_place", "保管地点", required=False),
    _t("storage_method", "保管方式", required=False, help="如：就地查封、异地扣押、委托第三人保管"),
)
FREEZE_CONTENT = (
    REASON,
    BASES,
    _lines("accounts", "冻结的存款、汇款",
           help="每行一个账户：开户金融机构，户名，账号，冻结数额（元），用“，”分隔"),
)
OFFICERS = Field("officer_ids", "实施的执法人员", "officers",
                 help=f"不少于两名具备资格的本机关执法人员，不得由受委托组织实施（{ART(17)}）")
MOMENTS = (
    Field("taken_at", "实施时间", "datetime", help="开始实施的日期和时间"),
    Field("ended_at", "结束时间", "datetime", required=False),
)
RECORD_TEXT = (
    _area("findings", "现场情况", help="查封、扣押（冻结）的经过和对象"),
    _t("recorder", "记录人"),
    _t("recording", "现场拍照、录像情况", required=False),
)
ON_SPOT = (
    *MOMENTS,
    OFFICERS,
    _bool("certificates_shown", "已出示执法身份证件"),
    _bool("party_notified", "已通知当事人到场"),
    _bool("party_present", "当事人到场"),
    _t("present_person", "到场人员（当事人本人、法定代表人、负责人或者代理人）", required=False),
    _t("witness", "见证人（当事人不到场时邀请）", required=False),
    _bool("told_reasons_and_basis", "已当场告知当事人采取措施的理由、依据"),
    _bool("told_rights_and_remedies", "已当场告知当事人依法享有的权利、救济途径"),
    _bool("party_heard", "已听取当事人的陈述和申辩"),
    _area("statement", "当事人的陈述和申辩", required=False, help="当事人未陈述、申辩的，写明“当事人未陈述、申辩”"),
    *RECORD_TEXT,
    _bool("officers_signed", "执法人员已在现场笔录上签名"),
    _bool("party_signed", "当事人已在现场笔录上签名或者盖章"),
    _t("refusal_note", "当事人拒绝签名或者盖章的情况", required=False, help="当事人拒绝的，在笔录中注明"),
    _bool("related_to_case", "查封、扣押的场所、设施或者财物均与违法行为有关"),
    _bool("no_daily_necessities", "未查封、扣押公民个人及其所扶养家属的生活必需品"),
    _bool("not_already_sealed", "有关场所、设施或者财物未被其他国家机关依法查封"),
    _bool("handed_over", "查封、扣押决定书和清单已当场交付当事人"),
)
FREEZE_ON_SPOT = (
    *MOMENTS,
    OFFICERS,
    _t("place", "实施地点（金融机构）"),
    _t("freeze_notice_bank", "协助冻结通知书交付的金融机构"),
    _bool("certificates_shown", "已向金融机构出示执法身份证件"),
    *RECORD_TEXT,
    _bool("officers_signed", "执法人员已在现场笔录上签名"),
)
HEAD_DECISION = (
    Field("decided_at", "负责人决定的时间", "datetime"),
    Field("reported_at", "向负责人报告的时间", "datetime", required=False),
    _t("report", "报告的情况", required=False),
    _t("opinion", "负责人意见"),
)
# Supervisors read it in the ledger itself: why the approval was entered after its 24 hours.
LATE_ENTRY = _reason("late_entry_reason", "超过二十四小时才录入的原因", required=False,
                     help="实施后超过二十四小时才在系统中录入补办批准的，须写明原因（记入执法记录，供监督查阅，不写当事人的个人信息）")
EXTEND_FIELDS = (
    Field("days", "延长的天数", "int", help="不得超过三十日，只能延长一次"),
    # It describes the party's case and may name people: the ledger keeps its digest, the
    # 延长期限通知书 (in the ledger by its hash) prints it.
    _area("reason", "延长的理由（情况复杂的具体情形）"),
    _date("notice_served_on", "延长期限通知书送达当事人的日期"),
)
RELEASE_FIELDS = (
    Field("ground", "解除的情形", "choice", choices=choices(RELEASE_GROUNDS)),
    _t("detail", "具体情况", required=False, help="如：经检验，该批食品符合食品安全标准"),
)
SEAL_SEIZURE_RELEASE_FIELDS = (
    *RELEASE_FIELDS,
    _lines("returned_items", "退还的财物（全部退还的不填）", required=False),
    _t("collection", "领取的时间、地点或者方式", required=False),
    _bool("returned", "财物已退还当事人并由其在退还财物清单上签收"),
)

TAKE_SUPPLIES = ("taken_at", "on_spot", "property_checks", "decision_elements", "documents_handed_over")
MEASURE_DOCUMENTS = (
    ("on_site_record", "on_site_record"),
    ("measure_decision", "measure_decision"),
    ("inventory", "inventory"),
)


def _common(key: str, engine: Procedure, content: tuple[Field, ...]) -> tuple[Step, ...]:
    label = engine.label
    return (
        Step("coercion_propose", "填写行政强制措施审批表（拟采取的措施）", (key,), states=("proposed",),
             roles=OPERATIONAL, fields=content, apply=apply_propose,
             help=f"写明拟采取{label}的理由、依据和对象，报行政机关负责人批准（{b.APPROVAL_BASIS}）"),
        Step("coercion_approve", "负责人批准", (key,), transition=True, roles=HEAD,
             fields=(Field("approved_at", "批准时间", "datetime"), _t("opinion", "审批意见")),
             apply=apply_approve, supplies=("approval", "records"),
             help=f"实施前须向行政机关负责人报告并经批准（{b.APPROVAL_BASIS}）"),
        Step("coercion_decline", "不予实施", (key,), transition=True, roles=HEAD,
             fields=(_t("reason", "不予实施的理由"),), apply=apply_decline),
    )


SEAL_SEIZURE_STEPS: tuple[Step, ...] = (
    *_common(SEAL_SEIZURE_KEY, SEAL_SEIZURE, SEAL_SEIZURE_CONTENT),
    Step("coercion_take", "实施查封、扣押（制作现场笔录，当场交付决定书和清单）", (SEAL_SEIZURE_KEY,), transition=True,
         roles=OPERATIONAL, fields=ON_SPOT, apply=apply_take, documents=MEASURE_DOCUMENTS, supplies=TAKE_SUPPLIES, decides=True,
         help="列入音像记录事项清单的查封、扣押，须先上传本次实施的全程音像记录"),
    Step("coercion_take_emergency", "情况紧急，当场实施查封、扣押", (SEAL_SEIZURE_KEY,), transition=True,
         roles=OPERATIONAL, fields=(*SEAL_SEIZURE_CONTENT, _area("emergency_reason", "情况紧急、需要当场实施的事由"), *ON_SPOT),
         apply=apply_take_emergency, documents=MEASURE_DOCUMENTS, supplies=(*TAKE_SUPPLIES, "emergency_reason"),
         decides=True,
         help=f"当场实施后二十四小时内须向负责人报告并补办批准手续；负责人认为不应当采取的，应当立即解除（{b.EMERGENCY_BASIS}）"),
    Step("coercion_confirm_emergency", "负责人补办批准手续", (SEAL_SEIZURE_KEY,), transition=True, roles=HEAD,
         fields=(*HEAD_DECISION, LATE_ENTRY), apply=apply_confirm_emergency, supplies=("approval", "records"),
         decides=True),
    Step("coercion_disapprove_emergency", "负责人不同意紧急实施（应当立即解除）", (SEAL_SEIZURE_KEY,),
         states=("emergency_taken",), roles=HEAD, fields=HEAD_DECISION, apply=apply_disapprove_emergency,
         decides=True),
    Step("coercion_record_examination", "登记检测、检验、检疫或者技术鉴定期间", (SEAL_SEIZURE_KEY,),
         states=("in_force", "extended"), roles=OPERATIONAL,
         fields=(Field("kind", "种类", "choice", choices=choices(EXAMINATION_KINDS)), _t("institution", "检测机构"),
                 _date("start", "开始日期"), _date("end", "结束日期"), _date("notified_on", "书面告知当事人的日期")),
         apply=apply_examination,
         help=f"已书面告知当事人的检测、检验、检疫或者技术鉴定期间不计入查封、扣押期限（{EXAMINATION_BASIS}），"
              "重叠的日期只计一次；合计超过三十日的，须由负责人登记"),
    Step("coercion_extend", "延长查封、扣押期限", (SEAL_SEIZURE_KEY,), transition=True, roles=HEAD,
         fields=EXTEND_FIELDS, apply=apply_extend, documents=(("extension_notice", "extension_notice"),),
         supplies=("extension", "records"), decides=True,
         help=f"情况复杂的，经负责人批准可以延长一次，不得超过三十日，书面告知当事人并说明理由（{PERIOD_BASIS}）"),
    Step("coercion_release", "解除查封、扣押", (SEAL_SEIZURE_KEY,), transition=True, roles=HEAD,
         fields=SEAL_SEIZURE_RELEASE_FIELDS, apply=apply_release,
         documents=(("release_decision", "release_decision"),), supplies=("records",), decides=True,
         help=f"解除后立即退还财物（{RELEASE_BASIS}）；期限届满的，只能解除"),
    Step("coercion_confiscate", "依法没收", (SEAL_SEIZURE_KEY,), transition=True, roles=OPERATIONAL,
         fields=(_reason("number", "作出没收的行政处罚决定书文号", help="本机关作出没收决定的行政处罚决定书文号"),
                 _date("on", "决定日期"),
                 _t("text", "没收的财物", required=False)),
         apply=apply_confiscate, supplies=("records",), decides=True,
         help=f"执行本机关作出没收决定的行政处罚决定书（{ENDING_BASIS}）"),
    Step("coercion_destroy", "依法销毁", (SEAL_SEIZURE_KEY,), transition=True, roles=HEAD,
         fields=(_area("text", "销毁的依据、方式、地点和在场人员"), _date("on", "销毁日期")),
         apply=apply_destroy, supplies=("records",), decides=True),
)

FREEZE_STEPS: tuple[Step, ...] = (
    *_common(FREEZE_KEY, FREEZE, FREEZE_CONTENT),
    Step("coercion_take", "实施冻结（向金融机构交付协助冻结通知书，制作现场笔录和冻结决定书）", (FREEZE_KEY,),
         transition=True, roles=OPERATIONAL, fields=FREEZE_ON_SPOT, apply=apply_take_freeze,
         documents=(("on_site_record", "on_site_record"), ("freeze_decision", "freeze_decision")),
         supplies=("taken_at", "on_spot", "decision_elements", "records"), decides=True,
         help=f"冻结决定书应当在实施冻结之日起三个工作日内交付当事人（{FREEZE_DELIVERY_BASIS}）"),
    Step("coercion_deliver_freeze_decision", "登记向当事人交付冻结决定书", (FREEZE_KEY,), states=("in_force", "extended"),
         roles=OPERATIONAL,
         fields=(_date("delivered_on", "交付日期"), Field("method", "送达方式", "choice", choices=choices(DELIVERY_METHODS)),
                 _t("signed_by", "签收人", required=False)),
         apply=apply_deliver_freeze_decision),
    Step("coercion_extend", "延长冻结期限", (FREEZE_KEY,), transition=True, roles=HEAD,
         fields=EXTEND_FIELDS, apply=apply_extend, documents=(("extension_notice", "extension_notice"),),
         supplies=("extension", "records"), decides=True,
         help=f"情况复杂的，经负责人批准可以延长一次，不得超过三十日，书面告知当事人并说明理由（{FREEZE_PERIOD_BASIS}）"),
    Step("coercion_release", "解除冻结", (FREEZE_KEY,), transition=True, roles=HEAD, fields=RELEASE_FIELDS,
         apply=apply_release_freeze, documents=(("release_decision", "release_decision"),), decides=True,
         help=f"期限届满的，只能解除冻结（{FREEZE_RELEASE_BASIS}）"),
    Step("coercion_handle", "作出处理决定", (FREEZE_KEY,), transition=True, roles=HEAD,
         fields=(_area("text", "处理决定"), _t("number", "决定书文号", required=False), _date("on", "决定日期")),
         apply=apply_handle, supplies=("records",), decides=True),
)

__all__ = [
    "FREEZE_KEY",
    "FREEZE_STEPS",
    "SEAL_SEIZURE_KEY",
    "SEAL_SEIZURE_STEPS",
    "content_from",
    "texts_of",
]
