"""The rules of an administrative licence (行政许可, issue 18 item 1), pure Python: the facts the
guards read (`PermitSnapshot`), the periods computed on the working-day calendar, and the guards.

The law (行政许可法 2019, legal_rules.md §3.1, §8):
- 第三十二条: the application is accepted, refused acceptance, or the applicant is told in one go
  (一次性告知) what is missing, on the spot or within 5 days; not told in time, the application
  counts as accepted from the day the materials were received;
- 第三十四条: a decision on the spot when the materials are complete and in the legal form;
- 第四十二条: the decision within 20 days of acceptance, +10 with the head's approval and the
  reasons told to the applicant; 第四十五条: hearing, testing, inspection, expert review … do not
  count, and the applicant is told in writing; 第八十二条: the agency's periods are working days;
- 第四十六条、第四十七条: a hearing where a law requires one, or when the applicant (or an interested
  party) asks within 5 days of being told of the right; held within 20 days; 第四十八条: the
  notice 7 days before, the decision based on the transcript;
- 第三十八条: a refusal is written, with its reasons and the right to 复议 or 诉讼;
- 第四十四条: the licence delivered within 10 days of the decision;
- 第四十九条、第五十条: change and renewal (application 30 days before expiry; not decided before
  expiry: renewal deemed granted); 第八条、第六十九条、第七十条: withdrawal, revocation, cancellation;
- 国办发〔2018〕118号: the legal review of a decision the agency's catalogue lists as major.
Every period is a parameter (parameters/permit.toml) with its article; the applicant's periods and
the lists of reasons are flagged unverified there. A decision after its period is not refused (that
would only harm the applicant): it is flagged, and cannot be made without a written explanation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.penalty.basis import GUIDELINE_118, article
from sanxiang.procedure.penalty.snapshot import ReviewCatalogue
from sanxiang.procedure.registry_rules import OfficerSnapshot
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation

# --- citations ----------------------------------------------------------------------------------------

LICENSING_LAW = "《中华人民共和国行政许可法》"
RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"

PERMIT_BASIS = article(LICENSING_LAW, 29, 32, 34, 42)
ART_8 = article(LICENSING_LAW, 8)
ART_32 = article(LICENSING_LAW, 32)
ART_34 = article(LICENSING_LAW, 34)
ART_38 = article(LICENSING_LAW, 38)
ART_42 = article(LICENSING_LAW, 42)
ART_44 = article(LICENSING_LAW, 44)
ART_45 = article(LICENSING_LAW, 45)
ART_46_47 = article(LICENSING_LAW, 46, 47)
ART_48 = article(LICENSING_LAW, 48)
ART_49 = article(LICENSING_LAW, 49)
ART_50 = article(LICENSING_LAW, 50)
ART_69 = article(LICENSING_LAW, 69)
ART_70 = article(LICENSING_LAW, 70)
REMEDIES_BASIS = f"{ART_38}；{article(RECONSIDERATION_LAW, 20)}；{article(LITIGATION_LAW, 46)}"
REVIEW_BASIS = f"{GUIDELINE_118}（重大执法决定法制审核制度）"
ORDER_BASIS = f"{PLATFORM_PREFIX}：许可的各环节按先后顺序记录，日期不得晚于今天"

# --- vocabulary -------------------------------------------------------------------------------------

# 第四十五条: the time that does not count towards the licensing period.
EXCLUDED_KINDS: dict[str, str] = {
    "hearing": "听证",
    "tender": "招标",
    "auction": "拍卖",
    "testing": "检验",
    "detection": "检测",
    "quarantine": "检疫",
    "appraisal": "鉴定",
    "expert_review": "专家评审",
}
OUTCOMES: dict[str, str] = {"grant": "准予行政许可", "refuse": "不予行政许可"}
REVIEW_OPINIONS: dict[str, str] = {"agree": "同意", "disagree": "不同意", "resubmit": "补充材料后重新提交"}
ENDINGS: dict[str, str] = {"withdraw": "撤回", "revoke": "撤销", "cancel": "注销"}
ENDING_PARAMETERS: dict[str, str] = {
    "withdraw": "permit.withdrawal_reasons",
    "revoke": "permit.revocation_reasons",
    "cancel": "permit.cancellation_reasons",
}
# 第六十九条第二款: the one ground of revocation for which the holder's interest is not protected
# (第四款, second sentence); every other ground is of 第一款, and the holder whose lawful rights and
# interests are damaged by the revocation is compensated (第四款, first sentence: 依法给予赔偿).
REVOCATION_HOLDER_AT_FAULT = "被许可人以欺骗、贿赂等不正当手段取得行政许可"


def revocation_compensated(ground: str) -> bool:
    """Whether the revocation letter promises compensation of the holder's damaged lawful rights
    (第六十九条第四款: a revocation under 第一款) or says their interest is not protected (第二款)."""
    return ground.strip() != REVOCATION_HOLDER_AT_FAULT


EXPIRED_REASON = "行政许可有效期届满未延续"
ENDED_REASON = "行政许可依法被撤销、撤回，或者行政许可证件依法被吊销"


# --- the facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExcludedPeriod:
    """A period that does not count (第四十五条), first and last day included; it is deducted only
    when the applicant was told of it in writing (`told_on`)."""

    kind: str  # EXCLUDED_KINDS
    start: dt.date
    end: dt.date
    told_on: dt.date | None = None


@dataclass(frozen=True)
class Extension:
    """The head's approval of 10 more working days (第四十二条), with the reasons told to the applicant."""

    head_name: str
    approved_on: dt.date
    reasons: str
    told_on: dt.date | None = None


