"""Security review finding 4: two saves of different sections of a report without If-Match, at once,
both stay. The API used to merge the sections sent into the row it read before taking the lock and
write the whole dict back, so the save that locked second wrote back the first one's section as it
was. The service now merges into the locked row. The race is made deterministic: the other save
commits between the API's read and its lock. Bearer token, CSRF checks on."""

import datetime as dt
import json

import pytest

from sanxiang.api import reports as reports_api
from sanxiang.evaluation import closing_services, report_services
from sanxiang.evaluation.closing_services import summary_drafts_create
from sanxiang.evaluation.models import AnnualSummary, MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create
from tests.api.support import bearer
from tests.evaluation.report_support import county_make

pytestmark = pytest.mark.django_db


def post(client, url: str, auth: dict, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def _read_then_other_saves(monkeypatch, module, name: str, other_save):
    """The API's read of the row returns it, then another request saves before the API locks it."""
    read = getattr(module, name)
    pending = [other_save]

    def racing(**kwargs):
        row = read(**kwargs)
        if pending:  # only the first read (the endpoint reads again to answer)
            pending.pop()(row)
        return row

    monkeypatch.setattr(module, name, racing)


def test_two_monthly_saves_of_different_sections_both_stay(client, monkeypatch):
    county = county_make()
    report_drafts_create(on=dt.date(2026, 10, 1), agencies=[county.agency])
    report = MonthlyReport.objects.get(agency=county.agency)
    _read_then_other_saves(monkeypatch, reports_api.report_selectors, "report_get", lambda row: (
        report_services.report_sections_save(report=row, actor=county.head, on=dt.date(2026, 10, 2),
                                             sections={"results": "按期公示12件"})))
    saved = post(client, f"/api/reports/monthly/{report.pk}/actions/save", bearer(county.head), {"problems": "无"})
    assert saved.status_code == 200, saved.content
    sections = MonthlyReport.objects.get(pk=report.pk).sections
    assert (sections["problems"], sections["results"]) == ("无", "按期公示12件")


def test_two_annual_saves_of_different_sections_both_stay(client, monkeypatch):
    county = county_make()
    summary_drafts_create(on=dt.date(2026, 12, 1), agencies=[county.agency])
    summary = AnnualSummary.objects.get(agency=county.agency)
    keys = list(closing_services.SUMMARY_SECTION_LABELS)
    _read_then_other_saves(monkeypatch, reports_api.closing_selectors, "summary_get", lambda row: (
        closing_services.summary_sections_save(summary=row, actor=county.head, on=dt.date(2026, 12, 2),
                                               sections={str(keys[1]): "第二部分"})))
    saved = post(client, f"/api/reports/annual/{summary.pk}/actions/save", bearer(county.head), {str(keys[0]): "第一部分"})
    assert saved.status_code == 200, saved.content
    sections = AnnualSummary.objects.get(pk=summary.pk).sections
    assert (sections[str(keys[0])], sections[str(keys[1])]) == ("第一部分", "第二部分")
