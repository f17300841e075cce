"""Demo cases of the demo county: one penalty case in every state of the ordinary and the summary
procedure, for the market-regulation bureau whose accounts the demo prints.

Every case is produced by running the engine through `case_action_perform`, step by step, with
the forms an officer would fill in, never by writing a state: what the demo shows is what the
law-as-code allowed. The history is replayed on past days (the `on` of each step) counted back
from the day the demo is loaded, with the official working-day calendar, so that periods have
run where the story needs them to and deadlines are still open where it stops. The same day
gives the same cases; loading again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_action_perform, case_create
from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check
from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.identifiers import id_number_check_character
from sanxiang.procedure.penalty.snapshot import REVIEW_CHECKLIST
from sanxiang.procedure.registry_rules import certificate_is_valid_on
from sanxiang.registry.models import Agency, Officer, Party
from sanxiang.registry.services import party_create

DAY = dt.timedelta(days=1)
FOOD_LAW = "《中华人民共和国食品安全法》"
FIELD = "市场监管"


@dataclass(frozen=True)
class Plan:
    """One demo case: where its story starts (days before the load day) and where it stops."""

    title: str
    procedure: str
    stop: str  # the state the case is left in
    days_ago: int
    variant: str = ""  # decline | withdraw | hearing | major | court | collect
    # For major cases: where the legal review stands when the story stops (a review state of
    # `sanxiang.procedure.penalty.review.REVIEW_STATES`); "" goes on to the decision.
    review: str = ""


ORDINARY_PLANS = (
    Plan("涉嫌销售未标注生产日期的预包装食品案", "ordinary", "lead", 1),
    Plan("涉嫌虚假宣传案（举报线索）", "ordinary", "not_opened", 12, "decline"),
    Plan("涉嫌无照经营案（重复立案）", "ordinary", "withdrawn", 9, "withdraw"),
    Plan("涉嫌销售过期调味品案", "ordinary", "opened", 6),
    Plan("涉嫌未按规定公示营业执照案", "ordinary", "investigating", 12),
    Plan("涉嫌使用未经检验的计量器具案", "ordinary", "investigation_ended", 22),
    Plan("涉嫌销售不符合食品安全标准的食品案", "ordinary", "notified", 10),
    Plan("涉嫌生产经营超范围使用食品添加剂的食品案", "ordinary", "hearing_scheduled", 16, "hearing"),
    Plan("涉嫌经营病死畜禽肉类案", "ordinary", "hearing_held", 45, "hearing"),
    Plan("涉嫌经营超过保质期的婴幼儿配方食品案", "ordinary", "decided", 40, "major"),
    # Major cases in every state of the legal review (重大执法决定法制审核).
    Plan("涉嫌销售假冒伪劣农资案", "ordinary", "notified", 24, "major", "not_submitted"),
    Plan("涉嫌在校园周边销售不合格食品案", "ordinary", "notified", 21, "major", "pending"),
    Plan("涉嫌销售不合格儿童玩具案", "ordinary", "notified", 30, "major", "returned"),
    Plan("涉嫌非法添加非食用物质案", "ordinary", "notified", 32, "major", "disagreed"),
    Plan("涉嫌商业贿赂案", "ordinary", "notified", 36, "major", "resolved"),
    Plan("涉嫌销售不合格燃气具案", "ordinary", "notified", 38, "major", "agreed"),
    Plan("涉嫌经营超过保质期的食品案", "ordinary", "served", 32),
    Plan("涉嫌未取得食品经营许可从事食品经营案", "ordinary", "court_enforcement", 270, "court"),
    Plan("涉嫌销售不合格电线电缆案", "ordinary", "executed", 60, "confiscate"),
    Plan("涉嫌价格欺诈案", "ordinary", "closed", 75),
    Plan("涉嫌经营掺假羊肉案", "ordinary", "archived", 110),
)
SUMMARY_PLANS = (
    Plan("占道经营（当场处罚）", "summary", "on_site", 0),
    Plan("超出简易程序适用范围转普通程序", "summary", "converted", 3),
    Plan("未按规定明码标价（当场处罚）", "summary", "decided_on_spot", 1),
    Plan("未亮照经营（当场处罚）", "summary", "handed_over", 4),
    Plan("经营场所卫生不符合要求（当场处罚）", "summary", "filed", 12),
    Plan("未按规定索票索证（当场处罚）", "summary", "closed", 24, "collect"),
    Plan("销售无中文标签进口食品（当场处罚）", "summary", "archived", 35, "collect"),
)
PENALTY = {
    "penalty_kinds": ["fine"],
    "fine_yuan": "3000",
    "penalty_bases": [f"{FOOD_LAW}第一百二十四条第一款第（五）项"],
}
HEARING_PENALTY = {
    "penalty_kinds": ["fine", "suspend_business"],
    "fine_yuan": "50000",
    "penalty_detail": "责令停业整顿十五日",
    "penalty_bases": [f"{FOOD_LAW}第一百二十四条第一款"],
}
# The seized cables are confiscated by the decision (the measure of the same case ends so).
CONFISCATION_PENALTY = {
    "penalty_kinds": ["fine", "confiscate_property"],
    "fine_yuan": "3000",
    "penalty_detail": "没收扣押的不合格电线（BV2.5平方毫米×100米）60卷",
    "penalty_bases": ["《中华人民共和国产品质量法》第四十九条"],
}
VIOLATED = [f"{FOOD_LAW}第三十四条第（十）项"]


def _mp4(seed: int) -> bytes:
    """A short body-camera clip as the evidence store sees it: an MP4 ftyp box and media data."""
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return ftyp + random.Random(seed).randbytes(4000)


class _Story:
    """Plays one case: each step on its day, by the account whose role takes it."""

    def __init__(self, case: Case, users: dict[str, User], calendar: WorkingDayCalendar, plan: Plan):
        self.case, self.users, self.calendar, self.plan = case, users, calendar, plan

    def step(self, action: str, day: dt.date, who: str = "officer", /, **data) -> bool:
        """Perform the step; False once the case has reached the state it stops in."""
        if self.case.state == self.plan.stop:
            return False
        self.record(action, day, who, **data)
        return True

    def record(self, action: str, day: dt.date, who: str = "officer", /, **data) -> None:
        """Perform a step within the state the case stops in (the legal review happens there)."""
        self.case = case_action_perform(actor=self.users[who], case=self.case, action=action, data=data, on=day)

    def working_days_after(self, day: dt.date, n: int) -> dt.date:
        return self.calendar.working_days_after(day, n).date

    def record_video(self, step: str, on: dt.date, seed: int) -> None:
        officer = self.users["officer"]
        meta = evidence_metadata_check(
            actor=officer, kind="video", original_name=f"执法记录仪_{step}_{on:%Y%m%d}.mp4", case=self.case, step=step,
            captured_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0))), device_number="DSJ-0001",
        )
        evidence_ingest(actor=officer, source=io.BytesIO(_mp4(seed)), meta=meta)

    def record_photo(self, step: str, on: dt.date, title: str, seed: int) -> None:
        """A photo taken on the spot, uploaded to the case under the step it was taken in."""
        officer = self.users["officer"]
        meta = evidence_metadata_check(
            actor=officer, kind="photo", original_name=f"{title}.jpg", case=self.case, step=step,
            captured_at=timezone.make_aware(dt.datetime.combine(on, dt.time(9, 40))),
        )
        evidence_ingest(actor=officer, source=io.BytesIO(_jpeg(seed)), meta=meta)

    def record_scan(self, step: str, title: str, on: dt.date | None = None) -> None:
        """A record made on paper (a 没收财物处理记录), scanned into the case under its record kind."""
        officer = self.users["officer"]
        captured_at = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0))) if on else None
        meta = evidence_metadata_check(actor=officer, kind="document", original_name=f"{title}.pdf", case=self.case,
                                       step=step, captured_at=captured_at)
        evidence_ingest(actor=officer, source=io.BytesIO(_scan(title)), meta=meta)


def _jpeg(seed: int) -> bytes:
    """A photo as the evidence store sees it: a JPEG's start and end markers around data."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(seed).randbytes(2000) + b"\xff\xd9"


