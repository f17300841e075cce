"""A year of 双随机一公开 in the demo county (issue 17), produced through the services, back from the
demo's `today` on the days `sanxiang.demo.inspection_year` computes.

Two bodies take part: the main agency (市场监管局) and the banner's 应急管理局. Each publishes its
抽查事项清单 and keeps a register of enterprises graded by risk and credit; each year's annual plan
is approved by its head, filed with the 司法局 (备案) and published early in January; one batch a
quarter is drawn: the task notice with the seed's hash first, the seed, the public inputs and the
result on the draw day (repeatable with `sanxiang_verify.draw`). The head approves the batch's
inspections (检查码), the officers visit on dated days after the draw, record the visit with a
photo and tell the result on the spot; the results are published within the period. Along the way
a few visits find violations that open penalty cases (案源登记, dated the day of the visit), one
orders a rectification whose follow-up inspection (整改复查) is carried out after its period, and
the 应急管理局 joins one of the market bureau's visits (综合查一次). An officer whose certificate
runs out before the visit is not sent: the head declines that inspection (不予实施) with the reason.
The last batch is still in progress on `today`: its visits from today on are the officers' work.

Dates: every step is taken at its day through the services' own replay arguments (the engine's
`GuardContext` of that day, the plan's and the draw's `now`, the results' `on`), never after
`today`; the ledger's own time says when the demo was loaded. Deterministic: names, grades, the
outcomes and the draws' seeds derive from DEMO_SEED and the day. Loaded once: nothing when the
main agency already has inspection items."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.services import user_create
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.selectors import guard_context
from sanxiang.demo.data import FOOD_FIELD, MARKET_FIELD, SAFETY
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.demo.inspection_year import BatchDays, InspectionYear, inspection_year, rules_in_force_from
from sanxiang.inspection import draw_services, plan_services, register_services
from sanxiang.inspection.inspection_services import (
    inspection_act,
    inspection_photo_add,
    inspection_results_publish,
)
from sanxiang.inspection.models import (
    Inspection,
    InspectionItem,
    InspectionPlan,
    InspectionSource,
    InspectionState,
    RandomInspection,
)
from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.identifiers import credit_code_check_character, organization_code_check_character
from sanxiang.procedure.inspection.registers import TargetSnapshot
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.registry_rules import officer_problems_on
from sanxiang.procedure.violations import Refused
from sanxiang.registry.models import Agency, Officer

TOWNS = ("嘎鲁图镇", "乌审召镇", "图克镇", "无定河镇", "苏力德苏木", "乌兰陶勒盖镇")
STEMS = "甲乙丙丁戊己庚辛壬癸"
DECLINE_REASON = "派出的检查人员执法证件在检查期间届满，本批次不再实施，该企业列入以后批次抽取"


@dataclass(frozen=True)
class Body:
    """One body's part of the year: its list, its register, and which visits find what."""

    template_key: str  # the agency's template in the demo data (its key ends the agency's key)
    items: tuple[tuple[str, str, str, str, str], ...]  # code, name, basis, check kind, field
    quarter_items: tuple[tuple[str, ...], ...]  # the item codes of each quarter's batch (1..4)
    grades: tuple[tuple[str, str, int], ...]  # risk grade, credit grade, how many enterprises
    trades: tuple[tuple[str, str], ...]  # the word in the name, the sector
    scope: str
    # (batch index from the first, position in the batch's visits): what those visits find.
    violations: tuple[tuple[int, int], ...] = ()
    rectification: tuple[int, int] | None = None