@dataclass(frozen=True)
class ReviewOpinion:
    """A 法制审核 opinion on the draft decision (118号), like the penalty's."""

    reviewer_id: int
    opinion: str  # REVIEW_OPINIONS
    given_on: dt.date
    reviewed_outcome: str  # OUTCOMES


@dataclass(frozen=True)
class Decision:
    """The draft or the decision: its outcome, day, reasons (required for a refusal) and the
    statement of remedies; `late_explanation` when it comes after its period."""

    outcome: str  # OUTCOMES
    on: dt.date
    reasons: str = ""
    remedies: str = ""
    late_explanation: str = ""
    content: str = ""  # 准予许可的内容 (第三十八条第一款: the written decision states what is granted)
    licence_name: str = ""  # 许可证件名称 (第三十九条), when the licence needs a certificate
    category: str = ""  # 许可类别 as the 双公示 standard lists them (dual_publicity.PERMIT_CATEGORIES)


@dataclass(frozen=True)
class Refusal:
    """A refusal to accept (不予受理) or to renew: written, with its reasons and remedies."""

    on: dt.date
    reasons: str = ""
    remedies: str = ""


@dataclass(frozen=True)
class Renewal:
    applied_on: dt.date
    decision: Decision | None = None
    renewed_until: dt.date | None = None  # the new expiry, granted or deemed granted


@dataclass(frozen=True)
class Change:
    applied_on: dt.date
    content: str


@dataclass(frozen=True)
class Ending:
    """撤回、撤销 or 注销, with one of the reasons the law lists and the facts behind it."""

    kind: str  # ENDINGS
    reason: str
    facts: str
    on: dt.date
    remedies: str = ""


@dataclass(frozen=True)
class PermitSnapshot:
    state: str
    records: frozenset[str]
    received_on: dt.date  # the day the (latest, supplemented) materials were received
    region: str = ""
    sector: str = ""
    matter: str = ""  # the 权责清单 matter's code
    # The agency's 重大执法决定法制审核目录 as the penalty reads it (None: nothing listed): a
    # licence decision is major when its matter is listed.
    catalogue: ReviewCatalogue | None = None
    major_marked: bool = False  # marked major by the agency (e.g. a major public interest, 第四十六条)
    officers: tuple[OfficerSnapshot, ...] = ()  # the staff who handle the application (not its reviewers)
    materials_complete: bool = False
    on_spot_possible: bool = False  # the matter can be decided on the spot (第三十四条第二款)
    missing_notice_on: dt.date | None = None  # 一次性告知
    missing_items: tuple[str, ...] = ()
    supplemented_on: dt.date | None = None
    acceptance_refusal: Refusal | None = None
    accepted_on: dt.date | None = None
    deemed_accepted: bool = False
    exclusions: tuple[ExcludedPeriod, ...] = ()
    extension: Extension | None = None
    hearing_required_by_law: bool = False  # 第四十六条
    hearing_right_due: bool = False  # 第四十七条: major interests between the applicant and others
    hearing_right_told_on: dt.date | None = None
    hearing_requested_on: dt.date | None = None
    hearing_waived: bool = False
    hearing_notice_on: dt.date | None = None
    hearing_held_on: dt.date | None = None
    review_opinions: tuple[ReviewOpinion, ...] = ()
    decision: Decision | None = None
    delivered_on: dt.date | None = None
    delivery_late_explanation: str = ""
    expires_on: dt.date | None = None
    change: Change | None = None
    renewal: Renewal | None = None
    renewal_refusal: Refusal | None = None
    ending: Ending | None = None
    licence_number: str = ""  # 许可证件编号, recorded at delivery
    # Every change, renewal (decided or deemed) and ending the licence went through, for the annual
    # data (permit.annual): `change`, `renewal` and `ending` keep only the latest.
    changes_on: tuple[dt.date, ...] = ()
    renewals_on: tuple[dt.date, ...] = ()
    # Each 不予延续 decided, on its day (a later renewal application clears `renewal_refusal`).
    renewal_refusals_on: tuple[dt.date, ...] = ()
    endings: tuple[Ending, ...] = ()
    # (document kind, 文号) of the case's documents, oldest first: a later decision cites the grant.
    documents_issued: tuple[tuple[str, str], ...] = ()

    def issued_number(self, kind: str) -> str:
        return next((number for issued, number in reversed(self.documents_issued) if issued == kind), "")

    @property
    def major(self) -> bool:
        listed = self.catalogue is not None and bool(self.matter) and self.matter in self.catalogue.matters
        return self.major_marked or listed

    @property
    def handler_ids(self) -> frozenset[int]:
        return frozenset(o.id for o in self.officers if o.id is not None)


