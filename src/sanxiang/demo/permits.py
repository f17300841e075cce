"""Demo 行政许可, 行政征收 and 行政奖励 for the demo county (issue 18 item 6).

The market-regulation bureau whose accounts the demo prints handles 食品经营许可 applications in
every state of the permit procedure: received and waiting for acceptance, told in one go what is
missing, refused acceptance, accepted and under review, with a hearing, extended by 10 working days
with the head's approval, with a paused period (检验) told in writing, granted
and waiting for the licence, granted with the licence delivered, refused with reasons and remedies,
changed, renewed, renewed by law for want of a decision (deemed granted), withdrawn, revoked and
cancelled. It also decides one 举报奖励 (行政奖励). The housing bureau, the county's 房屋征收部门,
handles one 国有土地上房屋征收 to its decision, with its assessment, compensation plan, legal review
(its catalogue lists the matter) and publication; its staff act through accounts that cannot log in (the demo
prints only the market-regulation bureau's).

As in `sanxiang.demo.cases`, every case is produced by running the engine through
`case_action_perform`, step by step, on past days counted back from the day the demo is loaded with
the official working-day calendar, never by writing a state. A 食品经营许可 is valid five years, so
the two licences renewed this year were granted five years before: their stories start then.
The permit decisions' publication drafts are approved by the head two working days after each
decision, as `sanxiang.demo.county` does for the penalty decisions. Loaded once: nothing when the
bureau has permit cases already.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.services import user_create
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_action_perform, case_create
from sanxiang.demo.data import FOOD_FIELD, HOUSE_EXPROPRIATION_MATTER
from sanxiang.demo.generator import DEMO_SEED, add_years
from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.identifiers import (
    credit_code_check_character,
    id_number_check_character,
    organization_code_check_character,
)
from sanxiang.procedure.registry_rules import certificate_is_valid_on
from sanxiang.registry.models import Agency, Matter, Officer, Party
from sanxiang.registry.services import party_create

DAY = dt.timedelta(days=1)
MATTER = "食品经营许可"
LICENCE = "食品经营许可证"
REMEDIES = "如不服本决定，可以在收到本决定书之日起六十日内向乌审旗人民政府申请行政复议，或者在六个月内依法向乌审旗人民法院提起行政诉讼。"
LICENCE_YEARS = 5  # a 食品经营许可证 is valid five years (《食品经营许可和备案管理办法》)


@dataclass(frozen=True)
class PermitPlan:
    """One demo application: the applicant (a company registered for the demo) and its premises,
    its story (`path`), the state it stops in and the day it starts (days before the load day; for
    the renewals, the days before the load day the licence expires)."""

    applicant: str
    premises: str  # a company applies for each of its premises (门店) a licence of its own
    path: str
    stop: str
    days_ago: int
    content: str = "散装食品（含冷藏冷冻食品）销售"


PERMIT_PLANS = (
    PermitPlan("乌审旗鑫源超市有限公司", "锡尼路店", "received", "received", 1),
    PermitPlan("乌审旗草原人家餐饮有限公司", "乌审召店", "supplement", "supplement", 4, "热食类食品制售"),
    PermitPlan("乌审旗便民商贸有限公司", "无定河店", "not_accepted", "not_accepted", 20),
    PermitPlan("乌审旗阳光烘焙食品有限公司", "文化路店", "review", "accepted", 8, "糕点类食品制售"),
    PermitPlan("乌审旗嘎鲁图中心农贸市场管理有限公司", "冷链交易区", "hearing", "accepted", 40, "冷藏冷冻食品销售（集中交易市场）"),
    # Accepted 23 working days before the load day (its start is counted so, not from `days_ago`).
    PermitPlan("乌审旗草原人家餐饮有限公司", "嘎鲁图店", "extended", "accepted", 0, "热食类食品制售"),
    PermitPlan("乌审旗绿源食品商行有限公司", "图克店", "paused", "accepted", 22, "散装食品销售"),
    PermitPlan("乌审旗好客来餐饮有限公司", "乌审路店", "granted", "granted", 14, "热食类食品制售"),
    PermitPlan("乌审旗阳光烘焙食品有限公司", "团结路店", "delivered", "in_force", 90),
    PermitPlan("乌审旗团结路小吃店有限公司", "团结路店", "refused", "refused", 50, "热食类食品制售"),
    PermitPlan("乌审旗鑫源超市有限公司", "无定河店", "changed", "in_force", 200),
    # The licence expires 20 days after the load day; it was renewed before.
    PermitPlan("乌审旗绿源食品商行有限公司", "嘎鲁图店", "renewed", "in_force", -20),
    PermitPlan("乌审旗益康副食品有限公司", "图克店", "deemed", "in_force", 12),
    PermitPlan("乌审旗团结路小吃店有限公司", "熟食分店", "withdrawn", "withdrawn", 240, "熟食类食品销售"),
    PermitPlan("乌审旗好客来餐饮有限公司", "乌兰陶勒盖店", "revoked", "revoked", 160),
    PermitPlan("乌审旗便民商贸有限公司", "苏力德店", "cancelled", "cancelled", 280),
)


def _number(n: int) -> str:
    return f"JY1150626{n:07d}"


class _Story:
    """Plays one case: each step on its day, by the account whose role takes it."""

    def __init__(self, case: Case, users: dict[str, User], calendar: WorkingDayCalendar):
        self.case, self.users, self.calendar = case, users, calendar

    def do(self, action: str, day: dt.date, who: str = "officer", /, **data) -> None:
        self.case = case_action_perform(actor=self.users[who], case=self.case, action=action, data=data, on=day)

    def after(self, day: dt.date, n: int) -> dt.date:
        return self.calendar.working_days_after(day, n).date


def _working_day_on_or_before(calendar: WorkingDayCalendar, day: dt.date) -> dt.date:
    for _ in range(60):
        answer = calendar.is_working_day(day)
        if answer.working and not answer.estimated:
            return day
        day -= DAY
    raise RuntimeError("demo: no known working day in the calendar")


def _accepted_days_ago(calendar: WorkingDayCalendar, today: dt.date, working_days: int) -> dt.date:
    """The latest working day from which `working_days` working days have passed by today."""
    day = _working_day_on_or_before(calendar, today - DAY)
    while calendar.working_days_after(day, working_days).date > today:
        day = _working_day_on_or_before(calendar, day - DAY)
    return day


def _grant(s: _Story, day: dt.date, plan: PermitPlan, *, category: str = "普通") -> None:
    s.do("permit_grant", day, "head", content=plan.content, licence_name=LICENCE, category=category)


def _deliver(s: _Story, day: dt.date, index: int, *, expires: dt.date | None = None) -> None:
    s.do("permit_deliver", day, delivered_on=day, expires_on=expires or add_years(day, LICENCE_YEARS) - DAY,
         licence_number=_number(index))


def _accept(s: _Story, day: dt.date) -> None:
    s.do("permit_materials", day, materials_complete=True, on_spot_possible=False)
    s.do("permit_accept", day, accepted_on=day)


def _granted_and_delivered(s: _Story, start: dt.date, plan: PermitPlan, index: int) -> dt.date:
    """Received and accepted on `start`, granted 8 working days later, the licence delivered two
    working days after; returns the day of delivery."""
    _accept(s, start)
    decided = s.after(start, 8)
    _grant(s, decided, plan)
    delivered = s.after(decided, 2)
    _deliver(s, delivered, index)
    return delivered


def _permit(s: _Story, plan: PermitPlan, today: dt.date, index: int) -> None:
    start = _working_day_on_or_before(s.calendar, today - dt.timedelta(days=plan.days_ago))
    path = plan.path
    if path == "received":
        s.do("permit_materials", start, materials_complete=False, on_spot_possible=False)
    elif path == "supplement":
        s.do("permit_notify_missing", s.after(start, 1),
             missing_items=["食品安全管理制度文本", "主要设备设施布局图和操作流程", "食品安全管理人员的健康证明"])
    elif path == "not_accepted":
        s.do("permit_refuse_acceptance", s.after(start, 2),
             reasons="申请人仅销售预包装食品，依法不需要取得食品经营许可，应当办理备案，不予受理；"
                     "请向本局办理仅销售预包装食品备案。", remedies=REMEDIES)
    elif path == "review":
        _accept(s, start)
    elif path == "hearing":
        _hearing(s, start)
    elif path == "extended":
        accepted = _accepted_days_ago(s.calendar, today, 23)
        _accept(s, accepted)
        # Approved by the head within the 20 working days (第四十二条), the reasons told the same day.
        approved = s.after(accepted, 18)
        s.do("permit_extend", approved, "head", reasons="申请人的经营场所需要现场核查，且涉及的冷链设施需要进一步核实，"
             "二十个工作日内不能作出决定", told_on=approved)
    elif path == "paused":
        _accept(s, start)
        # Samples sent for testing (检验) three working days after acceptance, the applicant told in
        # writing that day; recorded when the test ended, yesterday: the decision is still to come.
        test_from, test_end = s.after(start, 3), _working_day_on_or_before(s.calendar, today - DAY)
        s.do("permit_exclusion", test_end, kind="testing", start=test_from, end=test_end, told_on=test_from)
    elif path == "granted":
        _accept(s, start)
        _grant(s, s.after(start, 7), plan)
    elif path == "delivered":
        _granted_and_delivered(s, start, plan, index)
    elif path == "refused":
        _accept(s, start)
        s.do("permit_refuse", s.after(start, 10), "head",
             reasons="经现场核查，申请人的经营场所距离公共厕所不足二十五米，且无有效的防蝇防尘设施，不符合食品经营许可的法定条件。",
             remedies=REMEDIES)
    elif path == "changed":
        delivered = _granted_and_delivered(s, start, plan, index)
        _approve(s, today)
        s.do("permit_change", _working_day_on_or_before(s.calendar, delivered + dt.timedelta(days=150)), "head",
             content="经营项目增加“热食类食品制售”，经营场所面积由80平方米变更为120平方米")
    elif path in ("renewed", "deemed"):
        _renewal(s, plan, today, index)
    elif path in ("withdrawn", "revoked", "cancelled"):
        delivered = _granted_and_delivered(s, start, plan, index)
        _ending(s, plan, delivered, today)
    else:
        raise RuntimeError(f"demo permit {plan.path}: unknown path {path}")


def _hearing(s: _Story, start: dt.date) -> None:
    """第四十七条: the application concerns the neighbours' major interests; the applicant is told of
    the right to a hearing, asks for one within 5 days, is notified 7 days before and heard; the
    hearing's time, told in writing, does not count (第四十五条). The decision is still to come."""
    _accept(s, start)
    told = s.after(start, 3)
    s.do("permit_hearing_right", told, told_on=told)
    asked = s.after(told, 2)
    s.do("permit_hearing_answer", asked, answer="request", on=asked)
    notice = s.after(asked, 1)
    held = s.after(notice, 8)
    s.do("permit_hearing_held", held, notice_on=notice, held_on=held)
    s.do("permit_exclusion", held, kind="hearing", start=asked, end=held, told_on=notice)


