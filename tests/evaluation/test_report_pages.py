"""The monthly reports' pages: the agency head writes and submits (a refusal keeps what was typed and
says why beside the field); the bureau's month shows every agency with its state and overdue flag, at
a fixed cost in queries; the bureau returns, comments, receives, or opens a matter on a late report;
nobody else changes anything; every figure opens its records; the report downloads as PDF and DOCX."""

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.evaluation import report_views
from sanxiang.evaluation.models import MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create, report_submit
from sanxiang.procedure.evaluation.reports import ReportMonth
from tests.evaluation.report_support import case_on, county_make, draft
from tests.factories import agency_make, user_make
from tests.querycount import queries_without_ledger_writes
from tests.supervision.support import desk_make, read_grant_give, supervisor_user_make

pytestmark = pytest.mark.django_db

D = dt.date
FIRST = D(2026, 10, 1)
WRITTEN = {"problems": "无", "results": "公示全部按期。", "next_plan": "开展案卷自查。", "coordination": ""}


@pytest.fixture
def on(monkeypatch):
    """Set the day the pages see."""

    def set_day(day: dt.date):
        monkeypatch.setattr(report_views, "today", lambda: day)

    return set_day


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def drafted(county):
    report_drafts_create(on=FIRST)
    return (MonthlyReport.objects.get(agency=county.agency, year=2026, month=9),
            MonthlyReport.objects.get(agency=county.other, year=2026, month=9))