MARKET = Body(
    template_key="market",
    items=(
        ("SJ-001", "食品经营者落实食品安全主体责任情况检查", "《中华人民共和国食品安全法》第一百一十条", "on_site",
         FOOD_FIELD),
        ("SJ-002", "经营主体登记事项和年度报告公示情况检查", "《企业信息公示暂行条例》第十五条", "documents", MARKET_FIELD),
        ("SJ-003", "产品质量监督抽查", "《中华人民共和国产品质量法》第十五条", "sampling", MARKET_FIELD),
    ),
    quarter_items=(("SJ-001", "SJ-002"), ("SJ-001", "SJ-003"), ("SJ-001", "SJ-002"), ("SJ-001", "SJ-003")),
    # Most enterprises are of medium risk and good credit: about six are drawn a quarter.
    grades=(("medium", "B", 14), ("low", "A", 8), ("high", "B", 3), ("medium", "C", 3), ("low", "B", 2)),
    trades=(("食品", "食品销售"), ("餐饮", "餐饮服务"), ("超市", "食品销售"), ("粮油", "食品销售"),
            ("商贸", "批发零售"), ("建材", "批发零售")),
    scope="辖区内食品经营者和其他经营主体",
    violations=((0, 3), (1, 0)),
    rectification=(0, 1),
)
EMERGENCY = Body(
    template_key="emergency",
    items=(
        ("YJ-001", "生产经营单位安全生产主体责任落实情况检查", "《中华人民共和国安全生产法》第六十五条", "on_site",
         SAFETY),
        ("YJ-002", "危险化学品经营单位安全管理情况检查", "《危险化学品安全管理条例》第七条", "on_site", SAFETY),
    ),
    quarter_items=(("YJ-001",), ("YJ-001", "YJ-002"), ("YJ-001",), ("YJ-001", "YJ-002")),
    grades=(("medium", "B", 8), ("low", "A", 4), ("high", "B", 3), ("high", "C", 1)),
    trades=(("化工", "危险化学品经营"), ("燃气", "燃气经营"), ("能源", "危险化学品经营"), ("机械", "工贸")),
    scope="辖区内危险化学品经营单位和工贸企业",
    violations=((0, 2),),
)
BODIES = (MARKET, EMERGENCY)
# The market bureau's visit the 应急管理局 joins (综合查一次): of the batch before the last (the
# last one's visits may not have happened yet), the first visit that finds nothing.
JOINED_BATCH_FROM_END = 2


def _jpeg(seed: int) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(seed).randbytes(1200) + b"\xff\xd9"


def _credit_code(rng: random.Random) -> str:
    """An enterprise's 统一社会信用代码 (91: 企业) registered in the banner."""
    body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    first17 = "91150626" + body + organization_code_check_character(body)
    return first17 + credit_code_check_character(first17)


def _seed(name: str) -> str:
    """A draw's seed, derived from the demo's (so every load of the demo draws the same)."""
    return hashlib.sha256(f"sanxiang-demo:{DEMO_SEED}:{name}".encode()).hexdigest()


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@dataclass
class _BodyYear:
    """One body as the loader plays it."""

    body: Body
    agency: Agency
    head: User
    items: dict[str, InspectionItem] = field(default_factory=dict)
    plans: dict[int, InspectionPlan] = field(default_factory=dict)
    tasks: list[RandomInspection] = field(default_factory=list)  # one per batch, in order


# A visit to play: its day, the body's order, the body, the inspection, what it finds.
_Visit = tuple[dt.date, int, _BodyYear, Inspection, str]


@transaction.atomic
def demo_inspections_load(*, today: dt.date | None = None) -> int:
    """Load the year (once); returns how many inspections the main agency has afterwards (0 when
    the demo county is not there)."""
    today = today or timezone.localdate()
    generator = CountyGenerator(seed=DEMO_SEED, today=today)
    main = Agency.objects.filter(credit_code=generator.main_agency().credit_code).first()
    bureau = Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).first()
    head = User.objects.filter(username="head", agency=main).first() if main else None
    supervisor = (User.objects.filter(role=Role.SUPERVISOR, agency=bureau).order_by("username").first()
                  if bureau else None)
    if main is None or head is None or supervisor is None:
        return 0
    if InspectionItem.objects.filter(agency=main).exists():
        return Inspection.objects.filter(agency=main).count()
    year = inspection_year(today=today, earliest=rules_in_force_from(parameters_default()),
                           calendar=working_day_calendar_current())
    bodies = [_BodyYear(MARKET, main, head)]
    emergency = _agency_of(generator, main, EMERGENCY.template_key)
    if emergency is not None:
        bodies.append(_BodyYear(EMERGENCY, emergency, _head_of(generator, emergency)))
    for number, body_year in enumerate(bodies):
        _registers(body_year, year)
        _plans(body_year, year, supervisor=supervisor, filing_number=3 + number)
    published: list[tuple[dt.date, _BodyYear, list[int]]] = []
    for index, batch in enumerate(year.batches):
        for body_year in bodies:
            body_year.tasks.append(_draw(body_year, batch))
        joining = bodies[1] if len(bodies) > 1 and index == max(len(year.batches) - JOINED_BATCH_FROM_END, 0) else None
        published += _carry_out(bodies, batch, index, year, joining=joining)
    for day, body_year, ids in sorted(published, key=lambda p: (p[0], p[1].agency.pk)):
        inspection_results_publish(actor=body_year.head, agency_id=body_year.agency.pk, on=day, inspection_ids=ids)
    return Inspection.objects.filter(agency=main).count()


