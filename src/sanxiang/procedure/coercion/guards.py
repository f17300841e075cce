"""The guards of the compulsory measures: small pure functions of a measure snapshot and the
guard context, each returning every violation it finds (never only the first).

Codes are stable (`coercion.<step>.<what>`). Each refusal cites its article of 行政强制法, except
the audio-video rule, which cites the local 音像记录事项清单 made under 118号 (a list, not a
statute), as its parameter's reference says.
"""

import datetime as dt

from sanxiang.procedure.coercion import basis as b
from sanxiang.procedure.coercion.deadlines import (
    emergency_approval_due,
    kind_prefix,
    measure_expired,
    measure_period_end,
    parameter,
)
from sanxiang.procedure.coercion.snapshot import (
    DECISION_ELEMENTS,
    FREEZE_DECISION_ELEMENTS,
    MeasureSnapshot,
)
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.registry_rules import certificate_problems_on, officer_problems_on, officers_required
from sanxiang.procedure.violations import Violation

Snapshot = MeasureSnapshot
Context = GuardContext
ART = b.coercion_article

# Names of the steps in the 音像记录事项清单 (`coercion.audio_video_required_steps`); the
# compulsory-execution procedures use the last ones.
AUDIO_VIDEO_STEP_LABELS: dict[str, str] = {
    "seal_up": "查封",
    "seizure": "扣押",
    "freeze": "冻结",
    "forced_demolition": "强制拆除",
    "on_site_execution": "现场强制执行",
    "substitute_performance": "代履行",
}


def iso(day: dt.date) -> str:
    return day.isoformat()