def _scan(title: str) -> bytes:
    """A scanned form as the evidence store sees it: a PDF header and content."""
    return b"%PDF-1.7\n% " + title.encode("utf-8") + b"\n" + bytes(range(256)) * 8


def _officers_covering(
    agency: Agency, start: dt.date, today: dt.date, prefer: Officer | None, avoid: int | tuple[int, ...] | None = None
) -> list[Officer]:
    """Two officers of the agency whose certificates for the field are valid from the case's
    first day to today, the demo officer first when they qualify (so that the demo account's
    worklist has cases); none of `avoid` (one officer's id or several)."""
    chosen = []
    # The demo reviewer never investigates a demo case, so that he may review them all (回避).
    avoided = avoid if isinstance(avoid, tuple) else (avoid,)
    candidates = list(
        Officer.objects.filter(agency=agency, status="active").exclude(pk__in=[pk for pk in avoided if pk is not None])
        .prefetch_related("certificates").order_by("pk")
    )
    if prefer is not None:
        candidates.sort(key=lambda o: o.pk != prefer.pk)
    for officer in candidates:
        if officer.staffing_type not in ("administrative", "civil_service_managed", "public_institution"):
            continue
        if any(
            certificate_is_valid_on(c.snapshot(), start, enforcement_field=FIELD)
            and certificate_is_valid_on(c.snapshot(), today, enforcement_field=FIELD)
            for c in officer.certificates.all()
        ):
            chosen.append(officer)
        if len(chosen) == 2:
            break
    return chosen


