"""Demo cases of 行政强制 for the demo county: 查封、扣押 and 冻结 (行政强制措施) and 行政强制执行, at
least one case in every state of their engines, for the market-regulation bureau whose accounts the
demo prints.

As with the penalty cases (`sanxiang.demo.cases`), every case is produced by running the engine
through `case_action_perform`, step by step, on past days counted back from the day the demo is
loaded, never by writing a state: each case stands where the law-as-code let it go. Some measures
belong to a demo penalty case (its parent, found by its title), the others stand on their own; one
enforcement case executes the demo's unpaid penalty decision. The recording the 音像记录事项清单
lists for a step is uploaded before the step, as an officer would.

One seizure is left past its period and not released: it was taken lawfully on its day, and time
has passed since, so that the case page and the worklist show it overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sanxiang.accounts.models import User
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.services import case_action_perform, case_create
from sanxiang.demo.cases import DAY, FIELD, Plan, _officers_covering, _Story
from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.coercion.guards import audio_video_missing
from sanxiang.registry.models import Agency, Officer, Party

T = dt.datetime
FOOD_BASIS = "《中华人民共和国食品安全法》第一百一十条第四项"
PRODUCT_BASIS = "《中华人民共和国产品质量法》第十八条第一款第四项"
# No law gives a market-regulation bureau the power to freeze deposits (行政强制法第二十九条 reserves
# it to the organs a law names): the demo's freezes show the procedure, as a bureau that holds the
# power would follow it.
FREEZE_BASES = ["《中华人民共和国行政强制法》第九条第三项", "《中华人民共和国行政强制法》第二十九条、第三十条"]
COMPULSION_LAW = "《中华人民共和国行政强制法》"
COURT = "乌审旗人民法院"
COMPULSORY_PROCEDURES = ("seal_seizure", "freeze", "enforcement")


@dataclass(frozen=True)
class MeasurePlan:
    """One demo measure: the day its story starts (days before the load day), where it stops, the
    demo penalty case it belongs to (by title), if any, and what the 审批表 states."""

    title: str
    kind: str  # seal_up | seizure | freeze
    stop: str
    days_ago: int
    reason: str
    things: tuple[str, ...] = ()  # 查封、扣押: 名称，规格，数量和单位
    basis: str = FOOD_BASIS
    parent: str = ""
    variant: str = ""  # emergency | examined

    @property
    def procedure(self) -> str:
        return "freeze" if self.kind == "freeze" else "seal_seizure"


MEASURE_PLANS = (
    MeasurePlan("涉嫌销售过期调味品案", "seizure", "proposed", 1, "当事人涉嫌销售超过保质期的调味品，需扣押涉案调味品，防止流入市场",
                ("酱油，500毫升×12瓶，8箱", "食醋，420毫升×12瓶，5箱"), parent="涉嫌销售过期调味品案"),
    MeasurePlan("涉嫌未取得食品生产许可从事食品生产案", "seal_up", "approved", 1,
                "当事人未取得食品生产许可从事食品加工，需查封其生产场所和设备，防止继续生产",
                ("生产加工场所，1处", "和面机，1台", "蒸制设备，2台")),
    MeasurePlan("涉嫌销售不符合食品安全标准的食品案", "seizure", "in_force", 9,
                "当事人销售的速冻食品经抽检不符合食品安全标准，需扣押同批次食品并送检", ("速冻饺子，1千克×10袋，20箱",),
                parent="涉嫌销售不符合食品安全标准的食品案", variant="examined"),
    # Taken lawfully and left standing past its period: overdue.
    MeasurePlan("涉嫌经营病死畜禽肉类案", "seizure", "in_force", 44, "当事人涉嫌经营病死畜禽肉类，需扣押涉案肉类，防止流入市场",
                ("冷冻猪肉，20千克/件，30件",), parent="涉嫌经营病死畜禽肉类案"),
    MeasurePlan("涉嫌使用非食品原料生产食品案", "seal_up", "extended", 45,
                "当事人涉嫌使用非食品原料生产食品，需查封其加工场所和原料", ("食品加工场所，1处", "工业用原料，25千克/袋，12袋"),
                variant="emergency"),
    MeasurePlan("涉嫌销售假冒白酒案", "seizure", "emergency_taken", 1, "当事人涉嫌销售假冒白酒，正在转移涉案商品",
                ("白酒，500毫升×6瓶，40箱",), basis=PRODUCT_BASIS, variant="emergency"),
    MeasurePlan("涉嫌销售不符合食品安全标准的散装食用油案", "seizure", "released", 50, "当事人销售的散装食用油涉嫌不符合食品安全标准，需扣押并送检",
                ("散装食用油，20升/桶，15桶",), variant="examined"),
    MeasurePlan("涉嫌无照经营案", "seal_up", "not_taken", 5, "当事人涉嫌无照经营，拟查封其存放商品的仓库", ("仓库，1间",),
                basis="《无证无照经营查处办法》第十一条第四项"),
    MeasurePlan("涉嫌销售不合格电线电缆案", "seizure", "confiscated", 59, "当事人销售的电线经检验不合格，需扣押涉案电线，防止继续销售",
                ("电线，BV2.5平方毫米×100米，60卷",), basis=PRODUCT_BASIS, parent="涉嫌销售不合格电线电缆案"),
    MeasurePlan("涉嫌经营腐败变质的肉制品案", "seizure", "destroyed", 40, "当事人经营腐败变质的卤肉制品，需扣押涉案食品",
                ("卤肉制品，5千克/箱，8箱",)),
    MeasurePlan("涉嫌组织策划传销案", "freeze", "proposed", 1, "当事人涉嫌组织策划传销，为防止其转移涉案资金，拟冻结其存款"),
    MeasurePlan("涉嫌销售假药案", "freeze", "approved", 1, "当事人涉嫌销售假药，为防止其转移违法所得，需冻结其存款"),
    MeasurePlan("涉嫌商业贿赂案", "freeze", "in_force", 10, "当事人涉嫌商业贿赂，为防止其转移涉案款项，需冻结其存款",
                parent="涉嫌商业贿赂案"),
    MeasurePlan("涉嫌发布虚假广告案", "freeze", "extended", 40, "当事人涉嫌发布虚假广告，为防止其转移违法所得，需冻结其存款"),
    MeasurePlan("涉嫌哄抬价格案", "freeze", "released", 30, "当事人涉嫌哄抬价格，为防止其转移违法所得，需冻结其存款"),
    MeasurePlan("涉嫌销售未经注册的医疗器械案", "freeze", "not_taken", 6, "当事人涉嫌销售未经注册的医疗器械，拟冻结其违法所得存款"),
    MeasurePlan("涉嫌销售假冒伪劣商品案", "freeze", "handled", 50, "当事人涉嫌销售假冒伪劣商品，拒不缴纳罚款并有转移存款的迹象，需冻结其存款"),
)


@dataclass(frozen=True)
class EnforcementPlan:
    """One demo enforcement case: how it goes (`path`), where it stops and, for an unpaid penalty
    of the demo, that case's title."""

    title: str
    path: str  # parent | pay | agreement | execute | substitute | court
    stop: str
    power: str = "none"  # a key of EXECUTION_POWER
    parent: str = ""
    # The anchor of the story, in days before the load day (each path counts its dates from it).
    days_ago: int = 0


