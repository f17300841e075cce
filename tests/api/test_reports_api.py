"""Issue 19 item 1: 工作月报 and 年度工作总结 through the API, read as the report pages show them: the
bureau's supervisors the reports sent to them, an agency's staff their own, another agency none;
a report's figures (stored beside live) and the records behind a figure, a case's title only to
who may read the case. Bearer token, CSRF checks on."""

import datetime as dt

import pytest

from sanxiang.evaluation.closing_services import summary_drafts_create
from sanxiang.evaluation.models import AnnualSummary, MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create
from tests.api.support import bearer
from tests.evaluation.report_support import case_on, county_make

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def county():
    county = county_make()
    case_on(agency=county.agency, day=D(2026, 9, 10), title="张三无证经营案")
    report_drafts_create(on=D(2026, 9, 1))  # August's reports
    report_drafts_create(on=D(2026, 10, 1))  # September's
    summary_drafts_create(on=D(2026, 11, 1))
    return county


def walk(client, auth, url: str) -> list[dict]:
    items = []
    while url:
        response = client.get(url, **auth)
        assert response.status_code == 200, response.content
        items += response.json()["items"]
        url = response.json()["next"]
    return items


def test_monthly_reports_are_listed_to_whom_the_pages_show_them(client, county):
    mine = list(MonthlyReport.objects.filter(agency=county.agency).order_by("-due_on", "-id").values_list("pk", flat=True))
    assert len(mine) == 2
    head = bearer(county.head)
    assert [r["id"] for r in walk(client, head, "/api/reports/monthly?limit=1")] == mine
    supervisor = walk(client, bearer(county.first), "/api/reports/monthly?limit=3")
    assert {r["agency_id"] for r in supervisor} >= {county.agency.pk, county.other.pk}
    assert {r["agency_id"] for r in walk(client, bearer(county.other_head), "/api/reports/monthly")} == {county.other.pk}
    september = walk(client, head, "/api/reports/monthly?year=2026&month=9")
    assert [(r["year"], r["month"], r["status"]) for r in september] == [(2026, 9, "draft")]
    assert [r["id"] for r in walk(client, head, "/api/reports/monthly?ordering=due_on")] == mine[::-1]
    assert walk(client, head, "/api/reports/monthly?status=received") == []
    for query, field in (("status=sent", "status"), ("month=13", "month"), ("ordering=agency", "ordering"),
                         ("since=2026-10-02&until=2026-10-01", "until")):
        bad = client.get(f"/api/reports/monthly?{query}", **head)
        assert bad.status_code == 422 and [v["field"] for v in bad.json()["violations"]] == [field]


def test_a_monthly_report_with_its_figures_and_the_records_behind_one(client, county):
    report = MonthlyReport.objects.get(agency=county.agency, year=2026, month=9)
    head, supervisor = bearer(county.head), bearer(county.first)
    body = client.get(f"/api/reports/monthly/{report.pk}", **head).json()
    assert [s["label"] for s in body["sections"]][:3] == ["存在问题", "工作成效", "下月计划"]
    assert body["figures"] and body["figures_frozen_on"] is None
    assert [(s["action"], s["on"]) for s in body["steps"]] == [("draft", "2026-10-01")]
    assert client.get(f"/api/reports/monthly/{report.pk}", **bearer(county.other_head)).status_code == 404
    # A figure that counts the case: its title to the agency's head, withheld from a supervisor without a read grant.
    counted = None
    for figure in body["figures"]:
        response = client.get(f"/api/reports/monthly/{report.pk}/figures/{figure['key']}", **head)
        if response.status_code == 200 and response.json():
            counted = figure["key"]
            break
    assert counted is not None
    seen = client.get(f"/api/reports/monthly/{report.pk}/figures/{counted}", **head).json()
    assert seen[0]["title"] == "张三无证经营案"
    withheld = client.get(f"/api/reports/monthly/{report.pk}/figures/{counted}", **supervisor).json()
    assert withheld[0]["title"] == "" and withheld[0]["number"] == seen[0]["number"]
    assert client.get(f"/api/reports/monthly/{report.pk}/figures/no.such.figure", **head).status_code == 404


def test_annual_summaries_are_listed_and_read(client, county):
    summary = AnnualSummary.objects.get(agency=county.agency, year=2026)
    head = bearer(county.head)
    assert [s["id"] for s in walk(client, head, "/api/reports/annual?year=2026")] == [summary.pk]
    body = client.get(f"/api/reports/annual/{summary.pk}", **head).json()
    assert body["status"] == "draft" and body["due_on"] == "2026-11-15"
    assert [s["key"] for s in body["sections"]] == ["work", "results", "problems", "next"]
    assert {f["key"] for f in body["figures"]} >= {"training.met", "reports.on_time"}
    assert client.get(f"/api/reports/annual/{summary.pk}", **bearer(county.other_head)).status_code == 404
    assert walk(client, bearer(county.first), f"/api/reports/annual?agency={county.agency.pk}")[0]["id"] == summary.pk
