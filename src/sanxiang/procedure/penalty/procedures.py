"""The administrative-penalty procedures as data: 普通程序 (ordinary) and 简易程序 (summary).

Each transition names its guards (penalty/guards.py) and the records of whole-process recording
that must exist before it; the engine runs them all. The record checklist of the case file
(`CASE_FILE_RECORDS`) is checked again at closing and archiving, so a case can never be closed
while a record it needs is missing, whatever path it took.
"""

from dataclasses import replace

from sanxiang.procedure.engine import (
    GuardContext,
    Procedure,
    RecordKind,
    RecordRequirement,
    State,
    Transition,
    action_check,
)
from sanxiang.procedure.penalty import guards as g
from sanxiang.procedure.penalty.basis import COMPULSION_LAW, GUIDELINE_118, article, penalty_article
from sanxiang.procedure.penalty.review import collective_discussion_required, review_reasons
from sanxiang.procedure.penalty.rules import (
    decided_fine,
    hearing_held,
    parameter,
)
from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot

ART = penalty_article
Snapshot = PenaltyCaseSnapshot
Requirement = RecordRequirement[PenaltyCaseSnapshot]

# Steps that may need an audio-video recording (legal_rules §1.2); the parameter
# `penalty.recording.audio_video_steps` says which of them do in this deployment.
AUDIO_VIDEO_STEPS: dict[str, str] = {
    "inspection": "现场检查",
    "inquiry": "询问",
    "preservation": "先行登记保存",
    "hearing": "听证",
    "lien_service": "留置送达",
    "public_notice_service": "公告送达",
    "on_spot_penalty": "简易程序当场处罚",
}

RECORD_KINDS = (
    RecordKind("lead_record", "案源登记表"),
    RecordKind("opening_approval", "立案（不予立案）审批表"),
    RecordKind("inquiry_record", "询问笔录"),
    RecordKind("inspection_record", "现场检查笔录"),
    RecordKind("preservation_notice", "先行登记保存通知书"),
    RecordKind("preservation_decision", "先行登记保存处理决定书"),
    RecordKind("investigation_report", "调查终结报告"),
    RecordKind("advance_notice", "行政处罚事先告知书"),
    RecordKind("notice_service_receipt", "事先告知书送达回证"),
    RecordKind("statement_record", "陈述申辩笔录或者书面陈述申辩材料"),
    RecordKind("reexamination_record", "陈述申辩复核意见"),
    RecordKind("hearing_notice", "听证通知书"),
    RecordKind("hearing_transcript", "听证笔录"),
    RecordKind("review_opinion", "法制审核意见书"),
    RecordKind("collective_discussion_record", "集体讨论记录"),
    RecordKind("decision_document", "行政处罚决定书"),
    RecordKind("transfer_letter", "涉嫌犯罪案件移送书"),
    RecordKind("service_receipt", "送达回证"),
    RecordKind("public_notice_record", "公告送达的公告及其原因和经过的记录"),
    RecordKind("payment_receipt", "罚款缴纳凭证"),
    RecordKind("finance_receipt", "财政部门统一制发的罚款收据"),
    RecordKind("confiscation_record", "没收财物处理记录"),
    RecordKind("enforcement_demand", "催告书"),
    RecordKind("court_application", "强制执行申请书"),
    RecordKind("court_enforcement_result", "人民法院强制执行结果"),
    RecordKind("closing_approval", "结案审批表"),
    *(RecordKind(f"audio_video_{step}", f"音像记录（{label}）") for step, label in AUDIO_VIDEO_STEPS.items()),
)


# --- when a record is required -------------------------------------------------------------------


def step_happened(step: str, snapshot: Snapshot) -> bool:
    service = snapshot.service
    return {
        "inspection": any(a.kind == "inspection" for a in snapshot.investigative_acts),
        "inquiry": any(a.kind == "inquiry" for a in snapshot.investigative_acts),
        "preservation": bool(snapshot.preservations),
        "hearing": hearing_held(snapshot),
        "lien_service": service is not None and service.method == "lien",
        "public_notice_service": service is not None and service.method == "public_notice",
        "on_spot_penalty": snapshot.on_spot is not None,
    }[step]


