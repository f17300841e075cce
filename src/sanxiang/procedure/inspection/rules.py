"""The rules of carrying out an administrative inspection of an enterprise (行政检查, issue 17 part B),
pure Python: the facts the guards read (`InspectionSnapshot`), the guards themselves, the yearly
cap per enterprise and inspecting body, the result's and the publication's periods, the
high-frequency alert and what makes an inspection count in the annual statistics.

The law, as far as it was read (supervision_and_procedures.md §6):
- the head approves the inspection beforehand (海南 第十五条; 国办发〔2024〕54号 [S]); in an emergency the
  officers may begin first and the approval is obtained afterwards (事后补办, 海南 第十五条) within
  `inspection.emergency_approval_days` (the law sets no period: a platform rule after 行政强制法 第十九条);
- at least two officers with valid certificates for the field, shown to the enterprise (行政处罚法
  第四十二条、第五十五条; 海南 第十八条);
- off-site first where the item allows it (优化营商环境条例 第五十六条; 海南 第十六条);
- the 现场检查笔录 with its checklist, photos and audio-video (全过程记录, 国办发〔2018〕118号);
- the result told on the spot, or within 5 working days of the test results (海南 第二十二条);
- 综合查一次: one visit and one record for several items or bodies (海南 第十一条);
- a yearly cap per enterprise and inspecting body, by sector; checks on complaints, referrals,
  rectification follow-ups or the enterprise's request are outside the cap but counted (海南 第九条、第十二条);
- 双随机 results published within 20 working days (优化营商环境条例 第五十四条; 冀政办发〔2015〕22号 [S]).
The numbers and the rules read only in secondary sources are parameters (parameters/inspection.toml),
flagged unverified; the refusals cite the parameter's reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.penalty.basis import GUIDELINE_118, PENALTY_LAW, article
from sanxiang.procedure.registry_rules import OfficerSnapshot, certificate_problems_on, officer_problems_on
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation

# --- citations ----------------------------------------------------------------------------------------

BUSINESS_ENVIRONMENT = "《优化营商环境条例》"
PRIVATE_ECONOMY_LAW = "《中华人民共和国民营经济促进法》"
HAINAN = "《海南省涉企行政检查条例（试行）》"

INSPECTION_BASIS = f"{article(BUSINESS_ENVIRONMENT, 54)}；{article(PRIVATE_ECONOMY_LAW, 52)}"
CERTIFICATES_SHOWN_BASIS = f"{article(PENALTY_LAW, 55)}；{article(HAINAN, 18)}"
RECORD_BASIS = f"{article(PENALTY_LAW, 55)}；{GUIDELINE_118}"
COMBINED_VISIT_BASIS = f"{article(BUSINESS_ENVIRONMENT, 54)}；{article(HAINAN, 11)}"
SPECIAL_FILING_BASIS = article(HAINAN, 10)
LISTED_ITEMS_BASIS = article(HAINAN, 7)
# Counting in the statistics: the frequency data go into the 行政执法统计年报 (司法部 Q&A [S]); an
# inspection counts only with a specific object and a complete record: a platform rule.
# A rectification order schedules the follow-up inspection (整改复查) from the day after the
# rectification period, to be done within this many days: a platform rule (no text sets the window).
FOLLOW_UP_WINDOW_DAYS = 14
COUNTING_BASIS = f"{PLATFORM_PREFIX}：行政检查须有具体检查对象和完整的检查记录方可计入年度统计（检查频次数据纳入行政执法统计年报）"
# 全过程记录: 118号 asks for audio-video records of on-site checks "根据实际情况"; that a visit has at
# least one photo or audio-video record is the platform's reading of it.
MEDIA_BASIS = f"{PLATFORM_PREFIX}：现场检查至少以一张照片或者一段音像记录检查过程（参照{GUIDELINE_118}）"
# The platform keeps what the law does not fix: dates must follow each other.
ORDER_BASIS = f"{PLATFORM_PREFIX}：检查的各环节按先后顺序记录"

# A complaint about one inspection (涉企行政执法诉求沟通机制, 民营经济促进法 第五十三条) names it by its
# 检查码 and is linked to it on the supervision desk: the linking is the platform's.
INSPECTION_COMPLAINT_BASIS = (f"{article(PRIVATE_ECONOMY_LAW, 53)}；{PLATFORM_PREFIX}：对某次行政检查的投诉以检查码关联该次检查，"
                              "由检查主体所在地司法局受理")

# 事后补办: 海南 第十五条 lets the officers begin in an emergency and the approval follow; it fixes no
# period (`inspection.emergency_approval_days`, a platform rule). A 专项检查 is approved and filed
# before it starts (第十条) and a 双随机 check follows its plan: neither is begun in an emergency.
EMERGENCY_BASIS = article(HAINAN, 15)
EMERGENCY_RANDOM_BASIS = f"{PLATFORM_PREFIX}：双随机抽查按抽查计划实施，不适用紧急情况下先行检查"

# --- vocabulary -------------------------------------------------------------------------------------

KINDS: dict[str, str] = {"routine": "日常检查", "case": "个案检查", "special": "专项检查"}
# The task sources, as the inspection app stores them (`InspectionSource`).
TRIGGERS: dict[str, str] = {
    "random": "双随机抽查",
    "planned": "计划检查",
    "special": "专项检查",
    "complaint": "投诉举报",
    "referral": "转办交办",
    "follow_up": "整改复查",
    "requested": "企业申请",
}
FINDINGS: dict[str, str] = {"pass": "符合", "fail": "不符合", "not_applicable": "不涉及"}
OUTCOMES: dict[str, str] = {
    "pass": "未发现问题",
    "rectify": "发现问题，责令整改",
    "violation": "发现违法行为，依法立案查处",
}
OFFSITE_METHODS: dict[str, str] = {"written": "书面核查", "data_sharing": "信息共享比对", "smart": "智慧监管（远程监控）"}


# --- the facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRef:
    """One item of the inspection (抽查事项 / 检查事项) with its basis; `body_id` is the inspecting
    body the item belongs to (a combined visit carries items of several bodies)."""

    id: int
    name: str
    legal_basis: str
    body_id: int
    offsite_possible: bool = False
    enforcement_field: str = ""  # the field its officers' certificates must cover


@dataclass(frozen=True)
class HeadApproval:
    head_name: str
    decided_on: dt.date
    approved: bool
    reason: str = ""


@dataclass(frozen=True)
class EmergencyStart:
    """The visit begun in an emergency before the head's approval (紧急情况下先行检查, 事后补办): the
    day, the emergency in words, who began it."""

    on: dt.date
    reason: str
    officer_name: str = ""


@dataclass(frozen=True)
class OffsiteCheck:
    """The off-site check made first (书面核查、信息共享、智慧监管); `sufficient` when it reached the
    inspection's purpose, so that no visit is needed."""

    on: dt.date
    method: str
    sufficient: bool
    findings: str = ""