Snapshot = PermitSnapshot
Context = GuardContext


# --- periods ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    estimated: bool
    basis: str
    excluded_days: int = 0  # working days not counted (第四十五条)
    extended: bool = False


def _value(name: str, snapshot: Snapshot, context: Context, on: dt.date) -> int:
    return context.parameters.value(name, on=on, region=snapshot.region, sector=snapshot.sector)


def _basis(name: str, snapshot: Snapshot, context: Context, on: dt.date) -> str:
    return context.parameters[name].period_on(on, region=snapshot.region, sector=snapshot.sector).reference


def applicant_period_end(snapshot: Snapshot, context: Context, start: dt.date, n: int) -> Deadline:
    """The hearing request's period (第四十七条, binding the applicant): working or calendar days, as
    its parameter says (the renewal application's is counted by its own, `renewal_application_deadline`)."""
    working = context.parameters.value("permit.applicant_periods_in_working_days", on=start, region=snapshot.region)
    end = context.calendar.working_days_after(start, n) if working else context.calendar.calendar_days_after(start, n)
    return Deadline(end.date, end.estimated, end.basis)


def completeness_deadline(snapshot: Snapshot, context: Context) -> Deadline:
    """The last day to accept, refuse acceptance or tell what is missing (第三十二条)."""
    n = _value("permit.completeness_notice_working_days", snapshot, context, snapshot.received_on)
    end = context.calendar.working_days_after(snapshot.received_on, n)
    basis = _basis("permit.completeness_notice_working_days", snapshot, context, snapshot.received_on)
    return Deadline(end.date, end.estimated, basis)


def deemed_accepted_on(snapshot: Snapshot, context: Context) -> dt.date | None:
    """The day the application counts as accepted because nobody answered in time: the day the
    materials were received (第三十二条), once the period has run out with no answer."""
    if snapshot.missing_notice_on is not None or snapshot.acceptance_refusal is not None:
        return None
    if context.today <= completeness_deadline(snapshot, context).date:
        return None
    return snapshot.received_on


def told_exclusions(snapshot: Snapshot) -> tuple[ExcludedPeriod, ...]:
    return tuple(p for p in snapshot.exclusions if p.told_on is not None and p.start <= p.end)


def extension_valid(snapshot: Snapshot, context: Context) -> bool:
    return not extension_problems(snapshot, context, check_state=False)


def _count_working_days(
    calendar: LegalCalendar, start: dt.date, n: int, excluded: Iterable[ExcludedPeriod]
) -> tuple[dt.date, bool, int]:
    periods = tuple(excluded)
    day, remaining, skipped, estimated = start, n, 0, False
    while remaining:
        end = calendar.working_days_after(day, 1)
        day, estimated = end.date, estimated or end.estimated
        if any(p.start <= day <= p.end for p in periods):
            skipped += 1
        else:
            remaining -= 1
    return day, estimated, skipped


def decision_deadline(snapshot: Snapshot, context: Context, *, extended: bool | None = None) -> Deadline | None:
    """The last day of the decision period: 20 working days from acceptance (+10 with a valid
    extension), not counting the working days of the excluded periods the applicant was told of
    (第四十二条、第四十五条、第八十二条). None before acceptance."""
    accepted = snapshot.accepted_on
    if accepted is None:
        return None
    n = _value("permit.decision_working_days", snapshot, context, accepted)
    basis = _basis("permit.decision_working_days", snapshot, context, accepted)
    if extended is None:
        extended = snapshot.extension is not None and extension_valid(snapshot, context)
    if extended:
        n += _value("permit.decision_extension_working_days", snapshot, context, accepted)
    day, estimated, skipped = _count_working_days(context.calendar, accepted, n, told_exclusions(snapshot))
    if skipped:
        basis += f"；{ART_45}"
    return Deadline(day, estimated, basis, skipped, extended)