def _agency_of(generator: CountyGenerator, main: Agency, template_key: str) -> Agency | None:
    spec = next((a for a in generator.agencies() if a.key == f"{main.region_code}-{template_key}"), None)
    return Agency.objects.filter(credit_code=spec.credit_code).first() if spec else None


def _head_of(generator: CountyGenerator, agency: Agency) -> User:
    """The body's head as a user of the platform (an account without a password: the demo prints
    only the main agency's accounts), the officer who heads it."""
    found = User.objects.filter(role=Role.AGENCY_HEAD, agency=agency).order_by("pk").first()
    if found is not None:
        return found
    spec = next(a for a in generator.agencies() if a.credit_code == agency.credit_code)
    officer_spec = next(o for o in generator.officers() if o.agency_key == spec.key)  # the head comes first
    officer = Officer.objects.get(agency=agency, id_number=officer_spec.id_number)
    return user_create(actor=None, username=f"head-{agency.pk}", password=None, role=Role.AGENCY_HEAD,
                       agency=agency, officer=officer, display_name=officer.name, validate=False)


def _registers(body_year: _BodyYear, year: InspectionYear) -> None:
    body, agency, head = body_year.body, body_year.agency, body_year.head
    for code, name, basis, kind, enforcement_field in body.items:
        body_year.items[code] = register_services.item_save(actor=head, agency=agency, code=code, name=name,
                                                        legal_basis=basis, check_kind=kind,
                                                        enforcement_field=enforcement_field)
    register_services.items_publish(actor=head, agency=agency, now=_moment(year.items_published_on, 9))
    rng = random.Random(f"{DEMO_SEED}:inspection:{body.template_key}")
    grades = [(risk, credit) for risk, credit, count in body.grades for _ in range(count)]
    rng.shuffle(grades)
    used: set[str] = set()
    for n, (risk, credit) in enumerate(grades):
        code = _credit_code(rng)
        while code in used:
            code = _credit_code(rng)
        used.add(code)
        town = TOWNS[n % len(TOWNS)]
        trade, sector = body.trades[rng.randrange(len(body.trades))]
        serial = f"{n // len(STEMS) + 1}" if n >= len(STEMS) else ""
        register_services.target_save(actor=head, agency=agency, snapshot=TargetSnapshot(
            name=f"乌审旗{town}{STEMS[n % len(STEMS)]}{trade}有限公司{serial}", credit_code=code,
            legal_representative=rng.choice("王李张刘陈杨赵黄") + "某", address=f"{town}{rng.randint(1, 99)}号",
            sector=sector, risk_grade=risk, credit_grade=credit))


def _plans(body_year: _BodyYear, year: InspectionYear, *, supervisor: User, filing_number: int) -> None:
    agency, head = body_year.agency, body_year.head
    for days in year.plans:
        plan = plan_services.plan_draft(
            actor=head, agency=agency, kind="annual", year=days.year,
            title=f"{agency.name}{days.year}年度双随机抽查工作计划", items=list(body_year.items.values()),
            scope=body_year.body.scope, frequency="每季度抽取一批，按风险等级和信用等级确定抽查比例",
            starts_on=dt.date(days.year, 1, 1), ends_on=dt.date(days.year, 12, 31))
        plan = plan_services.plan_approve(actor=head, plan=plan, now=_moment(days.approved_on, 10))
        plan = plan_services.plan_file(actor=supervisor, plan=plan, filing_reference=f"乌司备〔{days.year}〕{filing_number}号",
                                       now=_moment(days.filed_on, 15))
        body_year.plans[days.year] = plan_services.plan_publish(actor=head, plan=plan, now=_moment(days.published_on, 9))