ENFORCEMENT_PLANS = (
    EnforcementPlan("申请强制执行罚款案（涉嫌经营超过保质期的食品案）", "parent", "pending", parent="涉嫌经营超过保质期的食品案"),
    EnforcementPlan("逾期不缴纳销售不合格食品罚款案", "pay", "demanded", days_ago=5),
    EnforcementPlan("逾期不缴纳虚假宣传罚款案", "pay", "performed", days_ago=25),
    EnforcementPlan("逾期不缴纳价格违法罚款案", "agreement", "agreement", power="own", days_ago=30),
    EnforcementPlan("逾期不清除占道堆放货物强制执行案", "execute", "decided", power="own", days_ago=30),
    EnforcementPlan("逾期不拆除违法设置的招牌强制执行案", "execute", "decision_served", power="own", days_ago=32),
    EnforcementPlan("逾期不清运腐败变质食品代履行案", "substitute", "substitute_decided", power="own", days_ago=3),
    EnforcementPlan("逾期不清理河道旁废弃食品代履行案", "substitute", "executed", power="own", days_ago=20),
    EnforcementPlan("逾期不缴纳无照经营罚款案", "court", "court_applied", days_ago=215),
    EnforcementPlan("逾期不缴纳超范围经营罚款案", "court", "court_ruled", days_ago=245),
    EnforcementPlan("逾期不缴纳商标侵权罚款案", "court", "closed", days_ago=290),
)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return T.combine(day, dt.time(hour, minute))