def _renewal(s: _Story, plan: PermitPlan, today: dt.date, index: int) -> None:
    """A licence granted five years ago and delivered the same week: the holder applies for renewal
    two months before expiry (第五十条: at least 30 days before). One is renewed by decision; the
    other's expiry passes with no decision, and it counts as renewed (第五十条第二款)."""
    start, decided, delivered, expires = _renewal_days(s.calendar, plan, today)
    _accept(s, start)
    _grant(s, decided, plan)
    _deliver(s, delivered, index, expires=expires)
    _approve(s, today)
    applied = _working_day_on_or_before(s.calendar, expires - dt.timedelta(days=60))
    s.do("permit_renewal_apply", applied, applied_on=applied)
    renewed_until = add_years(expires + DAY, LICENCE_YEARS) - DAY
    if plan.path == "renewed":
        s.do("permit_renew", s.after(applied, 15), "head", renewed_until=renewed_until)
    else:
        s.do("permit_renew_deemed", _working_day_on_or_before(s.calendar, today - DAY), renewed_until=renewed_until)


def _renewal_days(calendar: WorkingDayCalendar, plan: PermitPlan, today: dt.date) -> tuple[dt.date, ...]:
    """Received, decided and delivered about five years before the expiry the plan aims at (the
    `days_ago` before the load day), and the expiry: five years from the delivery, less a day."""
    aim = today - dt.timedelta(days=plan.days_ago)
    delivered = _working_day_on_or_before(calendar, add_years(aim + DAY, -LICENCE_YEARS))
    decided = _working_day_on_or_before(calendar, delivered - DAY)
    start = _working_day_on_or_before(calendar, decided - dt.timedelta(days=12))
    return start, decided, delivered, add_years(delivered, LICENCE_YEARS) - DAY


