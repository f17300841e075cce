"""The guards of the penalty procedures: small pure functions of a case snapshot and the guard
context, each returning every violation it finds (never only the first).

Codes are stable (`penalty.<step>.<what>`): the API, the UI and the tests rely on them. Messages
are Chinese and name the facts (dates, amounts, names) so that an officer can act on them.
"""

import datetime as dt

from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.identifiers import credit_code_validate, id_number_validate
from sanxiang.procedure.penalty.basis import (
    CIVIL_PROCEDURE_LAW,
    COMPULSION_LAW,
    article,
    chinese_numeral,
    penalty_article,
)
from sanxiang.procedure.penalty.review import discussion_gate, review_gate
from sanxiang.procedure.penalty.rules import (
    amount_due_as_of,
    court_application_opens,
    decided_fine,
    decision_due,
    has_completed_years,
    hearing_earliest_date,
    hearing_request_end,
    investigator_ids,
    limitation_end,
    limitation_years,
    notice_defended_against,
    notified_hearing_reasons,
    parameter,
    party_birth_date,
    payment_schedule,
    recused_officer_ids,
    statement_window_end,
)
from sanxiang.procedure.penalty.snapshot import (
    DECISION_ELEMENTS,
    DECISION_OUTCOMES,
    NO_PENALTY_DECISION_ELEMENTS,
    NO_PENALTY_REASONS,
    NOTICE_ELEMENTS,
    ON_SPOT_COLLECTION_GROUNDS,
    PENALTY_DECISION_ELEMENTS,
    PENALTY_KINDS,
    SERVICE_METHODS,
    SUMMARY_DECISION_ELEMENTS,
    PenaltyCaseSnapshot,
    PenaltyTerms,
    penalty_heavier,
    yuan,
)
from sanxiang.procedure.registry_rules import certificate_is_valid_on, officer_problems_on, officers_required
from sanxiang.procedure.violations import Violation

Snapshot = PenaltyCaseSnapshot
Context = GuardContext

ART = penalty_article
ACT_LABELS = {"inquiry": "询问", "inspection": "现场检查", "sampling": "抽样取证"}
OPENING_APPROVAL_BASIS = ART(54, detail="第二款；各部门行政处罚程序规定（立案须经行政机关负责人批准）")


def iso(day: dt.date) -> str:
    return day.isoformat()


def listed(labels: dict[str, str], keys) -> str:
    return "、".join(f"“{labels.get(k, k)}”" for k in keys)


# --- the party ------------------------------------------------------------------------------------


def party_identifier(snapshot: Snapshot, context: Context) -> list[Violation]:
    """A party is identified by a valid 公民身份号码 or 统一社会信用代码 (legal_rules §8.1 item
    16), unless an exemption (foreign document, other certificate) is recorded with its reason."""
    party = snapshot.party
    if party.identifier_exemption.strip():
        return []
    if party.kind == "natural_person":
        found = id_number_validate(party.id_number, field="party.id_number", today=context.today)
    else:
        found = credit_code_validate(party.credit_code, field="party.credit_code")
    return [
        Violation(f"penalty.party.{v.code}", f"当事人{party.name}：{v.message}", v.legal_basis, v.field)
        for v in found
    ]


# --- 立案 -----------------------------------------------------------------------------------------


def opening_head_approval(snapshot: Snapshot, context: Context) -> list[Violation]:
    if snapshot.opening_approved_by_head:
        return []
    if snapshot.opening_head_decision == "disagree":
        return [
            Violation(
                "penalty.opening.head_disagreed",
                "行政机关负责人不同意立案：可以补充材料后重新报请负责人审批，或者办理不予立案",
                OPENING_APPROVAL_BASIS,
                "opening_approved_by_head",
            )
        ]
    return [
        Violation(
            "penalty.opening.head_approval_missing",
            "立案（或者不予立案）须经行政机关负责人批准，尚无负责人审批意见",
            OPENING_APPROVAL_BASIS,
            "opening_approved_by_head",
        )
    ]


def decline_head_approval(snapshot: Snapshot, context: Context) -> list[Violation]:
    """不予立案 also needs the head: either the head's answer to the proposal to open was 不同意
    (the head decided the case is not to be opened), or the head approved the file on which the
    officer proposes not to open."""
    if snapshot.opening_head_decision == "disagree":
        return []
    return opening_head_approval(snapshot, context)


# No article of the laws in legal_rules.md sets how a case opened by mistake is closed; some
# sectors' procedure rules provide 撤销立案 (to be confirmed by the legal staff). Until then it is
# the platform's rule, shown as such.
WITHDRAWAL_BASIS = ("平台规则：立案有误（误立案、重复立案等）的案件，在作出决定前由机关负责人撤销立案并记明理由"
                    "（法律未规定撤销立案的程序；部门行政处罚程序规定另有规定的，从其规定，待法制部门核实）")
WITHDRAWAL_KINDS = {
    "mistaken": "误立案（不符合立案条件或者不属于本机关管辖）",
    "duplicate": "重复立案",
    "other": "其他立案有误的情形",
}


def case_withdrawal_reasoned(snapshot: Snapshot, context: Context) -> list[Violation]:
    """撤销立案 says which mistake and why, for the ledger and for the supervisors."""
    found = []
    if snapshot.withdrawal_kind not in WITHDRAWAL_KINDS:
        found.append(Violation("penalty.withdrawal.kind_missing", "请选择撤销立案的情形（误立案、重复立案等）",
                               WITHDRAWAL_BASIS, "kind"))
    if not snapshot.withdrawal_reason.strip():
        found.append(Violation("penalty.withdrawal.reason_missing", "撤销立案须写明理由", WITHDRAWAL_BASIS, "reason"))
    return found