@dataclass(frozen=True)
class ChecklistEntry:
    item_id: int
    point: str
    finding: str  # FINDINGS; "" while unanswered
    note: str = ""


@dataclass(frozen=True)
class InspectionRecord:
    """The 现场检查笔录 (or, for a check made off-site, the 检查记录)."""

    on: dt.date
    officer_ids: tuple[int, ...]
    certificates_shown: bool
    checklist: tuple[ChecklistEntry, ...]
    photos: int = 0
    audio_video: int = 0
    enterprise_signed: bool = False
    refusal_noted: bool = False  # the enterprise refused to sign, noted in the record
    needs_testing: bool = False  # samples sent for 检测、检验、检疫或者鉴定


@dataclass(frozen=True)
class ResultNotice:
    sent_on: dt.date
    outcome: str  # OUTCOMES
    findings: str = ""
    test_results_on: dt.date | None = None
    rectification_due: dt.date | None = None


@dataclass(frozen=True)
class PriorInspection:
    """An inspection of the same enterprise already carried out or approved (not this one)."""

    id: int
    body_id: int
    on: dt.date
    trigger: str
    item_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class InspectionSnapshot:
    state: str
    records: frozenset[str]
    kind: str  # KINDS
    trigger: str  # TRIGGERS
    planned_on: dt.date
    # The enterprise inspected (None: an inspection with no specific object, which the law does
    # not know and the statistics do not count).
    target_id: int | None
    body_ids: tuple[int, ...]  # the inspecting bodies: one, or several for 综合查一次
    items: tuple[ItemRef, ...]
    officers: tuple[OfficerSnapshot, ...]  # the officers assigned, of every body taking part
    enforcement_field: str = ""
    region: str = ""
    sector: str = ""
    approval: HeadApproval | None = None
    special_filed_on: dt.date | None = None  # 专项检查: 备案 with the business-environment department
    offsite: OffsiteCheck | None = None
    record: InspectionRecord | None = None
    result: ResultNotice | None = None
    prior: tuple[PriorInspection, ...] = field(default_factory=tuple)
    body_names: tuple[tuple[int, str], ...] = ()
    planned_to: dt.date | None = None  # the last day of the approved period (the 检查码's validity)
    emergency: EmergencyStart | None = None  # begun before the approval, to be approved afterwards
    # 综合查一次: the body each officer belongs to, and the heads' decisions of the bodies that joined
    # the visit (the first body's head approves through `approval`).
    officer_bodies: tuple[tuple[int, int], ...] = ()
    joined: tuple[tuple[int, HeadApproval], ...] = ()
    # The penalty cases opened on the violation found: (the body that opened it, its case).
    cases: tuple[tuple[int, int], ...] = ()

    def officer(self, officer_id: int) -> OfficerSnapshot | None:
        return next((o for o in self.officers if o.id == officer_id), None)

    def body_name(self, body_id: int) -> str:
        return dict(self.body_names).get(body_id, "本检查主体")

    @property
    def combined(self) -> bool:
        """综合查一次: several items or several bodies in one visit."""
        return len(self.body_ids) > 1 or len(self.items) > 1


Snapshot = InspectionSnapshot
Context = GuardContext


def _parameters(context: GuardContext | None) -> ParameterSet:
    return context.parameters if context is not None else parameters_default()


def parameter_basis(name: str, parameters: ParameterSet, *, on: dt.date, region: str = "", sector: str = "") -> str:
    return parameters[name].period_on(on, region=region, sector=sector).reference


# --- the yearly cap -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapStatus:
    body_id: int
    cap: int
    counted: int  # inspections this year by this body that count against the cap
    total: int  # all inspections this year by this body (outside the cap included)
    outside_cap: bool  # this inspection's trigger is outside the cap
    basis: str

    @property
    def exceeded(self) -> bool:
        """This inspection would go beyond the cap."""
        return not self.outside_cap and self.counted >= self.cap


def trigger_outside_cap(trigger: str, *, on: dt.date, region: str = "", parameters: ParameterSet | None = None) -> bool:
    parameters = parameters or parameters_default()
    return trigger in parameters.value("inspection.triggers_outside_cap", on=on, region=region)


def cap_status(
    *,
    prior: Iterable[PriorInspection],
    body_id: int,
    trigger: str,
    on: dt.date,
    region: str = "",
    sector: str = "",
    parameters: ParameterSet | None = None,
) -> CapStatus:
    """How the inspection on `on` stands against the yearly cap of `body_id` for one enterprise:
    the calendar year of `on`, the prior inspections of that body; those outside the cap are
    counted in `total`, not in `counted`."""
    parameters = parameters or parameters_default()
    period = parameters["inspection.yearly_cap"].period_on(on, region=region, sector=sector)
    this_year = [p for p in prior if p.body_id == body_id and p.on.year == on.year]
    counted = sum(
        1 for p in this_year if not trigger_outside_cap(p.trigger, on=on, region=region, parameters=parameters)
    )
    return CapStatus(
        body_id=body_id,
        cap=int(period.value),
        counted=counted,
        total=len(this_year),
        outside_cap=trigger_outside_cap(trigger, on=on, region=region, parameters=parameters),
        basis=period.reference,
    )


def cap_violations(snapshot: Snapshot, context: Context) -> list[Violation]:
    """An inspection beyond the yearly cap of one of its bodies is refused, with the lawful paths:
    join an inspection already planned (综合查一次), wait for next year, or (where a complaint,
    referral or follow-up calls for it) an inspection on that ground, outside the cap."""
    if snapshot.target_id is None:
        return []
    on = snapshot.record.on if snapshot.record else snapshot.planned_on
    violations = []
    for body_id in snapshot.body_ids:
        status = cap_status(
            prior=snapshot.prior, body_id=body_id, trigger=snapshot.trigger, on=on, region=snapshot.region,
            sector=snapshot.sector, parameters=context.parameters,
        )
        if status.exceeded:
            violations.append(Violation(
                "inspection.cap_exceeded",
                f"{snapshot.body_name(body_id)}{on.year}年对该企业的检查已达{status.cap}次（年度上限{status.cap}次），"
                f"不能再安排本次{TRIGGERS.get(snapshot.trigger, '检查')}：可将检查事项并入已安排的检查（综合查一次），"
                "或安排在下一年度；因投诉举报、转办交办、整改复查或者企业申请开展的检查不受此限",
                status.basis,
                "planned_on",
            ))
    return violations