def delivery_deadline(snapshot: Snapshot, context: Context) -> Deadline | None:
    """The licence is delivered within 10 working days of the grant (第四十四条)."""
    decision = snapshot.decision
    if decision is None or decision.outcome != "grant":
        return None
    n = _value("permit.delivery_working_days", snapshot, context, decision.on)
    end = context.calendar.working_days_after(decision.on, n)
    return Deadline(end.date, end.estimated, _basis("permit.delivery_working_days", snapshot, context, decision.on))


def hearing_request_deadline(snapshot: Snapshot, context: Context) -> Deadline | None:
    told = snapshot.hearing_right_told_on
    if told is None:
        return None
    end = applicant_period_end(snapshot, context, told, _value("permit.hearing_request_days", snapshot, context, told))
    return Deadline(end.date, end.estimated, _basis("permit.hearing_request_days", snapshot, context, told))


def hearing_hold_deadline(snapshot: Snapshot, context: Context) -> Deadline | None:
    """The hearing is held within 20 working days of the request (第四十七条): an alert, not a block."""
    requested = snapshot.hearing_requested_on
    if requested is None:
        return None
    end = context.calendar.working_days_after(
        requested, _value("permit.hearing_hold_working_days", snapshot, context, requested)
    )
    return Deadline(end.date, end.estimated, _basis("permit.hearing_hold_working_days", snapshot, context, requested))


def renewal_application_deadline(snapshot: Snapshot, context: Context) -> Deadline | None:
    """The last day to apply for renewal: 30 days before expiry (第五十条), counted backwards in
    calendar days: 第五十条 says 三十日 and 第八十二条 counts only the agency's periods in working days
    (待核实). Its own parameter, not the hearing request's: a region that counts it in working
    days sets `permit.renewal_application_in_working_days`."""
    expires = snapshot.expires_on
    if expires is None:
        return None
    n = _value("permit.renewal_application_days", snapshot, context, expires)
    basis = _basis("permit.renewal_application_days", snapshot, context, expires)
    working = context.parameters.value("permit.renewal_application_in_working_days", on=expires, region=snapshot.region,
                                       sector=snapshot.sector)
    if not working:
        return Deadline(expires - dt.timedelta(days=n), False, basis)
    # The latest day d with n working days from d (not counted) to the expiry day (counted); an
    # estimate where a year's holidays are not yet published (the calendar's own answer per day).
    day, counted, estimated = expires, 0, False
    while counted < n:
        answer = context.calendar.is_working_day(day)
        counted += answer.working
        estimated = estimated or answer.estimated
        day -= dt.timedelta(days=1)
    return Deadline(day, estimated, basis)


def hearing_needed(snapshot: Snapshot, context: Context) -> bool:
    """A hearing is held where a law requires one (第四十六条) or the applicant or an interested
    party asked within the period after being told of the right (第四十七条)."""
    if snapshot.hearing_required_by_law:
        return True
    if snapshot.hearing_requested_on is None:
        return False
    deadline = hearing_request_deadline(snapshot, context)
    return deadline is None or snapshot.hearing_requested_on <= deadline.date


def renewal_deemed_granted(snapshot: Snapshot, context: Context) -> bool:
    """The renewal was applied for in time and the agency did not decide before expiry: it counts
    as granted (第五十条第二款)."""
    renewal, expires = snapshot.renewal, snapshot.expires_on
    if renewal is None or expires is None or renewal.decision is not None or snapshot.renewal_refusal is not None:
        return False
    deadline = renewal_application_deadline(snapshot, context)
    return deadline is not None and renewal.applied_on <= deadline.date and context.today > expires


# --- guards -------------------------------------------------------------------------------------------


def answer_in_time(snapshot: Snapshot, context: Context) -> list[Violation]:
    """One-time notice and refusal to accept only within the 5 working days: afterwards the
    application counts as accepted (第三十二条)."""
    deadline = completeness_deadline(snapshot, context)
    if context.today <= deadline.date:
        return []
    return [Violation(
        "permit.acceptance.too_late",
        f"收到申请材料后应在{deadline.date.isoformat()}前一次告知需要补正的内容或者作出是否受理的决定，"
        f"逾期未告知的，自收到申请材料之日（{snapshot.received_on.isoformat()}）起即为受理：请办理受理，"
        "在审查后依法作出决定（不予许可的须说明理由）",
        deadline.basis, "received_on",
    )]