def _ending(s: _Story, plan: PermitPlan, delivered: dt.date, today: dt.date) -> None:
    day = _working_day_on_or_before(s.calendar, min(delivered + dt.timedelta(days=120), today - dt.timedelta(days=20)))
    _approve(s, today)  # the grant was public before the licence ended
    if plan.path == "withdrawn":
        s.do("permit_withdraw", day, "head", reason="准予行政许可所依据的客观情况发生重大变化，为了公共利益的需要",
             facts="被许可人的经营场所位于团结路片区旧城区改建项目的房屋征收范围内，房屋已依法征收，原许可的经营条件不复存在。",
             remedies=REMEDIES)
    elif plan.path == "revoked":
        s.do("permit_revoke", day, "head", reason="被许可人以欺骗、贿赂等不正当手段取得行政许可",
             facts="经核查，被许可人申请时提交的经营场所租赁合同系伪造，出租人未曾与其签订租赁合同。", remedies=REMEDIES)
    else:
        s.do("permit_cancel", day, "head", reason="法人或者其他组织依法终止",
             facts="被许可人已于本月经市场监督管理部门核准注销登记。")


# --- 行政奖励 ----------------------------------------------------------------------------------------------


def _award(agency: Agency, users: dict[str, User], calendar: WorkingDayCalendar, today: dt.date) -> Case:
    """举报奖励: a tip that led to a penalty decision is rewarded (食品安全法 on complaints and tips),
    decided by the head and published."""
    start = _working_day_on_or_before(calendar, today - dt.timedelta(days=30))
    case = case_create(actor=users["officer"], agency=agency, title="食品安全违法行为举报奖励", procedure="other_act",
                       party=_person(agency, "李某某", dt.date(1979, 8, 3), "乌审旗嘎鲁图镇锡尼路8号"),
                       enforcement_field=FOOD_FIELD, on=start, options={"act_kind": "award"})
    s = _Story(case, users, calendar)
    s.do("other_act_draft", start, bases=["《中华人民共和国食品安全法》第一百一十五条第一款",
                                          "《市场监管领域重大违法行为举报奖励暂行办法》"],
         content="举报人实名举报某餐饮店使用过期食品原料，经查证属实，本局已作出行政处罚决定。决定给予举报人奖励人民币贰仟元。",
         amount_yuan="2000", major_marked=False)
    decided = s.after(start, 5)
    s.do("other_act_decide", decided, "head", remedies=REMEDIES)
    _approve(s, today)  # on the portal too, as the agency's own site has it
    published = s.after(decided, 3)
    s.do("other_act_publish", published, published_on=published, place="乌审旗市场监督管理局网站“行政执法公示”栏目")
    return s.case


