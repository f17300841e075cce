"""The guards of 行政强制执行: small pure functions of a case snapshot and the guard context, each
returning every violation it finds (never only the first), each with its article of 行政强制法.

Codes are stable (`enforcement.<step>.<what>`). Messages are Chinese and name the facts (dates,
amounts) so that an officer can act on them. The one rule of this platform rather than of law (the
audio-video list) cites the list it reads, never a statute.
"""

import datetime as dt
import re
from decimal import Decimal

from sanxiang.procedure.enforcement.basis import CIVIL_PROCEDURE_LAW, compulsion_article, platform_rule
from sanxiang.procedure.enforcement.deadlines import (
    ONE_DAY,
    challenge_periods_end,
    court_wait_end,
    court_window,
    parameter,
    substitute_demand_latest,
    surcharge_accrued,
    surcharge_cap,
    surcharge_enforceable_from,
)
from sanxiang.procedure.enforcement.snapshot import (
    COURT_RULINGS,
    DEMAND_ELEMENTS,
    EXECUTION_DECISION_ELEMENTS,
    SERVICE_METHODS,
    EnforcementCaseSnapshot,
    ExecutionPlan,
)
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.penalty.snapshot import yuan
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Violation

Snapshot = EnforcementCaseSnapshot
Context = GuardContext
ART = compulsion_article

# The audio-video list (音像记录事项清单) is one parameter for every kind of 行政强制, defined in
# coercion.toml; the execution steps it may name are below.
AUDIO_VIDEO_PARAMETERS = ("coercion.audio_video_required_steps",)
DESK_METHODS = frozenset({"surcharge", "transfer"})
AUDIO_VIDEO_STEPS: dict[str, str] = {
    "forced_demolition": "强制拆除",
    "execution": "在现场实施强制执行",
    "substitute_performance": "代履行",
}


def iso(day: dt.date) -> str:
    return day.isoformat()


def listed(labels: dict[str, str], keys) -> str:
    return "、".join(f"“{labels.get(k, k)}”" for k in sorted(keys))


def demolition(snapshot: Snapshot) -> bool:
    decision = snapshot.execution_decision
    return snapshot.decision.obligation == "demolition" or (decision is not None and decision.method == "demolition")


def money_owed(snapshot: Snapshot) -> bool:
    return snapshot.decision.obligation == "payment"


# --- the obligation -------------------------------------------------------------------------------