def notice_once(snapshot: Snapshot, context: Context) -> list[Violation]:
    """一次性告知: everything missing is told in one go, never a second time (第三十二条)."""
    violations = []
    if snapshot.missing_notice_on is not None and snapshot.supplemented_on is not None:
        violations.append(Violation(
            "permit.notice.second",
            f"已于{snapshot.missing_notice_on.isoformat()}一次性告知需要补正的全部内容，不得再次要求补正：申请人补正后，"
            "请作出受理或者不予受理的决定",
            ART_32, "missing_items",
        ))
    if not any(item.strip() for item in snapshot.missing_items):
        violations.append(Violation("permit.notice.empty", "须一次列明需要补正的全部内容", ART_32, "missing_items"))
    return violations


def refusal_problems(refusal: Refusal | None, *, code: str, what: str, basis: str, field_name: str) -> list[Violation]:
    """A refusal is written, gives its reasons and the remedies (第三十八条)."""
    if refusal is None:
        return [Violation(f"{code}.missing", f"尚未填写{what}的内容", basis, field_name)]
    violations = []
    if not refusal.reasons.strip():
        violations.append(Violation(f"{code}.reasons", f"{what}须说明理由", basis, f"{field_name}.reasons"))
    if not refusal.remedies.strip():
        violations.append(Violation(f"{code}.remedies", f"{what}须告知申请人享有依法申请行政复议或者提起行政诉讼的权利",
                                    REMEDIES_BASIS, f"{field_name}.remedies"))
    return violations


def acceptance_refusal_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    return refusal_problems(snapshot.acceptance_refusal, code="permit.non_acceptance", what="不予受理",
                            basis=ART_32, field_name="acceptance_refusal")


def deemed_acceptance_due(snapshot: Snapshot, context: Context) -> list[Violation]:
    if deemed_accepted_on(snapshot, context) is not None:
        return []
    if snapshot.missing_notice_on is not None:
        return [Violation("permit.deemed.notified",
                          "已在期限内一次性告知需要补正的内容，不适用视为受理：请待申请人补正后作出是否受理的决定",
                          ART_32, "received_on")]
    deadline = completeness_deadline(snapshot, context)
    return [Violation("permit.deemed.not_yet",
                      f"告知补正或者决定是否受理的期限至{deadline.date.isoformat()}届满，尚未届满的不视为受理：请在期限内办理",
                      deadline.basis, "received_on")]


def accepted_on_recorded(snapshot: Snapshot, context: Context) -> list[Violation]:
    violations = []
    if snapshot.accepted_on is None:
        violations.append(Violation("permit.accept.date", "请填写受理日期", ORDER_BASIS, "accepted_on"))
    elif snapshot.accepted_on > context.today or snapshot.accepted_on < snapshot.received_on:
        violations.append(Violation("permit.accept.order", "受理日期须在收到申请材料之后、不晚于今天", ORDER_BASIS, "accepted_on"))
    if snapshot.accepted_on is not None and not snapshot.materials_complete:
        violations.append(Violation(
            "permit.accept.incomplete",
            "申请材料不齐全或者不符合法定形式的，不能受理：请一次性告知申请人需要补正的全部内容",
            ART_32, "materials_complete",
        ))
    return violations


def extension_problems(snapshot: Snapshot, context: Context, *, check_state: bool = True) -> list[Violation]:
    """+10 working days only with the head's approval given within the 20, with written reasons
    told to the applicant, and once (第四十二条)."""
    extension = snapshot.extension
    if extension is None:
        return [Violation("permit.extension.missing", "延长期限须经本行政机关负责人批准", ART_42, "extension")]
    violations = []
    if not extension.head_name.strip():
        violations.append(Violation("permit.extension.no_head", "延长期限须经本行政机关负责人批准", ART_42, "extension.head_name"))
    if not extension.reasons.strip():
        violations.append(Violation("permit.extension.no_reasons", "延长期限须写明理由", ART_42, "extension.reasons"))
    if extension.told_on is None:
        violations.append(Violation("permit.extension.not_told", "须将延长期限的理由告知申请人", ART_42, "extension.told_on"))
    base = decision_deadline(snapshot, context, extended=False)
    if base is not None and extension.approved_on > base.date:
        violations.append(Violation(
            "permit.extension.too_late",
            f"二十个工作日的期限已于{base.date.isoformat()}届满，届满后不能再批准延长：请尽快作出决定并说明逾期原因",
            base.basis, "extension.approved_on",
        ))
    if extension.approved_on > context.today:
        violations.append(Violation("permit.extension.future", "批准日期不能晚于今天", ORDER_BASIS, "extension.approved_on"))
    return violations


def extension_allowed(snapshot: Snapshot, context: Context) -> list[Violation]:
    return extension_problems(snapshot, context)