# --- 行政征收 -------------------------------------------------------------------------------------------


HOUSING_ACCOUNTS = (("zhujian-officer", Role.OFFICER), ("zhujian-reviewer", Role.REVIEWER),
                    ("zhujian-head", Role.AGENCY_HEAD))


def _housing_users(housing: Agency) -> dict[str, User] | None:
    """The housing bureau's officer, reviewer and head as accounts that cannot log in (no password):
    the steps of its case are theirs."""
    found = {u.username: u for u in User.objects.filter(username__in=[n for n, _ in HOUSING_ACCOUNTS])}
    staff = list(Officer.objects.filter(agency=housing, status="active").order_by("pk"))
    head = next((o for o in staff if o.post == "局长"), None)
    reviewer = next((o for o in staff if o.is_legal_reviewer), None)
    officer = next((o for o in staff if o not in (head, reviewer) and not o.is_legal_reviewer
                    and o.staffing_type in ("administrative", "civil_service_managed", "public_institution")), None)
    if head is None or reviewer is None or officer is None:
        return None
    people = {Role.OFFICER: officer, Role.REVIEWER: reviewer, Role.AGENCY_HEAD: head}
    users = {}
    for username, role in HOUSING_ACCOUNTS:
        user = found.get(username) or user_create(actor=None, username=username, password=None, role=role, agency=housing,
                                                  officer=people[role], display_name=people[role].name)
        users[{Role.OFFICER: "officer", Role.REVIEWER: "reviewer", Role.AGENCY_HEAD: "head"}[role]] = user
    return users


