"""Issue 19: the registers of 行政检查 through the API as the agency's inspection pages keep them: the
抽查事项清单's items added and changed, the 检查对象名录 (listed, read, added, changed, imported from
the Excel template with every wrong row named and nothing imported), declared relations (回避) and the
expert pool. The agency's head and administrator keep them (an officer 403), the county's supervisors
read them (403 on a write), another agency's or county's rows are 404. With the CSRF checks on."""

import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from sanxiang.accounts.models import Role
from sanxiang.inspection import register_services
from sanxiang.inspection.models import DeclaredRelation, InspectionExpert, InspectionItem, InspectionTarget
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from sanxiang.procedure.inspection.registers import TargetSnapshot
from tests.api.query_bounds import queries_of
from tests.api.support import assert_safe_download, bearer
from tests.factories import agency_make, credit_code, officer_make, user_make

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, auth: dict, body: dict, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


def fields_of(answer) -> list:
    return [v["field"] for v in answer.json()["violations"]]


@pytest.fixture
def county():
    agency, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    far = agency_make(name="杭锦旗市场监督管理局", region_code="150625")
    return {
        "agency": agency, "other": other, "far": far,
        "head": bearer(user_make(role=Role.AGENCY_HEAD, agency=agency)),
        "admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=agency)),
        "officer": bearer(user_make(role=Role.OFFICER, agency=agency)),
        "supervisor": bearer(user_make(role=Role.SUPERVISOR, agency=bureau)),
        "other_head": bearer(user_make(role=Role.AGENCY_HEAD, agency=other)),
        "far_head": bearer(user_make(role=Role.AGENCY_HEAD, agency=far)),
    }


ITEM = {"code": "JC-001", "name": "食品经营者落实主体责任情况检查", "legal_basis": "《中华人民共和国食品安全法》",
        "check_kind": "on_site", "enforcement_field": "市场监管"}


