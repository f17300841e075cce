"""年度行政执法数据 on the portal: the published reports of a year, by agency, in the six
categories; 0 where the agency has the power but took no action, "—" where it has no such power;
no login; the public tables only."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanxiang.publication.models import AnnualReport, PublicAgency

pytestmark = pytest.mark.django_db

COUNTS = {"permit": None, "penalty": 12, "coercion": 0, "levy": None, "requisition": None, "inspection": 40}


def report_make(name: str, source_id: int, year: int, counts: dict) -> AnnualReport:
    agency, _ = PublicAgency.objects.get_or_create(
        source_id=source_id, defaults={"name": name, "kind": "行政机关", "refreshed_at": timezone.now()}
    )
    return AnnualReport.objects.create(agency=agency, year=year, counts=counts, published_at=timezone.now())


def cells(html: str, agency: str) -> list[str]:
    row = re.search(rf"<th scope=\"row\">{agency}</th>(.*?)</tr>", html, re.S)
    assert row, html
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_no_reports_yet(client):
    response = client.get(reverse("portal:annual_list"))
    assert response.status_code == 200 and 'data-testid="annual-empty"' in response.content.decode()


def test_the_latest_year_by_default_with_zero_and_dash(client):
    report_make("乌审旗市场监督管理局", 1, 2025, COUNTS)
    report_make("乌审旗自然资源局", 2, 2025, {"permit": 0, "penalty": 0, "coercion": None, "levy": 3,
                                           "requisition": 0, "inspection": None})
    report_make("乌审旗市场监督管理局", 1, 2024, COUNTS | {"penalty": 99})
    response = client.get(reverse("portal:annual_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2025年度" in html and "2026年1月31日" in html
    headers = re.findall(r"<th scope=\"col\">(.*?)</th>", html)
    assert headers == ["执法机关", "行政许可", "行政处罚", "行政强制", "行政征收", "行政征用", "行政检查", "发布时间"]
    # 行政许可 "—" (no power), 行政处罚 12, 行政强制 0 (power, no action), 征收 —, 征用 —, 检查 40.
    assert cells(html, "乌审旗市场监督管理局")[:6] == ["—", "12", "0", "—", "—", "40"]
    assert cells(html, "乌审旗自然资源局")[:6] == ["0", "0", "—", "3", "0", "—"]
    assert "99" not in html


def test_an_earlier_year(client):
    report_make("乌审旗市场监督管理局", 1, 2025, COUNTS)
    report_make("乌审旗市场监督管理局", 1, 2024, COUNTS | {"penalty": 99})
    html = client.get(reverse("portal:annual_list"), {"year": 2024}).content.decode()
    assert cells(html, "乌审旗市场监督管理局")[1] == "99"
    # An unknown year falls back to the latest instead of an empty page.
    html = client.get(reverse("portal:annual_list"), {"year": "abc"}).content.decode()
    assert cells(html, "乌审旗市场监督管理局")[1] == "12"


def test_the_portal_reads_the_public_tables_only(client):
    report_make("乌审旗市场监督管理局", 1, dt.date.today().year - 1, COUNTS)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:annual_list")).status_code == 200
    tables = {t for q in queries.captured_queries for t in re.findall(r'FROM "?(\w+)"?', q["sql"])}
    tables |= {t for q in queries.captured_queries for t in re.findall(r'JOIN "?(\w+)"?', q["sql"])}
    assert tables and all(t.startswith("publication_") for t in tables), tables
    assert "publication_publicationdraft" not in tables
