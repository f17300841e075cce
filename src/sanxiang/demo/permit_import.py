"""The demo's licence decisions imported from the government-service system (政务服务, issue 18
item 4): a few decisions of one agency brought in through the import service, as an agency whose
licences are handled there would: two grants delivered, one grant to a person not yet delivered,
and a refusal. The county's loader calls `demo_permit_imports_load` (demo.county)."""

from __future__ import annotations

import datetime as dt

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import PermitImport
from sanxiang.cases.permit_import import permit_decisions_import
from sanxiang.procedure.identifiers import (
    credit_code_check_character,
    id_number_check_character,
    organization_code_check_character,
)
from sanxiang.registry.models import Agency

SOURCE_SYSTEM = "内蒙古自治区政务服务一体化平台"


def _credit_code(serial: int) -> str:
    body = f"{serial:08d}"
    with_org = "92150626" + body + organization_code_check_character(body)
    return with_org + credit_code_check_character(with_org)


def _organisation_code(serial: int) -> str:
    body = f"{serial:08d}"
    with_org = "91150626" + body + organization_code_check_character(body)
    return with_org + credit_code_check_character(with_org)


def _id_number(serial: int) -> str:
    first17 = f"150626199003{serial % 28 + 1:02d}{serial % 1000:03d}"
    return first17 + id_number_check_character(first17)


def demo_permit_rows(*, agency: Agency, today: dt.date) -> list[dict[str, str]]:
    """The rows the source system sends for the demo's agency, decided in the last weeks."""
    year = today.year
    base = 7_000 + agency.pk * 10

    def day(days_ago: int) -> str:
        return (today - dt.timedelta(days=days_ago)).isoformat()

    common = {"source_system": SOURCE_SYSTEM, "agency_credit_code": agency.credit_code, "matter": "食品经营许可"}
    return [
        common | {
            "source_id": f"NM-ZWFW-{agency.pk}-0001", "decision": "准予", "party_kind": "法人及非法人组织",
            "party_name": "乌审旗苏力德商贸有限公司", "party_credit_code": _organisation_code(base + 1),
            "legal_representative": "额尔敦", "number": f"乌政服许准〔{year}〕{agency.pk}01号",
            "received_on": day(30), "accepted_on": day(30), "decided_on": day(24), "category": "普通",
            "content": "预包装食品（含冷藏冷冻食品）销售，散装食品（不含冷藏冷冻食品）销售",
            "licence_name": "食品经营许可证", "licence_number": f"JY1150626{base + 1:07d}",
            "valid_until": (today + dt.timedelta(days=5 * 365 - 24)).isoformat(), "delivered_on": day(22),
        },
        common | {
            "source_id": f"NM-ZWFW-{agency.pk}-0002", "decision": "准予", "party_kind": "个体工商户",
            "party_name": "乌审旗阿拉腾小吃店", "party_credit_code": _credit_code(base + 2),
            "number": f"乌政服许准〔{year}〕{agency.pk}02号",
            "received_on": day(18), "accepted_on": day(18), "decided_on": day(12), "category": "普通",
            "content": "热食类食品制售", "licence_name": "食品经营许可证",
            "licence_number": f"JY2150626{base + 2:07d}",
            "valid_until": (today + dt.timedelta(days=5 * 365 - 12)).isoformat(), "delivered_on": day(10),
        },
        common | {
            "source_id": f"NM-ZWFW-{agency.pk}-0003", "decision": "准予", "party_kind": "自然人",
            "party_name": "其其格", "party_id_number": _id_number(base + 3), "matter": "食品摊贩登记",
            "number": f"乌政服许准〔{year}〕{agency.pk}03号", "received_on": day(5), "accepted_on": day(5),
            "decided_on": day(2), "category": "登记", "content": "流动摊点：奶食品零售",
            "licence_name": "食品摊贩登记卡", "valid_until": (today + dt.timedelta(days=365)).isoformat(),
        },
        common | {
            "source_id": f"NM-ZWFW-{agency.pk}-0004", "decision": "不予", "party_kind": "法人及非法人组织",
            "party_name": "乌审旗巴音餐饮管理有限公司", "party_credit_code": _organisation_code(base + 4),
            "legal_representative": "乌云", "number": f"乌政服许不准〔{year}〕{agency.pk}01号",
            "received_on": day(16), "accepted_on": day(16), "decided_on": day(8),
            "reasons": "经营场所与污染源的距离不符合食品安全要求，现场核查未通过",
        },
    ]


def demo_permit_imports_load(*, agency: Agency, today: dt.date) -> int:
    """Import the demo's decisions into `agency` once (nothing when it has imported decisions
    already, or has no head to import them); returns how many were imported."""
    if PermitImport.objects.filter(agency=agency).exists():
        return 0
    head = User.objects.filter(role=Role.AGENCY_HEAD, agency=agency, is_active=True).order_by("pk").first()
    if head is None:
        return 0
    rows = demo_permit_rows(agency=agency, today=today)
    report = permit_decisions_import(actor=head, agency=agency, rows=list(enumerate(rows, start=1)), today=today)
    if report.errors:
        raise ValueError("demo permit imports refused: " + "; ".join(f"{e.row} {e.column} {e.message}"
                                                                     for e in report.errors))
    return report.imported


__all__ = ["SOURCE_SYSTEM", "demo_permit_imports_load", "demo_permit_rows"]