def audio_video(step: str) -> Requirement:
    def when(snapshot: Snapshot, context: GuardContext) -> bool:
        steps = parameter(context, snapshot, "penalty.recording.audio_video_steps", on=context.today).value
        return step in steps and step_happened(step, snapshot)

    return RecordRequirement((f"audio_video_{step}",), f"{ART(47)}；{GUIDELINE_118}", when)


def outcome_is(*outcomes: str):
    def when(snapshot: Snapshot, context: GuardContext) -> bool:
        return snapshot.decision is not None and snapshot.decision.outcome in outcomes

    return when


def has_preservations(snapshot: Snapshot, context: GuardContext) -> bool:
    return bool(snapshot.preservations)


def notice_given(snapshot: Snapshot, context: GuardContext) -> bool:
    return snapshot.notice is not None


def statement_submitted(snapshot: Snapshot, context: GuardContext) -> bool:
    return snapshot.statement_submitted_on is not None


def hearing_took_place(snapshot: Snapshot, context: GuardContext) -> bool:
    return hearing_held(snapshot)


def review_needed(snapshot: Snapshot, context: GuardContext) -> bool:
    return bool(review_reasons(snapshot, context))


def discussion_needed(snapshot: Snapshot, context: GuardContext) -> bool:
    return collective_discussion_required(snapshot, context)


def served_by(*methods: str):
    def when(snapshot: Snapshot, context: GuardContext) -> bool:
        return snapshot.service is not None and snapshot.service.method in methods

    return when


def fine_paid_by_party(snapshot: Snapshot, context: GuardContext) -> bool:
    return bool(decided_fine(snapshot)) and snapshot.court_applied_on is None and snapshot.on_spot is None


def went_to_court(snapshot: Snapshot, context: GuardContext) -> bool:
    return snapshot.court_applied_on is not None


def in_court_enforcement(snapshot: Snapshot, context: GuardContext) -> bool:
    return snapshot.state == "court_enforcement"


def paying_after_service(snapshot: Snapshot, context: GuardContext) -> bool:
    return bool(decided_fine(snapshot)) and snapshot.state != "court_enforcement"


def confiscated(snapshot: Snapshot, context: GuardContext) -> bool:
    decision = snapshot.decision
    return (
        decision is not None
        and decision.outcome == "penalty"
        and decision.penalty is not None
        and bool(decision.penalty.kinds & {"confiscate_gains", "confiscate_property"})
    )


# --- record requirements, step by step -----------------------------------------------------------

RECORDING = f"{ART(47)}；{GUIDELINE_118}"

OPENING_RECORDS = (
    Requirement(("lead_record",), RECORDING),
    Requirement(("opening_approval",), g.OPENING_APPROVAL_BASIS),
)
INVESTIGATION_RECORDS = (
    Requirement(("investigation_report",), ART(57)),
    Requirement(("inquiry_record", "inspection_record"), ART(55, detail="第二款")),
    Requirement(("preservation_notice",), ART(56), has_preservations),
    Requirement(("preservation_decision",), ART(56), has_preservations),
    audio_video("inspection"),
    audio_video("inquiry"),
    audio_video("preservation"),
)
NOTICE_RECORDS = (
    Requirement(("advance_notice",), ART(44), notice_given),
    Requirement(("notice_service_receipt",), ART(44), notice_given),
)
HEARING_RECORDS = (
    Requirement(("hearing_notice",), ART(64, detail="第二项"), hearing_took_place),
    Requirement(("hearing_transcript",), ART(64, detail="第八项"), hearing_took_place),
    audio_video("hearing"),
)
# The review opinion and the collective-discussion record are checked at the decision by their own
# guards (with the reasons why the case needs them); the case file lists them again for closing.
DECISION_RECORDS = (Requirement(("statement_record",), ART(45), statement_submitted),)
SERVICE_RECORDS = (
    Requirement(("decision_document",), ART(59), outcome_is("penalty", "no_penalty")),
    Requirement(
        ("service_receipt",),
        f"{ART(61)}；{article('《中华人民共和国民事诉讼法》', 87)}",
        served_by("direct", "lien", "post", "electronic"),
    ),
    Requirement(("public_notice_record",), article("《中华人民共和国民事诉讼法》", 95), served_by("public_notice")),
    audio_video("lien_service"),
    audio_video("public_notice_service"),
)
EXECUTION_RECORDS = (
    Requirement(("payment_receipt",), ART(67, 70), fine_paid_by_party),
    Requirement(("confiscation_record",), ART(74), confiscated),
    Requirement(("enforcement_demand",), article(COMPULSION_LAW, 54), went_to_court),
    Requirement(("court_application",), article(COMPULSION_LAW, 53, 55), went_to_court),
    Requirement(("court_enforcement_result",), article(COMPULSION_LAW, 53), went_to_court),
)