def _citizen(agency: Agency) -> Party:
    first17 = f"150626{dt.date(1986, 4, 12):%Y%m%d}357"
    number = first17 + id_number_check_character(first17)
    found = Party.objects.filter(agency=agency, id_number=number).first()
    return found or party_create(
        actor=None, agency=agency, kind="natural_person", name="王某某", id_type="resident_id_card", id_number=number,
        address="乌审旗嘎鲁图镇乌审路16号", phone="13904770000",
    )


def _ordinary(story: _Story, start: dt.date, today: dt.date, index: int) -> None:
    plan, s = story.plan, story
    officer_ids = [str(pk) for pk in story.case.officers.order_by("pk").values_list("pk", flat=True)]
    opening = {
        "source": "complaint" if plan.variant == "decline" else "inspection",
        "summary": f"{plan.title.removesuffix('案')}，经核查有关线索。",
        "handler_opinion": "建议立案调查。" if plan.variant != "decline" else "经核查，举报内容不实，建议不予立案。",
        "violated": VIOLATED,
        "major_case": plan.variant == "major",
    }
    day = start + DAY
    if not s.step("approve_opening", day, "head", approval="agree", opinion="同意。"):
        return
    if plan.variant == "decline":
        s.step("decline", day, **{k: opening[k] for k in ("source", "summary", "handler_opinion", "violated")})
        return
    if not s.step("open", day, **opening):
        return
    if plan.variant == "withdraw":
        # 撤销立案: the same act was already a case of the agency.
        s.step("withdraw_case", s.working_days_after(day, 1), "head", kind="duplicate",
               reason="与本局已立案调查的同一违法行为重复立案")
        return
    day = s.working_days_after(day, 1)
    if not s.step("investigate", day):
        return
    # The record is kept by the second officer, and the party speaks through its representative:
    # names, never roles in place of names (a 笔录 goes to court).
    names = list(story.case.officers.order_by("pk").values_list("name", flat=True))
    party = story.case.party
    speaker = (party.legal_representative or party.name) if party is not None else "当事人"
    act = {"on": day, "start_time": "09:30", "end_time": "10:30", "officer_ids": officer_ids, "certificate_shown": True,
           "recorder": names[-1]}
    if plan.stop == "investigating":
        # One case shows a 现场检查笔录 too; the others keep to the questioning (each document
        # is rendered, and the demo is loaded by tests).
        s.record("record_inspection", day, **act, place="当事人经营场所", findings="现场查见涉案商品，已拍照取证。",
                 present_person=speaker)
        return
    s.step("record_inquiry", day, **act, place="本局询问室", interviewee=speaker, relation="当事人的法定代表人",
           recusal_answer="no",
           exchanges=["问：你是否看清了我们出示的执法证件？", "答：看清了。",
                      "问：涉案商品是什么时候购进的？", "答：上个月购进的。"])
    # What the officers took on the spot, uploaded to the case: the report lists it from the records.
    s.record_photo("investigate", day, "涉案商品现场照片", seed=index)
    s.record_scan("investigate", "营业执照复印件", on=day)
    day = s.working_days_after(day, 2)
    penalty = {"hearing": HEARING_PENALTY, "confiscate": CONFISCATION_PENALTY}.get(plan.variant, PENALTY)
    if not s.step("end_investigation", day, process="经现场检查、询问当事人，调查终结。", facts=f"当事人{plan.title.removesuffix('案').removeprefix('涉嫌')}。",
                  evidence=["询问笔录：进货和销售情况"], violated=VIOLATED,
                  **penalty):
        return
    day = s.working_days_after(day, 1)
    if not s.step("notify", day, served_on=day, method="direct", place="当事人经营场所", **penalty):
        return
    if plan.variant == "hearing":
        s.step("request_hearing", day + DAY, requested_on=day + DAY)
        notice_day = s.working_days_after(day, 2)
        hearing_day = s.working_days_after(notice_day, 8)
        presiding = str(story.users["reviewer"].officer_id)
        if not s.step("schedule_hearing", notice_day, notice_served_on=notice_day, scheduled_for=hearing_day,
                      time="09:00", place="本局听证室", presiding=presiding, clerk=HEARING_CLERK, agent_count=1):
            return
        if s.case.state == plan.stop:
            return  # the hearing is still to come
        s.record_video("hearing", hearing_day, seed=index)
        s.step("hold_hearing", hearing_day, end_time="11:00",
               attendees=[f"{speaker}（法定代表人）", f"{HEARING_AGENT}（委托代理人）"],
               exchanges=["主持人：现在开始听证。", "调查人员：陈述案件事实、证据和处罚建议。", "当事人：请求从轻处罚。"])
        return
    decide_day = s.working_days_after(day, 5) + DAY
    draft = {"outcome": "penalty", "reasoning": "当事人的陈述、申辩期限届满，未提出陈述、申辩。", **penalty}
    if plan.review:
        s.record("draft_decision", decide_day, **draft)  # the case stops in this state; its review goes on
    else:
        s.step("draft_decision", decide_day, **draft)
    if plan.variant == "major":
        if _review(s, decide_day, today):
            return
    if not s.step("decide", decide_day):
        return
    serve_day = s.working_days_after(decide_day, 1)
    if not s.step("serve", serve_day, method="direct", served_on=serve_day, place="当事人经营场所", signed_by=speaker):
        return
    if plan.variant == "court":
        # Unpaid: a demand once the payment period has run, and the court once the periods for
        # reconsideration and litigation have run and ten working days have passed since the demand.
        demand_day = s.working_days_after(serve_day + dt.timedelta(days=15), 3)
        s.step("serve_enforcement_demand", demand_day, served_on=demand_day)
        apply_day = max(_add_months(serve_day, 6) + 2 * DAY, s.working_days_after(demand_day, 10) + DAY)
        s.step("apply_to_court", apply_day, court="乌审旗人民法院")
        return
    pay_day = serve_day + dt.timedelta(days=5)
    s.step("record_payment", pay_day, paid_on=pay_day, amount_yuan="3000", receipt=f"NS{start:%Y%m%d}{index:02d}")
    if s.plan.variant == "confiscate":
        # The confiscated goods handed over for destruction, recorded on paper (第七十四条).
        s.record_scan("confiscation_record", "没收财物处理记录")
    if not s.step("complete_execution", pay_day):
        return
    if not s.step("close", pay_day + DAY, "head", execution="当事人已按期足额缴纳罚款。", handler_opinion="处罚决定已执行完毕，建议结案。",
                  head_opinion="同意结案。"):
        return
    s.step("archive", pay_day + 2 * DAY)


