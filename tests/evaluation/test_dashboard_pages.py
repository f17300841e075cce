"""The assessment dashboard (issue 15 item 2): the county's for a supervisor, the agency's for its
head, refused to anyone else; each number opens a list as long as the number; the charts' data
beside a table of the same figures; bad input in Chinese; the XLSX of every view; and a cost in
queries that does not grow with the number of records."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanxiang.access.models import AccessLogEntry
from sanxiang.evaluation.models import MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create
from sanxiang.supervision.alerts import platform_alerts_open
from sanxiang.supervision.models import Matter
from tests.evaluation.indicator_support import EXPECTED_A, EXPECTED_B, TODAY, county_make
from tests.evaluation.test_indicator_pages import _more_records
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("evaluation:dashboard")
XLSX = reverse("evaluation:dashboard_xlsx")
COUNT = re.compile(r'<a data-count="([a-z]+)" href="([^"]+)">(\d+)</a>')
FIGURE = re.compile(r'<a data-figure="([a-z_]+)-(numerator|denominator)" href="([^"]+)">(\d+)</a>')


@pytest.fixture
def county():
    county = county_make()
    # October's reports drafted on 1 November and never submitted: overdue since their due day.
    report_drafts_create(on=dt.date(2026, 11, 1), agencies=[county.a, county.b, county.c])
    # The platform's alerts of the day become matters of the desk (those of the bureau's county).
    platform_alerts_open(on=TODAY)
    return county


def _charts(html: str) -> dict:
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the charts' figures are in the page"
    return json.loads(match.group(1))


def _counts(html: str) -> dict[str, tuple[str, int]]:
    return {key: (unescape(href), int(n)) for key, href, n in COUNT.findall(html)}


def test_supervisor_sees_the_county_with_charts_and_tables(client, county):
    client.force_login(county.supervisor)
    response = client.get(DASHBOARD, {"period": "2026-03", "indicator": "legal_review_rate"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年3月数据看板" in html and "全部执法主体" in html
    # A chart and a table under it, for each view.
    for key in ("indicators", "trend", "ranking", "overdue"):
        assert f'data-chart="{key}"' in html
        assert f'data-testid="dashboard-{key}"' in html
    assert "evaluation/vendor/echarts/echarts.min.js" in html and "evaluation/dashboard.js" in html
    assert "<script>" not in html and " style=" not in html  # CSP: no inline script or style
    charts = _charts(html)
    # The ranking: B (100 %) before A (66.7 %), the other county's agency absent.
    assert charts["ranking"]["labels"] == ["乙局", "甲局"]
    assert charts["ranking"]["values"] == [100.0, 66.7]
    assert "外县丙局" not in html
    # The trend: the twelve months to March 2026, March's figure the county's.
    assert charts["trend"]["labels"][-1] == "2026年3月" and len(charts["trend"]["labels"]) == 12
    n = EXPECTED_A["legal_review_rate"][0] + EXPECTED_B["legal_review_rate"][0]
    d = EXPECTED_A["legal_review_rate"][1] + EXPECTED_B["legal_review_rate"][1]
    assert charts["trend"]["values"][-1] == round(n * 100 / d, 1)
    # Every number of the indicator, trend and ranking tables opens a list as long as the number.
    for code, side, href, number in FIGURE.findall(html):
        page = client.get(unescape(href))
        assert page.status_code == 200, href
        assert f'data-count="{number}"' in page.content.decode(), (code, side, href)


def test_overdue_numbers_open_their_lists(client, county):
    client.force_login(county.supervisor)
    html = client.get(DASHBOARD, {"period": "2026-03"}).content.decode()
    counts = _counts(html)
    assert set(counts) == {"deadlines", "publications", "reports", "alerts"}
    # Overdue deadlines: the indicator's numerator, its list the indicator's records page.
    href, number = counts["deadlines"]
    assert number == EXPECTED_A["deadlines_overdue"][0] + EXPECTED_B["deadlines_overdue"][0]
    assert f'data-count="{number}"' in client.get(href).content.decode()
    # Monthly reports: October's of A and B, not submitted; the month's page shows those overdue.
    href, number = counts["reports"]
    assert number == 2 == MonthlyReport.objects.filter(agency__in=[county.a, county.b]).count()
    assert "show=overdue" in href and "month=2026-10" in href
    month_page = client.get(href).content.decode()
    assert "甲局" in month_page and "乙局" in month_page
    # Platform alerts: the open matters raised by the platform about the county's agencies.
    href, number = counts["alerts"]
    alerts = Matter.objects.filter(source="platform_alert", bureau=county.bureau)
    assert number == alerts.count() > 0
    assert client.get(href).status_code == 200
    # Overdue publications: the drafts page lists them.
    href, number = counts["publications"]
    assert number > 0 and client.get(href).status_code == 200
    assert _charts(html)["overdue"]["values"] == [
        counts[k][1] for k in ("deadlines", "publications", "reports", "alerts")
    ]


def test_agency_head_sees_the_agency_only(client, county):
    client.force_login(county.head_a)
    html = client.get(DASHBOARD, {"period": "2026-03"}).content.decode()
    assert "甲局" in html and "乙局" not in html and "全部执法主体" not in html
    assert 'data-chart="ranking"' not in html  # one agency: nothing to rank
    charts = _charts(html)
    assert charts["trend"]["values"][-1] == round(
        EXPECTED_A["publication_timely"][0] * 100 / EXPECTED_A["publication_timely"][1], 1
    )
    counts = _counts(html)
    # A's own October report only, and only A's alerts.
    assert counts["reports"][1] == 1
    assert counts["alerts"][1] == Matter.objects.filter(source="platform_alert", agency=county.a).count()
    assert counts["deadlines"][1] == EXPECTED_A["deadlines_overdue"][0]
    # The supervisor's view of the same period counts more (B's too).
    client.force_login(county.supervisor)
    assert _counts(client.get(DASHBOARD, {"period": "2026-03"}).content.decode())["reports"][1] == 2


def test_refused_to_an_officer(client, county):
    client.force_login(county.officer_user)
    response = client.get(DASHBOARD)
    assert response.status_code == 403
    assert "dashboard-data" not in response.content.decode()
    assert client.get(XLSX).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "2026-13"}, "月份应在 1 至 12 之间"),
        ({"indicator": "no_such"}, "没有这项指标"),
        ({"start": "2026-03-01"}, "开始日期和结束日期都要填写"),
    ],
)
def test_bad_input_in_chinese_not_a_500(client, county, query, message):
    client.force_login(county.supervisor)
    for url in (DASHBOARD, XLSX):
        response = client.get(url, query)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_xlsx_has_every_view_and_is_recorded(client, county):
    client.force_login(county.supervisor)
    response = client.get(XLSX, {"period": "2026-03", "indicator": "legal_review_rate"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["指标", "月度趋势", "排名", "逾期和预警"]
    indicators = {row[0]: row for row in workbook["指标"].iter_rows(min_row=3, values_only=True)}
    assert indicators["重大执法决定法制审核率"][1:4] == (3, 4, 75.0)
    ranking = list(workbook["排名"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[4]) for r in ranking] == [(1, "乙局", 100.0), (2, "甲局", 66.7)]
    trend = list(workbook["月度趋势"].iter_rows(min_row=3, values_only=True))
    assert len(trend) == 12 and trend[-1][:4] == ("2026年3月", 3, 4, 75.0)
    overdue = {row[0]: row[2] for row in workbook["逾期和预警"].iter_rows(min_row=3, values_only=True) if row}
    assert overdue["月报逾期未报送"] == 2
    assert AccessLogEntry.objects.filter(object_kind="evaluation.dashboard", user=county.supervisor).exists()


def test_query_count_does_not_grow_with_the_records(client, county):
    client.force_login(county.supervisor)

    def cost() -> int:
        with queries_without_ledger_writes() as counted:
            assert client.get(DASHBOARD, {"period": "2026-03"}).status_code == 200
        return counted.count

    few = cost()
    _more_records(county, 12)
    report_drafts_create(on=dt.date(2026, 10, 1), agencies=[county.a, county.b])
    platform_alerts_open(on=TODAY)
    many = cost()
    assert many == few
    assert few <= 60, few