# Everything the closed case file must hold (全过程记录、归档: 第四十七条; 118号).
CASE_FILE_RECORDS = (
    *OPENING_RECORDS,
    *INVESTIGATION_RECORDS,
    *NOTICE_RECORDS,
    *HEARING_RECORDS,
    *DECISION_RECORDS,
    Requirement(("reexamination_record",), ART(45), statement_submitted),
    Requirement(("review_opinion",), ART(58), review_needed),
    Requirement(("collective_discussion_record",), ART(57, detail="第二款"), discussion_needed),
    Requirement(("transfer_letter",), ART(27), outcome_is("transfer")),
    *SERVICE_RECORDS,
    *EXECUTION_RECORDS,
    Requirement(("closing_approval",), RECORDING),
)

ORDINARY_STATES = (
    State("lead", "案源登记"),
    State("not_opened", "不予立案", final=True),
    State("opened", "已立案"),
    State("investigating", "调查取证"),
    State("investigation_ended", "调查终结"),
    State("notified", "已事先告知（陈述申辩）"),
    State("hearing_scheduled", "听证已安排"),
    State("hearing_held", "已听证"),
    State("decided", "已作出决定"),
    State("served", "已送达"),
    State("court_enforcement", "申请人民法院强制执行"),
    State("executed", "执行完毕"),
    State("closed", "已结案"),
    State("archived", "已归档", final=True),
    State("withdrawn", "已撤销立案", final=True),
)

# Before a decision: a case opened by mistake may be closed with its reason (撤销立案). Not a lead:
# a lead never opened is not withdrawn but declined (不予立案, with the head's approval).
WITHDRAWABLE = ("opened", "investigating", "investigation_ended", "notified", "hearing_scheduled", "hearing_held")