def opening_limitation(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第三十六条: an act not discovered within the period may no longer be penalised; opening
    anyway needs a recorded legal reason (e.g. another law sets a longer period)."""
    end = limitation_end(snapshot, context)
    discovered = snapshot.discovered_on or context.today
    if discovered <= end.date or snapshot.limitation_override_reason.strip():
        return []
    ended = snapshot.act_ended_on or snapshot.act_date
    years = limitation_years(snapshot, context)
    return [
        Violation(
            "penalty.opening.limitation_expired",
            f"违法行为（终了于{iso(ended)}）至{iso(discovered)}才被发现，已超过{chinese_numeral(years.value)}年的追责期限"
            f"（{iso(end.date)}届满），不再给予行政处罚；如有法律规定的其他期限，须记录理由",
            years.reference if "第三十六条" in years.reference else f"{ART(36)}；{years.reference}",
            "discovered_on",
        )
    ]


# --- 调查取证 -------------------------------------------------------------------------------------


def min_officers(snapshot: Snapshot, context: Context, *, on: dt.date) -> tuple[int, str]:
    """How many officers an act of this case needs on `on`, with its basis (第四十二条)."""
    return officers_required(on=on, region=snapshot.region, sector=snapshot.sector, parameters=context.parameters)


def investigation_officers_today(snapshot: Snapshot, context: Context) -> list[Violation]:
    """At least two assigned officers who may act today, each with a certificate valid today for
    the case's field (第四十二条); a recused officer does not count (第四十三条)."""
    needed, basis = min_officers(snapshot, context, on=context.today)
    recused = recused_officer_ids(snapshot)
    problems, able = [], 0
    for officer in snapshot.officers:
        if officer.id in recused:
            continue
        found = officer_problems_on(
            officer,
            context.today,
            enforcement_field=snapshot.enforcement_field,
            region=snapshot.region,
            parameters=context.parameters,
        )
        problems += [Violation(f"penalty.investigation.{p.code}", p.message, p.legal_basis, "officers") for p in found]
        able += not found
    if able >= needed:
        # Enough officers may act; one who may not is kept out of each act by its own check.
        return []
    return [
        Violation(
            "penalty.investigation.too_few_officers",
            f"调查取证须由不少于{needed}名持有有效执法证件的执法人员进行，本案目前只有{able}名",
            basis,
            "officers",
        ),
        *problems,
    ]


def investigation_acts_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Every recorded inspection or questioning was done by at least two assigned officers, each
    with a certificate valid on that day for this field (第四十二条), who showed it (第五十五条)
    and made the record (第五十五条); nobody acted after being recused (第四十三条)."""
    if not snapshot.investigative_acts:
        return [
            Violation(
                "penalty.investigation.no_act",
                "尚未登记任何询问、现场检查或者抽样取证，不能终结调查",
                ART(54, 55),
                "investigative_acts",
            )
        ]
    violations = []
    for act in snapshot.investigative_acts:
        what = f"{iso(act.on)}的{ACT_LABELS.get(act.kind, '调查')}"
        violations += investigative_act_problems(snapshot, context, act=act, what=what)
    return violations


def investigative_act_problems(snapshot: Snapshot, context: Context, *, act, what: str = "本次调查") -> list[Violation]:
    """Why one investigative act may not be recorded (the Django form calls this before saving a
    询问笔录 or 现场检查笔录: legal_rules §8.1 items 1 and 2)."""
    violations = []
    needed, basis = min_officers(snapshot, context, on=act.on)
    recused = recused_officer_ids(snapshot, on=act.on)
    officer_ids = tuple(dict.fromkeys(act.officer_ids))
    valid = 0
    for officer_id in officer_ids:
        officer = snapshot.officer(officer_id)
        if officer is None:
            violations.append(
                Violation(
                    "penalty.investigation.act_officer_not_assigned",
                    f"{what}的执法人员（编号{officer_id}）不是本案承办人员",
                    ART(42),
                    "officer_ids",
                )
            )
            continue
        if officer_id in recused:
            violations.append(
                Violation(
                    "penalty.investigation.act_by_recused_officer",
                    f"{officer.name}已被决定回避，不得参加{what}",
                    ART(43),
                    "officer_ids",
                )
            )
            continue
        if not any(
            certificate_is_valid_on(c, act.on, enforcement_field=snapshot.enforcement_field)
            for c in officer.certificates
        ):
            field_text = f"“{snapshot.enforcement_field}”领域" if snapshot.enforcement_field else ""
            violations.append(
                Violation(
                    "penalty.investigation.act_certificate_invalid",
                    f"{officer.name}在{iso(act.on)}没有{field_text}有效的执法证，不能参加{what}",
                    ART(42),
                    "officer_ids",
                )
            )
            continue
        valid += 1
    if valid < needed:
        violations.insert(
            0,
            Violation(
                "penalty.investigation.act_too_few_officers",
                f"{what}须由不少于{needed}名持有有效执法证件的执法人员进行，实际为{valid}名",
                basis,
                "officer_ids",
            ),
        )
    if not act.certificate_shown:
        violations.append(
            Violation(
                "penalty.investigation.certificate_not_shown",
                f"{what}未记录向当事人或者有关人员出示执法证件，笔录不能保存",
                ART(55, detail="第一款"),
                "certificate_shown",
            )
        )
    if not act.record_made:
        violations.append(
            Violation(
                "penalty.investigation.act_record_missing",
                f"{what}未制作笔录",
                ART(55, detail="第二款"),
                "record_made",
            )
        )
    return violations


def preservations_handled(snapshot: Snapshot, context: Context) -> list[Violation]:
    """先行登记保存 needs the head's approval, and a handling decision (第五十六条)."""
    violations = []
    for preservation in snapshot.preservations:
        if not preservation.approved_by_head:
            violations.append(
                Violation(
                    "penalty.preservation.not_approved",
                    f"{iso(preservation.on)}的先行登记保存未经行政机关负责人批准",
                    ART(56),
                    "preservations",
                )
            )
        if preservation.handled_on is None:
            violations.append(
                Violation(
                    "penalty.preservation.undecided",
                    f"{iso(preservation.on)}先行登记保存的证据尚未作出处理决定（应在七日内作出）",
                    ART(56),
                    "preservations",
                )
            )
    return violations


def recusals_decided(snapshot: Snapshot, context: Context) -> list[Violation]:
    return [
        Violation(
            "penalty.recusal.undecided",
            f"{iso(r.requested_on)}提出的回避申请尚未由行政机关负责人决定"
            + (f"（{o.name}）" if (o := snapshot.officer(r.officer_id)) else ""),
            ART(43),
            "recusals",
        )
        for r in snapshot.recusals
        if r.decided_on is None
    ]


# --- 事先告知 -------------------------------------------------------------------------------------


def terms_problems(terms: PenaltyTerms, *, what: str, field: str) -> list[Violation]:
    violations = []
    unknown = sorted(terms.kinds - set(PENALTY_KINDS))
    if unknown:
        violations.append(
            Violation("penalty.terms.unknown_kind", f"{what}含有未知的处罚种类：{'、'.join(unknown)}", ART(9), field)
        )
    if not terms.kinds:
        violations.append(Violation("penalty.terms.empty", f"{what}未写明处罚种类", ART(9), field))
    if ("fine" in terms.kinds) != (terms.fine_fen > 0):
        violations.append(
            Violation("penalty.terms.fine_inconsistent", f"{what}的罚款种类与罚款数额不一致", ART(9), field)
        )
    if terms.fine_fen < 0 or terms.confiscation_fen < 0:
        violations.append(Violation("penalty.terms.negative", f"{what}的数额不能为负数", ART(9), field))
    return violations


def notice_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Before deciding a penalty the party is told the proposed penalty, its facts, reasons and
    basis, and its rights (第四十四条); the hearing right where 第六十三条 applies."""
    notice = snapshot.notice
    if notice is None:
        return [
            Violation(
                "penalty.notice.missing",
                "尚未制作行政处罚事先告知书",
                ART(44),
                "notice",
            )
        ]
    violations = terms_problems(notice.penalty, what="事先告知的拟处罚内容", field="notice.penalty")
    if notice.served_on is None:
        violations.append(
            Violation("penalty.notice.not_served", "行政处罚事先告知书尚未送达当事人", ART(44), "notice.served_on")
        )
    elif notice.served_on > context.today:
        violations.append(
            Violation(
                "penalty.notice.served_in_future",
                f"事先告知书的送达日期{iso(notice.served_on)}晚于今天",
                ART(44),
                "notice.served_on",
            )
        )
    required = [e for e in NOTICE_ELEMENTS if e != "hearing_right"]
    hearing = notified_hearing_reasons(snapshot, context)
    if hearing:
        required.append("hearing_right")
    missing = [e for e in required if e not in notice.elements]
    if missing:
        violations.append(
            Violation(
                "penalty.notice.element_missing",
                f"事先告知书缺少：{listed(NOTICE_ELEMENTS, missing)}"
                + (f"（{'；'.join(hearing)}，应当告知听证权利）" if "hearing_right" in missing else ""),
                ART(44, 63) if "hearing_right" in missing else ART(44),
                "notice.elements",
            )
        )
    return violations


# --- 听证 -----------------------------------------------------------------------------------------


def hearing_request_valid(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The party asked for a hearing within 5 working days of being told (第六十四条第一项)."""
    hearing = snapshot.hearing
    if hearing is None:
        return [Violation("penalty.hearing.not_requested", "当事人未要求听证", ART(64, detail="第一项"), "hearing")]
    end = hearing_request_end(snapshot, context)
    if end is not None and hearing.requested_on > end.date:
        return [
            Violation(
                "penalty.hearing.request_late",
                f"当事人于{iso(hearing.requested_on)}要求听证，已超过告知后五个工作日的期限（{iso(end.date)}）",
                ART(64, detail="第一项"),
                "hearing.requested_on",
            )
        ]
    return []


def hearing_schedule_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Notice at least 7 working days ahead; a presiding officer who did not investigate; at
    most two agents (第六十四条第二、四、五项)."""
    hearing = snapshot.hearing
    if hearing is None:
        return []
    violations = []
    if hearing.notice_served_on is None or hearing.scheduled_for is None:
        violations.append(
            Violation(
                "penalty.hearing.notice_missing",
                "尚未确定听证时间、地点并通知当事人",
                ART(64, detail="第二项"),
                "hearing.notice_served_on",
            )
        )
    else:
        earliest = hearing_earliest_date(hearing.notice_served_on, snapshot, context)
        if hearing.scheduled_for < earliest.date:
            violations.append(
                Violation(
                    "penalty.hearing.notice_too_late",
                    f"听证通知于{iso(hearing.notice_served_on)}送达，听证须在七个工作日之后举行"
                    f"（不早于{iso(earliest.date)}），不能定于{iso(hearing.scheduled_for)}",
                    ART(64, detail="第二项"),
                    "hearing.scheduled_for",
                )
            )
    if hearing.presiding_officer_id is None:
        violations.append(
            Violation(
                "penalty.hearing.presiding_missing",
                "尚未指定听证主持人",
                ART(64, detail="第四项"),
                "hearing.presiding_officer_id",
            )
        )
    elif hearing.presiding_officer_id in investigator_ids(snapshot):
        violations.append(
            Violation(
                "penalty.hearing.presiding_is_investigator",
                "听证主持人不能是本案的调查人员，请另行指定",
                ART(64, detail="第四项"),
                "hearing.presiding_officer_id",
            )
        )
    max_agents = parameter(context, snapshot, "penalty.hearing.max_agents", on=context.today)
    if hearing.agent_count > max_agents.value:
        violations.append(
            Violation(
                "penalty.hearing.too_many_agents",
                f"当事人可以委托一至二人代理，现登记{hearing.agent_count}人",
                max_agents.reference,
                "hearing.agent_count",
            )
        )
    return violations


def hearing_date_reached(snapshot: Snapshot, context: Context) -> list[Violation]:
    hearing = snapshot.hearing
    if hearing is None or hearing.scheduled_for is None or context.today >= hearing.scheduled_for:
        return []
    return [
        Violation(
            "penalty.hearing.not_yet_due",
            f"听证定于{iso(hearing.scheduled_for)}举行，不能提前",
            ART(64, detail="第二项"),
            "hearing.scheduled_for",
        )
    ]


def hearing_withdrawn(snapshot: Snapshot, context: Context) -> list[Violation]:
    if snapshot.hearing is not None and snapshot.hearing.withdrawn_on is not None:
        return []
    return [Violation("penalty.hearing.not_withdrawn", "当事人没有撤回听证申请", ART(64), "hearing.withdrawn_on")]


# --- 决定 -----------------------------------------------------------------------------------------


def decision_draft_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    """One outcome (penalty, no penalty with its legal reason, or transfer: 第五十七条), and every
    element of the decision document (第五十九条)."""
    decision = snapshot.decision
    if decision is None:
        return [Violation("penalty.decision.draft_missing", "尚未拟定处理决定", ART(57), "decision")]
    violations = []
    if decision.outcome not in DECISION_OUTCOMES:
        return [
            Violation(
                "penalty.decision.outcome_unknown",
                f"处理结果“{decision.outcome}”不是给予处罚、不予处罚或者移送司法机关之一",
                ART(57),
                "decision.outcome",
            )
        ]
    if decision.outcome == "penalty":
        if decision.penalty is None:
            violations.append(
                Violation("penalty.decision.penalty_missing", "给予行政处罚的决定须写明处罚种类和数额", ART(59), "decision.penalty")
            )
        else:
            violations += terms_problems(decision.penalty, what="处罚决定", field="decision.penalty")
        if decision.no_penalty_reason:
            violations.append(
                Violation(
                    "penalty.decision.outcome_inconsistent",
                    "给予行政处罚的决定不能同时写明不予处罚的理由，只能有一种处理结果",
                    ART(57),
                    "decision.no_penalty_reason",
                )
            )
    else:
        if decision.penalty is not None:
            violations.append(
                Violation(
                    "penalty.decision.outcome_inconsistent",
                    f"{DECISION_OUTCOMES[decision.outcome]}的决定不能同时写明处罚内容，只能有一种处理结果",
                    ART(57),
                    "decision.penalty",
                )
            )
    if decision.outcome == "no_penalty" and decision.no_penalty_reason not in NO_PENALTY_REASONS:
        violations.append(
            Violation(
                "penalty.decision.no_penalty_reason_invalid",
                "不予行政处罚须写明法定理由（第三十条、第三十一条、第三十三条或者第四十条规定的情形）",
                ART(30, 31, 33, 40),
                "decision.no_penalty_reason",
            )
        )
    if decision.outcome == "transfer" and decision.no_penalty_reason:
        violations.append(
            Violation(
                "penalty.decision.outcome_inconsistent",
                "移送司法机关的决定不能同时写明不予处罚的理由",
                ART(27, 57),
                "decision.no_penalty_reason",
            )
        )
    required = {
        "penalty": PENALTY_DECISION_ELEMENTS,
        "no_penalty": NO_PENALTY_DECISION_ELEMENTS,
        "transfer": (),
    }[decision.outcome]
    missing = [e for e in required if e not in decision.elements]
    if missing:
        violations.append(
            Violation(
                "penalty.decision.element_missing",
                f"决定书缺少第五十九条规定的内容：{listed(DECISION_ELEMENTS, missing)}",
                ART(59),
                "decision.elements",
            )
        )
    return violations


def decision_notice_served(snapshot: Snapshot, context: Context) -> list[Violation]:
    """No penalty without the advance notice served first (第四十四条、第六十二条)."""
    decision = snapshot.decision
    if decision is None or decision.outcome != "penalty":
        return []
    notice = snapshot.notice
    if notice is None or notice.served_on is None:
        return [
            Violation(
                "penalty.decision.notice_missing",
                "作出行政处罚决定前，须向当事人送达事先告知书，告知拟处罚的内容及事实、理由、依据和陈述申辩、听证权利",
                ART(44, 62),
                "notice",
            )
        ]
    return []


def decision_statement_window(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The statement/defence window has run unless the party expressly waived it (第六十二条),
    and whatever the party said has been re-examined (复核, 第四十五条).

    A statement submitted does not end the window: the party may add to it until the last day;
    a party with nothing more to say records a waiver."""
    violations = []
    end = statement_window_end(snapshot, context)
    if end is not None and not snapshot.statement_waived and context.today <= end.date:
        violations.append(
            Violation(
                "penalty.decision.statement_window_running",
                f"当事人陈述、申辩期限至{iso(end.date)}届满"
                + ("（估算）" if end.estimated else "")
                + "，期满或者当事人明确放弃前不得作出决定",
                end.basis,
                "statement",
            )
        )
    if snapshot.statement_submitted_on is not None and "reexamination_record" not in snapshot.records:
        violations.append(
            Violation(
                "penalty.decision.reexamination_missing",
                f"当事人于{iso(snapshot.statement_submitted_on)}提出了陈述、申辩，须先对其事实、理由和证据进行复核并记录",
                ART(45),
                "records",
            )
        )
    return violations


def decision_hearing(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Where the notified penalty crosses the hearing thresholds (第六十三条): the notice said so,
    the request window has run (or the party waived), and a requested hearing was held and
    transcribed (第六十四条、第六十五条)."""
    reasons = notified_hearing_reasons(snapshot, context)
    notice = snapshot.notice
    if not reasons or notice is None or notice.served_on is None:
        return []
    violations = []
    if "hearing_right" not in notice.elements:
        violations.append(
            Violation(
                "penalty.decision.hearing_right_not_notified",
                f"拟作出的处罚属于听证范围（{'；'.join(reasons)}），事先告知书未告知听证权利，须重新告知",
                ART(44, 63),
                "notice.elements",
            )
        )
    end = hearing_request_end(snapshot, context)
    hearing = snapshot.hearing
    requested_in_time = hearing is not None and (end is None or hearing.requested_on <= end.date)
    if requested_in_time and hearing is not None:
        if hearing.withdrawn_on is None and hearing.held_on is None:
            violations.append(
                Violation(
                    "penalty.decision.hearing_not_held",
                    f"当事人于{iso(hearing.requested_on)}要求听证，听证结束前不得作出决定",
                    ART(64, 65),
                    "hearing",
                )
            )
        if hearing.held_on is not None and "hearing_transcript" not in snapshot.records:
            violations.append(
                Violation(
                    "penalty.decision.hearing_transcript_missing",
                    "听证笔录尚未入卷，须根据听证笔录作出决定",
                    ART(64, 65, detail="（第六十四条第八项）"),
                    "records",
                )
            )
    elif not snapshot.hearing_waived and end is not None and context.today <= end.date:
        violations.append(
            Violation(
                "penalty.decision.hearing_window_running",
                f"当事人要求听证的期限至{iso(end.date)}届满" + ("（估算）" if end.estimated else "")
                + "，期满或者当事人放弃前不得作出决定",
                end.basis,
                "hearing",
            )
        )
    return violations


def decision_not_heavier(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The decision may not be heavier than the penalty the party defended itself against, even
    after a new notice (第四十五条), nor heavier than the notice in force (第四十四条)."""
    decision, notice = snapshot.decision, snapshot.notice
    if decision is None or decision.outcome != "penalty" or decision.penalty is None:
        return []
    decided = decision.penalty.describe()
    violations = []
    defended = notice_defended_against(snapshot)
    if defended is not None and penalty_heavier(decision.penalty, defended.penalty):
        violations.append(
            Violation(
                "penalty.decision.heavier_after_defence",
                f"当事人已陈述、申辩，拟作出的处罚（{decided}）重于当事人申辩时告知的处罚"
                f"（{defended.penalty.describe()}），不得因当事人申辩而加重处罚",
                ART(45),
                "decision.penalty",
            )
        )
    heavier_than_notice = (
        notice is not None and notice.served_on is not None and penalty_heavier(decision.penalty, notice.penalty)
    )
    # When the party defended against the notice in force, the 第四十五条 refusal says it all.
    if heavier_than_notice and notice is not None and notice is not defended:
        violations.append(
            Violation(
                "penalty.decision.heavier_than_notified",
                f"拟作出的处罚（{decided}）重于事先告知的处罚（{notice.penalty.describe()}），须重新告知当事人",
                ART(44),
                "decision.penalty",
            )
        )
    return violations


def decision_review(snapshot: Snapshot, context: Context) -> list[Violation]:
    """No decision on a major case without a passing review of this very draft (第五十八条)."""
    return review_gate(snapshot, context)


def decision_collective_discussion(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Complex or major cases are decided by the leaders' collective discussion (第五十七条第二款)."""
    return discussion_gate(snapshot, context)


def decision_period(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Within 90 days of opening, unless an extension was approved (第六十条)."""
    due = decision_due(snapshot, context)
    if due is None or context.today <= due.date:
        return []
    return [
        Violation(
            "penalty.decision.period_expired",
            f"应当自立案之日（{iso(snapshot.opened_on)}）起九十日内作出决定，期限已于{iso(due.date)}届满，"
            "且没有经批准的延长",
            due.basis,
            "decision_due_extended_to",
        )
    ]


def decision_minor(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Under 14 at the time of the act: no penalty; 14 to 18: lighter or reduced (第三十条)."""
    decision = snapshot.decision
    if decision is None or decision.outcome != "penalty" or snapshot.party.kind != "natural_person":
        return []
    birth = party_birth_date(snapshot.party)
    if birth is None:
        return [
            Violation(
                "penalty.decision.birth_date_unknown",
                "未登记当事人的出生日期，无法核实违法行为时是否已满十四周岁",
                ART(30),
                "party.birth_date",
            )
        ]
    no_penalty = parameter(context, snapshot, "penalty.minor.no_penalty_under_years", on=snapshot.act_date)
    mitigate = parameter(context, snapshot, "penalty.minor.mitigate_under_years", on=snapshot.act_date)
    if not has_completed_years(birth, no_penalty.value, on=snapshot.act_date):
        return [
            Violation(
                "penalty.decision.party_under_14",
                f"当事人{snapshot.party.name}（{iso(birth)}出生）在违法行为发生时（{iso(snapshot.act_date)}）"
                f"不满{no_penalty.value}周岁，不予行政处罚，应当责令监护人加以管教",
                no_penalty.reference,
                "decision.outcome",
            )
        ]
    if not has_completed_years(birth, mitigate.value, on=snapshot.act_date) and not decision.mitigation_recorded:
        return [
            Violation(
                "penalty.decision.minor_mitigation_missing",
                f"当事人在违法行为发生时不满{mitigate.value}周岁，应当从轻或者减轻处罚，决定中须写明",
                mitigate.reference,
                "decision.mitigation_recorded",
            )
        ]
    return []


def decision_second_fine(snapshot: Snapshot, context: Context) -> list[Violation]:
    """No second fine for the same act (第二十九条)."""
    if not decided_fine(snapshot) or not snapshot.prior_fines_for_same_act:
        return []
    return [
        Violation(
            "penalty.decision.second_fine",
            f"同一违法行为已由{'、'.join(snapshot.prior_fines_for_same_act)}处以罚款，不得给予两次以上罚款",
            ART(29),
            "decision.penalty",
        )
    ]


# --- 送达 -----------------------------------------------------------------------------------------


def service_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Service by a lawful method (第六十一条; 民事诉讼法第八十七条至第九十五条)."""
    decision, service = snapshot.decision, snapshot.service
    violations = []
    if decision is not None and decision.outcome == "transfer":
        violations.append(
            Violation(
                "penalty.service.transfer_not_served",
                "移送司法机关的案件没有需要送达的行政处罚决定书",
                ART(27),
                "decision.outcome",
            )
        )
    if service is None:
        violations.append(
            Violation("penalty.service.missing", "尚未登记送达方式和送达日期", ART(61), "service")
        )
        return violations
    if service.method not in SERVICE_METHODS:
        violations.append(
            Violation(
                "penalty.service.method_unknown",
                f"送达方式“{service.method}”不是直接、留置、邮寄、电子或者公告送达",
                ART(61),
                "service.method",
            )
        )
    if service.method == "electronic" and not service.consent_signed:
        violations.append(
            Violation(
                "penalty.service.electronic_without_consent",
                "当事人未签订确认书同意电子送达，不能以传真、电子邮件等方式送达",
                ART(61, detail="第二款"),
                "service.consent_signed",
            )
        )
    if service.method == "lien" and not service.witnessed_or_recorded:
        violations.append(
            Violation(
                "penalty.service.lien_without_witness",
                "留置送达须由见证人签名，或者以拍照、录像等方式记录送达过程",
                article(CIVIL_PROCEDURE_LAW, 89),
                "service.witnessed_or_recorded",
            )
        )
    if service.method == "public_notice" and not service.other_methods_failed:
        violations.append(
            Violation(
                "penalty.service.public_notice_not_justified",
                "只有受送达人下落不明或者以其他方式无法送达时，才能公告送达，并须记明原因和经过",
                article(CIVIL_PROCEDURE_LAW, 95),
                "service.other_methods_failed",
            )
        )
    if snapshot.decided_on is not None and service.served_on < snapshot.decided_on:
        violations.append(
            Violation(
                "penalty.service.before_decision",
                f"送达日期{iso(service.served_on)}早于决定日期{iso(snapshot.decided_on)}",
                ART(61),
                "service.served_on",
            )
        )
    if service.served_on > context.today:
        violations.append(
            Violation(
                "penalty.service.in_future",
                f"送达日期{iso(service.served_on)}晚于今天",
                ART(61),
                "service.served_on",
            )
        )
    return violations


# --- 执行 -----------------------------------------------------------------------------------------


def execution_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Execution is complete when the fine and any surcharge are paid (第六十七条、第七十二条), or
    the court has enforced the decision."""
    decision = snapshot.decision
    if decision is None or decision.outcome != "penalty":
        return [
            Violation(
                "penalty.execution.not_applicable",
                "只有给予行政处罚的决定需要执行",
                ART(66),
                "decision.outcome",
            )
        ]
    if snapshot.state == "court_enforcement" or not decided_fine(snapshot):
        return []
    owed = amount_due_as_of(snapshot, context, on=context.today)
    if owed:
        return [
            Violation(
                "penalty.execution.not_paid",
                f"罚款（含加处罚款）尚欠{yuan(owed)}，未执行完毕",
                ART(66, 67, 72),
                "payments",
            )
        ]
    return []


def court_application_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Apply to the court only when the party neither paid nor challenged the decision in time
    (行政强制法第五十三条), after a demand served at least 10 working days earlier (第五十四条),
    and after any approved deferral or instalments ran out (行政处罚法第七十二条第二款)."""
    violations = []
    schedule = payment_schedule(snapshot, context)
    if schedule is None or not amount_due_as_of(snapshot, context, on=context.today):
        return [
            Violation(
                "penalty.enforcement.nothing_due",
                "没有逾期未缴的罚款，不需要申请强制执行",
                article(COMPULSION_LAW, 53),
                "payments",
            )
        ]
    _, last_due = schedule
    if context.today <= last_due.date:
        violations.append(
            Violation(
                "penalty.enforcement.payment_period_running",
                f"缴纳期限（含经批准的暂缓、分期）至{iso(last_due.date)}届满，期满前不能申请强制执行",
                f"{ART(72, detail='第二款')}；{last_due.basis}",
                "payments",
            )
        )
    opens = court_application_opens(snapshot, context)
    if opens is not None and context.today < opens.date:
        violations.append(
            Violation(
                "penalty.enforcement.challenge_period_running",
                f"申请行政复议、提起行政诉讼的期限尚未届满，{iso(opens.date)}起才能申请人民法院强制执行",
                opens.basis,
                "challenges",
            )
        )
    if any(c.ended_on is None for c in snapshot.challenges):
        violations.append(
            Violation(
                "penalty.enforcement.challenge_pending",
                "行政复议或者行政诉讼尚未终结",
                article(COMPULSION_LAW, 53),
                "challenges",
            )
        )
    demand = snapshot.enforcement_demand_served_on
    if demand is None:
        violations.append(
            Violation(
                "penalty.enforcement.demand_missing",
                "申请人民法院强制执行前，须先催告当事人履行义务",
                article(COMPULSION_LAW, 54),
                "enforcement_demand_served_on",
            )
        )
    else:
        days = parameter(context, snapshot, "penalty.enforcement.demand_working_days", on=demand)
        # "催告书送达十日后": the party has the whole ten working days (the last is
        # `wait_ends`) to perform; the court may be asked from the next day on.
        wait_ends = context.calendar.working_days_after(demand, days.value)
        if context.today <= wait_ends.date:
            violations.append(
                Violation(
                    "penalty.enforcement.demand_too_recent",
                    f"催告书于{iso(demand)}送达，十个工作日至{iso(wait_ends.date)}届满，"
                    f"届满后（{iso(wait_ends.date + dt.timedelta(days=1))}起）当事人仍未履行的，才能申请强制执行",
                    days.reference,
                    "enforcement_demand_served_on",
                )
            )
    return violations


# --- 结案 -----------------------------------------------------------------------------------------


def close_path(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Each outcome closes from its own last step: a transfer once decided, a no-penalty decision
    once served, a penalty once executed."""
    decision = snapshot.decision
    outcome = decision.outcome if decision is not None else None
    expected = {"transfer": "decided", "no_penalty": "served", "penalty": "executed"}.get(outcome or "")
    if snapshot.state not in ("decided", "served", "executed") or expected == snapshot.state:
        return []
    step = {"decided": "作出决定", "served": "送达决定书", "executed": "执行完毕"}.get(expected or "", "作出决定")
    return [
        Violation(
            "penalty.close.wrong_path",
            f"{DECISION_OUTCOMES.get(outcome or '', '本案')}的案件须在{step}后结案",
            ART(57, 61, 66),
            "state",
        )
    ]


# --- 简易程序 -------------------------------------------------------------------------------------


def summary_limits(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Only a warning, or a fine of at most 200 yuan (citizen) / 3,000 yuan (organisation), may be
    decided on the spot (第五十一条)."""
    decision = snapshot.decision
    if decision is None or decision.outcome != "penalty" or decision.penalty is None:
        return [
            Violation(
                "penalty.summary.not_a_penalty",
                "当场处罚决定须写明给予的行政处罚",
                ART(51, 52),
                "decision",
            )
        ]
    terms = decision.penalty
    violations = terms_problems(terms, what="当场处罚决定", field="decision.penalty")
    kinds = parameter(context, snapshot, "penalty.summary.kinds", on=context.today)
    other = sorted(terms.kinds - set(kinds.value))
    if other:
        violations.append(
            Violation(
                "penalty.summary.kind_not_allowed",
                f"简易程序只能给予警告或者罚款，不能给予{'、'.join(PENALTY_KINDS.get(k, k) for k in other)}，应当适用普通程序",
                kinds.reference,
                "decision.penalty",
            )
        )
    who = "natural_person" if snapshot.party.kind == "natural_person" else "organization"
    limit = parameter(context, snapshot, f"penalty.summary.max_fine_{who}_fen", on=context.today)
    if "fine" in terms.kinds and terms.fine_fen > limit.value:
        party = "公民" if who == "natural_person" else "法人或者其他组织"
        violations.append(
            Violation(
                "penalty.summary.fine_over_limit",
                f"对{party}当场罚款不得超过{yuan(limit.value)}，拟罚款{yuan(terms.fine_fen)}，应当适用普通程序",
                limit.reference,
                "decision.penalty",
            )
        )
    return violations


def summary_officers(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Officers who may act today, in the number required, who showed their certificate
    (第四十二条、第五十二条)."""
    on_spot = snapshot.on_spot
    if on_spot is None:
        return [Violation("penalty.summary.facts_missing", "尚未登记现场执法情况", ART(52), "on_spot")]
    needed, basis = min_officers(snapshot, context, on=context.today)
    violations, able = [], 0
    for officer_id in dict.fromkeys(on_spot.officer_ids):
        officer = snapshot.officer(officer_id)
        if officer is None:
            violations.append(
                Violation(
                    "penalty.summary.officer_not_assigned",
                    f"执法人员（编号{officer_id}）未登记为本案执法人员",
                    ART(42),
                    "on_spot.officer_ids",
                )
            )
            continue
        problems = officer_problems_on(
            officer,
            context.today,
            enforcement_field=snapshot.enforcement_field,
            region=snapshot.region,
            parameters=context.parameters,
        )
        violations += [Violation(f"penalty.summary.{p.code}", p.message, p.legal_basis, "on_spot.officer_ids") for p in problems]
        able += not problems
    if able < needed:
        violations.insert(
            0,
            Violation(
                "penalty.summary.too_few_officers",
                f"当场处罚须由不少于{needed}名持有有效执法证件的执法人员进行，实际为{able}名",
                basis,
                "on_spot.officer_ids",
            ),
        )
    if not on_spot.certificate_shown:
        violations.append(
            Violation(
                "penalty.summary.certificate_not_shown",
                "未记录向当事人出示执法证件",
                ART(52),
                "on_spot.certificate_shown",
            )
        )
    return violations


def summary_party_heard(snapshot: Snapshot, context: Context) -> list[Violation]:
    on_spot = snapshot.on_spot
    if on_spot is None:
        return []
    violations = []
    if not on_spot.party_informed:
        violations.append(
            Violation(
                "penalty.summary.party_not_informed",
                "当场作出处罚决定前，须告知当事人拟作出处罚的事实、理由、依据以及陈述、申辩的权利",
                ART(44, 62),
                "on_spot.party_informed",
            )
        )
    if not on_spot.statement_heard_or_waived:
        violations.append(
            Violation(
                "penalty.summary.statement_not_heard",
                "须听取当事人的陈述、申辩（或者记录当事人放弃）",
                ART(45, 62),
                "on_spot.statement_heard_or_waived",
            )
        )
    return violations


def summary_form_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The pre-printed, numbered form carries every element of 第五十二条."""
    decision = snapshot.decision
    if decision is None:
        return []
    violations = []
    required = [e for e in SUMMARY_DECISION_ELEMENTS if e != "amount" or decided_fine(snapshot)]
    missing = [e for e in required if e not in decision.elements]
    if missing:
        violations.append(
            Violation(
                "penalty.summary.element_missing",
                f"当场处罚决定书缺少：{listed(SUMMARY_DECISION_ELEMENTS, missing)}",
                ART(52, detail="第二款"),
                "decision.elements",
            )
        )
    if not decision.number.strip():
        violations.append(
            Violation(
                "penalty.summary.number_missing",
                "当场处罚决定书须使用预定格式、编有号码的决定书，未登记编号",
                ART(52, detail="第一款"),
                "decision.number",
            )
        )
    return violations


def summary_handed_over(snapshot: Snapshot, context: Context) -> list[Violation]:
    on_spot = snapshot.on_spot
    violations = []
    if on_spot is None or on_spot.handed_over_on is None:
        return [Violation("penalty.summary.not_handed_over", "决定书尚未当场交付当事人", ART(52), "on_spot.handed_over_on")]
    if snapshot.decided_on is not None and on_spot.handed_over_on != snapshot.decided_on:
        violations.append(
            Violation(
                "penalty.summary.not_on_the_spot",
                f"当场处罚决定书须当场交付，决定于{iso(snapshot.decided_on)}作出，登记的交付日期为{iso(on_spot.handed_over_on)}",
                ART(52, detail="第一款"),
                "on_spot.handed_over_on",
            )
        )
    if not on_spot.party_signed_or_refusal_noted:
        violations.append(
            Violation(
                "penalty.summary.signature_missing",
                "须由当事人签收；当事人拒绝签收的，应当在决定书上注明",
                ART(52, detail="第一款"),
                "on_spot.party_signed_or_refusal_noted",
            )
        )
    return violations


def summary_collection_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """On-the-spot collection only on the grounds of 第六十八条 and 第六十九条."""
    on_spot = snapshot.on_spot
    fine = decided_fine(snapshot)
    if on_spot is None or not fine:
        return [
            Violation(
                "penalty.summary.nothing_to_collect",
                "本决定没有罚款，不能当场收缴",
                ART(67, detail="第一款（罚缴分离）"),
                "decision.penalty",
            )
        ]
    violations = []
    ground = on_spot.collection_ground
    if ground not in ON_SPOT_COLLECTION_GROUNDS:
        violations.append(
            Violation(
                "penalty.summary.collection_not_allowed",
                "作出罚款决定的行政机关应当与收缴罚款的机构分离；当场收缴须符合第六十八条或者第六十九条规定的情形",
                ART(67, 68, 69),
                "on_spot.collection_ground",
            )
        )
    elif ground == "small_fine":
        limit = parameter(context, snapshot, "penalty.summary.on_spot_collection_max_fen", on=context.today)
        if fine > limit.value:
            violations.append(
                Violation(
                    "penalty.summary.collection_over_limit",
                    f"罚款{yuan(fine)}超过{yuan(limit.value)}，不能以“一百元以下罚款”为由当场收缴",
                    limit.reference,
                    "on_spot.collection_ground",
                )
            )
    if on_spot.collected_fen <= 0 or on_spot.collected_fen > fine:
        violations.append(
            Violation(
                "penalty.summary.collection_amount",
                f"当场收缴的数额应大于零且不超过罚款数额{yuan(fine)}",
                ART(68),
                "on_spot.collected_fen",
            )
        )
    return violations


def summary_paid(snapshot: Snapshot, context: Context) -> list[Violation]:
    if not decided_fine(snapshot):
        return []
    owed = amount_due_as_of(snapshot, context, on=context.today)
    if owed:
        return [
            Violation(
                "penalty.summary.not_paid",
                f"罚款（含加处罚款）尚欠{yuan(owed)}，不能结案",
                ART(67, 72),
                "payments",
            )
        ]
    return []


def summary_cash_handed_over(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Cash collected on the spot reaches the agency (第七十一条) before the case is closed."""
    on_spot = snapshot.on_spot
    if on_spot is None or not on_spot.collected_fen or on_spot.cash_handed_to_agency_on is not None:
        return []
    return [
        Violation(
            "penalty.summary.cash_not_handed_over",
            "当场收缴的罚款尚未交至行政机关",
            ART(71),
            "on_spot.cash_handed_to_agency_on",
        )
    ]