def test_the_head_writes_saves_and_submits(on):
    county = county_make()
    mine, _ = drafted(county)
    on(D(2026, 10, 20))
    head = client_of(county.head)
    listing = head.get(reverse("evaluation:report_list")).content.decode()
    assert "2026年9月" in listing and "还有5日" in listing
    page = head.get(reverse("evaluation:report_detail", args=[mine.pk])).content.decode()
    assert 'data-testid="sections-form"' in page and "报送司法局" in page and "draft" not in page.split("<main")[-1]
    # Submitting without the required parts: refused beside each field, what was typed kept.
    response = head.post(reverse("evaluation:report_save", args=[mine.pk]),
                         {"problems": "部分决定公示晚了两天", "submit": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "请填写“工作成效”（没有的写“无”）" in html and "部分决定公示晚了两天" in html
    assert MonthlyReport.objects.get(pk=mine.pk).state == "draft"
    assert head.post(reverse("evaluation:report_save", args=[mine.pk]), WRITTEN | {"save": "1"}).status_code == 302
    assert MonthlyReport.objects.get(pk=mine.pk).sections["results"] == "公示全部按期。"
    response = head.post(reverse("evaluation:report_save", args=[mine.pk]), WRITTEN | {"submit": "1"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.state, mine.first_submitted_on) == ("submitted", D(2026, 10, 20))
    page = head.get(reverse("evaluation:report_detail", args=[mine.pk])).content.decode()
    assert 'data-testid="sections-form"' not in page and "已报送" in page


def test_an_officer_reads_but_does_not_submit(on):
    county = county_make()
    mine, _ = drafted(county)
    on(D(2026, 10, 20))
    officer = client_of(county.officer)
    page = officer.get(reverse("evaluation:report_detail", args=[mine.pk])).content.decode()
    assert 'data-testid="sections-form"' not in page
    response = officer.post(reverse("evaluation:report_save", args=[mine.pk]), WRITTEN | {"submit": "1"})
    assert response.status_code == 409 and "只有本机关的机关负责人可以修改和报送月报" in response.content.decode()
    assert MonthlyReport.objects.get(pk=mine.pk).state == "draft"


def test_no_one_else_reaches_or_changes_a_report(on):
    county = county_make()
    mine, theirs = drafted(county)
    report_submit(report=mine, actor=county.head, on=D(2026, 10, 5), sections=WRITTEN)
    on(D(2026, 10, 6))
    far_desk = desk_make()  # another county's bureau (its own region)
    far_bureau = agency_make(name="另一旗司法局", is_judicial_bureau=True, region_code="150627")
    far_supervisor = supervisor_user_make(bureau=far_bureau)
    for user in (county.other_head, far_supervisor, user_make(role=Role.AGENCY_HEAD, agency=far_desk.agency)):
        client = client_of(user)
        assert client.get(reverse("evaluation:report_detail", args=[mine.pk])).status_code == 404
        assert client.post(reverse("evaluation:report_act", args=[mine.pk]),
                           {"action": "return", "text": "退回"}).status_code == 404
        assert client.post(reverse("evaluation:report_save", args=[theirs.pk if user == county.other_head else mine.pk]),
                           WRITTEN | {"submit": "1"}).status_code in (302, 404)
    # The other agency's own head submits its own report: that is its lawful path.
    assert MonthlyReport.objects.get(pk=theirs.pk).state == "submitted"
    assert MonthlyReport.objects.get(pk=mine.pk).state == "submitted"
    # An agency head may not act for the bureau on its own report.
    response = client_of(county.head).post(reverse("evaluation:report_act", args=[mine.pk]),
                                           {"action": "receive", "text": ""})
    assert response.status_code == 409 and MonthlyReport.objects.get(pk=mine.pk).state == "submitted"
    assert client_of(far_supervisor).get(reverse("evaluation:report_list")).status_code == 200
    assert "测试城市管理" not in client_of(far_supervisor).get(reverse("evaluation:report_list")).content.decode()


def test_the_bureaus_month_flags_the_missing_report_on_the_26th_and_opens_a_matter(on):
    county = county_make()
    mine, theirs = drafted(county)
    report_submit(report=mine, actor=county.head, on=D(2026, 10, 24), sections=WRITTEN)
    supervisor = client_of(county.first)
    on(D(2026, 10, 25))
    page = supervisor.get(reverse("evaluation:report_list") + "?month=2026-09").content.decode()
    assert "2026年9月工作推进情况月报" in page and 'data-testid="overdue"' not in page
    on(D(2026, 10, 26))
    page = supervisor.get(reverse("evaluation:report_list")).content.decode()
    assert page.count('data-testid="overdue"') == 1 and "逾期未报送" in page
    only = supervisor.get(reverse("evaluation:report_list") + "?month=2026-09&overdue=1").content.decode()
    assert county.other.name in only and county.agency.name not in only.split("<tbody>")[1]
    detail = supervisor.get(reverse("evaluation:report_detail", args=[theirs.pk])).content.decode()
    assert "已逾期1日" in detail and 'data-testid="to-matter"' in detail
    response = supervisor.post(reverse("evaluation:report_act", args=[theirs.pk]), {"action": "matter"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert response["Location"] == reverse("supervision:matter_detail", args=[theirs.matter_id])
    # The matter's page links the report behind it.
    matter_page = supervisor.get(response["Location"]).content.decode()
    assert reverse("evaluation:report_detail", args=[theirs.pk]) in matter_page
    # Every count opens the agencies it counts.
    for show, expected in (("all", 2), ("submitted", 1), ("received", 0), ("overdue", 1)):
        html = supervisor.get(reverse("evaluation:report_list") + f"?month=2026-09&show={show}").content.decode()
        assert html.count('data-testid="month-row"') == expected, show
        assert f'show={show}"><strong>{expected}</strong>' in html or show == "all"
    # A nonsense month is the latest month, not an error.
    assert supervisor.get(reverse("evaluation:report_list") + "?month=abc").status_code == 200


def test_the_bureau_returns_and_receives_with_confirmation(on):
    county = county_make()
    mine, _ = drafted(county)
    report_submit(report=mine, actor=county.head, on=D(2026, 10, 5), sections=WRITTEN)
    on(D(2026, 10, 6))
    supervisor = client_of(county.first)
    page = supervisor.get(reverse("evaluation:report_detail", args=[mine.pk])).content.decode()
    assert 'data-confirm="接收后月报不能再退回。确定接收？"' in page
    response = supervisor.post(reverse("evaluation:report_act", args=[mine.pk]), {"action": "return", "text": ""})
    assert response.status_code == 409 and "请写明退回的理由和需要修改的内容" in response.content.decode()
    supervisor.post(reverse("evaluation:report_act", args=[mine.pk]), {"action": "return", "text": "请补充下月计划"})
    assert MonthlyReport.objects.get(pk=mine.pk).state == "returned"
    head_page = client_of(county.head).get(reverse("evaluation:report_detail", args=[mine.pk])).content.decode()
    assert "请补充下月计划" in head_page and "重新报送" in head_page
    assert supervisor.post(reverse("evaluation:report_act", args=[mine.pk]),
                           {"action": "bogus"}).status_code == 400


def test_the_months_page_costs_the_same_queries_for_two_or_twelve_agencies(on):
    county = county_make()
    drafted(county)
    on(D(2026, 10, 26))
    supervisor = client_of(county.first)
    url = reverse("evaluation:report_list") + "?month=2026-09"
    supervisor.get(url)
    with queries_without_ledger_writes() as few:
        assert supervisor.get(url).status_code == 200
    for n in range(10):
        agency_make(name=f"加测执法局{n}")
    report_drafts_create(on=D(2026, 10, 2))
    with queries_without_ledger_writes() as many:
        page = supervisor.get(url).content.decode()
    assert page.count('data-testid="month-row"') == 12
    assert many.count == few.count


def test_frozen_figures_beside_live_ones_and_each_figure_opens_its_records(on):
    county = county_make()
    case_on(agency=county.agency, day=D(2026, 9, 3), title="销售过期食品案")
    mine, _ = drafted(county)
    report_submit(report=mine, actor=county.head, on=D(2026, 10, 5), sections=WRITTEN)
    late = case_on(agency=county.agency, day=D(2026, 9, 20), title="补录的无照经营案")
    draft(case=late, decided_on=D(2026, 9, 21), due_on=D(2026, 9, 28))
    on(D(2026, 10, 6))
    supervisor = client_of(county.first)
    page = supervisor.get(reverse("evaluation:report_detail", args=[mine.pk])).content.decode()
    assert 'data-testid="figures-differ"' in page and "有变化" in page
    records = supervisor.get(reverse("evaluation:report_figure", args=[mine.pk, "cases.registered"])).content.decode()
    assert records.count('data-testid="figure-record"') == 2 and late.number in records
    assert "月报报送时为1" in records
    # The supervisor reads the list; the case itself needs a read grant, so it is not linked.
    assert reverse("cases:case_detail", args=[late.pk]) not in records
    mine_records = client_of(county.head).get(
        reverse("evaluation:report_figure", args=[mine.pk, "publications.waiting"])).content.decode()
    assert reverse("cases:case_detail", args=[late.pk]) in mine_records
    assert supervisor.get(reverse("evaluation:report_figure", args=[mine.pk, "nothing.here"])).status_code == 404


def test_the_report_as_pdf_and_docx(on):
    county = county_make()
    mine, _ = drafted(county)
    report_submit(report=mine, actor=county.head, on=D(2026, 10, 5),
                  sections=WRITTEN | {"coordination": "与城管局对占道经营的职责有争议。"})
    on(D(2026, 10, 6))
    supervisor = client_of(county.first)
    pdf = supervisor.get(reverse("evaluation:report_file", args=[mine.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = supervisor.get(reverse("evaluation:report_file", args=[mine.pk, "docx"]))
    text = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "与城管局对占道经营的职责有争议。" in text and "需提请协调的重大复杂问题" in text
    assert "2026年9月“三项制度”工作推进情况报告" in text
    assert supervisor.get(reverse("evaluation:report_file", args=[mine.pk, "exe"])).status_code == 403


def test_a_month_is_read_from_the_query_only_when_it_is_one():
    assert report_views._month_from_query("2026-09") == ReportMonth(2026, 9)
    for value in ("2026-13", "abc", "", None, "1900-01", "2026-09-01"):
        assert report_views._month_from_query(value) is None


def test_a_figures_list_shows_a_cases_title_only_to_who_may_read_the_case(on):
    """Review finding: a title may name a party. A supervisor without a read grant reads the case
    number, its state and the day; under a read grant naming the case, its title too (and the link);
    the agency's head every title."""
    county = county_make()
    granted = case_on(agency=county.agency, day=D(2026, 9, 3), title="张三销售过期食品案")
    withheld = case_on(agency=county.agency, day=D(2026, 9, 4), title="李四无照经营案")
    mine, _ = drafted(county)
    on(D(2026, 10, 6))
    url = reverse("evaluation:report_figure", args=[mine.pk, "cases.registered"])
    supervisor = client_of(county.first)
    page = supervisor.get(url).content.decode()
    assert granted.number in page and withheld.number in page
    assert "张三" not in page and "李四" not in page
    assert page.count('data-testid="title-withheld"') == 2 and 'data-testid="titles-withheld"' in page
    assert page.count('<td data-label="状态">案源登记</td>') == 2
    assert reverse("cases:case_detail", args=[granted.pk]) not in page
    read_grant_give(case=granted, user=county.first)
    page = supervisor.get(url).content.decode()
    assert "张三销售过期食品案" in page and "李四" not in page
    assert reverse("cases:case_detail", args=[granted.pk]) in page
    assert reverse("cases:case_detail", args=[withheld.pk]) not in page
    head_page = client_of(county.head).get(url).content.decode()
    assert "张三销售过期食品案" in head_page and "李四无照经营案" in head_page
    assert 'data-testid="title-withheld"' not in head_page


def test_a_figures_list_costs_the_same_queries_for_one_or_many_granted_cases(on):
    county = county_make()
    cases = [case_on(agency=county.agency, day=D(2026, 9, 3), title=f"案{n}") for n in range(2)]
    mine, _ = drafted(county)
    on(D(2026, 10, 6))
    url = reverse("evaluation:report_figure", args=[mine.pk, "cases.registered"])
    supervisor = client_of(county.first)
    for case in cases:
        read_grant_give(case=case, user=county.first)
    supervisor.get(url)
    with queries_without_ledger_writes() as few:
        assert supervisor.get(url).status_code == 200
    for n in range(6):
        read_grant_give(case=case_on(agency=county.agency, day=D(2026, 9, 5), title=f"加{n}"), user=county.first)
    with queries_without_ledger_writes() as many:
        page = supervisor.get(url).content.decode()
    assert page.count('data-testid="figure-record"') == 8 and 'data-testid="title-withheld"' not in page
    assert many.count == few.count
