"""Issue 19's security review of the registers: a PATCH of a 检查对象 or 抽查事项 changes only the
fields it gives (a change another user made after the row was read is kept, not reverted), and two
requests entering the same code, relation or version at once answer the check's refusal, never a
500. The race is made by changing the row after the handler read it, or by making the check miss."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.db.models.query import QuerySet
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.api import inspection_plans, inspection_register
from sanxiang.inspection.models import DeclaredRelation, InspectionItem, InspectionTarget
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from sanxiang.registry.models import DiscretionBenchmark, Matter
from tests.api.support import bearer
from tests.api.test_discretion_api import ROWS, VERSION
from tests.factories import agency_make, credit_code, officer_make, user_make

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


def _check_misses():
    """As if another request wrote its row between this request's check and its insert."""
    return mock.patch.object(QuerySet, "exists", return_value=False)


def test_an_item_code_taken_between_check_and_insert_is_the_same_422(client, county):
    assert send(client, "post", "/api/inspection-items", county["head"], ITEM).status_code == 201
    with _check_misses():
        again = send(client, "post", "/api/inspection-items", county["head"], ITEM | {"name": "另一个"})
    assert again.status_code == 422, again.content
    assert [(v["code"], v["field"]) for v in again.json()["violations"]] == [("inspection.item.code_taken", "code")]
    assert InspectionItem.objects.count() == 1


def test_a_credit_code_entered_between_check_and_insert_is_the_same_422(client, county):
    body = TARGET | {"credit_code": credit_code(prefix="91150626")}
    assert send(client, "post", "/api/inspection-targets", county["head"], body).status_code == 201
    with _check_misses():
        again = send(client, "post", "/api/inspection-targets", county["head"], body | {"name": "另一家"})
    assert again.status_code == 422, again.content
    assert [v["field"] for v in again.json()["violations"]] == ["credit_code"]
    assert InspectionTarget.objects.count() == 1


def test_a_relation_declared_between_check_and_insert_is_the_same_refusal(client, county):
    target = send(client, "post", "/api/inspection-targets", county["head"],
                  TARGET | {"credit_code": credit_code(prefix="91150626")}).json()
    body = {"officer_id": officer_make(agency=county["agency"]).pk, "target_id": target["id"], "relation": "配偶"}
    first = send(client, "post", "/api/inspection-relations", county["head"], body)
    assert first.status_code == 201, first.content
    with _check_misses():
        again = send(client, "post", "/api/inspection-relations", county["head"], body)
    assert again.status_code in (409, 422), again.content
    assert [v["code"] for v in again.json()["violations"]] == ["inspection.relation.exists"]
    assert DeclaredRelation.objects.count() == 1


def test_a_discretion_version_taken_between_check_and_insert_is_the_same_409(client, county):
    matter = Matter.objects.create(agency=county["agency"], code="SC-001", name="对未按规定公示营业执照的处罚",
                                   kind="penalty", legal_bases=[{"law": "《无证无照经营查处办法》", "article": ""}])
    url = f"/api/registry/matters/{matter.pk}/discretion"
    first = send(client, "post", url, county["admin"], VERSION | {"rows": ROWS})
    assert first.status_code == 201, first.content
    with _check_misses():
        again = send(client, "post", url, county["admin"], VERSION | {"rows": ROWS})
    assert again.status_code == 409, again.content
    assert [v["code"] for v in again.json()["violations"]] == ["discretion.version_exists"]
    assert DiscretionBenchmark.objects.count() == 1