def test_an_item_is_added_read_and_changed_by_who_keeps_the_list(client, county):
    created = send(client, "post", "/api/inspection-items", county["head"], ITEM)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["agency_id"] == county["agency"].pk and body["is_active"] and not body["is_published"]
    assert created["ETag"]
    assert LedgerEntry.objects.filter(kind=EventKind.INSPECTION_ITEM_SAVED, subject=f"inspection-item:{body['id']}").exists()
    url = f"/api/inspection-items/{body['id']}"
    # The same code again: 422 on the field; a blank name too; nothing written.
    again = send(client, "post", "/api/inspection-items", county["admin"], ITEM | {"name": ""})
    assert again.status_code == 422 and {"code", "name"} <= set(fields_of(again)), again.content
    assert InspectionItem.objects.count() == 1
    # An officer of the agency may not; the supervisor reads only.
    assert send(client, "post", "/api/inspection-items", county["officer"], ITEM | {"code": "JC-2"}).status_code == 403
    for stranger in ("other_head", "far_head"):  # another agency's, another county's: not seen at all
        assert send(client, "post", "/api/inspection-items", county[stranger],
                    ITEM | {"code": "JC-2", "agency_id": county["agency"].pk}).status_code == 404, stranger
    assert client.get(url, **county["supervisor"]).status_code == 200
    assert send(client, "patch", url, county["supervisor"], {"name": "改"}).status_code == 403
    for stranger in ("other_head", "far_head"):
        assert client.get(url, **county[stranger]).status_code == 404, stranger
        assert send(client, "patch", url, county[stranger], {"name": "改"}).status_code == 404, stranger

    # Published, then taken out of use: it leaves the public list at once (as the page's edit).
    published = send(client, "post", "/api/inspection-items/publish", county["head"], {})
    assert published.status_code == 200 and published.json() == {"published": 1}
    etag = client.get(url, **county["head"])["ETag"]
    changed = send(client, "patch", url, county["head"], {"name": "食品经营者检查", "is_active": False}, HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "食品经营者检查" and changed.json()["code"] == "JC-001"
    assert not changed.json()["is_active"] and not changed.json()["is_published"]
    assert register_services.items_public(agency_id=county["agency"].pk) == ()
    assert LedgerEntry.objects.filter(kind=EventKind.INSPECTION_ITEMS_PUBLISHED).count() == 2  # published, withdrawn
    # The version read before the change is stale now: 412, nothing changed.
    stale = send(client, "patch", url, county["head"], {"name": "覆盖"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and InspectionItem.objects.get().name == "食品经营者检查"
    blank = send(client, "patch", url, county["head"], {"check_kind": "by_phone", "code": ""})
    assert blank.status_code == 422 and "check_kind" in fields_of(blank)


TARGET = {"name": "乌审旗示例商贸有限公司", "legal_representative": "张某", "sector": "食品销售",
          "risk_grade": "high", "credit_grade": "C"}


def test_the_target_register_is_kept_by_the_head_and_administrator_and_read_by_the_county(client, county):
    code = credit_code(prefix="91150626")
    created = send(client, "post", "/api/inspection-targets", county["admin"], TARGET | {"credit_code": code.lower()})
    assert created.status_code == 201, created.content
    target = created.json()
    assert target["credit_code"] == code and target["risk_grade_label"] == "高风险"
    assert target["credit_grade_label"] == "信用较差" and target["is_active"]
    assert LedgerEntry.objects.filter(kind=EventKind.INSPECTION_TARGET_SAVED).count() == 1
    duplicate = send(client, "post", "/api/inspection-targets", county["head"], TARGET | {"credit_code": code})
    assert duplicate.status_code == 422 and fields_of(duplicate) == ["credit_code"]
    wrong = send(client, "post", "/api/inspection-targets", county["head"],
                 TARGET | {"credit_code": "91150626MA0N00008X", "name": " ", "risk_grade": "extreme"})
    assert wrong.status_code == 422 and "risk_grade" in fields_of(wrong)
    wrong = send(client, "post", "/api/inspection-targets", county["head"],
                 TARGET | {"credit_code": "91150626MA0N00008X", "name": " "})
    assert wrong.status_code == 422 and {"credit_code", "name"} <= set(fields_of(wrong)), wrong.content
    assert send(client, "post", "/api/inspection-targets", county["officer"],
                TARGET | {"credit_code": credit_code(prefix="91150626")}).status_code == 403
    assert InspectionTarget.objects.count() == 1

    # Listed to the agency (any role) and the county's supervisors; to no other agency or county.
    for reader in ("officer", "supervisor", "head"):
        listed = client.get("/api/inspection-targets?q=示例商贸", **county[reader])
        assert [t["id"] for t in listed.json()["items"]] == [target["id"]], reader
        assert client.get(f"/api/inspection-targets/{target['id']}", **county[reader]).status_code == 200
    assert client.get("/api/inspection-targets?q=没有这家", **county["head"]).json()["items"] == []
    for stranger in ("other_head", "far_head"):
        assert client.get("/api/inspection-targets", **county[stranger]).json()["items"] == []
        assert client.get(f"/api/inspection-targets/{target['id']}", **county[stranger]).status_code == 404

    url = f"/api/inspection-targets/{target['id']}"
    etag = client.get(url, **county["head"])["ETag"]
    assert send(client, "patch", url, county["supervisor"], {"sector": "餐饮"}).status_code == 403
    changed = send(client, "patch", url, county["head"], {"sector": "餐饮服务", "is_active": False}, HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["sector"] == "餐饮服务" and not changed.json()["is_active"]
    assert changed.json()["name"] == TARGET["name"]
    assert send(client, "patch", url, county["head"], {"sector": "覆盖"}, HTTP_IF_MATCH=etag).status_code == 412
    assert client.get("/api/inspection-targets?active=true", **county["head"]).json()["items"] == []
    assert InspectionTarget.objects.get().sector == "餐饮服务"


def _workbook(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "检查对象名录"
    sheet.append(["市场主体名称", "统一社会信用代码", "法定代表人或负责人", "住所或经营场所", "行业", "风险等级", "信用等级"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "名录.xlsx"
    return out


def test_the_register_is_imported_whole_or_not_at_all_with_every_wrong_row_named(client, county):
    template = client.get("/api/inspection-targets/template", **county["officer"])
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_safe_download(template)
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "市场主体名称"

    first, second = credit_code(prefix="91150626"), credit_code(prefix="91150626")
    bad = _workbook([["甲公司", first, "", "", "食品销售", "高风险", "A类"],
                     ["", "91150626MA0N00008X", "", "", "", "中风险", "B类"],
                     ["丙公司", first, "", "", "", "低风险", "B类"]])
    refused = client.post("/api/inspection-targets/imports", {"file": bad}, **county["admin"])
    assert refused.status_code == 422, refused.content
    named = fields_of(refused)
    assert {"rows.3.name", "rows.3.credit_code", "rows.4.credit_code"} <= set(named), named
    assert all(m["message"].startswith("第") for m in refused.json()["violations"])
    assert InspectionTarget.objects.count() == 0

    good = _workbook([["甲公司", first, "王某", "", "食品销售", "高风险", "A类"], ["乙公司", second, "", "", "", "中", "B"]])
    assert client.post("/api/inspection-targets/imports", {"file": good}, **county["officer"]).status_code == 403
    good.seek(0)
    imported = client.post("/api/inspection-targets/imports", {"file": good}, **county["admin"])
    assert imported.status_code == 200, imported.content
    assert imported.json() == {"rows": 2, "created": 2, "updated": 0}
    assert set(InspectionTarget.objects.values_list("credit_code", flat=True)) == {first, second}
    assert LedgerEntry.objects.filter(kind=EventKind.INSPECTION_TARGETS_IMPORTED).count() == 1

    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    unreadable = client.post("/api/inspection-targets/imports", {"file": junk}, **county["admin"])
    assert unreadable.status_code == 422 and fields_of(unreadable) == ["file"]
    elsewhere = _workbook([["丁公司", credit_code(prefix="91150626"), "", "", "", "低风险", "B类"]])
    assert client.post(f"/api/inspection-targets/imports?agency={county['agency'].pk}", {"file": elsewhere},
                       **county["far_head"]).status_code == 404


def test_relations_are_declared_and_shown_only_to_who_keeps_the_register(client, county):
    target = send(client, "post", "/api/inspection-targets", county["head"],
                  TARGET | {"credit_code": credit_code(prefix="91150626")}).json()
    officer = officer_make(agency=county["agency"])
    stranger = officer_make(agency=county["other"])
    body = {"officer_id": officer.pk, "target_id": target["id"], "relation": "配偶任该公司监事"}
    assert send(client, "post", "/api/inspection-relations", county["officer"], body).status_code == 403
    assert send(client, "post", "/api/inspection-relations", county["other_head"], body).status_code == 404
    declared = send(client, "post", "/api/inspection-relations", county["head"], body)
    assert declared.status_code == 201, declared.content
    assert declared.json()["officer_name"] == officer.name and declared.json()["agency_id"] == county["agency"].pk
    assert LedgerEntry.objects.filter(kind=EventKind.INSPECTION_RELATION_DECLARED).count() == 1
    twice = send(client, "post", "/api/inspection-relations", county["admin"], body)
    assert twice.status_code == 409 and [v["code"] for v in twice.json()["violations"]] == ["inspection.relation.exists"]
    wrong = send(client, "post", "/api/inspection-relations", county["head"], body | {"officer_id": stranger.pk})
    assert wrong.status_code == 422 and fields_of(wrong) == ["officer_id"]
    blank = send(client, "post", "/api/inspection-relations", county["head"],
                 body | {"officer_id": officer_make(agency=county["agency"]).pk, "relation": "  "})
    assert blank.status_code == 422 and fields_of(blank) == ["relation"]
    assert DeclaredRelation.objects.count() == 1

    assert [r["id"] for r in client.get("/api/inspection-relations", **county["admin"]).json()["items"]] == [
        declared.json()["id"]]
    for reader in ("officer", "supervisor", "other_head"):
        assert client.get("/api/inspection-relations", **county[reader]).json()["items"] == [], reader


def test_experts_are_added_by_who_keeps_the_registers_and_listed_to_the_agency_and_county(client, county):
    assert send(client, "post", "/api/inspection-experts", county["officer"],
                {"name": "李专家", "field": "食品检验"}).status_code == 403
    blank = send(client, "post", "/api/inspection-experts", county["head"], {"name": " ", "field": ""})
    assert blank.status_code == 422 and set(fields_of(blank)) == {"name", "field"}
    created = send(client, "post", "/api/inspection-experts", county["head"],
                   {"name": "李专家", "field": "食品检验", "employer": "鄂尔多斯市食品检验检测中心"})
    assert created.status_code == 201, created.content
    assert LedgerEntry.objects.filter(kind=EventKind.INSPECTION_EXPERT_SAVED).count() == 1
    for reader in ("officer", "supervisor"):
        assert [e["name"] for e in client.get("/api/inspection-experts", **county[reader]).json()["items"]] == ["李专家"]
    assert client.get("/api/inspection-experts", **county["far_head"]).json()["items"] == []
    assert InspectionExpert.objects.count() == 1


def test_a_replayed_idempotency_key_answers_the_first_answer_and_writes_once(client, county):
    body = TARGET | {"credit_code": credit_code(prefix="91150626")}
    first = send(client, "post", "/api/inspection-targets", county["head"], body, HTTP_IDEMPOTENCY_KEY="target-1")
    again = send(client, "post", "/api/inspection-targets", county["head"], body, HTTP_IDEMPOTENCY_KEY="target-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert InspectionTarget.objects.count() == 1
    item = send(client, "post", "/api/inspection-items", county["head"], ITEM, HTTP_IDEMPOTENCY_KEY="item-1")
    assert send(client, "post", "/api/inspection-items", county["head"], ITEM,
                HTTP_IDEMPOTENCY_KEY="item-1").json() == item.json()
    assert InspectionItem.objects.count() == 1


@pytest.mark.parametrize(("path", "query", "field"), [
    ("inspection-targets", "ordering=risk", "ordering"), ("inspection-targets", "agency=0", "agency"),
    ("inspection-relations", "target=x", "target"), ("inspection-experts", "active=maybe", "active"),
])
def test_bad_parameters_are_422_naming_the_field(client, county, path, query, field):
    answer = client.get(f"/api/{path}?{query}", **county["head"])
    assert answer.status_code == 422 and field in fields_of(answer)



def test_the_lists_cost_the_same_queries_for_one_row_as_for_many(client, county):
    agency = county["agency"]

    def add() -> None:
        target = register_services.target_save(actor=None, agency=agency, snapshot=TargetSnapshot(
            name="示例商贸有限公司", credit_code=credit_code(prefix="91150626")))
        register_services.relation_declare(actor=None, officer=officer_make(agency=agency, certificate=False),
                                           target=target, relation="亲属")
        register_services.expert_save(actor=None, agency=agency, name="专家", field="食品检验")

    add()
    urls = ("/api/inspection-targets", "/api/inspection-relations", "/api/inspection-experts")
    client.get(urls[0], **county["head"])  # the token's first use is recorded once
    one = [queries_of(client, url, county["head"]) for url in urls]
    for _ in range(4):
        add()
    assert [len(client.get(url, **county["head"]).json()["items"]) for url in urls] == [5, 5, 5]
    assert [queries_of(client, url, county["head"]) for url in urls] == one


def test_an_unreadable_import_is_told_without_a_stray_colon(client, county):
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    refused = client.post("/api/inspection-targets/imports", {"file": junk}, **county["admin"])
    assert refused.status_code == 422 and fields_of(refused) == ["file"]
    message = refused.json()["violations"][0]["message"]
    assert message and not message.startswith("："), message


def test_an_import_by_who_has_no_agency_names_the_query_parameter(client, county):
    system = bearer(user_make(role=Role.SYSTEM_ADMIN, agency=None))
    refused = client.post("/api/inspection-targets/imports", {"file": _workbook([])}, **system)
    assert refused.status_code == 422 and fields_of(refused) == ["agency"], refused.content
    listed = send(client, "post", "/api/inspection-targets", system, TARGET | {"credit_code": credit_code()})
    assert listed.status_code == 422 and fields_of(listed) == ["agency_id"], listed.content