def moment(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


# --- 批准 (第十八条第一项、第十九条) ------------------------------------------------------------


def head_approved_before(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第十八条第一项: a measure is taken only after the head's approval (实施前须向行政机关负责人
    报告并经批准)."""
    approval = snapshot.approval
    if approval is None:
        return [
            Violation("coercion.approval.missing", f"实施{snapshot.kind_label}前须报经行政机关负责人批准，尚无负责人审批意见",
                      b.APPROVAL_BASIS, "approval")
        ]
    if not approval.approved:
        return [
            Violation("coercion.approval.refused", f"行政机关负责人{approval.head_name}不同意实施{snapshot.kind_label}",
                      b.APPROVAL_BASIS, "approval")
        ]
    return []


def approval_before_taking(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The approval must precede the measure: a measure carried out before it is an emergency
    measure (第十九条), never an ordinary one."""
    approval, taken = snapshot.approval, snapshot.taken_at
    if taken is None:
        return [Violation("coercion.take.time_missing", "须记录实施的日期和时间（现场笔录）", b.RECORD_BASIS, "taken_at")]
    if approval is None or approval.decided_at <= taken:
        return []
    return [
        Violation(
            "coercion.approval.after_taking",
            f"负责人于{moment(approval.decided_at)}批准，晚于实施时间{moment(taken)}；未经事先批准当场实施的，"
            "只能按紧急情况办理并在二十四小时内补办批准手续",
            f"{b.APPROVAL_BASIS}；{b.EMERGENCY_BASIS}",
            "taken_at",
        )
    ]


def emergency_reason_given(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第十九条: only an emergency (情况紧急，需要当场实施) allows a measure before approval."""
    if snapshot.emergency_reason.strip():
        return []
    return [
        Violation("coercion.emergency.reason_missing", "未经事先批准当场实施，须写明情况紧急的事由",
                  b.EMERGENCY_BASIS, "emergency_reason")
    ]


def emergency_approval_in_time(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第十九条: report to the head and complete the approval within 24 hours; if the head does
    not approve, release the measure at once."""
    due = emergency_approval_due(snapshot, context)
    approval = snapshot.approval
    if due is None:
        return [Violation("coercion.emergency.not_taken", "尚未记录当场实施的时间", b.EMERGENCY_BASIS, "taken_at")]
    if approval is None:
        late = context.today > due.date()
        return [
            Violation(
                "coercion.emergency.approval_missing",
                f"紧急{snapshot.kind_label}须在{moment(due)}前补办负责人批准手续，尚无批准"
                + ("；已超过二十四小时，应当立即解除" if late else ""),
                b.EMERGENCY_BASIS,
                "approval",
            )
        ]
    violations = []
    if not approval.approved:
        violations.append(
            Violation("coercion.emergency.approval_refused",
                      f"行政机关负责人{approval.head_name}认为不应当采取{snapshot.kind_label}，应当立即解除",
                      b.EMERGENCY_BASIS, "approval")
        )
    if approval.decided_at > due:
        violations.append(
            Violation(
                "coercion.emergency.approval_late",
                f"补办批准的时间{moment(approval.decided_at)}已超过二十四小时（应在{moment(due)}前），应当立即解除",
                b.EMERGENCY_BASIS,
                "approval",
            )
        )
    return violations


# --- 执法主体与执法人员 (第十七条、第十八条第二项) -------------------------------------------------


def not_entrusted(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第十七条第一款: the power to take compulsory measures cannot be entrusted."""
    if snapshot.agency_kind != "entrusted_organization":
        return []
    return [
        Violation("coercion.agency.entrusted", "行政强制措施权不得委托，受委托组织不能实施查封、扣押、冻结",
                  b.ENTRUSTMENT_BASIS, "agency")
    ]


def officers_qualified(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第十七条第三款、第十八条第二项: carried out by at least two of the agency's officers, each
    qualified (a valid certificate for the field that day); nobody else may carry it out."""
    on_spot = snapshot.on_spot
    if on_spot is None:
        return [Violation("coercion.on_spot.missing", "尚未记录实施经过（现场笔录的内容）", b.RECORD_BASIS, "on_spot")]
    needed, basis = officers_required(
        on=on_spot.on, region=snapshot.region, sector=snapshot.sector, parameters=context.parameters
    )
    violations, able = [], 0
    for officer_id in dict.fromkeys(on_spot.officer_ids):
        officer = snapshot.officer(officer_id)
        if officer is None:
            violations.append(
                Violation("coercion.officers.not_assigned", f"编号{officer_id}的人员不是本机关登记的执法人员，不得实施",
                          b.QUALIFIED_OFFICERS_BASIS, "on_spot.officer_ids")
            )
            continue
        problems = officer_problems_on(
            officer, on_spot.on, enforcement_field=snapshot.enforcement_field, region=snapshot.region,
            parameters=context.parameters,
        )
        for p in problems:
            message = p.message
            if p.code == "officer.no_valid_certificate":
                reasons = [
                    c.message
                    for certificate in officer.certificates
                    for c in certificate_problems_on(certificate, on_spot.on, enforcement_field=snapshot.enforcement_field)
                ]
                message += f"（{'；'.join(reasons)}）" if reasons else "（未登记执法证）"
            violations.append(
                Violation(f"coercion.officers.{p.code.removeprefix('officer.')}", f"{message}，不得实施行政强制措施",
                          b.QUALIFIED_OFFICERS_BASIS, "on_spot.officer_ids")
            )
        able += not problems
    if able < needed:
        violations.insert(
            0,
            Violation("coercion.officers.too_few",
                      f"行政强制措施须由不少于{needed}名具备资格的行政执法人员实施，现为{able}名",
                      f"{b.QUALIFIED_OFFICERS_BASIS}；{basis}", "on_spot.officer_ids"),
        )
    return violations


# --- 现场程序 (第十八条第三项至第九项) --------------------------------------------------------------


def on_spot_procedure(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第十八条: show certificates (三); notify the party to attend (四); tell reasons, basis,
    rights and remedies (五); hear the party (六); a 现场笔录 signed by the party and the officers,
    a refusal noted (七、八); if the party is absent, a witness signs (九)."""
    on_spot = snapshot.on_spot
    if on_spot is None:
        return []  # officers_qualified reports the missing record once
    checks = [
        (on_spot.certificates_shown, "certificates", "未记录出示执法身份证件", b.CERTIFICATES_BASIS),
        (on_spot.party_notified, "party_notified", "未记录通知当事人到场", b.NOTIFY_BASIS),
        (on_spot.told_reasons_and_basis, "told_reasons", "未记录当场告知当事人采取行政强制措施的理由、依据", b.INFORM_BASIS),
        (on_spot.told_rights_and_remedies, "told_remedies", "未记录当场告知当事人依法享有的权利、救济途径", b.INFORM_BASIS),
        (on_spot.officers_signed, "officers_signed", "现场笔录须由行政执法人员签名或者盖章", b.RECORD_BASIS),
    ]
    if on_spot.party_present:
        checks += [
            (on_spot.party_heard, "party_heard", "未记录听取当事人的陈述和申辩", b.HEARD_BASIS),
            (on_spot.party_signed or on_spot.party_refusal_noted, "party_signature",
             "现场笔录须由当事人签名或者盖章；当事人拒绝的，须在笔录中注明", b.RECORD_BASIS),
        ]
    else:
        checks.append(
            (bool(on_spot.witness_name.strip()), "witness",
             "当事人不到场的，须邀请见证人到场，由见证人和行政执法人员在现场笔录上签名或者盖章", b.RECORD_BASIS)
        )
    return [
        Violation(f"coercion.on_spot.{code}", message, basis, f"on_spot.{code}")
        for ok, code, message, basis in checks
        if not ok
    ]


def freeze_on_spot_procedure(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第三十条第一款: a freeze follows 第十八条第一、二、三、七项: certificates shown and a
    现场笔录 signed by the officers (the party is told by the 冻结决定书, 第三十一条)."""
    on_spot = snapshot.on_spot
    if on_spot is None:
        return []
    violations = []
    if not on_spot.certificates_shown:
        violations.append(Violation("coercion.on_spot.certificates", "未记录向金融机构出示执法身份证件",
                                    b.FREEZE_PROCEDURE_BASIS, "on_spot.certificates"))
    if not on_spot.officers_signed:
        violations.append(Violation("coercion.on_spot.officers_signed", "现场笔录须由行政执法人员签名或者盖章",
                                    b.FREEZE_PROCEDURE_BASIS, "on_spot.officers_signed"))
    return violations


# --- 查封、扣押的对象 (第二十三条) ----------------------------------------------------------------


def property_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第二十三条: only places, facilities or goods related to the illegal act; never the
    daily necessities of the person or their dependants; nothing already sealed up by another
    state organ. The officer confirms each point."""
    checks = snapshot.property_checks
    rows = [
        (checks.related_to_case, "related", "须确认查封、扣押的场所、设施或者财物与违法行为有关"),
        (checks.no_daily_necessities, "daily_necessities", "须确认未查封、扣押公民个人及其所扶养家属的生活必需品"),
        (checks.not_already_sealed, "already_sealed", "须确认有关财物未被其他国家机关依法查封（不得重复查封）"),
    ]
    return [
        Violation(f"coercion.property.{code}", message, b.PROPERTY_BASIS, f"property_checks.{code}")
        for ok, code, message in rows
        if not ok
    ]


# --- 决定书和清单 (第二十四条) --------------------------------------------------------------------


def documents_handed_over(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第二十四条: the 查封、扣押决定书 with its 清单 are made and handed to the party on the
    spot, and the decision states every element of 第二十四条第二款."""
    violations = []
    missing = [k for k in DECISION_ELEMENTS if k not in snapshot.decision_elements]
    if missing:
        violations.append(
            Violation("coercion.decision.elements_missing",
                      "查封、扣押决定书缺少法定内容：" + "、".join(f"“{DECISION_ELEMENTS[k]}”" for k in missing),
                      ART(24, detail="第二款"), "decision_elements")
        )
    if not snapshot.documents_handed_over:
        violations.append(
            Violation("coercion.decision.not_handed_over", "查封、扣押决定书和清单须当场交付当事人",
                      ART(24, detail="第一款"), "documents_handed_over")
        )
    return violations


def freeze_decision_elements(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第三十一条第二款: what the 冻结决定书 states."""
    missing = [k for k in FREEZE_DECISION_ELEMENTS if k not in snapshot.decision_elements]
    if not missing:
        return []
    return [
        Violation("coercion.decision.elements_missing",
                  "冻结决定书缺少法定内容：" + "、".join(f"“{FREEZE_DECISION_ELEMENTS[k]}”" for k in missing),
                  ART(31, detail="第二款"), "decision_elements")
    ]


# --- 音像记录 (音像记录事项清单; 118号) ----------------------------------------------------------------


def audio_video_missing(
    *, step: str, records, on: dt.date, region: str = "", sector: str = "", parameters: ParameterSet | None = None
) -> list[Violation]:
    """Why `step` may not be taken for want of its whole-process audio-video record: [] unless the
    音像记录事项清单 in force on `on` for the region and sector lists the step and no audio-video file
    (`audio_video_<step>`) is linked. The refusal cites the list (the parameter's reference), not
    a statute. The compulsory-execution procedures call this for 强制拆除 and their other steps."""
    parameters = parameters or parameters_default()
    period = parameters["coercion.audio_video_required_steps"].period_on(on, region=region, sector=sector)
    if step not in period.value or f"audio_video_{step}" in records:
        return []
    label = AUDIO_VIDEO_STEP_LABELS.get(step, step)
    return [
        Violation(f"coercion.audio_video.missing.{step}",
                  f"“{label}”列入音像记录事项清单，须关联全程音像记录文件后才能办理",
                  period.reference, "records")
    ]


def audio_video_recorded(snapshot: Snapshot, context: Context) -> list[Violation]:
    """A 查封 or 扣押 (or any kind the local list names) is refused until an audio-video file is
    linked to it (`audio_video_missing`)."""
    on = snapshot.on_spot.on if snapshot.on_spot is not None else context.today
    return audio_video_missing(step=snapshot.kind, records=snapshot.records, on=on, region=snapshot.region,
                               sector=snapshot.sector, parameters=context.parameters)


# --- 期限 (第二十五条、第二十七条、第二十八条、第三十二条、第三十三条) ------------------------------------


def expired_basis(snapshot: Snapshot) -> str:
    if snapshot.kind == "freeze":
        return ART(32, 33, detail="（第三十三条第一款第四项：冻结期限已经届满的，应当及时作出解除冻结决定）")
    return ART(25, 28, detail="（第二十八条第一款第四项：查封、扣押期限已经届满的，应当及时作出解除决定）")


def not_expired(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Once the period has run, the measure must be released: every other step is refused."""
    end = measure_expired(snapshot, context)
    if end is None:
        return []
    return [
        Violation("coercion.period.expired",
                  f"{snapshot.kind_label}期限已于{iso(end.date)}届满，只能作出解除决定",
                  expired_basis(snapshot), "state")
    ]


def extension_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第二十五条第一款 (冻结: 第三十二条第一款): in a complex case, one extension of at most 30
    days, approved by the head, decided before the period ends, and notified to the party in
    writing with its reasons."""
    article = ART(32, detail="第一款") if snapshot.kind == "freeze" else ART(25, detail="第一款")
    extension = snapshot.extension
    if extension is None:
        return [Violation("coercion.extension.missing", "尚未填写延长期限的决定", article, "extension")]
    violations = []
    maximum = parameter(context, snapshot, f"{kind_prefix(snapshot)}.extension_max_days", on=extension.decided_on)
    if not 0 < extension.days <= int(maximum.value):
        violations.append(
            Violation("coercion.extension.too_long", f"延长期限须为1至{maximum.value}日（不得超过{maximum.value}日），现为{extension.days}日",
                      maximum.reference, "extension.days")
        )
    if not extension.reason.strip():
        violations.append(
            Violation("coercion.extension.reason_missing", "只有情况复杂的才可以延长，须写明理由", article, "extension.reason")
        )
    if not extension.approved_by_head:
        violations.append(
            Violation("coercion.extension.head_approval_missing", "延长期限须经行政机关负责人批准", article,
                      "extension.approved_by_head")
        )
    if extension.notice_served_on is None:
        violations.append(
            Violation("coercion.extension.notice_missing", "延长期限的决定须书面告知当事人，并说明理由", article,
                      "extension.notice_served_on")
        )
    end = measure_period_end(snapshot, context, with_extension=False)
    if end is not None and extension.decided_on > end.date:
        violations.append(
            Violation("coercion.extension.after_period",
                      f"延长决定（{iso(extension.decided_on)}）须在原期限届满（{iso(end.date)}）前作出",
                      article, "extension.decided_on")
        )
    return violations


def extension_before_expiry(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The extension is taken before the original period has run (otherwise: release)."""
    end = measure_period_end(snapshot, context, with_extension=False)
    if end is None or context.today <= end.date:
        return []
    return [
        Violation("coercion.period.expired",
                  f"{snapshot.kind_label}期限已于{iso(end.date)}届满，不能再延长，只能作出解除决定",
                  expired_basis(snapshot), "state")
    ]


def seal_seizure_only(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第二十八条、第二十七条: confiscation and destruction concern sealed or seized goods."""
    if snapshot.kind in ("seal_up", "seizure"):
        return []
    return [
        Violation("coercion.kind.not_goods", f"{snapshot.kind_label}不能作出没收或者销毁的处理", ART(27), "kind")
    ]


def taken_at_recorded(snapshot: Snapshot, context: Context) -> list[Violation]:
    if snapshot.taken_at is not None:
        return []
    return [Violation("coercion.take.time_missing", "须记录实施的日期和时间（现场笔录）", b.RECORD_BASIS, "taken_at")]
