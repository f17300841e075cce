"""What the import tests share: rows of licence decisions as another system sends them."""

import datetime as dt

from tests.factories import credit_code

D = dt.date
DECIDED = D(2026, 4, 1)  # after the registration day of tests.cases.support


def row_make(w, n: int, **changes) -> dict:
    """The n-th decision of the source system: a grant to an organisation, delivered, valid five years."""
    row = {
        "source_system": "内蒙古政务服务网",
        "source_id": f"XK{n:08d}",
        "decision": "准予",
        "party_kind": "法人及非法人组织",
        "party_name": f"乌审旗示例商贸有限公司{n}",
        "party_credit_code": credit_code(prefix="91150626", serial=100_000 + n),
        "legal_representative": "巴特尔",
        "matter": "食品经营许可",
        "number": f"乌市监许准〔2026〕{n}号",
        "decided_on": DECIDED.isoformat(),
        "accepted_on": DECIDED.isoformat(),
        "category": "普通",
        "content": "预包装食品销售",
        "licence_name": "食品经营许可证",
        "licence_number": f"JY1150626{n:07d}",
        "valid_until": "2030-03-31",
        "delivered_on": DECIDED.isoformat(),
        "agency_credit_code": w.agency.credit_code,
    }
    return row | changes


def numbered(rows: list[dict]) -> list[tuple[int, dict]]:
    return list(enumerate(rows, start=1))
