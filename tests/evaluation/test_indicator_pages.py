"""The indicator pages: the county's table for a supervisor, the agency's for its head, every number a
link to a list as long as the number, bad input answered in Chinese, the XLSX export, and a cost in
queries that does not grow with the number of records."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanxiang.access.models import AccessLogEntry
from sanxiang.review.models import ReviewTally
from tests.evaluation.indicator_support import (
    EXPECTED_A,
    county_make,
    deadline_make,
    document_make,
    draft_make,
    evidence_make,
    filing_make,
    instrument_make,
    officer_with_certificate,
    tally_make,
)
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db

TABLE = reverse("evaluation:indicators")
RECORDS = reverse("evaluation:indicator_records")
LINK = re.compile(r'<a data-figure="([a-z_]+)-(numerator|denominator)" href="([^"]+)">(\d+)</a>')


@pytest.fixture
def county():
    return county_make()


def _links(html: str) -> list[tuple[str, str, str, int]]:
    return [(code, side, unescape(href), int(n)) for code, side, href, n in LINK.findall(html)]


def test_supervisor_table_every_number_opens_a_list_of_that_length(client, county):
    client.force_login(county.supervisor)
    response = client.get(TABLE, {"period": "2026-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年3月行政执法指标" in html
    assert "甲局" in html and "乙局" in html
    assert "外县丙局" not in html and "测试旗司法局</td>" not in html
    links = _links(html)
    # Two agencies and the total, each indicator's numerator and denominator.
    assert len(links) == 3 * 2 * len(EXPECTED_A)
    for code, side, href, number in links:
        page = client.get(href)
        assert page.status_code == 200, href
        listed = page.content.decode()
        assert f'data-count="{number}"' in listed, (code, side, href)
        assert listed.count("<tr data-record>") == number, (code, side, href)
    # The definitions are shown with their basis (案卷评查合格率 is computed since issue 16, item 4).
    assert "依据" in html and "案卷评查合格率" in html


def test_agency_head_sees_the_agency_only(client, county):
    client.force_login(county.head_a)
    html = client.get(TABLE, {"period": "2026-03"}).content.decode()
    assert "甲局" in html and "乙局" not in html
    assert "<tfoot>" not in html  # one agency: no total row
    n, _ = EXPECTED_A["legal_review_rate"]
    assert f'data-figure="legal_review_rate-numerator" href="{RECORDS}?indicator=legal_review_rate&amp;side=numerator&amp;agency={county.a.pk}&amp;period=2026-03">{n}</a>' in html
    # Another agency's records, by their number in the address: absent.
    response = client.get(RECORDS, {"indicator": "legal_review_rate", "side": "denominator", "agency": county.b.pk,
                                    "period": "2026-03"})
    assert response.status_code == 404
    # An agency head opens the cases behind the number; a supervisor reads the rows only (a case
    # is read under a read grant).
    case_url = reverse("cases:case_detail", args=[
        ReviewTally.objects.filter(agency=county.a, major=True, decided_on__month=3).first().case_id])
    query = {"indicator": "legal_review_rate", "side": "denominator", "agency": county.a.pk, "period": "2026-03"}
    assert case_url in client.get(RECORDS, query).content.decode()
    client.force_login(county.supervisor)
    listed = client.get(RECORDS, query).content.decode()
    assert case_url not in listed and '<tr data-record>' in listed


def test_supervisor_never_reaches_another_countys_agency(client, county):
    client.force_login(county.supervisor)
    for name in ("evaluation:indicator_records", "evaluation:indicator_trend"):
        response = client.get(reverse(name), {"indicator": "filing_timely", "agency": county.c.pk, "period": "2026"})
        assert response.status_code == 404, name


@pytest.mark.parametrize("query, message", [
    ({"period": "2026-13"}, "月份应在 1 至 12 之间"),
    ({"period": "abc"}, "统计期应写作年份"),
    ({"period": "1800"}, "年份应在"),
    ({"start": "2026-03-01"}, "开始日期和结束日期都要填写"),
    ({"start": "2026-03-10", "end": "2026-03-01"}, "开始日期不能晚于结束日期"),
    ({"start": "2000-01-01", "end": "2026-03-01"}, "不能超过五年"),
    ({"start": "2026-02-30", "end": "2026-03-01"}, "开始日期"),
    ({"start": "9999-12-01", "end": "9999-12-31"}, "日期应在 2000 至 2100 年之间"),  # the months after it overflowed
])
def test_bad_periods_get_a_chinese_error_not_a_500(client, county, query, message):
    client.force_login(county.supervisor)
    for url in (TABLE, RECORDS, reverse("evaluation:indicator_trend"), reverse("evaluation:indicators_xlsx")):
        response = client.get(url, query)
        assert response.status_code == 400, url
        assert message in response.content.decode(), url


@pytest.mark.parametrize("query", [
    {"indicator": "no_such"}, {"side": "middle"}, {"agency": "x"}, {"page": "0"}, {"page": "abc"},
])
def test_bad_record_queries_get_a_chinese_error(client, county, query):
    client.force_login(county.supervisor)
    response = client.get(RECORDS, {"period": "2026-03", **query})
    assert response.status_code == 400
    assert 'data-testid="bad-query"' in response.content.decode()


def test_a_date_range_and_a_year(client, county):
    client.force_login(county.supervisor)
    html = client.get(TABLE, {"start": "2026-03-01", "end": "2026-03-05"}).content.decode()
    assert "2026-03-01至2026-03-05行政执法指标" in html
    # Legal review, 1 to 5 March: A's 3rd (reviewed), 4th (reviewed), 5th (not); B's 3rd.
    assert 'side=numerator&amp;start=2026-03-01&amp;end=2026-03-05">3</a>' in html
    assert client.get(TABLE, {"period": "2026"}).status_code == 200


def test_trend_by_month_links_each_month(client, county):
    client.force_login(county.supervisor)
    response = client.get(reverse("evaluation:indicator_trend"), {"indicator": "legal_review_rate", "period": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "重大执法决定法制审核率 月度趋势" in html
    march = [link for link in _links(html) if "start=2026-03-01" in link[2]]
    assert [(side, n) for _, side, _, n in march] == [("numerator", 3), ("denominator", 4)]
    for _, _, href, number in march:
        assert f'data-count="{number}"' in client.get(href).content.decode()


def test_xlsx_export_has_the_tables_figures_and_is_recorded(client, county):
    client.force_login(county.supervisor)
    response = client.get(reverse("evaluation:indicators_xlsx"), {"period": "2026-03"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["指标"].iter_rows(values_only=True))
    header, by_agency = rows[1], {row[0]: row for row in rows[2:]}
    column = header.index("重大执法决定法制审核率（分子）")
    assert by_agency["甲局"][column:column + 3] == (2, 3, 66.7)
    assert by_agency["合计"][column:column + 3] == (3, 4, 75.0)
    assert "外县丙局" not in by_agency
    definitions = [row[0] for row in workbook["指标说明"].iter_rows(values_only=True)]
    assert "培训达标率" in definitions
    assert AccessLogEntry.objects.filter(object_kind="evaluation.indicators", user=county.supervisor).exists()


def _more_records(county, n: int) -> None:
    """n more records of every kind for A (and a few for B), in March."""
    on = dt.date(2026, 3, 2)
    for _ in range(n):
        for agency in (county.a, county.b):
            draft_make(agency, due=on, published=on)
            tally_make(agency, on=on)
            filing_make(agency, county.bureau, decided=on, filed=on, due=on)
            officer_with_certificate(agency, valid_to=dt.date(2027, 1, 1))
        instrument_make(county.a, county.bureau, county.supervisor, due=on, reported=on)
        draft_make(county.a, due=on, published=on, withdrawal_due=on, withdrawn=on)
        case = tally_make(county.a, on=on).case
        deadline_make(case, 0, due=on, met=True, completed_on=on)
        document_make(case, record_kind="hearing_transcript", on=on, user=county.supervisor)
        evidence_make(case, step="hearing", kind="audio", content_type="audio/mpeg", on=on, user=county.supervisor)


def test_query_count_does_not_grow_with_the_records(client, county):
    client.force_login(county.supervisor)
    listing = {"indicator": "audio_video_coverage", "side": "denominator", "period": "2026-03"}

    def cost() -> tuple[int, int]:
        with queries_without_ledger_writes() as table:
            assert client.get(TABLE, {"period": "2026-03"}).status_code == 200
        with queries_without_ledger_writes() as records:
            assert client.get(RECORDS, listing).status_code == 200
        return table.count, records.count

    few = cost()
    _more_records(county, 12)
    many = cost()
    assert many == few
    # Per indicator a constant number of grouped queries: two per side's part.
    assert few[0] <= 40, few


def test_agencies_ranked_by_an_indicator(client, county):
    client.force_login(county.supervisor)
    # Legal review: B 100 %, A 66.7 %: B first. Overdue deadlines (lower is better): B 0, A 2: B first.
    for code in ("legal_review_rate", "deadlines_overdue"):
        html = client.get(TABLE, {"period": "2026-03", "rank": code}).content.decode()
        assert html.index(f'data-agency="{county.b.pk}"') < html.index(f'data-agency="{county.a.pk}"'), code
        assert 'data-testid="ranked-by"' in html
    # A ranking by an unknown indicator is refused in Chinese.
    response = client.get(TABLE, {"period": "2026-03", "rank": "no_such"})
    assert response.status_code == 400 and "没有这项指标" in response.content.decode()


def test_a_year_before_an_indicators_rule_gets_the_reason_not_a_500(client, county):
    """The hours of training required are in force from 2022-11-03: 2021's training compliance cannot
    be counted; the table, its Excel, the trend and the records say why beside the period (review r-3)."""
    client.force_login(county.supervisor)
    training = {"indicator": "training_compliance", "side": "numerator", "period": "2021"}
    for url in (TABLE, reverse("evaluation:indicators_xlsx"), reverse("evaluation:indicator_trend"),
                reverse("evaluation:indicator_records")):
        response = client.get(url, training)
        assert response.status_code == 400, url
        assert "最早自2022-11-03起施行" in response.content.decode(), url