CHECKLIST_PASS = {f"check_{item}": "pass" for item in REVIEW_CHECKLIST}
AGREE = {**CHECKLIST_PASS, "opinion": "agree", "reasons": "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意。"}
PACKAGE = {"evidence_list": ["询问笔录", "涉案商品现场照片", "营业执照复印件"],
           "explanation": "当事人违法行为涉及重大公共利益，拟按裁量基准处罚，提请法制审核。"}
# People of the demo bureau who hold no account: named, as the records name everyone.
HEARING_CLERK = "王晓燕"
HEARING_AGENT = "赵志刚"
DEPUTY_HEADS = ("高建军", "白玉兰")
DISCUSSION_RECORDER = "刘丽"


def _discussion(s: _Story) -> dict:
    """The heads' meeting as its record names it: the head presides, each says his view."""
    head = s.users["head"]
    head_name = head.display_name or (head.officer.name if head.officer_id else head.get_username())
    reviewer = s.users["reviewer"]
    reviewer_name = reviewer.display_name or (reviewer.officer.name if reviewer.officer_id else reviewer.get_username())
    first, second = DEPUTY_HEADS
    return {
        "place": "本局三楼会议室", "host": f"{head_name}（局长）", "recorder": DISCUSSION_RECORDER, "leader_count": 3,
        "participants": [f"{head_name}（局长）", f"{first}（分管副局长）", f"{second}（副局长）",
                         f"{reviewer_name}（法制审核人员，列席）"],
        "views": [f"{head_name}：同意承办机构意见", f"{first}：同意", f"{second}：同意"],
        "conclusion": "经集体讨论，同意承办机构拟作出的处罚决定。",
    }


