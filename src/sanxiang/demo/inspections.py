"""A year of 双随机一公开 in the demo county (issue 17), produced through the services: the main
agency publishes its 抽查事项清单 and keeps a register of a few dozen enterprises; its annual plan
is approved by the head, filed with the 司法局 and published; two draws are committed (seed hash
published first), drawn (seed, inputs and result published, repeatable with `sanxiang_verify.draw`)
and carried out: the head approves each inspection (检查码), the officers record the visit with a
photo and send the result. Two inspections find violations that open penalty cases, one orders a
rectification whose follow-up inspection is scheduled, the others pass; the 双随机 results are
published. Deterministic: names, grades and the draws' seeds derive from DEMO_SEED. Loaded once:
nothing when the main agency already has inspection items."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.selectors import guard_context
from sanxiang.demo.data import FOOD_FIELD, MARKET_FIELD
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.inspection import draw_services, plan_services, register_services
from sanxiang.inspection.inspection_services import (
    inspection_act,
    inspection_photo_add,
    inspection_results_publish,
)
from sanxiang.inspection.models import Inspection, InspectionItem
from sanxiang.procedure.identifiers import credit_code_check_character, organization_code_check_character
from sanxiang.procedure.inspection.registers import TargetSnapshot
from sanxiang.registry.models import Agency

TARGETS = 36
# The results of the inspections carried out, in the order of the draws' inspections: two violations
# (penalty cases), one rectification (its follow-up scheduled), the others pass.
OUTCOMES = ("violation", "pass", "rectify", "pass", "violation", "pass")
ITEMS = (
    ("SJ-001", "食品经营者落实食品安全主体责任情况检查", "《中华人民共和国食品安全法》第一百一十条", "on_site", FOOD_FIELD),
    ("SJ-002", "经营主体登记事项和年度报告公示情况检查", "《企业信息公示暂行条例》第十五条", "documents", MARKET_FIELD),
    ("SJ-003", "产品质量监督抽查", "《中华人民共和国产品质量法》第十五条", "sampling", MARKET_FIELD),
)
TOWNS = ("嘎鲁图镇", "乌审召镇", "图克镇", "无定河镇", "苏力德苏木", "乌兰陶勒盖镇")
TRADES = ("食品", "商贸", "餐饮", "超市", "粮油", "建材")


def _jpeg(seed: int) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(seed).randbytes(1200) + b"\xff\xd9"


def _credit_code(rng: random.Random) -> str:
    body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    first17 = "92150626" + body + organization_code_check_character(body)
    return first17 + credit_code_check_character(first17)


def _seed(name: str) -> str:
    """A draw's seed, derived from the demo's (so every load of the demo draws the same)."""
    return hashlib.sha256(f"sanxiang-demo:{DEMO_SEED}:{name}".encode()).hexdigest()


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
    rng = random.Random(f"{DEMO_SEED}:inspection")

    items = [register_services.item_save(actor=head, agency=main, code=code, name=name, legal_basis=basis,
                                         check_kind=kind, enforcement_field=field)
             for code, name, basis, kind, field in ITEMS]
    register_services.items_publish(actor=head, agency=main)
    used: set[str] = set()
    for n in range(TARGETS):
        code = _credit_code(rng)
        while code in used:
            code = _credit_code(rng)
        used.add(code)
        town, trade = TOWNS[n % len(TOWNS)], TRADES[rng.randrange(len(TRADES))]
        register_services.target_save(actor=head, agency=main, snapshot=TargetSnapshot(
            name=f"乌审旗{town}{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{trade}有限公司{n // 10 + 1 if n >= 10 else ''}",
            credit_code=code, legal_representative=rng.choice("王李张刘陈杨赵黄") + "某",
            address=f"{town}{rng.randint(1, 99)}号", sector="食品销售" if trade in ("食品", "餐饮", "粮油") else "批发零售",
            risk_grade=rng.choice(("high", "medium", "medium", "low")), credit_grade=rng.choice("AABBBCD")))

    year = today.year
    plan = plan_services.plan_draft(
        actor=head, agency=main, kind="annual", year=year, title=f"{main.name}{year}年度双随机抽查工作计划",
        items=items, scope="辖区内食品经营者和其他经营主体", frequency="每年两批，每批按风险和信用等级抽取",
        starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31))
    plan = plan_services.plan_approve(actor=head, plan=plan)
    plan = plan_services.plan_file(actor=supervisor, plan=plan, filing_reference=f"乌司备〔{year}〕3号")
    plan = plan_services.plan_publish(actor=head, plan=plan)

    context = guard_context(on=today)
    carried = 0
    # Both batches are drawn and start on the day of loading (the officers' certificates are valid
    # then), the first for a month, the second for two, within the plan's year.
    end = dt.date(year, 12, 31)
    halves = ((today, min(today + dt.timedelta(days=30), end), "第一批"),
              (today, min(today + dt.timedelta(days=60), end), "第二批"))
    for batch, (period_from, period_to, label) in enumerate(halves):
        task = draw_services.draw_create(actor=head, plan=plan, title=f"{year}年{label}双随机抽查",
                                         items=items[:2] if batch == 0 else items, period_from=period_from,
                                         period_to=period_to, draw_on=today)
        task = draw_services.draw_commit(actor=head, task=task, seed=_seed(f"{year}:{batch}"))
        task = draw_services.draw_run(actor=head, task=task)
        drawn = list(Inspection.objects.filter(random_inspection=task).order_by("pk"))
        for inspection in drawn[: 4 if batch == 0 else 2]:
            _carry_out(inspection=inspection, head=head, outcome=OUTCOMES[carried], context=context)
            carried += 1
    inspection_results_publish(actor=head, agency_id=main.pk, on=today)
    return Inspection.objects.filter(agency=main).count()


def _carry_out(*, inspection: Inspection, head: User, outcome: str, context) -> None:
    """Approve, visit with a photo, record the checklist and send the result, as the head would for
    the officers sent (the head may take each step of an inspection of the agency)."""
    pk, on = inspection.pk, context.today
    inspection_act(actor=head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"},
                   context=context)
    inspection_act(actor=head, inspection_id=pk, action="inspection_start", data={}, context=context)
    inspection_photo_add(actor=head, inspection_id=pk, source=io.BytesIO(_jpeg(pk)), original_name="现场检查.jpg")
    officers = list(inspection.officers.order_by("pk").values_list("pk", flat=True))
    items = list(inspection.items.order_by("pk"))
    finding = "pass" if outcome == "pass" else "fail"
    checklist = [{"item_id": item.pk, "point": item.name, "finding": finding if n == 0 else "pass"}
                 for n, item in enumerate(items)]
    inspection_act(actor=head, inspection_id=pk, action="inspection_record", context=context, data={
        "officer_ids": officers, "certificates_shown": True, "checklist": checklist, "enterprise_signed": True,
        "on": on})
    result = {"outcome": outcome, "sent_on": on}
    if outcome != "pass":
        result["findings"] = "未公示年度报告，现场发现过期食品" if outcome == "violation" else "进货查验记录不全"
    if outcome == "rectify":
        result["rectification_due"] = on + dt.timedelta(days=15)
    inspection_act(actor=head, inspection_id=pk, action="inspection_send_result", data=result, context=context)