def _expropriation(county: Agency, today: dt.date) -> Case | None:
    """国有土地上房屋征收 for the 团结路片区 旧城区改建, in the housing bureau of `county`'s county:
    purpose, scope and basis, the assessment, the compensation plan (not below the assessment), the
    legal review the bureau's catalogue asks for, the decision, its service and its publication.
    Under the 条例 the 旗人民政府 makes the 征收决定 and the bureau, its 房屋征收部门, carries the
    work out; the platform keeps the case with the bureau, whose head takes the decision step."""
    from sanxiang.review.models import CataloguePublication
    from sanxiang.review.services import catalogue_publish, catalogue_update

    matter = (Matter.objects.filter(kind="expropriation", name=HOUSE_EXPROPRIATION_MATTER,
                                    agency__region_code=county.region_code).select_related("agency").order_by("pk").first())
    housing = matter.agency if matter is not None else None
    if housing is None or Case.objects.filter(agency=housing, procedure="expropriation").exists():
        return None
    users = _housing_users(housing)
    if users is None:
        return None
    if not CataloguePublication.objects.filter(agency=housing).exists():
        catalogue_update(actor=users["head"], agency=housing, matters=[matter])
        catalogue_publish(actor=users["head"], agency=housing)
    calendar = working_day_calendar_current()
    start = _working_day_on_or_before(calendar, today - dt.timedelta(days=75))
    owner = _person(housing, "张某某", dt.date(1968, 3, 21), "乌审旗嘎鲁图镇团结路12号")
    case = case_create(actor=users["officer"], agency=housing, title="团结路片区旧城区改建项目房屋征收（团结路12号）",
                       procedure="expropriation", matter=matter, party=owner,
                       officers=_handlers(housing, matter.enforcement_field, start, today, users["officer"].officer,
                                          (users["reviewer"].officer_id, users["head"].officer_id)),
                       on=start, options={"expropriation_kind": "expropriation"})
    s = _Story(case, users, calendar)
    s.do("expropriation_project", start, purpose="团结路片区危房集中、基础设施落后，由旗人民政府依照城乡规划组织实施旧城区改建",
         scope="乌审旗嘎鲁图镇团结路12号住宅房屋一处（建筑面积96.5平方米）及其占用范围内的国有土地使用权",
         bases=["《国有土地上房屋征收与补偿条例》第八条第五项", "《国有土地上房屋征收与补偿条例》第十七条、第十九条"],
         major_marked=False)
    reported = s.after(start, 10)
    s.do("expropriation_assess", reported, assessor="鄂尔多斯市正信房地产土地估价有限公司", report_number="正信估字〔2026〕第031号",
         amount_yuan="482500", reported_on=reported)
    planned = s.after(reported, 2)
    s.do("expropriation_plan", planned, method="money", amount_yuan="506500",
         items=["被征收房屋价值补偿482500元", "搬迁费和临时安置费14000元", "按期搬迁奖励10000元"])
    reviewed = s.after(planned, 3)
    s.do("expropriation_review", reviewed, "reviewer", opinion="agree")
    decided = s.after(reviewed, 2)
    s.do("expropriation_decide", decided, "head", remedies=REMEDIES)
    served = s.after(decided, 1)
    s.do("expropriation_serve", served, served_on=served, method="direct")
    _approve(s, today)  # on the portal too, as the government's site has it
    published = s.after(served, 3)
    s.do("expropriation_publish", published, published_on=published,
         place="乌审旗人民政府网站“重点领域信息公开—征收征用”栏目及征收范围内公告栏")
    return s.case


# --- loading -----------------------------------------------------------------------------------------------


def _handlers(agency: Agency, field: str, start: dt.date, today: dt.date, prefer: Officer | None,
              avoid: tuple[int | None, ...] = ()) -> list[Officer]:
    """Up to two officers of the agency whose certificates for the field are valid from the case's
    first day to today, the demo officer first when he qualifies; none of `avoid`. A licence's
    staff need no certificate: a case with none is registered without them."""
    candidates = list(Officer.objects.filter(agency=agency, status="active").exclude(pk__in=[a for a in avoid if a])
                      .prefetch_related("certificates").order_by("pk"))
    candidates.sort(key=lambda o: prefer is None or o.pk != prefer.pk)
    chosen = [o for o in candidates if any(
        certificate_is_valid_on(c.snapshot(), start, enforcement_field=field)
        and certificate_is_valid_on(c.snapshot(), today, enforcement_field=field) for c in o.certificates.all())]
    return chosen[:2]