# --- 查封、扣押、冻结 ---------------------------------------------------------------------------------


def _proposal(plan: MeasurePlan, party: Party) -> dict:
    if plan.kind == "freeze":
        return {
            "reason": plan.reason,
            "bases": FREEZE_BASES,
            "accounts": [f"中国农业银行乌审旗支行，{party.name}，62284804780{party.pk:08d}，30000"],
        }
    return {
        "reason": plan.reason,
        "bases": [plan.basis],
        "place": party.address or "当事人经营场所",
        "items": list(plan.things),
        "storage_place": "本局涉案物品仓库" if plan.kind == "seizure" else "查封现场",
        "storage_method": "异地扣押" if plan.kind == "seizure" else "就地查封，加贴封条",
    }


def _present(party: Party | None) -> str:
    """Who speaks for the party on the spot and signs for it: its representative, by name."""
    if party is None:
        return "当事人"
    return party.legal_representative or party.name


def _on_spot(officers: list[Officer], taken_at: dt.datetime, plan: MeasurePlan, party: Party | None = None) -> dict:
    label = "查封" if plan.kind == "seal_up" else "扣押"
    return {
        "taken_at": taken_at,
        "ended_at": taken_at + dt.timedelta(hours=1),
        "officer_ids": [str(o.pk) for o in officers],
        "certificates_shown": True,
        "party_notified": True,
        "party_present": True,
        "present_person": _present(party),
        "told_reasons_and_basis": True,
        "told_rights_and_remedies": True,
        "party_heard": True,
        "statement": "当事人称对有关情况不知情，请求尽快处理。",
        "findings": f"执法人员依法对当事人的涉案物品予以{label}，当场清点并加贴封条。",
        "recorder": officers[-1].name,
        "recording": "执法记录仪全程录像",
        "officers_signed": True,
        "party_signed": True,
        "related_to_case": True,
        "no_daily_necessities": True,
        "not_already_sealed": True,
        "handed_over": True,
    }


def _freeze_on_spot(officers: list[Officer], taken_at: dt.datetime) -> dict:
    return {
        "taken_at": taken_at,
        "officer_ids": [str(o.pk) for o in officers],
        "place": "中国农业银行乌审旗支行营业部",
        "freeze_notice_bank": "中国农业银行乌审旗支行",
        "certificates_shown": True,
        "findings": "向金融机构送达协助冻结通知书，冻结当事人存款人民币30000元。",
        "recorder": officers[-1].name,
        "officers_signed": True,
    }


def _record_if_listed(s: _Story, step: str, on: dt.date, seed: int) -> None:
    """Upload the body-camera recording of `step` when the 音像记录事项清单 in force lists it (each
    clip its own bytes: the penalty cases' clips use seeds below 100)."""
    if audio_video_missing(step=step, records=frozenset(), on=on, region=s.case.agency.region_code):
        s.record_video(step, on, seed)


