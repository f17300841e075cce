"""The facts of a compulsory measure (行政强制措施: 查封、扣押、冻结) that the guards read, as
immutable values.

A measure is taken inside a penalty case (`penalty_case_id`) or on its own; either way it has its
own procedure and its own snapshot. The Django side builds the snapshot from the database plus
the form being submitted; nothing here knows about models. Dates are `datetime.date` and moments
`datetime.datetime` in Asia/Shanghai; each record of whole-process recording that exists is named
in `records` (an audio-video file linked to a step is the record `audio_video_<step>`).
"""

import datetime as dt
from dataclasses import dataclass, field

from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot
from sanxiang.procedure.registry_rules import OfficerSnapshot

MEASURE_KINDS: dict[str, str] = {"seal_up": "查封", "seizure": "扣押", "freeze": "冻结"}
SEAL_SEIZURE_KINDS = ("seal_up", "seizure")

# 第二十四条第二款: what a 查封、扣押决定书 states. 第三十一条第二款 (冻结决定书) is alike, with the
# account and amount instead of the items.
DECISION_ELEMENTS: dict[str, str] = {
    "party": "当事人的姓名或者名称、地址",
    "reasons_basis_period": "查封、扣押的理由、依据和期限",
    "items": "查封、扣押场所、设施或者财物的名称、数量等",
    "remedies": "申请行政复议或者提起行政诉讼的途径和期限",
    "agency_seal_date": "行政机关的名称、印章和日期",
}
FREEZE_DECISION_ELEMENTS: dict[str, str] = {
    "party": "当事人的姓名或者名称、地址",
    "reasons_basis_period": "冻结的理由、依据和期限",
    "items": "冻结的账号和数额",
    "remedies": "申请行政复议或者提起行政诉讼的途径和期限",
    "agency_seal_date": "行政机关的名称、印章和日期",
}


@dataclass(frozen=True)
class HeadApproval:
    """The head's (负责人) decision on the measure: before it (第十八条第一项), or afterwards
    for an emergency measure (第十九条), when `decided_at` counts against the 24 hours."""

    head_name: str
    decided_at: dt.datetime
    approved: bool
    # The day the decision was entered (the step's day): a time typed days after the event cannot
    # prove by itself that the 24 hours were kept, so the entry day stays beside it.
    entered_on: dt.date | None = None
    # Why an emergency approval was entered after its 24 hours had run (recorded in the ledger).
    late_entry_reason: str = ""


@dataclass(frozen=True)
class OnSpot:
    """How the measure was carried out on the spot (第十八条第三项至第九项), as the 现场笔录
    records it."""

    on: dt.date
    officer_ids: tuple[int, ...]
    certificates_shown: bool = False
    party_notified: bool = False  # 通知当事人到场
    party_present: bool = False
    told_reasons_and_basis: bool = False  # 当场告知理由、依据
    told_rights_and_remedies: bool = False  # 当事人依法享有的权利、救济途径
    party_heard: bool = False  # 听取当事人的陈述和申辩
    officers_signed: bool = False
    party_signed: bool = False
    party_refusal_noted: bool = False  # 当事人拒绝签名的，在笔录中予以注明
    witness_name: str = ""  # 当事人不到场的，邀请见证人到场签名


@dataclass(frozen=True)
class PropertyChecks:
    """What the officer confirms about what is sealed or seized (第二十三条)."""

    related_to_case: bool = False
    no_daily_necessities: bool = False  # 不得查封、扣押公民个人及其所扶养家属的生活必需品
    not_already_sealed: bool = False  # 已被其他国家机关依法查封的，不得重复查封


@dataclass(frozen=True)
class Extension:
    """One extension of the period (第二十五条第一款; 冻结: 第三十二条第一款)."""

    decided_on: dt.date
    days: int
    reason: str = ""  # 情况复杂
    approved_by_head: bool = False
    notice_served_on: dt.date | None = None  # 书面告知当事人，并说明理由


@dataclass(frozen=True)
class Examination:
    """检测、检验、检疫或者技术鉴定 of seized goods: its days are not counted in the period, when
    the party was told in writing (第二十五条第三款)."""

    start: dt.date
    end: dt.date
    notified_on: dt.date | None = None
    approved_by_head: bool = False  # recorded by the head (a long examination needs it)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def examination_days_excluded(examinations: "tuple[Examination, ...]", *, taken_on: dt.date) -> int:
    """The days the notified examinations keep out of the period (第二十五条第三款), each day once:
    overlapping or repeated examinations are merged, and only days after the day the measure was
    taken count (the period itself starts the day after)."""
    first = taken_on + dt.timedelta(days=1)
    spans = sorted((max(e.start, first), e.end) for e in examinations if e.notified_on is not None)
    days, reach = 0, first - dt.timedelta(days=1)  # the last day already counted
    for start, end in spans:
        start = max(start, reach + dt.timedelta(days=1))
        if end >= start:
            days += (end - start).days + 1
            reach = end
    return days


@dataclass(frozen=True)
class MeasureSnapshot:
    state: str
    kind: str  # a key of MEASURE_KINDS
    records: frozenset[str] = frozenset()
    region: str = ""
    sector: str = ""
    enforcement_field: str = ""
    penalty_case_id: int | None = None  # the penalty case the measure serves, if any
    agency_kind: str = "administrative_organ"  # registry_rules.AGENCY_KINDS
    officers: tuple[OfficerSnapshot, ...] = ()
    approval: HeadApproval | None = None
    emergency_reason: str = ""
    taken_at: dt.datetime | None = None  # when the measure was carried out
    on_spot: OnSpot | None = None
    property_checks: PropertyChecks = field(default_factory=PropertyChecks)
    decision_elements: frozenset[str] = frozenset()
    documents_handed_over: bool = False  # 决定书和清单当场交付当事人
    freeze_decision_delivered_on: dt.date | None = None
    extension: Extension | None = None
    examinations: tuple[Examination, ...] = ()
    ended_on: dt.date | None = None  # released, confiscated or destroyed
    # The penalty case the measure serves, as it stands (read afresh, never stored): its decision
    # is what confiscates the goods (第二十七条).
    penalty_case: PenaltyCaseSnapshot | None = None

    @property
    def kind_label(self) -> str:
        return MEASURE_KINDS.get(self.kind, self.kind)

    @property
    def taken_on(self) -> dt.date | None:
        return self.taken_at.date() if self.taken_at is not None else None

    def officer(self, officer_id: int) -> OfficerSnapshot | None:
        return next((o for o in self.officers if o.id == officer_id), None)