def decision_registered(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Nothing is demanded or recorded on a decision the case does not know yet (a decision made
    outside the platform is registered first): the platform's rule, to check the law on its facts."""
    if snapshot.decision.registered:
        return []
    return [
        Violation(
            "enforcement.decision.unregistered",
            "尚未登记据以执行的行政决定（名称、文号、送达日期、履行期限和义务），请先登记",
            f"{PLATFORM_PREFIX}：催告书、强制执行决定书等文书须载明据以执行的行政决定（{ART(34, 35)}）",
            "decision",
        )
    ]


def obligation_outstanding(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Only a duty the party failed to perform within the decision's period is enforced (第三十四条)."""
    return obligation_problems(snapshot, on=context.today)


def plan_day(snapshot: Snapshot, context: Context) -> dt.date:
    """The day the execution (or the 代履行) took place, as its plan says; today without a plan.
    An execution recorded after the fact is judged on the day it happened, not the day it is entered."""
    return snapshot.plan.starts_at.date() if snapshot.plan is not None else context.today


def obligation_outstanding_when_executed(snapshot: Snapshot, context: Context) -> list[Violation]:
    """第三十四条 on the day the execution starts: the decision's period had run, and the party had
    not performed."""
    on = plan_day(snapshot, context)
    return obligation_problems(snapshot, on=on, when=f"（强制执行于{iso(on)}开始）" if snapshot.plan is not None else "")


def obligation_problems(snapshot: Snapshot, *, on: dt.date, when: str = "") -> list[Violation]:
    decision = snapshot.decision
    paid_up = money_owed(snapshot) and decision.principal_fen > 0 and decision.paid_fen >= decision.principal_fen
    if (decision.performed_on is not None and decision.performed_on <= on) or paid_up:
        return [
            Violation(
                "enforcement.obligation.performed",
                f"当事人已经履行行政决定确定的义务，不能强制执行{when}",
                ART(34),
                "decision.performed_on",
            )
        ]
    if on <= decision.performance_due:
        return [
            Violation(
                "enforcement.obligation.period_running",
                f"行政决定确定的履行期限至{iso(decision.performance_due)}届满，期满当事人仍不履行的才能强制执行{when}",
                ART(34),
                "decision.performance_due",
            )
        ]
    return []


# --- 催告 (第三十五条、第三十八条) ---------------------------------------------------------------


def service_problems(
    what: str, *, served_on: dt.date | None, method: str, impossible: bool, field: str
) -> list[Violation]:
    """第三十八条: served directly; another method of 民事诉讼法 only when the party refused or
    could not be reached directly."""
    if served_on is None:
        return [Violation(f"{field}.not_served", f"{what}尚未送达当事人", ART(38), f"{field}.served_on")]
    if method not in SERVICE_METHODS:
        return [Violation(f"{field}.method_unknown", f"{what}的送达方式未登记", ART(38), f"{field}.service_method")]
    if method != "direct" and not impossible:
        return [
            Violation(
                f"{field}.not_direct",
                f"{what}应当直接送达当事人；{SERVICE_METHODS[method]}只能在当事人拒绝接收或者无法直接送达时采用，须记录原因",
                f"{ART(38)}；{CIVIL_PROCEDURE_LAW}",
                f"{field}.service_method",
            )
        ]
    return []


def demand_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The 催告 is in writing and states the deadline, the method, the amount (for money) and the
    right to state and defend (第三十五条); it is served directly (第三十八条)."""
    demand = snapshot.demand
    if demand is None:
        return [Violation("enforcement.demand.missing", "尚未制作书面催告书", ART(35), "demand")]
    violations = []
    needed = set(DEMAND_ELEMENTS) - ({"amount"} if not money_owed(snapshot) else set())
    missing = needed - demand.elements
    if missing:
        violations.append(
            Violation(
                "enforcement.demand.elements_missing",
                f"催告书缺少{listed(DEMAND_ELEMENTS, missing)}",
                ART(35),
                "demand.elements",
            )
        )
    if demand.deadline is None:
        violations.append(
            Violation("enforcement.demand.no_deadline", "催告书未载明履行义务的期限", ART(35, detail="第一项"), "demand.deadline")
        )
    elif demand.served_on is not None and demand.deadline <= demand.served_on:
        violations.append(
            Violation(
                "enforcement.demand.deadline_not_after_service",
                f"催告书确定的履行期限（{iso(demand.deadline)}）须在送达之日（{iso(demand.served_on)}）之后",
                ART(35, detail="第一项"),
                "demand.deadline",
            )
        )
    violations += service_problems(
        "催告书",
        served_on=demand.served_on,
        method=demand.service_method,
        impossible=demand.direct_service_impossible,
        field="enforcement.demand",
    )
    if demand.served_on is not None and demand.served_on > context.today:
        violations.append(
            Violation(
                "enforcement.demand.served_in_future",
                f"催告书的送达日期（{iso(demand.served_on)}）晚于今天",
                "系统输入校验规则",
                "demand.served_on",
            )
        )
    return violations


def demand_served(snapshot: Snapshot, context: Context) -> list[Violation]:
    """No execution decision, 代履行 or court application without a served 催告 (第三十五条、第五十一条、第五十四条)."""
    demand = snapshot.demand
    if demand is None or demand.served_on is None or demand.served_on > context.today:
        return [
            Violation(
                "enforcement.demand.not_served",
                "作出强制执行决定、代履行或者申请人民法院强制执行前，须先书面催告当事人并送达催告书",
                ART(35, 54),
                "demand",
            )
        ]
    return []


# --- 陈述、申辩 (第三十六条) -----------------------------------------------------------------------


def statements_reexamined(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Every statement and defence is recorded and re-examined before execution is decided (第三十六条)."""
    violations = []
    for statement in snapshot.statements:
        on = iso(statement.submitted_on)
        if not statement.recorded:
            violations.append(
                Violation(
                    "enforcement.statement.not_recorded",
                    f"当事人{on}提出的陈述、申辩尚未记录",
                    ART(36),
                    "statements",
                )
            )
        if statement.reexamined_on is None:
            violations.append(
                Violation(
                    "enforcement.statement.not_reexamined",
                    f"当事人{on}提出的事实、理由和证据尚未复核",
                    ART(36),
                    "statements",
                )
            )
    return violations


def statement_recordable(snapshot: Snapshot, context: Context) -> list[Violation]:
    """A statement step records at least one statement, each recorded and re-examined (第三十六条)."""
    if not snapshot.statements:
        return [Violation("enforcement.statement.none", "尚未登记当事人的陈述、申辩", ART(36), "statements")]
    return statements_reexamined(snapshot, context)


# --- 强制执行决定 (第三十七条、第四十五条、第四十六条) --------------------------------------------------


# A provision of a law (法律): 《…法》第…条. Only a law sets 行政强制执行 (第十三条第一款); a 条例,
# 规定 or 办法 (行政法规、地方性法规、规章) cannot grant the power.
LAW_PROVISION = re.compile(r"《[^《》]*法》第[一二三四五六七八九十百零〇]+条")


def not_entrusted(snapshot: Snapshot, context: Context) -> list[Violation]:
    """An entrusted organisation executes nothing itself: 行政强制执行 is set by law (第十三条) and
    carried out by the agency the law names, or by an organisation a law or administrative
    regulation authorises in its own name (第七十条); an entrustment gives neither."""
    if snapshot.agency_kind != "entrusted_organization":
        return []
    return [
        Violation(
            "enforcement.agency.entrusted",
            "受委托组织不能实施行政强制执行（作出强制执行决定、代履行决定或者实施执行），应当由委托行政机关依法办理",
            ART(13, 70),
            "agency",
        )
    ]


def execution_power_held(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Only an agency that a law empowers executes itself; the others apply to the court (第十三条、
    第五十三条). The claim is accountable: the provision of the law that grants the power is
    recorded, and it is a law's (第十三条第一款)."""
    if not snapshot.execution_power:
        return [
            Violation(
                "enforcement.power.none",
                "法律没有授予本机关行政强制执行权，不能自行强制执行，应当申请人民法院强制执行",
                ART(13, 53),
                "execution_power",
            )
        ]
    basis = snapshot.execution_power_basis.strip()
    if not basis:
        return [
            Violation(
                "enforcement.power.basis_missing",
                "本机关自行强制执行的，须载明授予本机关行政强制执行权的法律条款（如：《中华人民共和国税收征收管理法》第四十条）",
                ART(13, detail="第一款"),
                "execution_power_basis",
            )
        ]
    if not LAW_PROVISION.search(basis):
        return [
            Violation(
                "enforcement.power.basis_not_law",
                f"“{basis}”不是法律的条款：行政强制执行由法律设定，行政法规、地方性法规和规章不能授予行政强制执行权"
                "（请写明《……法》第……条）",
                ART(13, detail="第一款"),
                "execution_power_basis",
            )
        ]
    return []


def demand_deadline_passed(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Execution is decided only after the 催告's deadline passed without compliance, unless there
    is evidence that the party is moving or hiding property (立即强制执行, 第三十七条第三款)."""
    return deadline_problems(snapshot, context, immediate_allowed=True)


def demand_deadline_passed_for_substitute(snapshot: Snapshot, context: Context) -> list[Violation]:
    """代履行 is decided only after the 催告's deadline passed (第五十条: 经催告仍不履行). The
    immediate execution of 第三十七条第三款 does not apply; the immediate 代履行 of 第五十二条
    (clearing roads, waterways, public places) is not modelled and so never allowed here."""
    return deadline_problems(snapshot, context, immediate_allowed=False)


def deadline_problems(snapshot: Snapshot, context: Context, *, immediate_allowed: bool) -> list[Violation]:
    demand = snapshot.demand
    if demand is None or demand.deadline is None or demand.served_on is None:
        return []  # demand_served / demand_lawful say why
    if context.today > demand.deadline:
        return []
    decision = snapshot.execution_decision
    immediate = immediate_allowed and decision is not None and decision.immediate
    if immediate and snapshot.assets_being_hidden:
        return []
    violations = [
        Violation(
            "enforcement.demand.deadline_running",
            f"催告书确定的履行期限至{iso(demand.deadline)}届满，期满当事人仍不履行的才能作出强制执行决定",
            ART(37, detail="第一款"),
            "demand.deadline",
        )
    ]
    if immediate:
        violations.append(
            Violation(
                "enforcement.immediate.no_evidence",
                "催告期间立即强制执行，须有证据证明当事人有转移或者隐匿财物的迹象",
                ART(37, detail="第三款"),
                "assets_being_hidden",
            )
        )
    return violations


def percent(permille: int) -> str:
    return f"{(Decimal(permille) / 10).normalize():f}%"


def surcharge_terms(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The terms of the surcharge the decision told the party (第四十五条第一款: 当事人逾期不履行的，
    可以依法加处): it runs only after the decision's period, at a daily rate above nothing; for a
    fine the rate is the one 行政处罚法第七十二条 fixes, never more; any other rate states the
    provision that sets it."""
    surcharge, decision = snapshot.surcharge, snapshot.decision
    if surcharge is None:
        return []
    violations = []
    if surcharge.from_day <= decision.performance_due:
        violations.append(
            Violation(
                "enforcement.surcharge.from_within_period",
                f"加处罚款或者滞纳金自{iso(surcharge.from_day)}起算，早于行政决定确定的履行期限（{iso(decision.performance_due)}）届满："
                "当事人逾期不履行的，才能加处，最早自"
                f"{iso(decision.performance_due + ONE_DAY)}起算",
                ART(45, detail="第一款"),
                "surcharge.from_day",
            )
        )
    rate = surcharge.daily_permille
    if rate <= 0:
        violations.append(
            Violation(
                "enforcement.surcharge.rate_not_positive",
                "每日加处比例须大于零（不加处罚款或者滞纳金的，不登记加处标准）",
                FORM_BASIS,
                "surcharge.daily_permille",
            )
        )
        return violations
    lawful = None
    if decision.is_fine:
        law = parameter(context, snapshot, "penalty.surcharge.daily_percent", on=decision.received_on)
        lawful = int(Decimal(str(law.value)) * 10)
        if rate > lawful:
            violations.append(
                Violation(
                    "enforcement.surcharge.rate_above_law",
                    f"到期不缴纳罚款的，每日按罚款数额的{percent(lawful)}加处罚款，不能按每日{percent(rate)}加处",
                    law.reference,
                    "surcharge.daily_permille",
                )
            )
            return violations
    if rate != lawful and not surcharge.basis.strip():
        what = "罚款的加处比例低于法定比例" if lawful is not None else "加处罚款或者滞纳金"
        violations.append(
            Violation(
                "enforcement.surcharge.rate_basis_missing",
                f"{what}（每日{percent(rate)}）的，须载明规定该标准的法律、法规条款：加处罚款或者滞纳金须依法作出",
                ART(45, detail="第一款"),
                "surcharge.basis",
            )
        )
    return violations


def surcharge_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The surcharge was told to the party on lawful terms and never exceeds the principal (第四十五条)."""
    surcharge = snapshot.surcharge
    if surcharge is None:
        return []
    violations = surcharge_terms(snapshot, context)
    if not surcharge.notified:
        violations.append(
            Violation(
                "enforcement.surcharge.not_notified",
                "加处罚款或者滞纳金的标准应当告知当事人，尚无告知记录",
                ART(45, detail="第一款"),
                "surcharge.notified",
            )
        )
    cap = surcharge_cap(snapshot, context)
    if surcharge.claimed_fen > cap.value:
        violations.append(
            Violation(
                "enforcement.surcharge.above_principal",
                f"加处罚款或者滞纳金{yuan(surcharge.claimed_fen)}超出金钱给付义务的数额{yuan(cap.value)}",
                cap.reference,
                "surcharge.claimed_fen",
            )
        )
    accrued = surcharge_accrued(snapshot, context, on=context.today)
    if cap.value >= surcharge.claimed_fen > accrued:
        violations.append(
            Violation(
                "enforcement.surcharge.above_accrued",
                f"主张的加处罚款或者滞纳金{yuan(surcharge.claimed_fen)}多于截至今日依法累计的{yuan(accrued)}",
                ART(45),
                "surcharge.claimed_fen",
            )
        )
    return violations


def surcharge_ran_30_days(snapshot: Snapshot, context: Context) -> list[Violation]:
    """A money obligation is executed once the surcharge has run more than 30 days and the party,
    demanded, still does not pay (第四十六条第一款)."""
    if not money_owed(snapshot):
        return []
    # Deliberately no exception for 立即强制执行 (第三十七条第三款): that exception shortens the
    # 催告 period, not the 30 days of surcharge that 第四十六条 requires for money.
    enforceable = surcharge_enforceable_from(snapshot, context)
    if enforceable is None:
        return [
            Violation(
                "enforcement.surcharge.not_imposed",
                "金钱给付义务须先依法加处罚款或者滞纳金，超过三十日经催告仍不履行的，才能强制执行",
                ART(45, 46),
                "surcharge",
            )
        ]
    if context.today < enforceable.date:
        return [
            Violation(
                "enforcement.surcharge.under_30_days",
                f"加处罚款或者滞纳金自{iso(snapshot.surcharge.from_day)}起算，{iso(enforceable.date)}起才超过三十日",
                enforceable.basis,
                "surcharge.from_day",
            )
        ]
    return []


def execution_decision_complete(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The 强制执行决定书 is written and states what 第三十七条第二款 lists."""
    decision = snapshot.execution_decision
    if decision is None:
        return [Violation("enforcement.decision.missing", "尚未制作强制执行决定书", ART(37, detail="第二款"), "execution_decision")]
    missing = set(EXECUTION_DECISION_ELEMENTS) - decision.elements
    if not missing:
        return []
    return [
        Violation(
            "enforcement.decision.elements_missing",
            f"强制执行决定书缺少{listed(EXECUTION_DECISION_ELEMENTS, missing)}",
            ART(37, detail="第二款"),
            "execution_decision.elements",
        )
    ]


def execution_decision_served(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The 强制执行决定书 is served directly (第三十八条)."""
    decision = snapshot.execution_decision
    if decision is None:
        return [Violation("enforcement.decision.missing", "尚未制作强制执行决定书", ART(37, detail="第二款"), "execution_decision")]
    return service_problems(
        "强制执行决定书",
        served_on=decision.served_on,
        method=decision.service_method,
        impossible=decision.direct_service_impossible,
        field="enforcement.decision",
    )


# --- 实施 (第四十三条、第四十四条) ---------------------------------------------------------------


def hour_minute(text: str) -> dt.time:
    hours, minutes = str(text).split(":")
    return dt.time(int(hours), int(minutes))


def night_overlaps(plan: ExecutionPlan, night: tuple[dt.time, dt.time]) -> bool:
    """Whether any moment of [starts_at, ends_at) falls in the night [start, end) of some day."""
    start, end = night
    day = plan.starts_at.date() - ONE_DAY
    while day <= plan.ends_at.date():
        night_from = dt.datetime.combine(day, start)
        night_to = dt.datetime.combine(day + ONE_DAY if end <= start else day, end)
        if plan.starts_at < night_to and night_from < plan.ends_at:
            return True
        day += ONE_DAY
    return False


def rest_days(snapshot: Snapshot, context: Context, plan: ExecutionPlan) -> list[tuple[dt.date, str]]:
    """The days of the plan that are statutory holidays (and weekends, by the parameter)."""
    weekends = parameter(context, snapshot, "enforcement.execution.weekend_is_holiday", on=plan.starts_at.date()).value
    is_working_day = getattr(context.calendar, "is_working_day", None)
    found = []
    day = plan.starts_at.date()
    last = (plan.ends_at - dt.timedelta(microseconds=1)).date() if plan.ends_at > plan.starts_at else day
    while day <= last:
        if is_working_day is not None:
            answer = is_working_day(day)
            if answer.estimated:
                found.append((day, "节假日安排尚未录入"))
            elif answer.holiday_name is not None:
                found.append((day, answer.holiday_name))
            elif weekends and not answer.working:
                found.append((day, "休息日"))
        elif weekends and day.weekday() >= 5:
            found.append((day, "休息日"))
        day += ONE_DAY
    return found


def execution_time_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """No execution at night or on a statutory holiday, except in an emergency (第四十三条第一款)."""
    plan = snapshot.plan
    if plan is None:
        return [Violation("enforcement.plan.missing", "尚未登记实施强制执行的时间", ART(43), "plan")]
    if plan.ends_at <= plan.starts_at:
        return [Violation("enforcement.plan.times_invalid", "实施强制执行的结束时间须晚于开始时间", "系统输入校验规则", "plan.ends_at")]
    if plan.emergency and plan.emergency_reason.strip():
        return []
    night = parameter(context, snapshot, "enforcement.execution.night_hours", on=plan.starts_at.date())
    violations = []
    start, end = (hour_minute(t) for t in night.value)
    if night_overlaps(plan, (start, end)):
        violations.append(
            Violation(
                "enforcement.plan.at_night",
                f"不得在夜间（{start:%H:%M}至次日{end:%H:%M}）实施强制执行，情况紧急的除外（须记录紧急情况）",
                night.reference,
                "plan.starts_at",
            )
        )
    found = rest_days(snapshot, context, plan)
    unknown = [day for day, name in found if name == "节假日安排尚未录入"]
    holidays = [(day, name) for day, name in found if name != "节假日安排尚未录入"]
    if unknown:
        violations.append(
            Violation(
                "enforcement.plan.holiday_schedule_unknown",
                f"{unknown[0].year}年节假日安排尚未录入，无法确认实施日（{'、'.join(iso(d) for d in unknown)}）不是法定节假日；"
                "请先录入该年节假日安排，情况紧急的除外（须记录紧急情况）",
                platform_rule(f"不能确认不是法定节假日的日子不安排强制执行（为执行{ART(43, detail='第一款')}）"),
                "plan.starts_at",
            )
        )
    if holidays:
        days = "、".join(f"{iso(day)}（{name}）" for day, name in holidays)
        violations.append(
            Violation(
                "enforcement.plan.on_holiday",
                f"不得在法定节假日实施强制执行，情况紧急的除外（须记录紧急情况）：{days}",
                ART(43, detail="第一款"),
                "plan.starts_at",
            )
        )
    if violations and plan.emergency:
        violations.append(
            Violation(
                "enforcement.plan.emergency_reason_missing",
                "以情况紧急为由在夜间或者法定节假日实施的，须记录紧急情况",
                ART(43, detail="第一款"),
                "plan.emergency_reason",
            )
        )
    return violations


def no_utilities_cut(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Never cut residents' water, power, heat or gas to force compliance (第四十三条第二款), even in an emergency."""
    if snapshot.plan is not None and snapshot.plan.cuts_utilities:
        return [
            Violation(
                "enforcement.plan.utilities_cut",
                "不得对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行相关行政决定",
                ART(43, detail="第二款"),
                "plan.cuts_utilities",
            )
        ]
    return []


def demolition_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """强制拆除 only after a 公告 with a deadline, and after the 复议/诉讼 periods have run without
    an application (第四十四条), all as of the day the demolition starts (an execution recorded
    afterwards is judged on its own day)."""
    if not demolition(snapshot):
        return []
    notice = snapshot.demolition_notice
    if notice is None:
        return [
            Violation(
                "enforcement.demolition.no_notice",
                "强制拆除违法的建筑物、构筑物、设施，须先予以公告，限期当事人自行拆除",
                ART(44),
                "demolition_notice",
            )
        ]
    on = plan_day(snapshot, context)
    when = f"（强制拆除于{iso(on)}开始）" if snapshot.plan is not None else ""
    violations = []
    if on <= notice.deadline:
        violations.append(
            Violation(
                "enforcement.demolition.notice_deadline_running",
                f"公告限期当事人自行拆除的期限至{iso(notice.deadline)}届满，期满后才能强制拆除{when}",
                ART(44),
                "demolition_notice.deadline",
            )
        )
    periods = challenge_periods_end(snapshot, context)
    if on <= periods.date:
        violations.append(
            Violation(
                "enforcement.demolition.challenge_period_running",
                f"申请行政复议、提起行政诉讼的法定期限至{iso(periods.date)}届满，期满当事人不申请的才能强制拆除{when}",
                f"{ART(44)}；{periods.basis}",
                "decision.received_on",
            )
        )
    if any(c.started_on <= on and (c.ended_on is None or c.ended_on >= on) for c in snapshot.challenges):
        violations.append(
            Violation(
                "enforcement.demolition.challenged",
                f"当事人已申请行政复议或者提起行政诉讼，尚未终结，不能强制拆除{when}",
                ART(44),
                "challenges",
            )
        )
    return violations


def plan_after_decision_served(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The execution starts only once the 强制执行决定书 was served on the party (第三十七条、第三十八条)."""
    decision, plan = snapshot.execution_decision, snapshot.plan
    if decision is None or decision.served_on is None or plan is None:
        return []  # execution_decision_served / execution_time_lawful say why
    if plan.starts_at.date() >= decision.served_on:
        return []
    return [
        Violation(
            "enforcement.plan.before_decision_served",
            f"强制执行于{iso(plan.starts_at.date())}开始，早于强制执行决定书送达当事人的日期（{iso(decision.served_on)}）",
            ART(37, 38),
            "plan.starts_at",
        )
    ]


def audio_video_steps(snapshot: Snapshot, context: Context):
    """The steps that need a whole-process audio-video record, and the list's citation: the coercion
    list when the deployment defines it, else this package's own (a platform list, not a statute)."""
    for name in AUDIO_VIDEO_PARAMETERS:
        if name in context.parameters:
            return parameter(context, snapshot, name, on=context.today)
    return None


def audio_video_guard(step: str):
    def guard(snapshot: Snapshot, context: Context) -> list[Violation]:
        steps = audio_video_steps(snapshot, context)
        wanted = [step]
        if step == "execution":
            decision = snapshot.execution_decision
            # A transfer of deposits or a surcharge happens at a desk, not on site.
            wanted = [] if decision is not None and decision.method in DESK_METHODS else [step]
            if demolition(snapshot):
                wanted.append("forced_demolition")
        if steps is None:
            return []
        violations = []
        for name in wanted:
            if name in steps.value and f"audio_video_{name}" not in snapshot.records:
                violations.append(
                    Violation(
                        f"enforcement.audio_video.{name}",
                        f"{AUDIO_VIDEO_STEPS[name]}须全程音像记录，尚未关联音像记录文件（音像记录事项清单）",
                        steps.reference,
                        "audio_video",  # an upload of the step's recording, not a record a step's form makes
                    )
                )
        return violations

    guard.__name__ = f"audio_video_{step}"
    return guard


# --- 执行协议 (第四十二条) -----------------------------------------------------------------------


def agreement_lawful(snapshot: Snapshot, context: Context) -> list[Violation]:
    """An 执行协议 may reduce or waive the surcharge only when the party takes remedial measures,
    and never by more than the surcharge (第四十二条第一款)."""
    agreement = snapshot.agreement
    if agreement is None:
        return [Violation("enforcement.agreement.missing", "尚未登记执行协议", ART(42), "agreement")]
    if not agreement.surcharge_waived_fen:
        return []
    violations = []
    if not agreement.remedial_measures_taken:
        violations.append(
            Violation(
                "enforcement.agreement.waiver_without_remedy",
                "当事人采取补救措施的，才可以减免加处的罚款或者滞纳金",
                ART(42, detail="第一款"),
                "agreement.remedial_measures_taken",
            )
        )
    claimed = snapshot.surcharge.claimed_fen if snapshot.surcharge is not None else 0
    accrued = max(claimed, surcharge_accrued(snapshot, context, on=agreement.signed_on))
    if agreement.surcharge_waived_fen > accrued:
        violations.append(
            Violation(
                "enforcement.agreement.waiver_above_surcharge",
                f"减免的{yuan(agreement.surcharge_waived_fen)}多于加处的罚款或者滞纳金{yuan(accrued)}（只能减免加处部分，不能减免本金）",
                ART(42, detail="第一款"),
                "agreement.surcharge_waived_fen",
            )
        )
    return violations


def agreement_broken(snapshot: Snapshot, context: Context) -> list[Violation]:
    """Execution resumes when the party does not perform the agreement (第四十二条第二款)."""
    if snapshot.agreement is not None and snapshot.agreement.broken_on is not None:
        return []
    return [
        Violation(
            "enforcement.agreement.not_broken",
            "当事人未不履行执行协议，不需要恢复强制执行",
            ART(42, detail="第二款"),
            "agreement.broken_on",
        )
    ]


# --- 代履行 (第五十条、第五十一条) ---------------------------------------------------------------


def substitute_decidable(snapshot: Snapshot, context: Context) -> list[Violation]:
    """代履行 only for a duty to act (排除妨碍、恢复原状等) whose neglect harms traffic safety, the
    environment or natural resources (第五十条), with a written decision (第五十一条)."""
    violations = []
    if money_owed(snapshot):
        violations.append(
            Violation(
                "enforcement.substitute.money",
                "金钱给付义务不能代履行",
                ART(50),
                "decision.obligation",
            )
        )
    substitute = snapshot.substitute
    if substitute is None:
        violations.append(Violation("enforcement.substitute.missing", "尚未制作代履行决定书", ART(51), "substitute"))
    return violations


def substitute_harm(snapshot: Snapshot, context: Context) -> list[Violation]:
    if snapshot.harm_grounds:
        return []
    return [
        Violation(
            "enforcement.substitute.no_harm_ground",
            "代履行须以不履行的后果已经或者将危害交通安全、造成环境污染或者破坏自然资源为前提",
            ART(50),
            "harm_grounds",
        )
    ]


def substitute_performable(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The 代履行 decision served first, a demand 3 working days before, the agency supervising on
    site and everyone signing (第五十一条)."""
    substitute = snapshot.substitute
    if substitute is None:
        return [Violation("enforcement.substitute.missing", "尚未制作代履行决定书", ART(51), "substitute")]
    violations = []
    if substitute.decision_served_on is None:
        violations.append(
            Violation(
                "enforcement.substitute.decision_not_served",
                "代履行前须送达代履行决定书",
                ART(51, detail="第一款第一项"),
                "substitute.decision_served_on",
            )
        )
    elif snapshot.plan is not None and snapshot.plan.starts_at.date() < substitute.decision_served_on:
        violations.append(
            Violation(
                "enforcement.substitute.before_decision_served",
                f"代履行于{iso(snapshot.plan.starts_at.date())}开始，早于代履行决定书送达当事人的日期"
                f"（{iso(substitute.decision_served_on)}）",
                ART(51, detail="第一款第一项"),
                "plan.starts_at",
            )
        )
    latest = substitute_demand_latest(snapshot, context)
    if substitute.demand_served_on is None:
        violations.append(
            Violation(
                "enforcement.substitute.no_demand",
                "代履行三日前须催告当事人履行",
                ART(51, detail="第一款第二项"),
                "substitute.demand_served_on",
            )
        )
    elif latest is not None and substitute.demand_served_on > latest.date:
        violations.append(
            Violation(
                "enforcement.substitute.demand_too_late",
                f"代履行的催告于{iso(substitute.demand_served_on)}送达，距代履行不足三个工作日（最迟应于{iso(latest.date)}送达）",
                latest.basis,
                "substitute.demand_served_on",
            )
        )
    if not substitute.supervised_on_site:
        violations.append(
            Violation(
                "enforcement.substitute.not_supervised",
                "代履行时，作出决定的行政机关应当派员到场监督",
                ART(51, detail="第一款第三项"),
                "substitute.supervised_on_site",
            )
        )
    if not substitute.signed_by_all:
        violations.append(
            Violation(
                "enforcement.substitute.not_signed",
                "代履行完毕，行政机关到场监督的工作人员、代履行人和当事人或者见证人应当在执行文书上签名或者盖章",
                ART(51, detail="第一款第四项"),
                "substitute.signed_by_all",
            )
        )
    return violations


# --- 申请人民法院强制执行 (第五十三条、第五十四条) ------------------------------------------------------


def court_path_open(snapshot: Snapshot, context: Context) -> list[Violation]:
    """An agency without execution power applies to the court (第五十三条); one with the power
    executes itself unless its law lets it apply instead. An entrusted organisation holds no power
    of its own, whatever its registration claimed: the court path stays open to it (in the name of
    the organ that entrusted it, as all its documents are)."""
    if not snapshot.executes_itself or snapshot.court_also_allowed:
        return []
    return [
        Violation(
            "enforcement.court.agency_has_power",
            "本机关依法有行政强制执行权，应当自行强制执行（法律规定也可以申请人民法院强制执行的，须登记该规定）",
            ART(13, 53),
            "court_also_allowed",
        )
    ]


def court_application_timely(snapshot: Snapshot, context: Context) -> list[Violation]:
    """After the 催告 has been served 10 working days (第五十四条), after the challenge periods have
    run with no challenge pending, and within 3 months of their end (第五十三条)."""
    violations = []
    wait = court_wait_end(snapshot, context)
    if wait is not None and context.today <= wait.date:
        violations.append(
            Violation(
                "enforcement.court.demand_too_recent",
                f"催告书于{iso(snapshot.demand.served_on)}送达，十个工作日后（{iso(wait.date + ONE_DAY)}起）当事人仍未履行的，才能申请人民法院强制执行",
                wait.basis,
                "demand.served_on",
            )
        )
    opens, closes = court_window(snapshot, context)
    if context.today < opens.date:
        violations.append(
            Violation(
                "enforcement.court.challenge_period_running",
                f"申请行政复议、提起行政诉讼的法定期限尚未届满，{iso(opens.date)}起才能申请人民法院强制执行",
                opens.basis,
                "decision.received_on",
            )
        )
    elif context.today > closes.date:
        violations.append(
            Violation(
                "enforcement.court.window_closed",
                f"申请人民法院强制执行的三个月期限已于{iso(closes.date)}届满",
                closes.basis,
                "decision.received_on",
            )
        )
    if any(c.ended_on is None or c.ended_on >= context.today for c in snapshot.challenges if c.started_on <= context.today):
        violations.append(
            Violation(
                "enforcement.court.challenge_pending",
                "当事人申请的行政复议或者提起的行政诉讼尚未终结",
                ART(53),
                "challenges",
            )
        )
    return violations


def court_application_recorded(snapshot: Snapshot, context: Context) -> list[Violation]:
    court = snapshot.court
    if court is not None and court.applied_on is not None:
        return []
    return [Violation("enforcement.court.no_application", "尚未登记向人民法院提出的强制执行申请", ART(55), "court")]


def court_ruling_recorded(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The court's ruling on the application (第五十七条、第五十八条) is recorded with its date."""
    court = snapshot.court
    if court is None or court.ruling not in COURT_RULINGS or court.ruled_on is None:
        return [
            Violation(
                "enforcement.court.no_ruling",
                "尚未登记人民法院准予或者不予执行的裁定及其日期",
                ART(57, 58),
                "court.ruling",
            )
        ]
    return []


# --- registration ------------------------------------------------------------------------------------


def penalty_case_already_executed(*, open_cases: tuple[str, ...]) -> list[Violation]:
    """A penalty decision is executed by one enforcement case at a time: a second one would demand,
    surcharge and execute the same fine again. `open_cases`: the numbers of the enforcement cases
    of the same penalty case that are not closed. The platform's rule (the law has one decision
    and one execution of it; the platform keeps them in one case)."""
    if not open_cases:
        return []
    return [
        Violation(
            "enforcement.parent.already_executed",
            f"所属行政处罚案件已有办理中的强制执行案件（{'、'.join(open_cases)}），不能重复登记；"
            "请在该案件中继续办理，或者待其结案后再登记",
            platform_rule(f"同一行政决定只由一件强制执行案件执行，避免重复催告、重复执行（{ART(34)}）"),
            "parent",
        )
    ]


# --- 履行 ------------------------------------------------------------------------------------------


def performance_recorded(snapshot: Snapshot, context: Context) -> list[Violation]:
    """The party performed: the duty done, or the money paid in full."""
    decision = snapshot.decision
    if decision.performed_on is not None:
        return []
    if money_owed(snapshot) and decision.principal_fen and decision.paid_fen >= decision.principal_fen:
        return []
    return [
        Violation(
            "enforcement.performance.not_recorded",
            "尚未登记当事人履行义务的情况（履行日期或者缴纳凭证）",
            ART(34),
            "decision.performed_on",
        )
    ]


__all__ = [
    "AUDIO_VIDEO_STEPS",
    "agreement_broken",
    "agreement_lawful",
    "audio_video_guard",
    "court_application_recorded",
    "court_application_timely",
    "court_path_open",
    "court_ruling_recorded",
    "decision_registered",
    "demand_deadline_passed",
    "demand_deadline_passed_for_substitute",
    "demand_lawful",
    "demand_served",
    "demolition_lawful",
    "execution_decision_complete",
    "execution_decision_served",
    "execution_power_held",
    "execution_time_lawful",
    "no_utilities_cut",
    "not_entrusted",
    "obligation_outstanding",
    "obligation_outstanding_when_executed",
    "penalty_case_already_executed",
    "performance_recorded",
    "plan_after_decision_served",
    "statement_recordable",
    "statements_reexamined",
    "substitute_decidable",
    "substitute_harm",
    "substitute_performable",
    "surcharge_lawful",
    "surcharge_ran_30_days",
    "surcharge_terms",
]