def hearing_gate(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Before the decision: the hearing right told where the licence concerns major interests of
    the applicant and others; its request period run out (or waived); the hearing held where one
    is needed, notified 7 working days before, and its transcript on file (第四十六至四十八条)."""
    violations = []
    if snapshot.hearing_right_due and snapshot.hearing_right_told_on is None:
        violations.append(Violation(
            "permit.hearing.right_not_told",
            "该许可直接涉及申请人与他人之间重大利益关系，作出决定前须告知申请人、利害关系人享有要求听证的权利",
            ART_46_47, "hearing_right_told_on",
        ))
    deadline = hearing_request_deadline(snapshot, context)
    if (deadline is not None and snapshot.hearing_requested_on is None and not snapshot.hearing_waived
            and context.today <= deadline.date):
        violations.append(Violation(
            "permit.hearing.window_open",
            f"申请听证的期限至{deadline.date.isoformat()}届满，期限届满或者申请人、利害关系人明确放弃听证前不得作出决定",
            deadline.basis, "hearing_requested_on",
        ))
    if hearing_needed(snapshot, context):
        why = "法律、法规、规章规定应当听证" if snapshot.hearing_required_by_law else "申请人、利害关系人在期限内申请听证"
        if snapshot.hearing_held_on is None or "hearing_transcript" not in snapshot.records:
            violations.append(Violation(
                "permit.hearing.not_held",
                f"本许可须举行听证（{why}），尚无听证笔录：请组织听证，并根据听证笔录作出决定",
                ART_46_47, "hearing_held_on",
            ))
        elif snapshot.hearing_notice_on is not None:
            n = _value("permit.hearing_notice_working_days", snapshot, context, snapshot.hearing_notice_on)
            earliest = context.calendar.working_days_after(snapshot.hearing_notice_on, n).date
            if snapshot.hearing_held_on < earliest:
                violations.append(Violation(
                    "permit.hearing.notice_late",
                    f"听证须在举行{n}个工作日前通知，{snapshot.hearing_notice_on.isoformat()}通知的听证最早于"
                    f"{earliest.isoformat()}举行：请重新通知并举行听证",
                    _basis("permit.hearing_notice_working_days", snapshot, context, snapshot.hearing_notice_on),
                    "hearing_held_on",
                ))
        else:
            violations.append(Violation("permit.hearing.no_notice", "听证须事先通知申请人、利害关系人，尚无听证通知的日期",
                                        ART_48, "hearing_notice_on"))
    return violations


def review_gate(snapshot: Snapshot, context: Context) -> list[Violation]:
    """A decision the agency's catalogue lists as major needs a legal review that agrees with this
    very outcome, by a reviewer who did not handle the application (118号)."""
    if not snapshot.major:
        return []
    if not snapshot.review_opinions:
        return [Violation("permit.review.missing",
                          "本许可决定属于重大执法决定法制审核目录所列事项，未经法制审核不得作出决定：请送法制审核",
                          REVIEW_BASIS, "review")]
    latest = max(snapshot.review_opinions, key=lambda o: o.given_on)
    violations = []
    if latest.opinion != "agree":
        violations.append(Violation(
            "permit.review.not_passed",
            f"{latest.given_on.isoformat()}的法制审核意见为“{REVIEW_OPINIONS.get(latest.opinion, '存在问题')}”，"
            "审核未通过不得作出决定，须整改后重新送审",
            REVIEW_BASIS, "review",
        ))
    if latest.reviewer_id in snapshot.handler_ids:
        violations.append(Violation("permit.review.handler", "承办人员不得审核本人承办的许可决定，请由其他法制审核人员审核",
                                    REVIEW_BASIS, "review"))
    decision = snapshot.decision
    if decision is not None and latest.opinion == "agree" and latest.reviewed_outcome != decision.outcome:
        violations.append(Violation(
            "permit.review.outdated",
            f"法制审核的是“{OUTCOMES.get(latest.reviewed_outcome, '')}”，拟作出的决定已改变，须重新进行法制审核",
            REVIEW_BASIS, "review",
        ))
    return violations


def decision_drafted(snapshot: Snapshot, context: Context) -> list[Violation]:
    decision = snapshot.decision
    if decision is None:
        return [Violation("permit.decision.missing", "尚未拟定许可决定", ORDER_BASIS, "decision")]
    start = snapshot.accepted_on or snapshot.received_on
    if decision.on > context.today or decision.on < start:
        return [Violation("permit.decision.order", "决定日期须在受理之后、不晚于今天", ORDER_BASIS, "decision.on")]
    return []


def decision_in_time(snapshot: Snapshot, context: Context) -> list[Violation]:
    """A decision after its period is flagged: it needs a written explanation of the delay
    (第四十二条), kept with the case."""
    decision, deadline = snapshot.decision, decision_deadline(snapshot, context)
    if decision is None or deadline is None or decision.on <= deadline.date or decision.late_explanation.strip():
        return []
    return [Violation(
        "permit.decision.late",
        f"作出决定的法定期限已于{deadline.date.isoformat()}届满（已扣除不计入期限的{deadline.excluded_days}个工作日"
        f"{'，含经批准延长的期限' if deadline.extended else ''}），逾期作出决定的须写明逾期原因",
        deadline.basis, "decision.late_explanation",
    )]


def outcome_is(outcome: str):
    def guard(snapshot: Snapshot, context: Context) -> list[Violation]:
        decision = snapshot.decision
        if decision is None or decision.outcome == outcome:
            return []
        return [Violation("permit.decision.outcome", f"拟定的决定不是“{OUTCOMES[outcome]}”", ORDER_BASIS, "decision.outcome")]
    return guard


def refusal_reasoned(snapshot: Snapshot, context: Context) -> list[Violation]:
    decision = snapshot.decision
    if decision is None:
        return []
    return refusal_problems(Refusal(decision.on, decision.reasons, decision.remedies), code="permit.refusal",
                            what="不予行政许可的决定", basis=ART_38, field_name="decision")


def on_spot_allowed(snapshot: Snapshot, context: Context) -> list[Violation]:
    """当场作出决定 only when the materials are complete and in legal form and the matter allows it
    (第三十四条); never when a hearing or a legal review is due."""
    violations = []
    if not snapshot.materials_complete:
        violations.append(Violation("permit.on_spot.incomplete", "申请材料不齐全或者不符合法定形式，不能当场作出决定",
                                    ART_34, "materials_complete"))
    if not snapshot.on_spot_possible:
        violations.append(Violation("permit.on_spot.not_allowed",
                                    "该事项需要对申请材料的实质内容进行核实，不能当场作出决定：请受理后审查", ART_34, "on_spot"))
    if snapshot.hearing_required_by_law or snapshot.hearing_right_due:
        violations.append(Violation("permit.on_spot.hearing", "该许可须听证或者告知听证权利，不能当场作出决定",
                                    ART_46_47, "on_spot"))
    return violations


def delivery_in_time(snapshot: Snapshot, context: Context) -> list[Violation]:
    violations = []
    deadline = delivery_deadline(snapshot, context)
    if snapshot.delivered_on is None:
        return [Violation("permit.delivery.date", "请填写送达日期", ORDER_BASIS, "delivered_on")]
    if deadline is not None and snapshot.delivered_on > deadline.date and not snapshot.delivery_late_explanation.strip():
        violations.append(Violation(
            "permit.delivery.late",
            f"许可证件应于{deadline.date.isoformat()}前颁发、送达，逾期送达的须写明逾期原因",
            deadline.basis, "delivery_late_explanation",
        ))
    decision = snapshot.decision
    if snapshot.delivered_on > context.today or (decision is not None and snapshot.delivered_on < decision.on):
        violations.append(Violation("permit.delivery.order", "送达日期须在决定之后、不晚于今天", ORDER_BASIS, "delivered_on"))
    return violations


def change_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    change = snapshot.change
    violations = []
    if change is None or not change.content.strip():
        violations.append(Violation("permit.change.content", "变更许可须有被许可人的申请并写明变更事项", ART_49, "change"))
    if snapshot.expires_on is not None and context.today > snapshot.expires_on:
        violations.append(Violation("permit.change.expired", "许可已过有效期，不能变更：请重新申请", ART_49, "change"))
    return violations


def renewal_grantable(snapshot: Snapshot, context: Context) -> list[Violation]:
    """A renewal decided by the agency: applied for before expiry, decided before expiry (第五十条)."""
    renewal, expires = snapshot.renewal, snapshot.expires_on
    if renewal is None:
        return [Violation("permit.renewal.missing", "尚无被许可人的延续申请", ART_50, "renewal")]
    violations = []
    if expires is not None and renewal.applied_on > expires:
        violations.append(Violation("permit.renewal.after_expiry",
                                    f"许可已于{expires.isoformat()}到期，到期后提出的申请不能延续：请重新申请许可",
                                    ART_50, "renewal.applied_on"))
    if renewal.decision is None:
        violations.append(Violation("permit.renewal.no_decision", "尚未拟定延续决定", ORDER_BASIS, "renewal.decision"))
    elif renewal.decision.outcome != "grant":
        violations.append(Violation("permit.renewal.outcome", "拟定的延续决定不是准予延续", ORDER_BASIS, "renewal.decision"))
    elif expires is not None and renewal.decision.on > expires and not renewal.decision.late_explanation.strip():
        violations.append(Violation("permit.renewal.late",
                                    f"应在有效期届满（{expires.isoformat()}）前作出是否准予延续的决定，逾期作出的须写明逾期原因",
                                    ART_50, "renewal.decision.late_explanation"))
    return violations


def renewal_deemed(snapshot: Snapshot, context: Context) -> list[Violation]:
    if renewal_deemed_granted(snapshot, context):
        return []
    renewal, expires = snapshot.renewal, snapshot.expires_on
    if renewal is None or expires is None:
        return [Violation("permit.renewal.missing", "尚无被许可人的延续申请", ART_50, "renewal")]
    deadline = renewal_application_deadline(snapshot, context)
    if deadline is not None and renewal.applied_on > deadline.date:
        return [Violation("permit.renewal.applied_late",
                          f"延续申请应在{deadline.date.isoformat()}前提出，逾期申请的不适用“视为准予延续”：请依法作出决定",
                          deadline.basis, "renewal.applied_on")]
    if renewal.decision is not None or snapshot.renewal_refusal is not None:
        return [Violation("permit.renewal.decided", "已对延续申请作出决定，不适用“视为准予延续”", ART_50, "renewal")]
    return [Violation("permit.renewal.not_expired",
                      f"有效期至{expires.isoformat()}届满，届满前应作出是否准予延续的决定，届满前不视为准予延续",
                      ART_50, "renewal")]


def renewal_refusable(snapshot: Snapshot, context: Context) -> list[Violation]:
    violations = refusal_problems(snapshot.renewal_refusal, code="permit.renewal_refusal", what="不予延续的决定",
                                  basis=ART_38, field_name="renewal_refusal")
    if snapshot.renewal is None:
        violations.append(Violation("permit.renewal.missing", "尚无被许可人的延续申请", ART_50, "renewal"))
        return violations
    deadline, expires = renewal_application_deadline(snapshot, context), snapshot.expires_on
    refusal = snapshot.renewal_refusal
    on = refusal.on if refusal is not None else context.today
    if (deadline is not None and expires is not None and snapshot.renewal.applied_on <= deadline.date
            and on > expires):
        violations.append(Violation(
            "permit.renewal.deemed",
            f"延续申请已按期提出，行政机关未在有效期届满（{expires.isoformat()}）前作出决定，视为准予延续，不能再不予延续",
            ART_50, "renewal_refusal",
        ))
    return violations


def ending_reasoned(kind: str):
    """撤回、撤销、注销 only for a reason the law lists (第八条、第六十九条、第七十条), with the facts;
    撤回 and 撤销 with the remedies."""
    basis = {"withdraw": ART_8, "revoke": ART_69, "cancel": ART_70}[kind]

    def guard(snapshot: Snapshot, context: Context) -> list[Violation]:
        ending, label = snapshot.ending, ENDINGS[kind]
        if ending is None or ending.kind != kind:
            return [Violation(f"permit.{kind}.missing", f"尚未填写{label}许可的理由", basis, "ending")]
        name = ENDING_PARAMETERS[kind]
        period = context.parameters[name].period_on(ending.on, region=snapshot.region, sector=snapshot.sector)
        violations = []
        if ending.reason not in period.value:
            violations.append(Violation(f"permit.{kind}.reason", f"{label}许可须属于法定情形之一：" + "；".join(period.value),
                                        period.reference, "ending.reason"))
        if not ending.facts.strip():
            violations.append(Violation(f"permit.{kind}.facts", f"{label}许可须写明事实和证据", basis, "ending.facts"))
        if kind != "cancel" and not ending.remedies.strip():
            violations.append(Violation(f"permit.{kind}.remedies",
                                        f"{label}许可的决定须告知被许可人享有依法申请行政复议或者提起行政诉讼的权利",
                                        REMEDIES_BASIS, "ending.remedies"))
        if kind == "cancel" and ending.reason == EXPIRED_REASON:
            if snapshot.expires_on is None or ending.on <= snapshot.expires_on:
                violations.append(Violation("permit.cancel.not_expired", "许可尚在有效期内，不能以有效期届满为由注销",
                                            period.reference, "ending.reason"))
            pending = (snapshot.renewal is not None and snapshot.renewal.decision is None
                       and snapshot.renewal_refusal is None)
            if renewal_deemed_granted(snapshot, context) or pending:
                violations.append(Violation("permit.cancel.renewal_pending",
                                            "被许可人已申请延续，尚未依法不予延续（按期申请而未决定的视为准予延续），不能注销",
                                            ART_50, "ending.reason"))
        if kind == "cancel" and snapshot.state in ("withdrawn", "revoked") and ending.reason != ENDED_REASON:
            violations.append(Violation("permit.cancel.reason_after_ending", f"许可已被撤回或者撤销，注销的理由应为“{ENDED_REASON}”",
                                        period.reference, "ending.reason"))
        if ending.on > context.today:
            violations.append(Violation(f"permit.{kind}.future", "日期不能晚于今天", ORDER_BASIS, "ending.on"))
        return violations

    return guard