ORDINARY_TRANSITIONS: tuple[Transition[PenaltyCaseSnapshot], ...] = (
    Transition(
        "open",
        "立案",
        ("lead",),
        "opened",
        guards=(g.party_identifier, g.opening_head_approval, g.opening_limitation),
        records=OPENING_RECORDS,
        legal_basis=ART(36, 54),
    ),
    Transition(
        "decline",
        "不予立案",
        ("lead",),
        "not_opened",
        guards=(g.decline_head_approval,),
        records=OPENING_RECORDS,
        legal_basis=ART(54),
    ),
    Transition(
        "withdraw_case",
        "撤销立案",
        WITHDRAWABLE,
        "withdrawn",
        guards=(g.case_withdrawal_reasoned,),
        legal_basis=g.WITHDRAWAL_BASIS,
    ),
    Transition(
        "investigate",
        "开始调查取证",
        ("opened",),
        "investigating",
        guards=(g.investigation_officers_today,),
        legal_basis=ART(42, 54, 55),
    ),
    Transition(
        "end_investigation",
        "调查终结",
        ("investigating",),
        "investigation_ended",
        guards=(g.investigation_acts_lawful, g.preservations_handled, g.recusals_decided),
        records=INVESTIGATION_RECORDS,
        legal_basis=ART(42, 43, 55, 56, 57),
    ),
    Transition(
        "notify",
        "事先告知",
        ("investigation_ended",),
        "notified",
        guards=(g.notice_complete,),
        records=NOTICE_RECORDS,
        legal_basis=ART(44, 63),
    ),
    Transition(
        "schedule_hearing",
        "安排听证",
        ("notified",),
        "hearing_scheduled",
        guards=(g.hearing_request_valid, g.hearing_schedule_lawful),
        records=(Requirement(("hearing_notice",), ART(64, detail="第二项")),),
        legal_basis=ART(63, 64),
    ),
    Transition(
        "withdraw_hearing",
        "撤回听证申请",
        ("hearing_scheduled",),
        "notified",
        guards=(g.hearing_withdrawn,),
        legal_basis=ART(64),
    ),
    Transition(
        "hold_hearing",
        "举行听证",
        ("hearing_scheduled",),
        "hearing_held",
        guards=(g.hearing_schedule_lawful, g.hearing_date_reached),
        records=(Requirement(("hearing_transcript",), ART(64, detail="第八项")), audio_video("hearing")),
        legal_basis=ART(64, 65),
    ),
    Transition(
        "decide",
        "作出决定",
        ("investigation_ended", "notified", "hearing_held"),
        "decided",
        guards=(
            g.decision_draft_complete,
            g.decision_notice_served,
            g.decision_statement_window,
            g.decision_hearing,
            g.decision_not_heavier,
            g.decision_review,
            g.decision_collective_discussion,
            g.decision_period,
            g.decision_minor,
            g.decision_second_fine,
            g.recusals_decided,
        ),
        records=DECISION_RECORDS,
        legal_basis=ART(57, 58, 59, 60, 62),
    ),
    Transition(
        "serve",
        "送达决定书",
        ("decided",),
        "served",
        guards=(g.service_lawful,),
        records=SERVICE_RECORDS,
        legal_basis=ART(61),
    ),
    Transition(
        "apply_to_court",
        "申请人民法院强制执行",
        ("served",),
        "court_enforcement",
        guards=(g.court_application_lawful,),
        records=(
            Requirement(("enforcement_demand",), article(COMPULSION_LAW, 54)),
            Requirement(("court_application",), article(COMPULSION_LAW, 53, 55)),
        ),
        legal_basis=f"{ART(72)}；{article(COMPULSION_LAW, 53, 54)}",
    ),
    Transition(
        "complete_execution",
        "执行完毕",
        ("served", "court_enforcement"),
        "executed",
        guards=(g.execution_complete,),
        records=(
            Requirement(("payment_receipt",), ART(67, 70), paying_after_service),
            Requirement(("court_enforcement_result",), article(COMPULSION_LAW, 53), in_court_enforcement),
            Requirement(("confiscation_record",), ART(74), confiscated),
        ),
        legal_basis=ART(66, 67, 72),
    ),
    Transition(
        "close",
        "结案",
        ("decided", "served", "executed"),
        "closed",
        guards=(g.close_path,),
        records=CASE_FILE_RECORDS,
        legal_basis=f"{ART(47)}；{GUIDELINE_118}",
    ),
    Transition(
        "archive",
        "归档",
        ("closed",),
        "archived",
        records=CASE_FILE_RECORDS,
        legal_basis=f"{ART(47)}；{GUIDELINE_118}",
    ),
)

ORDINARY = Procedure[PenaltyCaseSnapshot](
    name="penalty.ordinary",
    label="行政处罚普通程序",
    states=ORDINARY_STATES,
    initial="lead",
    transitions=ORDINARY_TRANSITIONS,
    record_kinds=RECORD_KINDS,
    legal_basis=ART(54, detail="至第六十五条"),
)


# --- 简易程序 -------------------------------------------------------------------------------------


def collected_on_spot(snapshot: Snapshot, context: GuardContext) -> bool:
    return snapshot.on_spot is not None and snapshot.on_spot.collected_fen > 0


def paid_at_bank(snapshot: Snapshot, context: GuardContext) -> bool:
    return bool(snapshot.payments)


