"""Issue 19 (the audit of pages against the API): the files of a 工作月报 and of a 年度工作总结, which
their pages offer for download, through the API: the same PDF and Word files, to whom the pages
show the report (another agency 404), 422 for a format that is not one. Bearer token."""

import datetime as dt

import pytest

from sanxiang.evaluation.closing_services import summary_drafts_create
from sanxiang.evaluation.models import AnnualSummary, MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create
from tests.api.support import assert_safe_download, bearer
from tests.evaluation.report_support import county_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    county = county_make()
    report_drafts_create(on=dt.date(2026, 10, 1), agencies=[county.agency])
    summary_drafts_create(on=dt.date(2026, 11, 1), agencies=[county.agency])
    return county


@pytest.mark.parametrize("kind", ["monthly", "annual"])
def test_the_files_are_the_pages_downloads_for_whom_the_pages_show_the_report(client, county, kind):
    row = (MonthlyReport if kind == "monthly" else AnnualSummary).objects.filter(agency=county.agency).first()
    url = f"/api/reports/{kind}/{row.pk}/files"
    head = bearer(county.head)
    pdf = client.get(f"{url}/pdf", **head)
    assert pdf.status_code == 200, pdf.content[:300]
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    docx = client.get(f"{url}/docx", **head)
    assert docx.status_code == 200 and docx.content.startswith(b"PK") and "wordprocessingml" in docx["Content-Type"]
    assert_safe_download(docx)
    assert client.get(f"{url}/pdf", **bearer(county.other_head)).status_code == 404
    bad = client.get(f"{url}/txt", **head)
    assert bad.status_code == 422 and bad.json()["violations"][0]["field"] == "fmt"
    assert client.get(f"/api/reports/{kind}/0/files/pdf", **head).status_code == 422