def _review(s: _Story, day: dt.date, today: dt.date) -> bool:
    """Take a major case through the legal review as far as its plan says; True if the story
    stops here (before the decision)."""
    stage = s.plan.review
    if stage == "not_submitted":
        return True

    def submit(on: dt.date, **extra) -> None:
        s.record("submit_review", on, **PACKAGE, **extra)
        # The demo reviewer account does the reviews: the head reassigns when the system's even
        # assignment chose another of the agency's reviewers.
        reviewer = s.users["reviewer"].officer_id
        if s.case.facts["review_requests"][-1]["reviewer_id"] != reviewer:
            s.record("assign_reviewer", on, "head", reviewer=str(reviewer), reason="由本案熟悉该领域的审核人员审核")

    submit(day)
    if stage == "pending":
        return True
    day = min(s.working_days_after(day, 2), today)
    if stage in ("returned", "agreed"):
        s.record("record_review", day, "reviewer", **(CHECKLIST_PASS | {"check_evidence": "fail"}),
                 note_evidence="缺少涉案商品的检验报告", opinion="resubmit", reasons="请补充涉案商品的检验报告后重新提交。")
        if stage == "returned":
            return True
        day = min(s.working_days_after(day, 1), today)
        submit(day, response="已补充涉案商品的检验报告。")
        day = min(s.working_days_after(day, 1), today)
    if stage in ("disagreed", "resolved"):
        s.record("record_review", day, "reviewer", **(CHECKLIST_PASS | {"check_discretion": "fail"}),
                 note_discretion="罚款数额与裁量基准不符", opinion="disagree", reasons="裁量不当，不同意拟作出的处罚决定。")
        if stage == "disagreed":
            return True
        s.record("record_collective_discussion", day, "head", held_on=day, resolution="adopt_draft",
                 **(_discussion(s) | {"conclusion": "经集体讨论，承办机构的裁量理由成立，维持拟作出的处罚决定。"}))
        return True
    s.record("record_review", day, "reviewer", **AGREE)
    s.record("record_collective_discussion", day, "head", held_on=day, **_discussion(s))
    return stage == "agreed"


