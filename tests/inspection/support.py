"""A minimal world for part A of inspection: an agency with items, targets, officers and a plan."""

import datetime as dt

from sanxiang.accounts.models import Role
from sanxiang.inspection import plan_services, register_services
from sanxiang.procedure.inspection.registers import TargetSnapshot
from tests.factories import agency_make, credit_code, officer_make, user_make

TODAY = dt.date.today()


def world_make(*, targets: int = 8, officers: int = 4, plan_state: str = "published", kind: str = "annual"):
    agency = agency_make()
    bureau = agency_make(name=f"司法局{agency.pk}", is_judicial_bureau=True)
    head = user_make(role=Role.AGENCY_HEAD, agency=agency)
    supervisor = user_make(role=Role.SUPERVISOR, agency=bureau)
    item = register_services.item_save(actor=head, agency=agency, code="JC-001", name="食品经营者落实主体责任情况检查",
                                       legal_basis="《中华人民共和国食品安全法》第一百一十条", check_kind="on_site",
                                       enforcement_field="市场监管")
    register_services.items_publish(actor=head, agency=agency)
    rows = [
        register_services.target_save(actor=head, agency=agency, snapshot=TargetSnapshot(
            name=f"示例商贸有限公司{i}", credit_code=credit_code(prefix="91150626"),
            risk_grade=("high", "medium", "low")[i % 3], credit_grade="ABCD"[i % 4], sector="食品销售"))
        for i in range(targets)
    ]
    staff = [officer_make(agency=agency) for _ in range(officers)]
    plan = plan_services.plan_draft(
        actor=head, agency=agency, kind=kind, year=TODAY.year, title=f"{TODAY.year}年度双随机抽查计划", items=[item],
        scope="辖区内食品经营者", frequency="每年一次", starts_on=dt.date(TODAY.year, 1, 1),
        ends_on=dt.date(TODAY.year, 12, 31),
        approval_authority="乌审旗人民政府" if kind == "special" else "",
        approval_reference="乌政发〔2026〕1号" if kind == "special" else "",
    )
    if plan_state in ("approved", "filed", "published"):
        plan = plan_services.plan_approve(actor=head, plan=plan)
    if plan_state in ("filed", "published"):
        plan = plan_services.plan_file(actor=supervisor, plan=plan, filing_reference="备-2026-1")
    if plan_state == "published":
        plan = plan_services.plan_publish(actor=head, plan=plan)
    return {"agency": agency, "bureau": bureau, "head": head, "supervisor": supervisor, "item": item,
            "targets": rows, "officers": staff, "plan": plan}