def _measure(s: _Story, plan: MeasurePlan, officers: list[Officer], party: Party, today: dt.date, index: int) -> None:
    day = today - dt.timedelta(days=plan.days_ago)
    if plan.variant == "emergency":
        # 第十九条: taken on the spot, reported and approved within 24 hours (unless the story stops first).
        hour = 16 if plan.stop == "emergency_taken" else 10
        _record_if_listed(s, plan.kind, day, 100 + index)
        data = _proposal(plan, party) | _on_spot(officers, at(day, hour), plan, party)
        s.step("coercion_take_emergency", day, emergency_reason="当事人正在装车转移涉案物品，情况紧急，需当场实施", **data)
        if not s.step("coercion_confirm_emergency", day, "head", decided_at=at(day, hour + 3),
                      reported_at=at(day, hour + 2), report="执法人员电话报告当场实施的情况", opinion="同意"):
            return
    else:
        s.record("coercion_propose", day, **_proposal(plan, party))
        if plan.stop == "not_taken":
            s.step("coercion_decline", day + DAY, "head", reason="现有证据不足以证明需要采取措施，不予实施")
            return
        if not s.step("coercion_approve", day, "head", approved_at=at(day, 9), opinion="同意") or s.case.state == plan.stop:
            return
        if plan.kind == "freeze":
            _freeze(s, plan, officers, day, 100 + index)
            return
        _record_if_listed(s, plan.kind, day, 100 + index)
        s.step("coercion_take", day, **_on_spot(officers, at(day, 10), plan, party))
    if plan.variant == "examined":
        # 第二十五条第三款: the testing days, told to the party in writing, are not counted.
        s.record("coercion_record_examination", day + 2 * DAY, kind="testing", institution="鄂尔多斯市食品检验检测中心",
                 start=day + 2 * DAY, end=day + 7 * DAY, notified_on=day + 2 * DAY)
    if plan.stop == "extended":
        s.step("coercion_extend", day + 25 * DAY, "head", days=30, reason="涉案物品需送检验机构检验，情况复杂",
               notice_served_on=day + 25 * DAY)
    elif plan.stop == "released":
        end = day + 12 * DAY
        s.step("coercion_release", end, "head", ground="no_violation", detail="经检验，涉案物品符合食品安全标准", returned=True,
               collection=f"当事人于{end.year}年{end.month}月{end.day}日到本局涉案物品仓库领取")
    elif plan.stop == "destroyed":
        end = day + 12 * DAY
        s.step("coercion_destroy", end, "head", text="经检验腐败变质，依照食品安全法的规定，在执法人员监督下进行无害化销毁", on=end)
    elif plan.stop == "confiscated":
        # Confiscated by the penalty decision of the case the seizure belongs to, on the day it was made.
        decision = IssuedDocument.objects.filter(case_id=s.case.parent_id, kind="decision_document").order_by("pk").first()
        if decision is None:
            raise RuntimeError(f"demo measure {plan.title}: its penalty case has no decision")
        s.step("coercion_confiscate", decision.issued_on, number=decision.number, on=decision.issued_on,
               text="扣押的不合格电线电缆")


def _freeze(s: _Story, plan: MeasurePlan, officers: list[Officer], day: dt.date, seed: int) -> None:
    _record_if_listed(s, "freeze", day, seed)
    s.step("coercion_take", day, **_freeze_on_spot(officers, at(day, 10)))
    # 第三十一条第一款: the 冻结决定书 handed to the party within three working days.
    s.record("coercion_deliver_freeze_decision", day + DAY, delivered_on=day + DAY, method="direct",
             signed_by=_present(s.case.party))
    if plan.stop == "extended":
        s.step("coercion_extend", day + 25 * DAY, "head", days=30, reason="涉案资金往来复杂，需进一步核查",
               notice_served_on=day + 25 * DAY)
    elif plan.stop == "released":
        s.step("coercion_release", day + 10 * DAY, "head", ground="no_violation", detail="经核查，冻结的存款与违法行为无关")
    elif plan.stop == "handled":
        end = day + 25 * DAY
        s.step("coercion_handle", end, "head", text="依法划拨冻结的存款，缴纳罚款", number="", on=end)


# --- 行政强制执行 --------------------------------------------------------------------------------------


def _decision(obligation: str, *, decided: dt.date, due_days: int = 15, number: str, **changes) -> dict:
    """A decision the bureau made before the platform (received the day after it was made)."""
    received = decided + DAY
    data = {
        "source": "other",
        "obligation": obligation,
        "title": "行政处罚决定书",
        "number": number,
        "decided_on": decided,
        "received_on": received,
        "performance_due": received + dt.timedelta(days=due_days),
        "principal_yuan": None,
        "paid_yuan": None,
        "duty": "",
        "default": "",
        "facts": "",
        "surcharge_notified": False,
        "surcharge_from": None,
        "surcharge_daily_permille": None,
    }
    if obligation == "payment":
        data |= {"money_kind": "fine", "principal_yuan": Decimal("5000"), "duty": "缴纳罚款人民币伍仟元整", "default": "逾期未缴纳罚款",
                 "facts": "当事人的违法事实清楚，本机关依法作出罚款的行政处罚决定。",
                 "surcharge_notified": True, "surcharge_from": received + dt.timedelta(days=due_days + 1),
                 "surcharge_daily_permille": 30}
    return data | changes


def _service(**changes) -> dict:
    return {"service_method": "direct", "direct_service_impossible": False, "place": "当事人经营场所",
            "note": ""} | changes


def _demand(served: dt.date, deadline: dt.date, *, money: bool, signed_by: str, method: str = "") -> dict:
    return {"served_on": served, "deadline": deadline,
            "method": method or "到指定的银行或者通过电子支付系统缴纳",
            "payment_method": "一次性缴纳" if money else "", "surcharge_yuan": None,
            "statement_days": 3 if money else None, **_service(signed_by=signed_by)}


