"""Two people editing the same 抽查事项 on its page: the form carries the version it was opened on
and the service compares it, so that the second save of an older version is refused (409, in
Chinese, with what the user typed kept and the current values shown) instead of silently undoing
the first. The same comparison guards a 检查对象 changed through the service."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.inspection import register_services
from sanxiang.inspection.models import InspectionItem, InspectionTarget
from sanxiang.inspection.register_excel import targets_import
from sanxiang.ledger.models import Entry
from sanxiang.procedure.inspection.registers import TargetSnapshot
from sanxiang.procedure.violations import Refused
from tests.api.support import bearer
from tests.factories import user_make
from tests.inspection.support import world_make
from tests.inspection.test_register_excel import _file as _sheet

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _opened(client: Client, item: InspectionItem) -> dict:
    """The form as its page gives it: every field's value, the hidden version among them."""
    page = client.get(reverse("inspection:item_edit", args=[item.pk])).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version, "the form carries the item's version"
    return {"code": item.code, "name": item.name, "legal_basis": item.legal_basis, "check_kind": item.check_kind,
            "enforcement_field": item.enforcement_field, "is_active": "on", "version": version.group(1),
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)}


class _FormReader(HTMLParser):
    """The values a browser would post from a page's form (inputs, checkboxes, textareas, selects)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[a["name"]] = "on"
            else:
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n") if not self.values[self._textarea] else data


def _form_values(page: str) -> dict:
    reader = _FormReader()
    reader.feed(page)
    return reader.values


def _saved_entries(item: InspectionItem) -> int:
    return Entry.objects.filter(kind="inspection.item_saved", agency_id=item.agency_id).count()


def test_the_second_save_of_an_older_version_is_refused_and_keeps_what_was_typed():
    world = world_make(targets=0, officers=0, plan_state="none")
    item = world["item"]
    first = _client(world["head"])
    second = _client(user_make(role=Role.AGENCY_ADMIN, agency=world["agency"]))
    first_form, second_form = _opened(first, item), _opened(second, item)
    url = reverse("inspection:item_edit", args=[item.pk])

    response = first.post(url, first_form | {"name": "食品经营者主体责任落实情况检查"})
    assert response.status_code == 302
    entries = _saved_entries(item)
    response = second.post(url, second_form | {"legal_basis": "《中华人民共和国食品安全法》第一百一十条（修订）"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "已被他人修改" in page and "防止覆盖他人的修改" in page
    assert "inspection." not in page  # no internal code
    item.refresh_from_db()
    assert item.name == "食品经营者主体责任落实情况检查"  # the first change stands
    assert "（修订）" not in item.legal_basis
    assert _saved_entries(item) == entries  # nothing written, nothing entered
    # The form now holds the CURRENT values and version; what the second user typed is noted under
    # the fields where it differs from them (nothing typed is lost).
    refused = _form_values(page)
    assert refused["name"] == "食品经营者主体责任落实情况检查"
    assert refused["legal_basis"] == item.legal_basis
    assert refused["version"] == register_services.register_version(item)
    typed = re.findall(r'data-testid="typed">您填写的是：([^<]*)<', page)
    # the name as the form had it when opened, then what was typed (the page cannot tell them apart)
    assert typed == ["食品经营者落实主体责任情况检查", "《中华人民共和国食品安全法》第一百一十条（修订）"]

    # Saving the refused form again without reading it changes nothing of the first user's.
    response = second.post(url, refused)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "食品经营者主体责任落实情况检查" and "（修订）" not in item.legal_basis
    # Typed again on the current version, the second change goes through beside the first.
    response = second.post(url, _form_values(second.get(url).content.decode())
                           | {"legal_basis": "《中华人民共和国食品安全法》第一百一十条（修订）"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "食品经营者主体责任落实情况检查" and item.legal_basis.endswith("（修订）")


def test_what_was_typed_is_escaped_on_the_refused_form():
    world = world_make(targets=0, officers=0, plan_state="none")
    item, head = world["item"], _client(world["head"])
    url = reverse("inspection:item_edit", args=[item.pk])
    stale = _opened(head, item)
    register_services.item_update(actor=None, item=item, name="另一个名称")
    response = head.post(url, stale | {"enforcement_field": "<script>x</script>"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_a_form_without_a_readable_version_is_refused_as_stale_not_a_500():
    world = world_make(targets=0, officers=0, plan_state="none")
    item, head = world["item"], _client(world["head"])
    opened = _opened(head, item) | {"name": "改过的名称"}
    for version in (None, "", "12ab", "9" * 30, "\x00"):
        data = dict(opened)
        if version is None:
            del data["version"]
        else:
            data["version"] = version
        response = head.post(reverse("inspection:item_edit", args=[item.pk]), data)
        assert response.status_code == 409, version
        page = response.content.decode()
        assert "已被他人修改" in page and "隐藏字段" not in page and "Hidden field" not in page, version
        item.refresh_from_db()
        assert item.name != "改过的名称"


def test_a_target_saved_on_an_older_version_is_refused():
    world = world_make(targets=1, officers=0, plan_state="none")
    target, head = InspectionTarget.objects.get(agency=world["agency"]), world["head"]
    read = register_services.register_version(target)
    snapshot = TargetSnapshot(name=target.name, credit_code=target.credit_code, risk_grade=target.risk_grade,
                              credit_grade=target.credit_grade, sector="餐饮服务")
    register_services.target_update(actor=head, target=target, address="乌审旗嘎鲁图镇")
    with pytest.raises(Refused) as refused:
        register_services.target_save(actor=head, agency=world["agency"], target=target, snapshot=snapshot,
                                      version=read)
    assert [v.code for v in refused.value.violations] == ["inspection.inspectiontarget.changed"]
    target.refresh_from_db()
    assert target.address == "乌审旗嘎鲁图镇" and target.sector == "食品销售"
    saved = register_services.target_save(actor=head, agency=world["agency"], target=target, snapshot=snapshot,
                                          version=register_services.register_version(target))
    assert saved.sector == "餐饮服务"


def test_two_people_editing_one_target_on_its_page():
    world = world_make(targets=1, officers=0, plan_state="none")
    target = InspectionTarget.objects.get(agency=world["agency"])
    first = _client(world["head"])
    second = _client(user_make(role=Role.AGENCY_ADMIN, agency=world["agency"]))
    url = reverse("inspection:target_edit", args=[target.pk])
    listed = first.get(reverse("inspection:targets", args=[world["agency"].pk])).content.decode()
    assert url in listed  # the register links each target to its page

    def opened(client):
        page = client.get(url).content.decode()
        return {"name": target.name, "credit_code": target.credit_code, "risk_grade": target.risk_grade,
                "credit_grade": target.credit_grade, "sector": target.sector, "is_active": "on",
                "version": re.search(r'name="version" value="(\d+)"', page).group(1)}

    first_form, second_form = opened(first), opened(second)
    assert first.post(url, first_form | {"address": "乌审旗嘎鲁图镇"}).status_code == 302
    response = second.post(url, second_form | {"sector": "餐饮服务", "risk_grade": "high"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "这一检查对象在您打开之后已被他人修改" in page and "餐饮服务" in page and "乌审旗嘎鲁图镇" in page
    target.refresh_from_db()
    assert target.address == "乌审旗嘎鲁图镇" and target.sector == "食品销售"
    refused = _form_values(page)
    assert (refused["address"], refused["sector"], refused["risk_grade"]) == ("乌审旗嘎鲁图镇", "食品销售", target.risk_grade)
    assert set(re.findall(r'data-testid="typed">您填写的是：([^<]*)<', page)) == {"（空）", "餐饮服务"}
    # Saved again as refused (the current values and version): the first change stands.
    assert second.post(url, refused).status_code == 302
    target.refresh_from_db()
    assert (target.address, target.sector) == ("乌审旗嘎鲁图镇", "食品销售")
    # Typed again on the current form: both changes stand.
    response = second.post(url, _form_values(second.get(url).content.decode()) | {"sector": "餐饮服务"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.address, target.sector) == ("乌审旗嘎鲁图镇", "餐饮服务")
    # Bad input on the page: the reasons beside the fields, in Chinese, never a 500.
    fresh = opened(first)
    response = first.post(url, fresh | {"credit_code": "不是代码", "risk_grade": "x" * 50})
    assert response.status_code == 400
    # Taken out of the register (unticked): kept, marked, no longer drawn.
    assert first.post(url, opened(first) | {"is_active": ""}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert "已移出名录" in first.get(reverse("inspection:targets", args=[world["agency"].pk])).content.decode()


def test_an_excel_import_makes_open_forms_and_etags_stale():
    """bulk_update runs no auto_now: the import gives each row it changes a new version itself."""
    world = world_make(targets=1, officers=0, plan_state="none")
    target, head = InspectionTarget.objects.get(agency=world["agency"]), world["head"]
    page = _client(head)
    url = reverse("inspection:target_edit", args=[target.pk])
    opened = _form_values(page.get(url).content.decode())
    api = Client(enforce_csrf_checks=True)
    auth = bearer(head)
    etag = api.get(f"/api/inspection-targets/{target.pk}", **auth)["ETag"]
    report = targets_import(actor=head, agency=world["agency"], file=_sheet([
        (target.name, target.credit_code, "", "乌审旗嘎鲁图镇", "餐饮服务", "高风险", "A")]))
    assert report.updated == 1
    response = page.post(url, opened | {"name": "改过的名称"})
    assert response.status_code == 409
    response = api.patch(f"/api/inspection-targets/{target.pk}", data=json.dumps({"name": "改过的名称"}),
                         content_type="application/json", HTTP_IF_MATCH=etag, **auth)
    assert response.status_code == 412
    target.refresh_from_db()
    assert (target.name, target.sector, target.address) != ("改过的名称", "", "")
    assert target.sector == "餐饮服务" and target.address == "乌审旗嘎鲁图镇"


def test_a_publish_makes_open_forms_stale_and_is_not_undone_by_a_save_loaded_before_it():
    world = world_make(targets=0, officers=0, plan_state="none")
    agency, head = world["agency"], world["head"]
    item = register_services.item_save(actor=head, agency=agency, code="JC-002", name="第二个事项",
                                       legal_basis="《中华人民共和国食品安全法》", check_kind="on_site")
    before = register_services.register_version(item)
    loaded = InspectionItem.objects.get(pk=item.pk)  # loaded by a save, before the publish
    register_services.items_publish(actor=head, agency=agency)
    item.refresh_from_db()
    assert item.is_published and register_services.register_version(item) != before
    with pytest.raises(Refused):  # the version read before the publish is stale
        register_services.item_save(actor=head, agency=agency, item=loaded, code="JC-002", name="改名",
                                    legal_basis=item.legal_basis, check_kind="on_site", version=before)
    # A save of the row loaded before the publish (no version: the service's own callers) keeps it published.
    register_services.item_save(actor=head, agency=agency, item=loaded, code="JC-002", name="改名",
                                legal_basis=item.legal_basis, check_kind="on_site")
    item.refresh_from_db()
    assert item.name == "改名" and item.is_published and item.published_at is not None
