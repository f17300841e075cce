"""Issue 19's security review of the registers: a PATCH of a 检查对象 or 抽查事项 changes only the
fields it gives (a change another user made after the row was read is kept, not reverted), and two
requests entering the same code, relation or version at once answer the check's refusal, never a
500. The race is made by changing the row after the handler read it, or by making the check miss."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.api import inspection_plans, inspection_register
from sanxiang.inspection.models import InspectionItem, InspectionTarget
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from tests.api.support import bearer
from tests.factories import agency_make, credit_code, user_make

pytestmark = pytest.mark.django_db

TARGET = {"name": "乌审旗示例商贸有限公司", "risk_grade": "low", "credit_grade": "B"}
ITEM = {"code": "JC-001", "name": "食品经营者落实主体责任情况检查", "legal_basis": "《中华人民共和国食品安全法》",
        "check_kind": "on_site"}


def send(client, method: str, url: str, auth: dict, body: dict, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


@pytest.fixture
def county():
    agency = agency_make(name="乌审旗市场监督管理局")
    return {"agency": agency, "head": bearer(user_make(role=Role.AGENCY_HEAD, agency=agency)),
            "admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=agency))}


def _changed_after_read(module, reader: str, model, **change):
    """The handler's read of the row, then another user's change of it before the write."""
    read = getattr(module, reader)

    def stale(request, row_id):
        row = read(request, row_id)
        model.objects.filter(pk=row.pk).update(**change, updated_at=timezone.now() + dt.timedelta(seconds=1))
        return row

    return mock.patch.object(module, reader, stale)


@pytest.mark.parametrize("if_match", [False, True])
def test_a_target_patch_keeps_what_another_user_changed_after_it_was_read(client, county, if_match):
    created = send(client, "post", "/api/inspection-targets", county["admin"],
                   TARGET | {"credit_code": credit_code(prefix="91150626")})
    assert created.status_code == 201, created.content
    url = f"/api/inspection-targets/{created.json()['id']}"
    headers = {"HTTP_IF_MATCH": created["ETag"]} if if_match else {}
    with _changed_after_read(inspection_register, "_target", InspectionTarget, risk_grade="high"):
        changed = send(client, "patch", url, county["head"], {"sector": "餐饮服务"}, **headers)
    if if_match:  # the ETag is that of the row as read: the change made since is reported, not overwritten
        assert changed.status_code == 412, changed.content
    else:
        assert changed.status_code == 200, changed.content
        assert changed.json()["risk_grade"] == "high" and changed.json()["sector"] == "餐饮服务"
        recorded = LedgerEntry.objects.filter(kind=EventKind.INSPECTION_TARGET_SAVED).order_by("-seq").first()
        assert b'"high"' in bytes(recorded.body) and b'"low"' not in bytes(recorded.body)
    target = InspectionTarget.objects.get()
    assert target.risk_grade == "high"


def test_an_item_patch_keeps_what_another_user_changed_after_it_was_read(client, county):
    created = send(client, "post", "/api/inspection-items", county["head"], ITEM)
    assert created.status_code == 201, created.content
    url = f"/api/inspection-items/{created.json()['id']}"
    with _changed_after_read(inspection_plans, "_item", InspectionItem, legal_basis="《中华人民共和国行政处罚法》"):
        changed = send(client, "patch", url, county["admin"], {"name": "改后的名称"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["legal_basis"] == "《中华人民共和国行政处罚法》" and changed.json()["name"] == "改后的名称"
    assert InspectionItem.objects.get().legal_basis == "《中华人民共和国行政处罚法》"