def _number(prefix: str, day: dt.date, n: int) -> str:
    return f"乌市监{prefix}〔{day.year}〕{n}号"


def _working_day_on_or_before(calendar: WorkingDayCalendar, day: dt.date) -> dt.date:
    """The nearest day not after `day` that the official calendar knows to be a working day (an
    execution is never planned on a rest day, nor on a day of a year whose schedule is unknown)."""
    for _ in range(400):
        answer = calendar.is_working_day(day)
        if answer.working and not answer.estimated:
            return day
        day -= DAY
    raise RuntimeError("demo: no known working day in the calendar")


def _weekday_from(day: dt.date) -> dt.date:
    """`day`, or the Monday after it if it falls on a weekend (a day planned ahead)."""
    while day.weekday() >= 5:
        day += DAY
    return day


def _enforcement(s: _Story, plan: EnforcementPlan, today: dt.date, index: int) -> None:
    anchor = today - dt.timedelta(days=plan.days_ago)
    if plan.path == "parent":
        # Registered on the penalty case, whose decision it loads; the party has paid a part of the
        # fine, the rest waits for the demand.
        # The payment is recorded where the fine is, in the penalty case; the execution case follows it.
        parent = s.case.parent
        case_action_perform(actor=s.users["officer"], case=parent, action="record_payment", on=today,
                            data={"paid_on": today, "amount_yuan": Decimal("1000"), "receipt": f"NS{today:%Y%m%d}{index:02d}"})
        return
    if plan.path == "pay":
        # Anchor: the day the demand was served.
        decided = anchor - 60 * DAY
        s.record("register_decision", anchor - 20 * DAY,
                 **_decision("payment", decided=decided, number=_number("罚字", decided, 100 + index)))
        s.step("serve_demand", anchor, **_demand(anchor, anchor + 10 * DAY, money=True, signed_by=_present(s.case.party)))
        if s.case.state == plan.stop:
            # 第三十六条: the party states its case within the demand's period; recorded and re-examined.
            s.record("record_statement", anchor + 2 * DAY, submitted_on=anchor + DAY,
                     summary="当事人称资金周转困难，请求分期缴纳。",
                     reexamination="经复核，当事人所述不影响缴纳义务，不予采纳。", adopted=False)
            return
        s.step("record_performance", anchor + 7 * DAY, performed_on=anchor + 7 * DAY, paid_yuan=Decimal("5000"),
               proof=f"NS{anchor:%Y%m%d}{index:02d}")
        return
    if plan.path == "agreement":
        decided = anchor - 100 * DAY
        s.record("register_decision", anchor - 60 * DAY,
                 **_decision("payment", decided=decided, number=_number("罚字", decided, 100 + index)))
        s.step("serve_demand", anchor, **_demand(anchor, anchor + 10 * DAY, money=True, signed_by=_present(s.case.party)))
        s.step("sign_agreement", anchor + 20 * DAY, "head", signed_on=anchor + 20 * DAY,
               content="当事人分两期缴清罚款：签订之日起十五日内缴纳人民币贰仟元，三十日内缴纳其余部分",
               surcharge_waived_yuan=Decimal("1000"), remedial_measures_taken=True,
               remedial_measures="当事人已下架并召回涉案食品，停止违法行为")
        return
    if plan.path == "execute":
        # Anchor: the day the demand was served; the execution decision 25 days later.
        decided = anchor - 90 * DAY
        sign = "招牌" in plan.title
        s.record("register_decision", anchor - 30 * DAY, **_decision(
            "act", decided=decided, due_days=10, number=_number("责改", decided, 100 + index), title="责令改正通知书",
            duty="于期限内自行拆除违法设置的招牌" if sign else "于期限内自行清除占用道路堆放的货物",
            default="逾期未拆除" if sign else "逾期未清除",
            facts="当事人违法设置招牌，危及行人安全。" if sign else "当事人占用道路堆放货物，妨碍交通。"))
        s.step("serve_demand", anchor, **_demand(anchor, anchor + 10 * DAY, money=False, signed_by=_present(s.case.party),
                                                 method="自行拆除" if sign else "自行清除"))
        decide_on = anchor + 25 * DAY
        s.step("decide_execution", decide_on, "head", method="removal",
               method_detail="由本机关组织人员拆除违法设置的招牌" if sign else "由本机关组织人员清除占道堆放的货物",
               starts_at=at(_weekday_from(today + 10 * DAY), 9), reasons="当事人经催告逾期仍不履行。",
               bases=[f"{COMPULSION_LAW}第三十七条"], surcharge_yuan=None, immediate=False, immediate_reason="",
               # The law that gives the agency its own power to execute (a demo: the 公路法 gives it to
               # the highway authority; a real case cites the power its own law gives it).
               power_basis="《中华人民共和国公路法》第七十九条")
        s.step("serve_execution_decision", decide_on + DAY, served_on=decide_on + DAY, **_service(signed_by=_present(s.case.party)))
        return
    if plan.path == "substitute":
        _substitute(s, plan, today, index)
        return
    if plan.path == "court":
        _court(s, plan, today, index)
        return
    raise RuntimeError(f"demo enforcement {plan.title}: unknown path {plan.path}")


