"""The registration form in a browser at phone size (issue 13 item 8): the filter box narrows the
officers' list by name, 内设机构 or certificate number; choosing 新增当事人 shows the party's
fields; a new party and the case are registered together."""

import shutil

import pytest
from django.urls import reverse

from sanxiang.cases.models import Case
from sanxiang.registry.models import Party
from tests.cases.support import world_make
from tests.e2e.support import login
from tests.factories import credit_code, officer_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


def visible_officers(page) -> list[str]:
    options = page.locator("[data-officer-option]")
    return [options.nth(i).inner_text() for i in range(options.count()) if options.nth(i).is_visible()]


@pytest.mark.django_db(transaction=True)
def test_an_officer_filters_the_officers_and_registers_a_case_with_a_new_party(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    w = world_make()
    first = officer_make(agency=w.agency, name="张伟", department="稽查一中队")
    officer_make(agency=w.agency, name="张伟", department="稽查二中队")
    login(page, live_server, w.officer)
    page.goto(live_server.url + reverse("cases:case_create"))

    assert len(visible_officers(page)) == 6
    page.get_by_label("按姓名、执法证号或内设机构筛选").fill("张伟")
    shown = visible_officers(page)
    assert len(shown) == 2 and any("稽查一中队" in s for s in shown) and any("稽查二中队" in s for s in shown)
    page.get_by_label("按姓名、执法证号或内设机构筛选").fill("张伟 一中队")
    assert visible_officers(page) == [next(s for s in shown if "稽查一中队" in s)]
    page.locator(f"input[name=officers][value='{first.pk}']").check()
    page.get_by_label("按姓名、执法证号或内设机构筛选").fill("张三")
    # A chosen officer stays in sight whatever the filter.
    assert len(visible_officers(page)) == 2
    page.locator(f"input[name=officers][value='{w.zhang.pk}']").check()

    new_party = page.get_by_test_id("new-party")
    assert not new_party.is_visible()
    page.get_by_label("新增当事人", exact=True).check()
    assert new_party.is_visible() and not page.get_by_label("已登记的当事人", exact=True).is_visible()
    page.get_by_label("案由").fill("涉嫌无照经营案")
    page.get_by_label("当事人类别").select_option("legal_person")
    page.get_by_label("名称或姓名").fill("乌审旗新开张商贸有限公司")
    page.get_by_label("统一社会信用代码").fill(credit_code(prefix="91150626"))
    page.get_by_label("执法领域").fill("市场监管")
    page.get_by_label("违法行为发生日期").fill("2026-03-02")
    form_width = page.locator("form.registration").bounding_box()
    assert form_width["x"] >= 0 and form_width["x"] + form_width["width"] <= 390
    page.get_by_role("button", name="登记").click()

    page.wait_for_selector("[data-testid=timeline]")
    case = Case.objects.get(title="涉嫌无照经营案")
    assert case.party == Party.objects.get(name="乌审旗新开张商贸有限公司")
    assert set(case.officers.all()) == {w.zhang, first}