# --- the guards ---------------------------------------------------------------------------------------


def approval_given(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The head approves the inspection before it is carried out (海南 第十五条)."""
    parameters = context.parameters
    on = snapshot.planned_on
    if not parameters.value("inspection.head_approval_required", on=on, region=snapshot.region):
        return []
    basis = parameter_basis("inspection.head_approval_required", parameters, on=on, region=snapshot.region)
    approval = snapshot.approval
    if snapshot.emergency is not None and snapshot.state != "assigned":
        # Begun in an emergency: the approval follows (事后补办). Its lateness and a refusal after
        # the fact are the supervision's (`emergency_approval_lateness`), never a block on keeping
        # the record of what was done.
        return []
    if approval is None:
        return [Violation("inspection.approval.missing",
                          "行政检查须经行政机关负责人批准后实施，尚无负责人的审批：请先报负责人审批检查方案",
                          basis, "approval")]
    if not approval.approved:
        return [Violation("inspection.approval.refused", f"负责人{approval.head_name}不同意实施本次检查，不能实施",
                          basis, "approval")]
    if approval.decided_on > context.today:
        return [Violation("inspection.approval.future", "负责人审批的日期不能晚于今天", ORDER_BASIS, "approval")]
    return []


# 事后补办 refused: the head did not ratify the visit begun in an emergency. That the visit then stops
# (no record, no result, no penalty case opened from it) is the platform's reading of 第十五条; what
# was gathered without a lawful approval may not found the facts of a case (行政处罚法 第四十六条).
EMERGENCY_REFUSED_BASIS = (f"{PLATFORM_PREFIX}：负责人不同意追认紧急情况下先行实施的检查的，该检查不再继续"
                           f"（参照{EMERGENCY_BASIS}）；{article(PENALTY_LAW, 46)}")
EMERGENCY_REFUSED_STEPS: dict[str, str] = {"inspection_record": "填写现场检查记录",
                                           "inspection_send_result": "告知检查结果"}


def emergency_refused(snapshot: Snapshot) -> bool:
    """Begun in an emergency and the head refused to ratify it afterwards (事后补办 refused)."""
    return snapshot.emergency is not None and snapshot.approval is not None and not snapshot.approval.approved


def emergency_not_refused(snapshot: Snapshot, context: Context, *, step: str = "") -> list[Violation]:
    """After the head refused to ratify a visit begun in an emergency, the visit goes no further:
    no record, no result, and so no penalty case opened from it. The lawful path: the head ends it
    (不予实施); an inspection still needed is approved anew before it is carried out."""
    if not emergency_refused(snapshot):
        return []
    approval = snapshot.approval
    assert approval is not None
    what = EMERGENCY_REFUSED_STEPS.get(step, "继续办理")
    return [Violation(
        "inspection.emergency.refused",
        f"负责人{approval.head_name}于{approval.decided_on.isoformat()}不同意追认紧急情况下先行实施的本次检查，"
        f"不能{what}：检查所取得的材料不得作为认定违法事实的根据；请由负责人作出不予实施的决定，"
        "确需检查的，重新报负责人批准后实施",
        EMERGENCY_REFUSED_BASIS, "approval",
    )]


def emergency_not_refused_record(snapshot: Snapshot, context: Context) -> list[Violation]:
    return emergency_not_refused(snapshot, context, step="inspection_record")


def emergency_not_refused_result(snapshot: Snapshot, context: Context) -> list[Violation]:
    return emergency_not_refused(snapshot, context, step="inspection_send_result")


def decline_allowed(snapshot: Snapshot, context: Context) -> list[Violation]:
    """不予实施 ends an inspection not yet begun; one begun in an emergency whose ratification the
    head refused is ended the same way, before its result is told."""
    if snapshot.state in ("assigned", "approved") or emergency_refused(snapshot):
        return []
    return [Violation("inspection.decline.begun", "检查已经开始，不能作出不予实施的决定", ORDER_BASIS, "state")]


def approved_before_visit(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The approval comes before the visit, never after it."""
    approval, record = snapshot.approval, snapshot.record
    if snapshot.emergency is not None:
        return []  # 事后补办: the approval comes after the visit, lawfully
    if approval is None or record is None or not approval.approved or approval.decided_on <= record.on:
        return []
    basis = parameter_basis("inspection.head_approval_required", context.parameters, on=record.on,
                            region=snapshot.region)
    return [Violation("inspection.approval.after_visit",
                      f"负责人于{approval.decided_on.isoformat()}批准，晚于{record.on.isoformat()}的现场检查："
                      "检查须在批准之后实施",
                      basis, "record.on")]


def special_filed(snapshot: Snapshot, context: Context) -> list[Violation]:
    """A special inspection (专项检查) is approved and filed (备案) before it starts (海南 第十条)."""
    if snapshot.kind != "special":
        return []
    if snapshot.special_filed_on is None:
        return [Violation("inspection.special.not_filed",
                          "专项检查须经批准并报优化营商环境主管部门备案后方可开展，尚无备案记录：请先办理备案",
                          SPECIAL_FILING_BASIS, "special_filed_on")]
    if snapshot.special_filed_on > snapshot.planned_on:
        return [Violation("inspection.special.filed_late",
                          f"专项检查的备案日期（{snapshot.special_filed_on.isoformat()}）晚于检查日期，须先备案后检查",
                          SPECIAL_FILING_BASIS, "special_filed_on")]
    return []


def has_object(snapshot: Snapshot, context: Context) -> list[Violation]:
    """An inspection is of a specific enterprise, for listed items (海南 第七条)."""
    violations = []
    if snapshot.target_id is None:
        violations.append(Violation("inspection.no_object", "行政检查须有具体的检查对象，请选择被检查企业",
                                    LISTED_ITEMS_BASIS, "target"))
    if not snapshot.items:
        violations.append(Violation("inspection.no_items", "行政检查须列明检查事项（只能检查清单内的事项）",
                                    LISTED_ITEMS_BASIS, "items"))
    for item in snapshot.items:
        if item.body_id not in snapshot.body_ids:
            violations.append(Violation("inspection.item_body",
                                        f"检查事项“{item.name}”不属于参加本次检查的检查主体",
                                        COMBINED_VISIT_BASIS, "items"))
    return violations


def officers_problems(
    snapshot: Snapshot, context: Context, *, officer_ids: tuple[int, ...], on: dt.date, field_name: str
) -> list[Violation]:
    """At least `inspection.min_officers` officers, each in post with a certificate valid for the
    field on the day; every officer who may not inspect is named with every reason."""
    parameters = context.parameters
    period = parameters["inspection.min_officers"].period_on(on, region=snapshot.region, sector=snapshot.sector)
    needed, basis = int(period.value), period.reference
    violations: list[Violation] = []
    able = 0
    for officer_id in dict.fromkeys(officer_ids):
        officer = snapshot.officer(officer_id)
        if officer is None:
            violations.append(Violation("inspection.officers.unknown",
                                        f"编号{officer_id}的人员不是参加检查的执法主体登记的执法人员，不得实施检查",
                                        basis, field_name))
            continue
        problems = officer_problems_on(officer, on, enforcement_field=snapshot.enforcement_field,
                                       region=snapshot.region, parameters=parameters)
        for problem in problems:
            message = problem.message
            if problem.code == "officer.no_valid_certificate":
                reasons = [c.message for certificate in officer.certificates
                           for c in certificate_problems_on(certificate, on, enforcement_field=snapshot.enforcement_field)]
                message += f"（{'；'.join(reasons)}）" if reasons else "（未登记执法证）"
            violations.append(Violation(f"inspection.officers.{problem.code.removeprefix('officer.')}",
                                        f"{message}，不得实施行政检查", problem.legal_basis, field_name))
        able += not problems
    if able < needed:
        violations.insert(0, Violation(
            "inspection.officers.too_few",
            f"行政检查须由不少于{needed}名持有有效执法证件的执法人员实施，现为{able}名：请再指派具备资格的执法人员",
            basis, field_name,
        ))
    return violations


def officers_by_body(
    snapshot: Snapshot, context: Context, *, officer_ids: tuple[int, ...], on: dt.date, field_name: str
) -> list[Violation]:
    """The officers' problems, body by body for a visit of several bodies (综合查一次): each body
    inspects for its own items with its own officers, at least the minimum of them, each holding a
    certificate for that body's field (行政处罚法 第四十二条 applies to each body's act); one body
    is `officers_problems` itself."""
    if len(snapshot.body_ids) <= 1:
        return officers_problems(snapshot, context, officer_ids=officer_ids, on=on, field_name=field_name)
    bodies = dict(snapshot.officer_bodies)
    lead = snapshot.body_ids[0]
    violations: list[Violation] = []
    for body_id in snapshot.body_ids:
        ids = tuple(i for i in officer_ids if bodies.get(i, lead) == body_id)
        fields = {i.enforcement_field for i in snapshot.items if i.body_id == body_id and i.enforcement_field}
        part = replace(snapshot, enforcement_field=next(iter(fields)) if len(fields) == 1 else "")
        violations += [replace(v, message=f"{snapshot.body_name(body_id)}：{v.message}")
                       for v in officers_problems(part, context, officer_ids=ids, on=on, field_name=field_name)]
    return violations


def joined_bodies_approved(snapshot: Snapshot, context: Context) -> list[Violation]:
    """综合查一次: every body taking part besides the first has its own head's approval (海南 第十五条,
    第十一条): a body that joined without it, or whose head refused, may not inspect."""
    decided = dict(snapshot.joined)
    violations = []
    for body_id in snapshot.body_ids[1:]:
        approval = decided.get(body_id)
        if approval is None or not approval.approved:
            violations.append(Violation("inspection.joint.not_approved",
                                        f"{snapshot.body_name(body_id)}参加综合查一次须经其负责人批准，尚无批准",
                                        f"{article(HAINAN, 15)}；{COMBINED_VISIT_BASIS}", "joined"))
    return violations


JOINT_SAME_COUNTY_BASIS = f"{PLATFORM_PREFIX}：综合查一次由同一县（旗、区）的检查主体联合实施"


# 综合查一次 joins a visit still to come; one on a complaint or a referral is not offered to other
# bodies (it would reveal the complaint): both platform rules.
JOINT_OPEN_BASIS = (f"{PLATFORM_PREFIX}：综合查一次只能参加尚未开始、仍在批准期间内的检查；"
                    "因投诉举报、转办交办开展的检查不向其他检查主体公开")
JOINT_PRIVATE_TRIGGERS = ("complaint", "referral")


def joint_source_open(trigger: str) -> bool:
    """Whether another body may see and join an inspection of this trigger."""
    return trigger not in JOINT_PRIVATE_TRIGGERS


def joint_join(
    snapshot: Snapshot, context: Context, *, body_id: int, body_name: str, items: tuple[ItemRef, ...],
    officers: tuple[OfficerSnapshot, ...], head_name: str,
) -> tuple[Snapshot, list[Violation]]:
    """Another body joins the visit (综合查一次, 海南 第十一条; 国办发〔2024〕54号 [S]): its head's decision
    is its approval (第十五条); it brings its own listed items (第七条) and officers, who must be
    enough and qualified for its field on the planned day, and it stays within its own yearly cap
    for the enterprise. Returns the visit as it would be, and every reason it may not join."""
    violations: list[Violation] = []
    if body_id in snapshot.body_ids:
        violations.append(Violation("inspection.joint.already", f"{body_name}已经参加本次检查",
                                    COMBINED_VISIT_BASIS, "joined"))
        return snapshot, violations
    end = snapshot.planned_to or snapshot.planned_on
    if end < context.today:
        violations.append(Violation("inspection.joint.period_over",
                                    f"本次检查的批准期间已于{end.isoformat()}届满，不能再参加：请另行安排本单位的检查",
                                    JOINT_OPEN_BASIS, "joined"))
    if not joint_source_open(snapshot.trigger):
        violations.append(Violation("inspection.joint.private_source",
                                    "因投诉举报、转办交办开展的检查不能由其他单位参加：请另行安排本单位的检查",
                                    JOINT_OPEN_BASIS, "joined"))
    if not items:
        violations.append(Violation("inspection.joint.no_items", "请选择本单位参加检查的检查事项（只能检查清单内的事项）",
                                    LISTED_ITEMS_BASIS, "items"))
    joined = replace(
        snapshot,
        body_ids=(*snapshot.body_ids, body_id),
        items=(*snapshot.items, *items),
        officers=(*snapshot.officers, *officers),
        officer_bodies=(*snapshot.officer_bodies, *((o.id, body_id) for o in officers if o.id is not None)),
        body_names=(*snapshot.body_names, (body_id, body_name)),
        joined=(*snapshot.joined, (body_id, HeadApproval(head_name=head_name, decided_on=context.today,
                                                         approved=True))),
    )
    ids = tuple(o.id for o in officers if o.id is not None)
    fields = {i.enforcement_field for i in items if i.enforcement_field}
    part = replace(joined, enforcement_field=next(iter(fields)) if len(fields) == 1 else "")
    violations += [replace(v, message=f"{body_name}：{v.message}")
                   for v in officers_problems(part, context, officer_ids=ids, on=snapshot.planned_on,
                                              field_name="officers")]
    violations += [v for v in cap_violations(replace(joined, body_ids=(body_id,)), context)]
    return joined, violations


# 综合查一次: the organising body leads the visit; a joined body's officers inspect for its own items.
# That only the organiser's officers begin before the approval is the platform's division of the work.
JOINT_LEAD_BASIS = (f"{PLATFORM_PREFIX}：综合查一次由组织检查的检查主体的执法人员先行检查"
                    f"（参照{COMBINED_VISIT_BASIS}）")


def joined_officer_problems(snapshot: Snapshot, *, step: str, actor_body_id: int | None, outcome: str = ""
                            ) -> list[Violation]:
    """What an officer of a body that joined the visit (not its organiser) may not do: begin it in
    an emergency. The lawful path: the organiser's officers do it. (A violation found is each
    body's own: `case_open_problems`.)"""
    lead = snapshot.body_ids[0] if snapshot.body_ids else None
    if actor_body_id is None or lead is None or actor_body_id == lead or actor_body_id not in snapshot.body_ids:
        return []
    lead_name = snapshot.body_name(lead)
    if step == "inspection_start_emergency":
        return [Violation("inspection.joint.emergency_lead",
                          f"紧急情况下先行检查由组织本次检查的{lead_name}的执法人员实施，参加综合查一次的单位不能先行检查",
                          JOINT_LEAD_BASIS, "state")]
    return []


# A violation found opens a penalty case of the body whose matter it is: a penalty is imposed by
# the body that holds the power, within its statutory competence (行政处罚法 第十七条); in a visit of
# several bodies (综合查一次) each body inspects for its own items, so each opens its own case, on
# an item of its own that the record finds not complying, with its own officers and evidence.
CASE_COMPETENCE_BASIS = f"{article(PENALTY_LAW, 17)}；{COMBINED_VISIT_BASIS}"
CASE_FROM_RESULT_BASIS = f"{PLATFORM_PREFIX}：检查结果为发现违法行为的，由检查主体登记案源（案源登记），立案查处在案件中办理"


def body_items_failed(snapshot: Snapshot, body_id: int) -> tuple[ItemRef, ...]:
    """The body's own items that the record finds not complying (不符合)."""
    record = snapshot.record
    if record is None:
        return ()
    failed = {e.item_id for e in record.checklist if e.finding == "fail"}
    return tuple(i for i in snapshot.items if i.body_id == body_id and i.id in failed)


def bodies_competent(snapshot: Snapshot) -> tuple[int, ...]:
    """The bodies of the visit that may open a case on its violation: in a visit of one body, that
    body; in a visit of several, each body with an item of its own found not complying."""
    if len(snapshot.body_ids) <= 1:
        return snapshot.body_ids
    return tuple(b for b in snapshot.body_ids if body_items_failed(snapshot, b))


def violation_result_problems(snapshot: Snapshot) -> list[Violation]:
    """A visit of several bodies tells "violation found" only when the record finds some body's item
    not complying: otherwise no body could open the case the result announces (第十七条)."""
    result = snapshot.result
    if result is None or result.outcome != "violation" or len(snapshot.body_ids) <= 1 or bodies_competent(snapshot):
        return []
    return [Violation("inspection.result.violation_no_failed_item",
                      f"综合查一次的检查记录中没有“不符合”的检查事项，不能告知“{OUTCOMES['violation']}”："
                      "违法行为须由其职权范围内的检查主体就其检查事项立案，请选择其他检查结果",
                      CASE_COMPETENCE_BASIS, "result.outcome")]


def case_open_problems(snapshot: Snapshot, *, body_id: int | None) -> list[Violation]:
    """Whether `body_id` may open its own penalty case on the visit's violation: the result says a
    violation was found, the body has not opened one yet, and the violation is of its own matter
    (行政处罚法 第十七条: an item of its own found not complying). The refusal names the lawful path:
    the bodies whose matter it is open their own cases."""
    name = snapshot.body_name(body_id) if body_id is not None else "本单位"
    if body_id is None or body_id not in snapshot.body_ids:
        return [Violation("inspection.case.not_a_body", "只有参加本次检查的检查主体可以就检查发现的违法行为立案",
                          CASE_COMPETENCE_BASIS, "state")]
    result = snapshot.result
    if result is None or result.outcome != "violation":
        return [Violation("inspection.case.no_violation",
                          f"检查结果不是“{OUTCOMES['violation']}”，不能由本次检查立案：发现违法行为的，告知检查结果时选择该结果",
                          CASE_FROM_RESULT_BASIS, "result.outcome")]
    if snapshot.emergency is not None and snapshot.approval is not None and not snapshot.approval.approved:
        return [Violation("inspection.case.emergency_refused",
                          "负责人不同意补办批准的先行检查，不能由本次检查立案：发现的违法行为请另行依法立案调查",
                          EMERGENCY_BASIS, "state")]
    if any(b == body_id for b, _ in snapshot.cases):
        return [Violation("inspection.case.already", f"{name}已就本次检查发现的违法行为登记案源，请在案件中继续办理",
                          CASE_FROM_RESULT_BASIS, "state")]
    if body_id in bodies_competent(snapshot):
        return []
    others = [snapshot.body_name(b) for b in bodies_competent(snapshot)]
    path = (f"请由{'、'.join(others)}就其检查事项依法立案" if others
            else "检查记录中没有“不符合”的检查事项，不能立案")
    return [Violation("inspection.case.outside_competence",
                      f"检查记录中{name}的检查事项没有“不符合”的结论，发现的违法行为不属于{name}的职权范围，"
                      f"不能由{name}立案：{path}",
                      CASE_COMPETENCE_BASIS, "result.outcome")]


def assigned_officers_qualified(snapshot: Snapshot, context: Context) -> list[Violation]:
    """At approval: the officers assigned may inspect on the planned day."""
    return officers_by_body(snapshot, context, officer_ids=tuple(o.id for o in snapshot.officers if o.id is not None),
                            on=snapshot.planned_on, field_name="officers")


PERIOD_BASIS = f"{PLATFORM_PREFIX}：检查在负责人批准的检查期间内实施，检查码仅在该期间内有效"


def within_planned_period(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The visit begins within the approved period, the 检查码's validity; outside it the path is
    a new approval for a new period."""
    end = snapshot.planned_to or snapshot.planned_on
    if snapshot.planned_on <= context.today <= end:
        return []
    return [Violation("inspection.outside_period",
                      f"批准的检查期间为{snapshot.planned_on.isoformat()}至{end.isoformat()}，今天不在期间内，"
                      "不能开始检查：请按批准的期间实施，或者重新报负责人批准",
                      PERIOD_BASIS, "planned_on")]


def starting_officers_qualified(snapshot: Snapshot, context: Context) -> list[Violation]:
    """When the visit begins: the officers assigned may inspect today."""
    return officers_by_body(snapshot, context, officer_ids=tuple(o.id for o in snapshot.officers if o.id is not None),
                            on=context.today, field_name="officers")


def visiting_officers_qualified(snapshot: Snapshot, context: Context) -> list[Violation]:
    """On the spot: the officers named in the record may inspect that day, and showed their
    certificates (行政处罚法 第五十五条)."""
    record = snapshot.record
    if record is None:
        return [Violation("inspection.record.missing", "尚未填写检查记录", RECORD_BASIS, "record")]
    violations = officers_by_body(snapshot, context, officer_ids=record.officer_ids, on=record.on,
                                  field_name="record.officer_ids")
    if not record.certificates_shown:
        violations.append(Violation("inspection.certificates_not_shown",
                                    "检查时须主动向企业出示执法证件，并在检查记录中载明", CERTIFICATES_SHOWN_BASIS,
                                    "record.certificates_shown"))
    return violations


def emergency_start_allowed(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Beginning before the approval (海南 第十五条): only in an emergency stated in words, never for
    a 专项检查 (approved and filed first, 第十条) nor a 双随机 check (it follows its plan). The lawful
    path otherwise: the head's approval first."""
    violations = []
    emergency = snapshot.emergency
    if emergency is None or not emergency.reason.strip():
        violations.append(Violation("inspection.emergency.reason",
                                    "紧急情况下先行检查的，须写明紧急情况（例如正在发生的安全事故隐患）；"
                                    "不属于紧急情况的，请先报负责人批准",
                                    EMERGENCY_BASIS, "reason"))
    if snapshot.kind == "special":
        violations.append(Violation("inspection.emergency.special",
                                    "专项检查须经批准并备案后方可开展，不能在批准前先行检查：请先办理批准和备案",
                                    SPECIAL_FILING_BASIS, "state"))
    if snapshot.trigger == "random":
        violations.append(Violation("inspection.emergency.random",
                                    "双随机抽查按抽查计划实施，不能在批准前先行检查：请先报负责人批准",
                                    EMERGENCY_RANDOM_BASIS, "state"))
    if snapshot.approval is not None:
        violations.append(Violation("inspection.emergency.decided",
                                    "负责人已经作出审批决定，不能再以紧急情况先行检查",
                                    EMERGENCY_BASIS, "state"))
    return violations


def emergency_approval_due(
    *, started_on: dt.date, region: str = "", parameters: ParameterSet | None = None
) -> tuple[dt.date, str]:
    """The last day to obtain the head's approval of an inspection begun in an emergency, with its
    basis (`inspection.emergency_approval_days` calendar days after the day it began)."""
    parameters = parameters or parameters_default()
    name = "inspection.emergency_approval_days"
    days = int(parameters.value(name, on=started_on, region=region))
    return started_on + dt.timedelta(days=days), parameter_basis(name, parameters, on=started_on, region=region)


def emergency_approval_lateness(snapshot: Snapshot, context: Context) -> Violation | None:
    """An inspection begun in an emergency whose approval was not obtained by its due day (still
    missing on `context.today`, or given late): a finding for supervision, not a block."""
    emergency = snapshot.emergency
    if emergency is None:
        return None
    due, basis = emergency_approval_due(started_on=emergency.on, region=snapshot.region,
                                        parameters=context.parameters)
    approval = snapshot.approval
    if approval is None and context.today > due:
        return Violation("inspection.emergency.approval_overdue",
                         f"{emergency.on.isoformat()}紧急情况下先行检查，最迟于{due.isoformat()}补办负责人批准手续，"
                         f"至{context.today.isoformat()}仍未补办",
                         basis, "approval")
    if approval is not None and approval.decided_on > due:
        return Violation("inspection.emergency.approval_late",
                         f"{emergency.on.isoformat()}紧急情况下先行检查，最迟于{due.isoformat()}补办负责人批准手续，"
                         f"实际于{approval.decided_on.isoformat()}补办",
                         basis, "approval")
    return None


def offsite_first(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Where an item may be checked off-site, the off-site check comes first; a visit follows only
    when it did not reach the purpose (海南 第十六条)."""
    on = snapshot.record.on if snapshot.record else snapshot.planned_on
    parameters = context.parameters
    if not parameters.value("inspection.offsite_first", on=on, region=snapshot.region):
        return []
    offsite_items = [i for i in snapshot.items if i.offsite_possible]
    if not offsite_items:
        return []
    basis = parameter_basis("inspection.offsite_first", parameters, on=on, region=snapshot.region)
    names = "、".join(f"“{i.name}”" for i in offsite_items)
    offsite = snapshot.offsite
    if offsite is None:
        return [Violation("inspection.offsite_first",
                          f"检查事项{names}可以通过非现场方式检查，须先进行书面核查、信息共享比对等非现场检查；"
                          "非现场检查不能实现检查目的的，再进行现场检查",
                          basis, "offsite")]
    if offsite.sufficient and len(offsite_items) == len(snapshot.items):
        return [Violation("inspection.offsite_sufficient",
                          "非现场检查已实现检查目的，不再进行现场检查：请据非现场检查记录告知检查结果",
                          basis, "offsite")]
    if snapshot.record is not None and offsite.on > snapshot.record.on:
        return [Violation("inspection.offsite_after_visit", "非现场检查须在现场检查之前进行", basis, "offsite")]
    return []


def checklist_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The record answers every point of the checklist, for every item of the visit (综合查一次:
    one record covers every item of every body)."""
    record = snapshot.record
    if record is None:
        return []
    violations = []
    covered = {entry.item_id for entry in record.checklist}
    for item in snapshot.items:
        if item.id not in covered:
            violations.append(Violation("inspection.checklist.item_missing",
                                        f"检查记录未记载检查事项“{item.name}”的检查情况",
                                        COMBINED_VISIT_BASIS if snapshot.combined else RECORD_BASIS,
                                        "record.checklist"))
    unanswered = [e.point for e in record.checklist if e.finding not in FINDINGS]
    if unanswered:
        violations.append(Violation("inspection.checklist.unanswered",
                                    f"检查表中“{'”“'.join(unanswered)}”尚未填写检查结论", RECORD_BASIS,
                                    "record.checklist"))
    if not (record.enterprise_signed or record.refusal_noted):
        violations.append(Violation("inspection.record.unsigned",
                                    "检查记录须由被检查企业的人员签名确认；拒绝签名的，须在记录中注明",
                                    RECORD_BASIS, "record.enterprise_signed"))
    if record.on > context.today:
        violations.append(Violation("inspection.record.future", "检查日期不能晚于今天", ORDER_BASIS, "record.on"))
    return violations


def whole_process_recorded(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The visit is recorded in pictures: at least a photo or an audio-video record (全过程记录)."""
    record = snapshot.record
    if record is None or record.photos or record.audio_video:
        return []
    return [Violation("inspection.record.no_media",
                      "现场检查须以照片或者音像记录检查过程（执法全过程记录），请至少上传一张现场照片", MEDIA_BASIS,
                      "record.photos")]


def result_due(
    *, record_on: dt.date, needs_testing: bool, test_results_on: dt.date | None, calendar: LegalCalendar,
    region: str = "", parameters: ParameterSet | None = None,
) -> tuple[dt.date | None, str]:
    """When the result is due to the enterprise, with its basis: on the day of the visit when it
    is known there, else within `inspection.result_on_spot_or_working_days` working days of the
    test results (None while they are awaited)."""
    parameters = parameters or parameters_default()
    name = "inspection.result_on_spot_or_working_days"
    if not needs_testing:
        return record_on, parameter_basis(name, parameters, on=record_on, region=region)
    if test_results_on is None:
        return None, parameter_basis(name, parameters, on=record_on, region=region)
    days = int(parameters.value(name, on=test_results_on, region=region))
    return calendar.working_days_after(test_results_on, days).date, parameter_basis(
        name, parameters, on=test_results_on, region=region)


def result_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The result states the outcome, with findings when a problem was found; a result that
    depends on tests waits for them. Lateness does not block the result (telling the enterprise
    late is better than never); `result_lateness` reports it."""
    result = snapshot.result
    basis = parameter_basis("inspection.result_on_spot_or_working_days", context.parameters,
                            on=context.today, region=snapshot.region)
    if result is None:
        return [Violation("inspection.result.missing", "尚未填写检查结果", basis, "result")]
    violations = []
    if result.outcome not in OUTCOMES:
        violations.append(Violation("inspection.result.outcome", "请选择检查结果", basis, "result.outcome"))
    elif result.outcome != "pass" and not result.findings.strip():
        violations.append(Violation("inspection.result.findings", "发现问题的，须写明发现的问题", basis,
                                    "result.findings"))
    if result.outcome == "rectify" and result.rectification_due is None:
        violations.append(Violation("inspection.result.rectification_due", "责令整改的，须写明整改期限", basis,
                                    "result.rectification_due"))
    record = snapshot.record
    reference_day = record.on if record else (snapshot.offsite.on if snapshot.offsite else None)
    if record is not None and record.needs_testing and result.test_results_on is None:
        violations.append(Violation("inspection.result.tests_pending",
                                    "本次检查需要检测、检验，须在取得检测结果后告知检查结果，请填写取得结果的日期",
                                    basis, "result.test_results_on"))
    if reference_day is not None and result.sent_on < reference_day:
        violations.append(Violation("inspection.result.before_visit", "告知结果的日期不能早于检查日期", ORDER_BASIS,
                                    "result.sent_on"))
    if result.sent_on > context.today:
        violations.append(Violation("inspection.result.future", "告知结果的日期不能晚于今天", ORDER_BASIS,
                                    "result.sent_on"))
    if result.test_results_on is not None:
        if result.test_results_on > context.today:
            violations.append(Violation("inspection.result.tests_future", "取得检测结果的日期不能晚于今天",
                                        ORDER_BASIS, "result.test_results_on"))
        if reference_day is not None and result.test_results_on < reference_day:
            violations.append(Violation("inspection.result.tests_before_visit", "取得检测结果的日期不能早于检查日期",
                                        ORDER_BASIS, "result.test_results_on"))
    if result.rectification_due is not None and result.rectification_due <= result.sent_on:
        violations.append(Violation("inspection.result.rectification_past",
                                    "整改期限不能早于告知结果的日期（须晚于告知之日，给企业留出整改时间）",
                                    ORDER_BASIS, "result.rectification_due"))
    return violations


def result_lateness(snapshot: Snapshot, context: Context) -> Violation | None:
    """A result told after its period (a finding for supervision, not a block)."""
    record, result = snapshot.record, snapshot.result
    if record is None or result is None:
        return None
    due, basis = result_due(record_on=record.on, needs_testing=record.needs_testing,
                            test_results_on=result.test_results_on, calendar=context.calendar,
                            region=snapshot.region, parameters=context.parameters)
    if due is None or result.sent_on <= due:
        return None
    return Violation("inspection.result.late",
                     f"检查结果应于{due.isoformat()}前告知企业，实际于{result.sent_on.isoformat()}告知", basis,
                     "result.sent_on")


def offsite_concludes(snapshot: Snapshot, context: Context) -> list[Violation]:
    """An inspection ends off-site only when the off-site check reached its purpose for every item."""
    offsite = snapshot.offsite
    on = offsite.on if offsite else context.today
    basis = parameter_basis("inspection.offsite_first", context.parameters, on=on, region=snapshot.region)
    if offsite is None:
        return [Violation("inspection.offsite.missing", "尚未记录非现场检查", basis, "offsite")]
    violations = []
    if not offsite.sufficient:
        violations.append(Violation("inspection.offsite.insufficient",
                                    "非现场检查未能实现检查目的，须进行现场检查", basis, "offsite"))
    not_offsite = [i.name for i in snapshot.items if not i.offsite_possible]
    if not_offsite:
        violations.append(Violation("inspection.offsite.items",
                                    f"检查事项“{'”“'.join(not_offsite)}”不能以非现场方式检查，须进行现场检查",
                                    basis, "offsite"))
    return violations


# --- publication, alerts, counting -----------------------------------------------------------------------


def publication_due(
    *, ended_on: dt.date, calendar: LegalCalendar, region: str = "", parameters: ParameterSet | None = None
) -> tuple[dt.date, str]:
    """The last day to publish a 双随机 inspection's result (结果公告), with its basis."""
    parameters = parameters or parameters_default()
    name = "inspection.random_results_publication_working_days"
    days = int(parameters.value(name, on=ended_on, region=region))
    return calendar.working_days_after(ended_on, days).date, parameter_basis(name, parameters, on=ended_on,
                                                                               region=region)


def results_published(trigger: str) -> bool:
    """Results of 双随机 inspections are published (优化营商环境条例 第五十四条)."""
    return trigger == "random"


@dataclass(frozen=True)
class FrequencyAlert:
    target_id: int
    inspections: int
    days: int
    threshold: int
    first_on: dt.date
    last_on: dt.date
    basis: str
    message: str


def frequency_alert(
    *, target_id: int, inspections: Iterable[PriorInspection], on: dt.date, region: str = "", sector: str = "",
    parameters: ParameterSet | None = None,
) -> FrequencyAlert | None:
    """High-frequency inspection of one enterprise: at least the threshold's number of inspections
    by any body (outside-cap ones included) within its rolling window ending on `on`. A platform
    rule for the supervision desk, never a refusal. The threshold and the window are those of the
    region and sector (a county or a sector may set its own, e.g. a stricter one for 食品安全):
    the most specific value in force, with its own reference."""
    parameters = parameters or parameters_default()
    name = "inspection.high_frequency_alert_inspections"
    threshold = int(parameters.value(name, on=on, region=region, sector=sector))
    days = int(parameters.value("inspection.high_frequency_alert_days", on=on, region=region, sector=sector))
    start = on - dt.timedelta(days=days - 1)
    window = sorted(i.on for i in inspections if start <= i.on <= on)
    if len(window) < threshold:
        return None
    return FrequencyAlert(
        target_id=target_id, inspections=len(window), days=days, threshold=threshold, first_on=window[0],
        last_on=window[-1], basis=parameter_basis(name, parameters, on=on, region=region, sector=sector),
        message=f"该企业在{days}日内被检查{len(window)}次（{window[0].isoformat()}至{window[-1].isoformat()}），"
                f"达到高频检查提示标准（{days}日内{threshold}次）",
    )


def frequency_alert_strictest(
    *, target_id: int, inspections: Iterable[PriorInspection], on: dt.date, scopes: Iterable[tuple[str, str]],
    parameters: ParameterSet | None = None,
) -> FrequencyAlert | None:
    """The enterprise's alert under each (region, sector) of the bodies that inspected it: an
    enterprise inspected by bodies of several regions or sectors is held to the strictest of their
    thresholds (the alert with the fewest inspections in the longest window), every inspection
    counted under each."""
    inspections = tuple(inspections)
    found = [alert for region, sector in dict.fromkeys(scopes)
             if (alert := frequency_alert(target_id=target_id, inspections=inspections, on=on, region=region,
                                          sector=sector, parameters=parameters)) is not None]
    return min(found, key=lambda a: (a.threshold, -a.days)) if found else None


def frequency_window_longest(*, on: dt.date, parameters: ParameterSet | None = None) -> int:
    """The longest alert window in force on `on` in any region or sector: what a query over every
    enterprise reads before each is judged under its own."""
    parameters = parameters or parameters_default()
    periods = parameters["inspection.high_frequency_alert_days"].periods
    return max(int(p.value) for p in periods if p.start <= on)


def counting_problems(snapshot: Snapshot) -> list[Violation]:
    """Why an inspection does not count in the annual statistics: it has no specific object, or
    its record is not complete (the visit's or the off-site check's record, and the result)."""
    problems = []
    if snapshot.target_id is None:
        problems.append(Violation("inspection.count.no_object", "没有具体检查对象", COUNTING_BASIS))
    complete = snapshot.result is not None and (
        (snapshot.record is not None and "on_site_record" in snapshot.records)
        or (snapshot.offsite is not None and snapshot.offsite.sufficient and "offsite_record" in snapshot.records)
    )
    if snapshot.state != "closed" or not complete:
        problems.append(Violation("inspection.count.incomplete", "检查记录不完整（检查记录或者检查结果缺失）",
                                  COUNTING_BASIS))
    return problems


def counts_in_statistics(snapshot: Snapshot) -> bool:
    return not counting_problems(snapshot)


__all__ = [
    "CASE_COMPETENCE_BASIS",
    "CASE_FROM_RESULT_BASIS",
    "CERTIFICATES_SHOWN_BASIS",
    "COMBINED_VISIT_BASIS",
    "COUNTING_BASIS",
    "EMERGENCY_BASIS",
    "EMERGENCY_REFUSED_BASIS",
    "FINDINGS",
    "INSPECTION_BASIS",
    "INSPECTION_COMPLAINT_BASIS",
    "KINDS",
    "MEDIA_BASIS",
    "OFFSITE_METHODS",
    "OUTCOMES",
    "RECORD_BASIS",
    "SPECIAL_FILING_BASIS",
    "TRIGGERS",
    "CapStatus",
    "ChecklistEntry",
    "EmergencyStart",
    "FrequencyAlert",
    "HeadApproval",
    "InspectionRecord",
    "InspectionSnapshot",
    "ItemRef",
    "OffsiteCheck",
    "PriorInspection",
    "ResultNotice",
    "bodies_competent",
    "body_items_failed",
    "cap_status",
    "cap_violations",
    "case_open_problems",
    "counting_problems",
    "counts_in_statistics",
    "emergency_approval_due",
    "emergency_approval_lateness",
    "emergency_not_refused",
    "emergency_refused",
    "emergency_start_allowed",
    "frequency_alert",
    "frequency_alert_strictest",
    "frequency_window_longest",
    "joined_bodies_approved",
    "joined_officer_problems",
    "joint_join",
    "joint_source_open",
    "officers_by_body",
    "publication_due",
    "result_due",
    "result_lateness",
    "results_published",
    "trigger_outside_cap",
    "violation_result_problems",
]
