"""Two people editing the same 抽查事项 on its page: the form carries the version it was opened on
and the service compares it, so that the second save of an older version is refused (409, in
Chinese, with what the user typed kept and the current values shown) instead of silently undoing
the first. The same comparison guards a 检查对象 changed through the service."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.inspection import register_services
from sanxiang.inspection.models import InspectionItem, InspectionTarget
from sanxiang.ledger.models import Entry
from sanxiang.procedure.inspection.registers import TargetSnapshot
from sanxiang.procedure.violations import Refused
from tests.factories import user_make
from tests.inspection.support import world_make

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
    assert "（修订）" in page  # what the second user typed is still in the form
    assert "食品经营者主体责任落实情况检查" in page  # the current name is shown beside it
    assert "inspection." not in page  # no internal code
    item.refresh_from_db()
    assert item.name == "食品经营者主体责任落实情况检查"  # the first change stands
    assert "（修订）" not in item.legal_basis
    assert _saved_entries(item) == entries  # nothing written, nothing entered

    # The refused form carries the current version: saving it again (after checking) goes through.
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert version == register_services.register_version(item)
    response = second.post(url, second_form | {"legal_basis": "《中华人民共和国食品安全法》第一百一十条（修订）",
                                               "name": item.name, "version": version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "食品经营者主体责任落实情况检查" and item.legal_basis.endswith("（修订）")
    assert _saved_entries(item) == entries + 1


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
    # Saved again from the refused form (its current version): both changes stand.
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = second.post(url, second_form | {"sector": "餐饮服务", "address": "乌审旗嘎鲁图镇", "version": version})
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