def _draw(body_year: _BodyYear, batch: BatchDays):
    items = [body_year.items[code] for code in body_year.body.quarter_items[batch.quarter - 1]]
    task = draw_services.draw_create(actor=body_year.head, plan=body_year.plans[batch.year], title=f"{batch.label}双随机抽查",
                                     items=items, period_from=batch.period_from, period_to=batch.period_to,
                                     draw_on=batch.draw_on)
    task = draw_services.draw_commit(actor=body_year.head, task=task, now=_moment(batch.committed_on, 9),
                                     seed=_seed(f"{body_year.body.template_key}:{batch.year}:{batch.quarter}"))
    return draw_services.draw_run(actor=body_year.head, task=task, now=_moment(batch.draw_on, 9, 30))


def _carry_out(bodies: list[_BodyYear], batch: BatchDays, index: int, year: InspectionYear, *,
               joining: _BodyYear | None) -> list[tuple[dt.date, _BodyYear, list[int]]]:
    """The batch's work, day by day: the approvals, the joined visit, then every visit in the
    order of its day. Returns the results to publish: (day, body, inspections) for every few
    visits of a body (`InspectionYear.publications`)."""
    if not year.past(batch.approved_on):
        return []
    visits: list[_Visit] = []
    for order, body_year in enumerate(bodies):
        drawn = list(Inspection.objects.filter(random_inspection=body_year.tasks[index]).order_by("pk"))
        outcomes = {position: "violation" for b, position in body_year.body.violations if b == index}
        if body_year.body.rectification is not None and body_year.body.rectification[0] == index:
            outcomes[body_year.body.rectification[1]] = "rectify"
        context = guard_context(on=batch.approved_on, calendar=year.calendar)
        for position, (inspection, day) in enumerate(zip(drawn, year.visit_days(batch, len(drawn)), strict=True)):
            if _approve(body_year, inspection, context, visit_on=day):
                visits.append((day, order, body_year, inspection, outcomes.get(position, "pass")))
    if joining is not None:
        _join(joining, visits, on=batch.approved_on, calendar=year.calendar)
    done: dict[int, list[tuple[dt.date, int]]] = {}
    for day, order, body_year, inspection, outcome in sorted(visits, key=lambda v: (v[0], v[1], v[3].pk)):
        if not year.past(day):
            continue  # the officers' work of today and the days to come
        _visit(body_year, inspection.pk, day, outcome, year)
        done.setdefault(order, []).append((day, inspection.pk))
        if outcome == "rectify":
            _follow_up(body_year, inspection.pk, year)
    return [(day, bodies[order], ids) for order, told in done.items() for day, ids in year.publications(told)]


def _approve(body_year: _BodyYear, inspection: Inspection, context: GuardContext, *, visit_on: dt.date) -> bool:
    """The head approves the inspection (its 检查码), or declines it when an officer sent could not
    inspect on the day of the visit. Returns whether it goes ahead."""
    officers = list(inspection.officers.prefetch_related("certificates"))
    fields = {i.enforcement_field for i in inspection.items.all() if i.enforcement_field}
    only = next(iter(fields)) if len(fields) == 1 else ""
    if any(officer_problems_on(o.snapshot(), day, enforcement_field=only, region=body_year.agency.region_code)
           for o in officers for day in (context.today, visit_on)):
        inspection_act(actor=body_year.head, inspection_id=inspection.pk, action="inspection_decline",
                       data={"reason": DECLINE_REASON}, context=context)
        return False
    inspection_act(actor=body_year.head, inspection_id=inspection.pk, action="inspection_approve",
                   data={"approval": "agree"}, context=context)
    return True