def _substitute(s: _Story, plan: EnforcementPlan, today: dt.date, index: int) -> None:
    """代履行: the decision 20 days before the performance (a known working day), served the next
    day, the demand to perform two days after (at least three working days before it)."""
    performing = plan.stop == "executed"
    day = _working_day_on_or_before(s.calendar, today - dt.timedelta(days=plan.days_ago))
    perform_on = day if performing else _weekday_from(day + 14 * DAY)
    decide_on = day - 20 * DAY if performing else day
    decided = decide_on - 110 * DAY
    s.record("register_decision", decide_on - 80 * DAY, **_decision(
        "act", decided=decided, number=_number("责改", decided, 100 + index), title="责令改正通知书",
        duty="于期限内自行清运并无害化处理堆放在河道旁的腐败变质食品", default="逾期未清运",
        facts="当事人将腐败变质食品堆放在无定河河道旁，污染环境。"))
    s.step("serve_demand", decide_on - 40 * DAY, **_demand(decide_on - 40 * DAY, decide_on - 30 * DAY, money=False, signed_by=_present(s.case.party),
                                                          method="自行清运并无害化处理"))
    s.step("decide_substitute", decide_on, "head", harm_grounds=True,
           reasons="当事人逾期不清运腐败变质食品，将造成环境污染。",
           bases=[f"{COMPULSION_LAW}第五十条"], method="雇用车辆清运并送无害化处理场处理",
           starts_at=at(perform_on, 9), ends_at=at(perform_on, 16), target="堆放在河道旁的腐败变质食品约5吨",
           cost_estimate_yuan=Decimal("6800"), performer="乌审旗洁源环境服务有限公司（与本案无利害关系）")
    if not performing:
        s.record("serve_substitute_decision", decide_on + DAY, served_on=decide_on + DAY, **_service(signed_by=_present(s.case.party)))
        return
    s.record("serve_substitute_decision", decide_on + DAY, served_on=decide_on + DAY, **_service(signed_by=_present(s.case.party)))
    s.record("serve_substitute_demand", decide_on + 2 * DAY, served_on=decide_on + 2 * DAY, note="当面催告")
    _record_if_listed(s, "substitute_performance", perform_on, 200 + index)
    s.step("perform_substitute", perform_on, starts_at=at(perform_on, 9), ends_at=at(perform_on, 15), place="无定河河道旁",
           emergency=False, emergency_reason="", cuts_utilities=False,
           record="代履行人清运腐败变质食品约5吨并送无害化处理场，本机关执法人员到场监督。", result="已清运完毕",
           supervised_on_site=True, signed_by_all=True, cost_yuan=Decimal("6500"))


# The days before the load day on which the court cases' demand was served and the court asked.
COURT_SPANS = {"court_applied": (45, 10), "court_ruled": (60, 30), "closed": (100, 70)}