def _applicant(agency: Agency, name: str, rng: random.Random) -> Party:
    """The applicant, a company registered for the demo with a credit code derived from DEMO_SEED."""
    found = Party.objects.filter(agency=agency, name=name).first()
    if found is not None:
        return found
    while True:
        body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
        first17 = "91150626" + body + organization_code_check_character(body)
        code = first17 + credit_code_check_character(first17)
        if not Party.objects.filter(credit_code=code).exists():
            break
    town = rng.choice(("嘎鲁图镇", "图克镇", "无定河镇", "乌审召镇"))
    return party_create(actor=None, agency=agency, kind="legal_person", name=name, credit_code=code,
                        address=f"乌审旗{town}{rng.choice(('团结路', '锡尼路', '乌审路', '文化路'))}{rng.randint(1, 99)}号",
                        legal_representative=rng.choice("王李张刘陈杨赵黄") + "某某")


def _person(agency: Agency, name: str, birth: dt.date, address: str) -> Party:
    first17 = f"150626{birth:%Y%m%d}{sum(map(ord, name)) % 900 + 100:03d}"
    number = first17 + id_number_check_character(first17)
    found = Party.objects.filter(agency=agency, id_number=number).first()
    return found or party_create(actor=None, agency=agency, kind="natural_person", name=name, id_type="resident_id_card",
                                 id_number=number, address=address)


def _publish(drafts, head: User, calendar: WorkingDayCalendar, today: dt.date) -> None:
    """The permit decisions' drafts approved by the head two working days after each decision, as
    the penalty decisions' are (`sanxiang.demo.county`)."""
    from sanxiang.publication.services import publication_approve

    for draft in drafts.order_by("decided_on", "pk"):
        publication_approve(actor=head, draft=draft, on=min(calendar.working_days_after(draft.decided_on, 2).date, today))


def _approve(s: _Story, today: dt.date) -> None:
    """The case's decisions published before its next decision, as they were in time."""
    from sanxiang.publication.models import DraftStatus, PublicationDraft

    _publish(PublicationDraft.objects.filter(case=s.case, status=DraftStatus.DRAFT), s.users["head"], s.calendar, today)


def demo_permits_load(*, agency: Agency, users: dict[str, User], today: dt.date) -> bool:
    """Add the demo's licence applications, 举报奖励 and 房屋征收 unless `agency` has permit cases
    already; True when they were added. `users` are the demo accounts by role key: officer, head,
    reviewer."""
    from sanxiang.publication.models import DraftStatus, PublicationDraft
    from sanxiang.publication.services import publications_expire

    if Case.objects.filter(agency=agency, procedure="permit").exists():
        return False
    matter = Matter.objects.filter(agency=agency, kind="permit", name=MATTER).first()
    if matter is None:
        return False
    calendar = working_day_calendar_current()
    rng = random.Random(f"{DEMO_SEED}:permits")
    officer = users["officer"].officer
    avoid = (users["reviewer"].officer_id, users["head"].officer_id)
    for index, plan in enumerate(PERMIT_PLANS, start=1):
        first = _first_day(plan, today, calendar)
        party = _applicant(agency, plan.applicant, rng)
        case = case_create(actor=users["officer"], agency=agency, title=f"{party.name}（{plan.premises}）{MATTER}申请", procedure="permit", matter=matter,
                           party=party, officers=_handlers(agency, matter.enforcement_field, first, today, officer, avoid),
                           on=first)
        story = _Story(case, users, calendar)
        _permit(story, plan, today, index)
        if story.case.state != plan.stop:
            raise RuntimeError(f"demo permit {plan.path} stopped at {story.case.state}, not {plan.stop}")
    _award(agency, users, calendar, today)
    # A grant whose licence is not yet delivered waits (its row lacks the licence's number and validity).
    _publish(PublicationDraft.objects.filter(agency=agency, status=DraftStatus.DRAFT, case__procedure="permit")
             .exclude(case__state="granted"), users["head"], calendar, today)
    _expropriation(agency, today)
    publications_expire(on=today)
    return True


def _first_day(plan: PermitPlan, today: dt.date, calendar: WorkingDayCalendar) -> dt.date:
    """The day the application is received: the day its story starts."""
    if plan.path == "extended":
        return _accepted_days_ago(calendar, today, 23)
    if plan.path in ("renewed", "deemed"):
        return _renewal_days(calendar, plan, today)[0]
    return _working_day_on_or_before(calendar, today - dt.timedelta(days=plan.days_ago))