SUMMARY_STATES = (
    State("on_site", "现场执法"),
    State("converted", "转为普通程序", final=True),
    State("decided_on_spot", "已当场作出决定"),
    State("handed_over", "已当场交付"),
    State("filed", "已报行政机关备案"),
    State("closed", "已结案"),
    State("archived", "已归档", final=True),
)

SUMMARY_TRANSITIONS: tuple[Transition[PenaltyCaseSnapshot], ...] = (
    Transition(
        "decide_on_spot",
        "当场作出处罚决定",
        ("on_site",),
        "decided_on_spot",
        guards=(
            g.party_identifier,
            g.summary_limits,
            g.summary_officers,
            g.summary_party_heard,
            g.summary_form_complete,
            g.decision_minor,
            g.decision_second_fine,
        ),
        records=(audio_video("on_spot_penalty"),),
        legal_basis=ART(51, 52),
    ),
    Transition(
        "convert_to_ordinary",
        "转为普通程序",
        ("on_site",),
        "converted",
        legal_basis=ART(51, 54),
    ),
    Transition(
        "hand_over",
        "当场交付决定书",
        ("decided_on_spot",),
        "handed_over",
        guards=(g.summary_handed_over,),
        records=(Requirement(("decision_document",), ART(52)),),
        legal_basis=ART(52, detail="第一款"),
    ),
    Transition(
        "collect_on_spot",
        "当场收缴罚款",
        ("handed_over",),
        "handed_over",
        guards=(g.summary_collection_lawful,),
        records=(Requirement(("finance_receipt",), ART(70)),),
        legal_basis=ART(68, 69, 70),
    ),
    Transition(
        "file_with_agency",
        "报所属行政机关备案",
        ("handed_over",),
        "filed",
        records=(Requirement(("decision_document",), ART(52, detail="第三款")),),
        legal_basis=ART(52, detail="第三款"),
    ),
    Transition(
        "close",
        "结案",
        ("filed",),
        "closed",
        guards=(g.summary_paid, g.summary_cash_handed_over),
        records=(
            Requirement(("decision_document",), ART(52)),
            Requirement(("finance_receipt",), ART(70), collected_on_spot),
            Requirement(("payment_receipt",), ART(67), paid_at_bank),
            audio_video("on_spot_penalty"),
        ),
        legal_basis=f"{ART(47)}；{GUIDELINE_118}",
    ),
    Transition(
        "archive",
        "归档",
        ("closed",),
        "archived",
        records=(Requirement(("decision_document",), ART(52)),),
        legal_basis=f"{ART(47)}；{GUIDELINE_118}",
    ),
)

SUMMARY = Procedure[PenaltyCaseSnapshot](
    name="penalty.summary",
    label="行政处罚简易程序（当场处罚）",
    states=SUMMARY_STATES,
    initial="on_site",
    transitions=SUMMARY_TRANSITIONS,
    record_kinds=RECORD_KINDS,
    legal_basis=ART(51, 52),
)


# --- performing a transition ---------------------------------------------------------------------

# The dates a transition stamps on the case: they start the periods that later guards and
# deadlines count (第六十条 counts from 立案, 第六十一条 from the decision, ...).
TRANSITION_DATES = {
    "open": "opened_on",
    "decide": "decided_on",
    "decide_on_spot": "decided_on",
    "apply_to_court": "court_applied_on",
}


def penalty_apply(
    procedure: Procedure[PenaltyCaseSnapshot], snapshot: Snapshot, action: str, *, context: GuardContext
) -> Snapshot:
    """The case after `action`, or `Refused` with every violation. The Django service persists
    the same changes (state and stamped dates) with the ledger entry, in one transaction; demo data
    and the property tests use this to run cases through the engine instead of writing states."""
    changes: dict = {"state": action_check(procedure, snapshot, action, context=context)}
    stamped = TRANSITION_DATES.get(action)
    if stamped and getattr(snapshot, stamped) is None:
        changes[stamped] = context.today
    if action == "hold_hearing" and snapshot.hearing is not None and snapshot.hearing.held_on is None:
        changes["hearing"] = replace(snapshot.hearing, held_on=context.today)
    return replace(snapshot, **changes)