def _add_months(day: dt.date, months: int) -> dt.date:
    from sanxiang.procedure.penalty.rules import add_months

    return add_months(day, months)


def _summary(story: _Story, start: dt.date, index: int) -> None:
    plan, s = story.plan, story
    officer_ids = [str(pk) for pk in story.case.officers.order_by("pk").values_list("pk", flat=True)]
    if plan.stop == "converted":
        s.step("convert_to_ordinary", start, note="拟处罚款超过简易程序限额，转为普通程序办理。")
        return
    collect = plan.variant == "collect"
    amount = "50" if collect else "200"
    on_spot = {
        "officer_ids": officer_ids, "certificate_shown": True, "party_informed": True, "statement_heard_or_waived": True,
        "occurred_at": dt.datetime.combine(start, dt.time(10, 30)), "place": "乌审旗嘎鲁图镇团结路",
        "facts": plan.title.removesuffix("（当场处罚）"), "penalty_kinds": ["fine"], "fine_yuan": amount,
        "penalty_bases": ["《内蒙古自治区市场监督管理条例》第二十条"],
    }
    if not s.step("decide_on_spot", start, **on_spot):
        return
    if not s.step("hand_over", start, handed_over_on=start, signed_or_refusal_noted=True):
        return
    if collect:
        s.step("collect_on_spot", start, ground="small_fine", amount_yuan=amount, receipt=f"财罚{start:%Y%m%d}{index:02d}")
        s.step("record_cash_handover", s.working_days_after(start, 1), handed_on=s.working_days_after(start, 1))
    else:
        pay_day = start + dt.timedelta(days=6)
        if plan.stop != "handed_over":
            s.step("record_payment", pay_day, paid_on=pay_day, amount_yuan=amount, receipt=f"NS{start:%Y%m%d}{index:02d}")
    if not s.step("file_with_agency", s.working_days_after(start, 2)):
        return
    if not s.step("close", start + dt.timedelta(days=8)):
        return
    s.step("archive", start + dt.timedelta(days=9))


def demo_cases_load(*, agency: Agency, users: dict[str, User], today: dt.date) -> int:
    """Add the demo cases to `agency` unless it has cases already; returns how many were added.
    `users` are the demo accounts by role key: officer, head, reviewer."""
    if Case.objects.filter(agency=agency).exists():
        return 0
    calendar = working_day_calendar_current()
    companies = list(Party.objects.filter(agency=agency, kind="legal_person").order_by("pk"))
    citizen = _citizen(agency)
    prefer = users["officer"].officer
    count = 0
    for index, plan in enumerate((*ORDINARY_PLANS, *SUMMARY_PLANS), start=1):
        start = today - dt.timedelta(days=plan.days_ago)
        officers = _officers_covering(agency, start - 3 * DAY, today, prefer, avoid=users["reviewer"].officer_id)
        party = citizen if plan.procedure == "summary" and index % 2 else (companies[index % len(companies)] if companies else citizen)
        act_date = start - 3 * DAY if plan.procedure == "ordinary" else start
        case = case_create(
            actor=users["officer"], agency=agency, title=plan.title, procedure=plan.procedure, party=party,
            officers=officers, enforcement_field=FIELD, act_date=act_date, discovered_on=start, on=start,
        )
        story = _Story(case, users, calendar, plan)
        if plan.procedure == "ordinary":
            _ordinary(story, start, today, index)
        else:
            _summary(story, start, index)
        if story.case.state != plan.stop:
            raise RuntimeError(f"demo case {plan.title} stopped at {story.case.state}, not {plan.stop}")
        count += 1
    return count