def _join(joining: _BodyYear, visits: list[_Visit], *, on: dt.date, calendar: WorkingDayCalendar) -> None:
    """综合查一次: the 应急管理局's head joins the first market visit of a 餐饮 business that finds
    nothing, with its first item and two of its officers able to inspect that day."""
    candidates = [v for v in visits if v[2] is not joining and v[4] == "pass" and v[3].target.sector == "餐饮服务"]
    if not candidates:
        return
    day, _, _, inspection, _ = min(candidates, key=lambda v: (v[0], v[3].pk))
    item = next(iter(joining.items.values()))
    # Not the head himself: he decides, two of his officers go.
    officers = (Officer.objects.filter(agency=joining.agency, status="active").exclude(pk=joining.head.officer_id)
                .prefetch_related("certificates").order_by("pk"))
    able = [o.pk for o in officers
            if not any(officer_problems_on(o.snapshot(), d, enforcement_field=item.enforcement_field,
                                           region=joining.agency.region_code) for d in (on, day))][:2]
    if len(able) < 2:
        return
    try:
        inspection_act(actor=joining.head, inspection_id=inspection.pk, action="inspection_join",
                       data={"item_ids": [item.pk], "officer_ids": able}, context=guard_context(on=on, calendar=calendar))
    except Refused:
        return  # e.g. the enterprise is at the 应急管理局's yearly cap: the visit goes on without it


def _visit(body_year: _BodyYear, pk: int, day: dt.date, outcome: str, year: InspectionYear) -> None:
    """On the spot: the visit begins, a photo is taken, the checklist is recorded and signed, the
    result is told there (a violation opens the penalty case; a rectification its follow-up)."""
    head, context = body_year.head, guard_context(on=day, calendar=year.calendar)
    inspection_act(actor=head, inspection_id=pk, action="inspection_start", data={}, context=context)
    inspection_photo_add(actor=head, inspection_id=pk, source=io.BytesIO(_jpeg(pk)), original_name="现场检查.jpg",
                         captured_at=_moment(day, 10))
    inspection = Inspection.objects.prefetch_related("items", "officers").get(pk=pk)
    finding = "pass" if outcome == "pass" else "fail"
    checklist = [{"item_id": item.pk, "point": item.name, "finding": finding if n == 0 else "pass"}
                 for n, item in enumerate(sorted(inspection.items.all(), key=lambda i: i.pk))]
    inspection_act(actor=head, inspection_id=pk, action="inspection_record", context=context, data={
        "officer_ids": sorted(o.pk for o in inspection.officers.all()), "certificates_shown": True,
        "checklist": checklist, "enterprise_signed": True, "on": day})
    result: dict = {"outcome": outcome, "sent_on": day}
    if outcome == "violation":
        result["findings"] = ("现场发现超过保质期的食品，未履行进货查验义务" if body_year.body is MARKET
                              else "危险化学品储存场所未设置安全警示标志，安全生产教育培训记录缺失")
    elif outcome == "rectify":
        result["findings"] = "进货查验记录不全，从业人员健康证明未在经营场所公示"
        result["rectification_due"] = day + dt.timedelta(days=15)
    inspection_act(actor=head, inspection_id=pk, action="inspection_send_result", data=result, context=context)


def _follow_up(body_year: _BodyYear, pk: int, year: InspectionYear) -> None:
    """整改复查: scheduled by the rectification order, approved and carried out the first working day
    after its period (when that day has passed); the enterprise has put things right."""
    follow_up = Inspection.objects.filter(follow_up_of_id=pk, source=InspectionSource.FOLLOW_UP,
                                          state=InspectionState.ASSIGNED).first()
    sent_on = Inspection.objects.values_list("result_sent_on", flat=True).get(pk=pk)
    day = year.follow_up_day(sent_on)
    if follow_up is None or not year.past(day):
        return
    context = guard_context(on=day, calendar=year.calendar)
    inspection_act(actor=body_year.head, inspection_id=follow_up.pk, action="inspection_approve",
                   data={"approval": "agree"}, context=context)
    _visit(body_year, follow_up.pk, day, "pass", year)


__all__ = ["BODIES", "demo_inspections_load"]
