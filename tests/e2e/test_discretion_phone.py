"""裁量基准 on a phone (390×844): an agency administrator imports a benchmark from the Excel template
on the matter's page (a wrong file first: every error by row and column, nothing imported), then
reads the version with its tiers; the portal's 事前 page shows it with its dates. No page scrolls
sideways."""

import io
import shutil

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from sanxiang.accounts.models import Role
from sanxiang.publication.models import PublicAgency
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry import services
from sanxiang.registry.discretion_excel import COLUMNS, EXAMPLE_ROWS
from sanxiang.registry.models import DiscretionBenchmark
from tests.e2e.support import login, scroll_width
from tests.factories import agency_make, user_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
]


def xlsx(tmp_path, name, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "裁量基准"
    sheet.append([header for _, header in COLUMNS])
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / name
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.mark.django_db(transaction=True)
def test_a_benchmark_is_imported_read_and_published_on_a_phone(browser_page, live_server, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    agency = agency_make(name="乌审旗市场监督管理局")
    matter = services.matter_create(
        actor=None,
        agency=agency,
        code="SC-001",
        name="对未公示营业执照的处罚",
        kind="penalty",
        legal_bases=[{"law": "《某条例》", "article": "第三十条"}],
    )
    login(page, live_server, user_make(role=Role.AGENCY_ADMIN, agency=agency))
    page.goto(f"{live_server.url}/staff/registry/matters/{matter.pk}/")
    page.get_by_role("link", name="裁量基准（分版本）").click()
    expect(page.get_by_text("本事项尚未导入裁量基准")).to_be_visible()
    bad = [list(r) for r in EXAMPLE_ROWS]
    bad[0][9] = "按比例"
    page.get_by_label("Excel 文件").set_input_files(xlsx(tmp_path, "bad.xlsx", bad))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("[data-testid=import-errors]")
    assert "第2行" in page.inner_text("[data-testid=import-errors]")
    assert DiscretionBenchmark.objects.count() == 0
    assert scroll_width(page) <= 390, "errors"
    page.get_by_label("Excel 文件").set_input_files(xlsx(tmp_path, "good.xlsx", EXAMPLE_ROWS))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("[data-testid=discretion-version]")
    assert "从轻处罚" in page.inner_text("[data-testid=discretion-version]")
    assert scroll_width(page) <= 390, "versions"

    public_registry_refresh()
    public = PublicAgency.objects.get(name="乌审旗市场监督管理局")
    page.goto(f"{live_server.url}/agencies/{public.pk}/")
    page.wait_for_selector("[data-testid=benchmark]")
    assert "2025-01-01起施行" in page.inner_text("[data-testid=benchmark]")
    assert scroll_width(page) <= 390, "portal"