def _court(s: _Story, plan: EnforcementPlan, today: dt.date, index: int) -> None:
    """A fine the bureau decided before the platform: the decision reached the party `days_ago`
    days before the load day, so that the six months for 行政诉讼 have run and the three months
    to ask the court (第五十三条) are open on the day of the application."""
    received = today - dt.timedelta(days=plan.days_ago)
    decided = received - DAY
    demand_on, apply_on = (today - days * DAY for days in COURT_SPANS[plan.stop])
    s.record("register_decision", demand_on - 10 * DAY,
             **_decision("payment", decided=decided, number=_number("罚字", decided, 100 + index)))
    s.step("serve_demand", demand_on, **_demand(demand_on, demand_on + 10 * DAY, money=True, signed_by=_present(s.case.party)))
    if not s.step("apply_to_court", apply_on, "head", court=COURT, target="罚款人民币伍仟元整",
                  party_opinion="被申请人收到催告书后未提出陈述和申辩",
                  attachments=["《行政处罚决定书》及送达回证", "《催告书》及送达回证", "被申请人的财产状况说明"],
                  surcharge_yuan=None):
        return
    ruled_on = apply_on + 20 * DAY
    if not s.step("record_court_ruling", ruled_on + 2 * DAY, ruling="granted", ruled_on=ruled_on,
                  ruling_number=f"（{ruled_on.year}）蒙0626行审{index}号", note=""):
        return
    s.step("close", ruled_on + 5 * DAY, "head", summary="人民法院裁定准予执行，已移交执行。", head_opinion="同意结案")


# --- loading -----------------------------------------------------------------------------------------


def _parent(agency: Agency, title: str) -> Case:
    parent = Case.objects.filter(agency=agency, title=title, procedure="ordinary").first()
    if parent is None:
        raise RuntimeError(f"demo: no penalty case {title}")
    return parent


def demo_coercion_load(*, agency: Agency, users: dict[str, User], today: dt.date) -> int:
    """Add the demo's 查封、扣押、冻结 and 强制执行 cases to `agency` unless it has some already (its
    demo penalty cases must be there); returns how many were added."""
    if Case.objects.filter(agency=agency, procedure__in=COMPULSORY_PROCEDURES).exists():
        return 0
    calendar = working_day_calendar_current()
    companies = list(Party.objects.filter(agency=agency, kind="legal_person").order_by("pk"))
    prefer = users["officer"].officer
    # Neither the reviewer nor the head, who approves the measures and decides the execution, carries them out.
    avoid = (users["reviewer"].officer_id, users["head"].officer_id)
    count = 0
    for index, plan in enumerate(MEASURE_PLANS, start=1):
        day = today - dt.timedelta(days=plan.days_ago)
        parent = _parent(agency, plan.parent) if plan.parent else None
        party = parent.party if parent is not None else companies[(index * 3) % len(companies)]
        officers = _officers_covering(agency, day, today, prefer, avoid=avoid)
        case = case_create(
            actor=users["officer"], agency=agency, title=plan.title, procedure=plan.procedure,
            party=party, officers=officers, enforcement_field=FIELD, on=day, parent=parent,
            options={} if plan.kind == "freeze" else {"measure_kind": plan.kind},
        )
        story = _Story(case, users, calendar, Plan(plan.title, plan.procedure, plan.stop, plan.days_ago))
        _measure(story, plan, officers, party, today, index)
        _stopped(story.case, plan.stop, plan.title)
        count += 1
    for index, plan in enumerate(ENFORCEMENT_PLANS, start=1):
        parent = _parent(agency, plan.parent) if plan.parent else None
        party = parent.party if parent is not None else companies[(index * 5 + 1) % len(companies)]
        first = _first_day(plan, today, calendar)
        officers = _officers_covering(agency, first, today, prefer, avoid=avoid)
        case = case_create(
            actor=users["officer"], agency=agency, title=plan.title, procedure="enforcement", party=party,
            officers=officers, enforcement_field=FIELD, on=first, parent=parent,
            options={"execution_power": plan.power},
        )
        story = _Story(case, users, calendar, Plan(plan.title, "enforcement", plan.stop, plan.days_ago))
        _enforcement(story, plan, today, index)
        _stopped(story.case, plan.stop, plan.title)
        count += 1
    return count


def _first_day(plan: EnforcementPlan, today: dt.date, calendar: WorkingDayCalendar) -> dt.date:
    """The day the enforcement case is registered: the day its story's first step is taken."""
    anchor = today - dt.timedelta(days=plan.days_ago)
    if plan.path == "parent":
        return today
    if plan.path == "substitute":
        day = _working_day_on_or_before(calendar, anchor)
        decide_on = day - 20 * DAY if plan.stop == "executed" else day
        return decide_on - 80 * DAY
    if plan.path == "court":
        return today - (COURT_SPANS[plan.stop][0] + 10) * DAY
    return anchor - {"pay": 20, "agreement": 60, "execute": 30}[plan.path] * DAY


def _stopped(case: Case, stop: str, title: str) -> None:
    if case.state != stop:
        raise RuntimeError(f"demo case {title} stopped at {case.state}, not {stop}")
